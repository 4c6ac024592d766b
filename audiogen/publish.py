"""Atomic publishing: stage beside the output, then move into place, feed last.

A podcast app may fetch the output folder at any moment, so a build never
writes there directly. New and changed files go to a staging folder next to
it (same file system, so `os.replace` is atomic); only when the whole build
has succeeded are they moved in, `feed.xml` last, so the feed never names a
file that is not there. Files the new feed no longer names are removed after
the feed is in place. A lock file beside the output keeps two builds apart.
"""

from __future__ import annotations

import errno
import fcntl
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import AudiogenError

FEED = "feed.xml"


def _beside(out: Path, suffix: str) -> Path:
    return out.parent / f".{out.name}.audiogen-{suffix}"


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on `out` for the duration; refuse if taken."""
    lock_path = _beside(out, "lock")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as e:
        raise AudiogenError(f"cannot write beside the output folder {out}: {e.strerror}") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise AudiogenError(
                f"another audiogen build is writing to {out} (lock {lock_path.name}); wait for it to finish"
            ) from None
        yield
    finally:
        os.close(fd)


class Stage:
    """A folder that mirrors the output's layout, holding only what changed."""

    def __init__(self, out: Path):
        self.out = out
        self.root = _beside(out, "staging")
        self.written: set[str] = set()

    def __enter__(self) -> "Stage":
        # a previous build killed mid-way may have left a staging folder: it was never published
        shutil.rmtree(self.root, ignore_errors=True)
        guard(lambda: self.root.mkdir(parents=True), self.root)
        return self

    def __exit__(self, *exc) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def path(self, rel: str) -> Path:
        """Where to write `rel` (relative to the output) while staging."""
        target = self.root / rel
        if self.root.resolve() not in target.resolve().parents:
            raise AudiogenError(f"refusing to write outside the output folder: {rel!r}")
        guard(lambda: target.parent.mkdir(parents=True, exist_ok=True), target.parent)
        self.written.add(rel)
        return target

    def draft(self, name: str) -> Path:
        """A scratch file in staging that is not published until `adopt` names it."""
        return self.root / f".draft-{name}"

    def adopt(self, draft: Path, rel: str) -> None:
        """Publish a draft under `rel`, a name that may depend on what was written to it."""
        target = self.path(rel)
        guard(lambda: draft.rename(target), target)

    def write_if_changed(self, rel: str, data: bytes) -> bool:
        """Stage `data` for `rel` unless the published file already holds exactly it."""
        current = self.out / rel
        if current.is_file() and current.stat().st_size == len(data) and current.read_bytes() == data:
            return False
        guard(lambda: self.path(rel).write_bytes(data), self.out / rel)
        return True

    def publish(self, keep: set[str]) -> list[str]:
        """Move staged files into the output (feed last), then drop what `keep` no longer names.

        Returns the relative paths that changed in the output.
        """
        order = sorted(self.written, key=lambda rel: (rel == FEED, rel.count("/") == 0, rel))
        if order:
            guard(lambda: self.out.mkdir(parents=True, exist_ok=True), self.out)
        for rel in order:
            dest = self.out / rel
            guard(lambda: dest.parent.mkdir(parents=True, exist_ok=True), dest.parent)
            guard(lambda: os.replace(self.root / rel, dest), dest)
        removed = []
        # only files of the kinds a build makes are ever removed: a user who points
        # --out at a folder of their own loses nothing of theirs
        candidates = [*self.out.glob("episodes/*"), *self.out.glob("cover-*")] if self.out.is_dir() else []
        for path in sorted(candidates):
            rel = path.relative_to(self.out).as_posix()
            if path.is_file() and rel not in keep and not path.name.startswith("."):
                path.unlink()
                removed.append(rel)
        return order + removed


def guard(action, where: Path):
    """Run a file-system action; turn OSError into one clear line naming the place."""
    try:
        return action()
    except OSError as e:
        why = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission denied", errno.EDQUOT: "disk quota exceeded"}.get(e.errno, e.strerror)
        raise AudiogenError(f"cannot write {where}: {why}") from None
