"""The command line: argument parsing and one clear line per failure.

Each command's work lives in `audiogen.commands.<name>` (a thin `run(args)`
over the library), imported only when that command runs, so `--help` and
`serve` stay fast.
"""

from __future__ import annotations

import argparse
import importlib
import re
import signal
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import AudiogenError
from .config import CACHE_DIR

EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 70, 130


class Terminated(KeyboardInterrupt):
    """SIGTERM (a service manager, `kill`, a CI timeout): unwound like Ctrl-C, so the staging
    folder is removed and the published output stays as it was."""

    exit_code = 128 + signal.SIGTERM


def _on_sigterm(signum, frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a second SIGTERM ends the process at once
    raise Terminated()


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        return importlib.import_module(f"audiogen.commands.{args.command}").run(args) or 0
    except AudiogenError as e:
        print(f"audiogen: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:  # the disk or the file system said no, somewhere we did not expect
        where = f": {e.filename}" if e.filename else ""
        print(f"audiogen: error: {e.strerror or e}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt as e:
        how = "terminated" if isinstance(e, Terminated) else "interrupted"
        # a signal during the final moves waits until they are over: then the new build is out
        state = ("the new build was published whole before it stopped" if getattr(e, "output_changed", False)
                 else "the published output is unchanged")
        print(f"audiogen: {how}; {state}", file=sys.stderr)
        return e.exit_code if isinstance(e, Terminated) else EXIT_INTERRUPTED
    except Exception as e:  # a bug of ours: still one line, the details on request
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"audiogen: internal error: {type(e).__name__}: {e} (run again with --verbose for details)",
              file=sys.stderr)
        return EXIT_INTERNAL
    finally:
        signal.signal(signal.SIGTERM, previous)


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line too."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def parse_known_args(self, args=None, namespace=None):
        """A command's options may come before, between or after its positional arguments
        (`cache prune --cache DIR SEED`): argparse's intermixed parsing, for every parser
        without sub-commands (it cannot mix those)."""
        if self._subparsers is not None or getattr(self, "_intermixing", False):
            return super().parse_known_args(args, namespace)
        self._intermixing = True
        try:
            return self.parse_known_intermixed_args(args, namespace)
        finally:
            self._intermixing = False


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="audiogen", description="Articles in, bilingual audio lessons and a podcast out.")
    p.add_argument("--version", action="version", version=f"audiogen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    b = sub.add_parser("build", help="build seeds into a podcast folder")
    b.add_argument("seeds", nargs="*", type=seed_arg, metavar="SEED",
                   help="seed files or folders, or http(s) addresses of articles (default: the config's, else ./seeds/)")
    b.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")
    b.add_argument("--engine", help="auto, edge, gtts, piper or espeak, for every language it speaks "
                   "(default: the config's, else auto: per language, edge, then gtts, then offline)")
    b.add_argument("--base-url", help="where the output folder will be served, e.g. https://example.com/podcast/")
    b.add_argument("--cache", type=Path, help=f"clip cache folder (default: {CACHE_DIR})")
    b.add_argument("--report", type=Path, help="write a JSON report of the build here")
    b.add_argument("--strict", action="store_true", help="fail on any unreadable seed instead of skipping it")
    b.add_argument("--publish", action="store_true", help="then publish the output to [publish] to of podcast.toml")
    b.add_argument("--teacher", choices=["auto", "llm", "translator", "off"],
                   help="where machine-made meanings come from for this build (default: [teacher] engine, auto); "
                        "off: only the seed's and the article's own")
    _common(b)

    u = sub.add_parser("publish", help="upload the output folder: GitHub Pages, a git branch, an S3 bucket")
    u.add_argument("dir", nargs="?", type=Path, default=Path("public"), help="the output folder (default: public)")
    u.add_argument("--to", metavar="TARGET",
                   help="gh-pages (the origin of this repository), git+URL#BRANCH or s3://BUCKET/PREFIX "
                        "(default: [publish] to of podcast.toml)")
    u.add_argument("--endpoint-url", metavar="URL",
                   help="an S3-compatible service other than AWS: R2, MinIO, SeaweedFS (credentials come from "
                        "the environment or an AWS profile, never from here)")
    u.add_argument("--dry-run", action="store_true", help="say what would be uploaded and deleted, change nothing")
    u.add_argument("--report", type=Path, help="write a JSON report: target, uploaded, kept, deleted")
    u.add_argument("--force", action="store_true",
                   help="publish over a show from a newer audiogen, or over files that are no audiogen show")
    _common(u)

    s = sub.add_parser("serve", help="serve the output folder for a podcast app or browser")
    s.add_argument("dir", nargs="?", type=Path, default=Path("public"), help="the output folder (default: public)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1; 0.0.0.0 lets a phone on the same network listen)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.add_argument("--quiet", "-q", action="store_true", help="no access-log line per request on stderr")

    w = sub.add_parser("script", help="write editable scripts for a seed's episodes")
    w.add_argument("seeds", nargs="+", type=seed_arg, metavar="SEED")
    w.add_argument("--out", type=Path, help="folder for the scripts (default: the config's edits folder)")
    w.add_argument("--force", action="store_true", help="overwrite scripts that are already there")
    _common(w)

    a = sub.add_parser("add", help="turn articles (.txt, .md, .html or http(s) addresses) into editable .md seeds")
    a.add_argument("sources", nargs="+", metavar="SOURCE", help="a .txt, .md or .html file, or an http(s) address")
    a.add_argument("--to", type=Path, default=Path("seeds"), help="folder for the seeds (default: seeds)")
    a.add_argument("--translate", action="store_true",
                   help="fill missing meanings of key sentences with an online translator (marked for review)")
    a.add_argument("--teacher", action="store_true",
                   help="fill missing meanings of key sentences and terms with the [teacher] of podcast.toml "
                        "(a language model, else the translator), marked for review")
    a.add_argument("--force", action="store_true", help="overwrite seeds that are already there")
    _common(a)

    i = sub.add_parser("init", help="write a commented podcast.toml")
    i.add_argument("path", nargs="?", type=Path, default=Path("podcast.toml"),
                   help="where to write it (default: podcast.toml)")
    i.add_argument("--github-actions", action="store_true",
                   help="write .github/workflows/podcast.yml instead: build and publish to GitHub Pages on every push")

    c = sub.add_parser("cache", help="look after the clip cache")
    c.add_argument("action", choices=["stats", "prune"])
    c.add_argument("seeds", nargs="*", type=seed_arg, metavar="SEED", help="prune: the seeds whose clips to keep")
    c.add_argument("--cache", type=Path, help=f"clip cache folder (default: {CACHE_DIR})")
    _common(c)
    return p


def seed_arg(text: str) -> Path | str:
    """A SEED: an address stays text (a Path would fold its `//`; the reader refuses all but
    http(s) by name), anything else is a path."""
    return text if re.match(r"^[a-z][a-z0-9+.\-]*://", text, re.I) else Path(text)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="podcast.toml to use (default: ./podcast.toml when present)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print more detail")
