"""The command line: argument parsing and one clear line per failure.

Each command is a thin function over the library: `build` over
`audiogen.build`, `serve` over `feed.serve`, `script` over the lesson writer.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from pathlib import Path

from . import __version__
from .errors import AudiogenError

EXIT_ERROR, EXIT_INTERNAL, EXIT_INTERRUPTED = 1, 70, 130


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args) or 0
    except AudiogenError as e:
        print(f"audiogen: error: {e}", file=sys.stderr)
        return EXIT_ERROR
    except OSError as e:  # the disk or the file system said no, somewhere we did not expect
        where = f": {e.filename}" if e.filename else ""
        print(f"audiogen: error: {e.strerror or e}{where}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("audiogen: interrupted; the published output is unchanged", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as e:  # a bug of ours: still one line, the details on request
        if getattr(args, "verbose", False):
            traceback.print_exc()
        print(f"audiogen: internal error: {type(e).__name__}: {e} (run again with --verbose for details)",
              file=sys.stderr)
        return EXIT_INTERNAL


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line too."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def parser() -> argparse.ArgumentParser:
    p = _Parser(prog="audiogen", description="Articles in, bilingual audio lessons and a podcast out.")
    p.add_argument("--version", action="version", version=f"audiogen {__version__}")
    sub = p.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    b = sub.add_parser("build", help="build seeds into a podcast folder")
    b.add_argument("seeds", nargs="*", type=Path, metavar="SEED", help="seed files or folders (default: the config's, else ./seeds/)")
    b.add_argument("--out", type=Path, default=Path("public"), help="output folder (default: public)")
    b.add_argument("--engine", help="auto, espeak or gtts (default: the config's, else auto)")
    b.add_argument("--base-url", help="where the output folder will be served, e.g. https://example.com/podcast/")
    b.add_argument("--cache", type=Path, help="clip cache folder (default: .audiogen/cache)")
    b.add_argument("--report", type=Path, help="write a JSON report of the build here")
    b.add_argument("--strict", action="store_true", help="fail on any unreadable seed instead of skipping it")
    _common(b)
    b.set_defaults(run=cmd_build)

    s = sub.add_parser("serve", help="serve the output folder for a podcast app or browser")
    s.add_argument("dir", nargs="?", type=Path, default=Path("public"), help="the output folder (default: public)")
    s.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default: 127.0.0.1; 0.0.0.0 lets a phone on the same network listen)")
    s.add_argument("--port", type=int, default=8000, help="port (default: 8000; 0 picks a free one)")
    s.set_defaults(run=cmd_serve)

    w = sub.add_parser("script", help="write editable scripts for a seed's episodes")
    w.add_argument("seeds", nargs="+", type=Path, metavar="SEED")
    w.add_argument("--out", type=Path, help="folder for the scripts (default: the config's edits folder)")
    w.add_argument("--force", action="store_true", help="overwrite scripts that are already there")
    _common(w)
    w.set_defaults(run=cmd_script)

    i = sub.add_parser("init", help="write a commented podcast.toml")
    i.add_argument("path", nargs="?", type=Path, default=Path("podcast.toml"),
                   help="where to write it (default: podcast.toml)")
    i.set_defaults(run=cmd_init)

    c = sub.add_parser("cache", help="look after the clip cache")
    c.add_argument("action", choices=["stats", "prune"])
    c.add_argument("seeds", nargs="*", type=Path, metavar="SEED", help="prune: the seeds whose clips to keep")
    c.add_argument("--cache", type=Path, help="clip cache folder (default: .audiogen/cache)")
    _common(c)
    c.set_defaults(run=cmd_cache)
    return p


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--config", type=Path, help="podcast.toml to use (default: ./podcast.toml when present)")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors only")
    p.add_argument("-v", "--verbose", action="store_true", help="print more detail")


def cmd_build(args) -> int:
    from . import build, config
    from .progress import Reporter

    ui = Reporter(quiet=args.quiet, verbose=args.verbose)
    cfg = config.load(args.config)
    if args.base_url is not None:
        config.check_base_url(args.base_url)
    req = build.BuildRequest(seeds=args.seeds, out=args.out, cache=args.cache, engine=args.engine,
                             base_url=args.base_url, strict=args.strict)
    result = build.build(cfg, req, ui)
    if args.report:
        write_json(args.report, result.report())
    minutes = sum(e.duration_s for e in result.episodes) / 60
    ui.info(f"built {len(result.episodes)} episodes ({len(result.rendered)} rendered, "
            f"{len(result.episodes) - len(result.rendered)} unchanged), spoken lines: {result.synthesized} "
            f"synthesized, {result.cached} from the cache or unchanged episodes, "
            f"{minutes:.1f} min of audio in {result.elapsed_s:.1f} s")
    ui.info(f"feed: {args.out / 'feed.xml'}   listen: audiogen serve {args.out}")
    return 0


def cmd_serve(args) -> int:
    from feed import serve

    if not args.dir.is_dir():
        raise AudiogenError(f"{args.dir} is not a folder; build first: audiogen build --out {args.dir}")
    if not 0 <= args.port < 65536:
        raise AudiogenError(f"--port must be between 0 (any free port) and 65535, got {args.port}")
    serve.serve(args.dir, host=args.host, port=args.port)
    return 0


def cmd_script(args) -> int:
    from . import build, config, dates, script, scriptfile, seed
    from .progress import Reporter

    ui = Reporter(quiet=args.quiet, verbose=args.verbose)
    cfg = config.load(args.config)
    folder = args.out or cfg.path(cfg.lesson.edits)
    lessons = build.in_show_order([seed.read(path) for path in seed.find(args.seeds)], dates.DateBook(say=ui.warn))
    title = build.show_for(cfg, lessons, cfg.show.base_url).title  # announced as the build will
    for lesson in lessons:
        for s in script.write(lesson, cfg.lesson, title):
            target = folder / f"{s.slug}.yaml"
            if target.exists() and not args.force:
                ui.warn(f"{target} exists; kept it (use --force to overwrite)")
                continue
            try:
                folder.mkdir(parents=True, exist_ok=True)
                target.write_text(scriptfile.dump(s, lesson.digest), encoding="utf-8")
            except OSError as e:
                raise AudiogenError(f"cannot write {target}: {e.strerror}") from None
            ui.info(f"wrote {target}")
    edits = cfg.path(cfg.lesson.edits)
    if folder.resolve() != edits.resolve():
        ui.warn(f"audiogen build reads edited scripts from {edits}; move them there or set [lesson] edits")
    else:
        ui.info(f"edit them, then run audiogen build: it uses the scripts in {folder} instead of the seed's")
    return 0


def cmd_init(args) -> int:
    from .init import TEMPLATE

    if args.path.exists():
        raise AudiogenError(f"{args.path} already exists; not overwriting it")
    args.path.write_text(TEMPLATE, encoding="utf-8")
    print(f"wrote {args.path}: edit the [show] table, then run audiogen build")
    return 0


def cmd_cache(args) -> int:
    from . import build, config
    from .progress import Reporter
    from .tts.cache import ClipCache

    ui = Reporter(quiet=args.quiet, verbose=args.verbose)
    cfg = config.load(args.config)
    cache = ClipCache(args.cache or cfg.path(".audiogen/cache"))
    if args.action == "stats":
        st = cache.stats()
        print(f"{st.entries} clips, {st.bytes / 1e6:.1f} MB in {cache.root}")
        return 0
    keep = build.clip_keys_in_use(cfg, build.BuildRequest(seeds=args.seeds), ui)
    removed = cache.prune(keep)
    print(f"removed {removed} clips no current script uses; {cache.stats().entries} clips left in {cache.root}")
    return 0


def write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise AudiogenError(f"cannot write the report {path}: {e.strerror}") from None
