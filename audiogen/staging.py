"""Staging the output: stage beside it, then move everything into place at once, feed last.

A podcast app may fetch the output folder at any moment, so a build never
writes there directly. New and changed files go to a staging folder next to
it (same file system, so `os.replace` is atomic); only when the whole build
has succeeded are they moved in, `feed.xml` last, so the feed never names a
file that is not there. Files the previous build published and the new feed
no longer names are removed after the feed is in place; nothing else is. A
lock file beside the output (its real path: a symlink to it is the same output)
keeps two builds apart. When the output folder is
a mount point of its own (a volume, a share), the staging folder and the lock
go inside it as hidden entries, because a rename cannot cross file systems.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import AudiogenError
from .feed.manifest import FEED_FILE



def _beside(out: Path, suffix: str) -> Path:
    return out.parent / f".{out.name}.audiogen-{suffix}"


def _within(out: Path, suffix: str) -> Path:
    return out / f".audiogen-{suffix}"


def _mount_point(out: Path) -> bool:
    """Is `out` a mount point (a volume, a share, a bind mount)? Then nothing staged beside
    it can be renamed into it, even on the same device: EXDEV."""
    out = out.resolve()
    return os.path.ismount(out) or str(out) in _mount_points()


def _mount_points() -> set[str]:
    """Linux's list of mount points (os.path.ismount misses bind mounts of one device)."""
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return set()
    unescape = lambda p: re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), p)  # noqa: E731
    return {unescape(line.split()[4]) for line in lines if len(line.split()) > 4}


def check_output(out: Path, manifest: str) -> None:
    """Refuse an output that is a file, or a folder of someone else's files."""
    if out.exists() and not out.is_dir():
        raise AudiogenError(f"--out {out} is a file, not a folder")
    if out.is_dir() and not (out / manifest).is_file():
        theirs = [p.name for p in out.iterdir() if not p.name.startswith(".audiogen-")]
        if theirs:
            raise AudiogenError(f"{out} already holds files audiogen did not make (no {manifest}); "
                                "choose an empty or new folder for --out")


@contextmanager
def locked(out: Path) -> Iterator[None]:
    """Hold an exclusive lock on the real folder behind `out` for the duration; refuse if taken.

    The lock file lives beside the resolved output (so a symlink and its target are one
    output) and is removed when the build ends, while still locked. A build that opened the
    old file just before may then lock a file no longer in the folder; it notices (the name
    now holds another file, or none) and opens the lock afresh, so two builds never both
    hold it. A lock file left by a killed build is harmless (its lock died with it) and the
    next build removes it.
    """
    out = Path(os.path.realpath(out))
    fd, lock_path = _open_lock(out)
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise AudiogenError(
                    f"another audiogen build is writing to {out} (lock {lock_path.name}); wait for it to finish"
                ) from None
            if _same_file(fd, lock_path):
                break
            os.close(fd)  # locked a file the previous holder had just removed: start again
            fd = -1
            fd, lock_path = _open_lock(out)
        yield
    finally:
        if fd >= 0:
            try:
                if _same_file(fd, lock_path):
                    lock_path.unlink()
            except OSError:
                pass
            os.close(fd)


def _open_lock(out: Path) -> tuple[int, Path]:
    lock_path = _beside(out, "lock")
    flags = os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        return os.open(lock_path, flags, 0o644), lock_path
    except OSError as e:
        if not out.is_dir():
            raise AudiogenError(f"cannot write beside the output folder {out}: {e.strerror}") from None
        lock_path = _within(out, "lock")  # a mount point whose parent is not ours to write
        return guard(lambda: os.open(lock_path, flags, 0o644), lock_path), lock_path


def _same_file(fd: int, path: Path) -> bool:
    """Is the open file `fd` still the file named `path`?"""
    try:
        named = os.stat(path, follow_symlinks=False)
    except OSError:
        return False
    held = os.fstat(fd)
    return (held.st_dev, held.st_ino) == (named.st_dev, named.st_ino)


class Stage:
    """A folder that mirrors the output's layout, holding only what changed."""

    def __init__(self, out: Path):
        self.out = Path(os.path.realpath(out))  # the folder itself, never a link's own folder
        self.root = _beside(self.out, "staging")
        self.written: set[str] = set()

    def __enter__(self) -> "Stage":
        # a previous build killed mid-way may have left a staging folder: it was never published
        for old in (_beside(self.out, "staging"), _within(self.out, "staging")):
            shutil.rmtree(old, ignore_errors=True)
        try:
            self.root.mkdir(parents=True)
            if self.out.is_dir() and _mount_point(self.out):
                shutil.rmtree(self.root)
                self.root = _within(self.out, "staging")  # the output is a mount point
                self.root.mkdir()
        except OSError:
            shutil.rmtree(self.root, ignore_errors=True)
            if not self.out.is_dir():
                raise AudiogenError(f"cannot write beside the output folder {self.out}") from None
            self.root = _within(self.out, "staging")
            guard(lambda: self.root.mkdir(), self.out)
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

    def publish(self, keep: set[str], previous: set[str]) -> list[str]:
        """Move staged files into the output (feed last), then drop what the previous build
        published and `keep` no longer names.

        Returns the relative paths that changed in the output.
        """
        with _uninterrupted():  # Ctrl-C or SIGTERM wait until the output is whole again
            return self._publish(keep, previous)

    def _publish(self, keep: set[str], previous: set[str]) -> list[str]:
        order = sorted(self.written, key=lambda rel: (rel == FEED_FILE, rel.count("/") == 0, rel))
        if order:
            guard(lambda: self.out.mkdir(parents=True, exist_ok=True), self.out)
        for rel in order:
            dest = self.out / rel
            guard(lambda: dest.parent.mkdir(parents=True, exist_ok=True), dest.parent)
            guard(lambda: os.chmod(self.root / rel, 0o644), dest)  # web content: readable by the server
            guard(lambda: os.replace(self.root / rel, dest), dest)
        removed = []
        for rel in sorted(previous - keep):  # only what a build of ours published before
            path = self.out / rel
            if path.is_file() and self.out.resolve() in path.resolve().parents:
                guard(path.unlink, path)
                removed.append(rel)
        return order + removed


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while files move into the output; they are delivered after."""
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def guard(action, where: Path):
    """Run a file-system action; turn OSError into one clear line naming the place."""
    try:
        return action()
    except OSError as e:
        why = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission denied", errno.EDQUOT: "disk quota exceeded"}.get(e.errno, e.strerror)
        raise AudiogenError(f"cannot write {where}: {why}") from None
