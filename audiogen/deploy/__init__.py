"""Publishing a built show: the output folder copied to where listeners fetch it.

One module per kind of target, behind the small `Target` interface below (as the speech
engines sit behind `tts.base.Engine`): `gh_pages.py` (a git branch, GitHub Pages) and
`s3.py` (AWS S3 and the S3-compatible stores: R2, MinIO, SeaweedFS). What both share lives
in `site.py`: reading the output folder, the order files go up in, the plan of what to
upload, keep and delete.

Every target keeps the rule the build keeps on disk: a listener never gets a feed that names
a file that is not there. Media go first, `feed.xml` last, removed files only after it.
"""

from __future__ import annotations

import re
import subprocess
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from .. import __version__
from ..errors import AudiogenError
from ..progress import Reporter
from .site import Site


@dataclass(frozen=True)
class Options:
    """How to publish, the same for every target."""

    dry_run: bool = False
    force: bool = False  # publish over a show from a newer audiogen, or over files that are no show
    version: str = __version__
    seeds_commit: str | None = None  # the seeds' git commit, named in the commit message or object metadata

    @property
    def stamp(self) -> str:
        """What a target records about who published: "audiogen 0.1.0, seeds at 1a2b3c...\"."""
        return f"audiogen {self.version}" + (f", seeds at {self.seeds_commit}" if self.seeds_commit else "")


@dataclass
class Outcome:
    """What a publish did (or, with --dry-run, would do): paths relative to the output folder."""

    target: str
    uploaded: list[str] = field(default_factory=list)
    kept: int = 0
    deleted: list[str] = field(default_factory=list)

    def report(self) -> dict:
        """The --report JSON (a contract)."""
        return {"target": self.target, "uploaded": self.uploaded, "kept": self.kept, "deleted": self.deleted}

    def summary(self, dry_run: bool) -> str:
        counts = f"uploaded {len(self.uploaded)}, kept {self.kept}, deleted {len(self.deleted)}"
        return f"dry run, nothing changed: would have {counts}" if dry_run else counts


class Target(ABC):
    """Somewhere a show is published. `publish` either finishes or raises AudiogenError with the
    target as it was, or with only media added (never a feed naming a missing file)."""

    text: str  # the target as the user wrote it (`--to`), for messages and the report

    @abstractmethod
    def publish(self, site: Site, options: Options, ui: Reporter) -> Outcome: ...

    def served_at(self) -> str | None:
        """The base URL this target is served at, when the target implies one (GitHub Pages)."""
        return None


def target_for(text: str, endpoint_url: str | None = None, cwd: Path | None = None) -> Target:
    """`gh-pages`, `git+URL[#BRANCH]` or `s3://BUCKET[/PREFIX]`; anything else is one clear error."""
    text = text.strip()
    if endpoint_url and not text.startswith("s3://"):
        raise AudiogenError("--endpoint-url is for s3:// targets only")
    if text == "gh-pages" or text.startswith("git+"):
        from . import gh_pages

        return gh_pages.GhPagesTarget.parse(text, cwd or Path.cwd())
    if text.startswith("s3://"):
        from . import s3

        return s3.S3Target.parse(text, endpoint_url)
    raise AudiogenError(f"unknown publish target {text!r}: use gh-pages, git+URL#BRANCH or s3://BUCKET/PREFIX")


def seeds_commit(folder: Path) -> str | None:
    """The commit checked out in `folder`'s git repository (the seeds'), when there is one."""
    try:
        proc = subprocess.run(["git", "-C", str(folder), "rev-parse", "--verify", "-q", "HEAD"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    sha = proc.stdout.strip()
    return sha if proc.returncode == 0 and re.fullmatch(r"[0-9a-f]{40,64}", sha) else None


def check_not_newer(published_by: str | None, options: Options, where: str) -> None:
    """Refuse to overwrite a show that a newer audiogen published (it may write what we cannot
    read back), unless --force."""
    if published_by is None or options.force:
        return
    if _version_key(published_by) > _version_key(options.version):
        raise AudiogenError(f"{where} was published by audiogen {published_by}, newer than this one "
                            f"({options.version}); upgrade audiogen, or publish with --force")


def _version_key(version: str) -> tuple[int, ...]:
    """"0.10.2" -> (0, 10, 2); the leading numbers are all we compare."""
    match = re.match(r"\d+(?:\.\d+)*", version.strip())
    return tuple(int(n) for n in match.group(0).split(".")) if match else ()
