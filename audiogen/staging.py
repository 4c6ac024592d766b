"""Staging the output: stage beside it, then move everything into place at once, feed last.

A podcast app may fetch the output folder at any moment, so a build never
writes there directly. New and changed files go to a staging folder next to
it (same file system, so `os.replace` is atomic); only when the whole build
has succeeded are they moved in, as one transaction: first the files named
after their content (nothing links to a new name yet), then the manifest, the
page and the feed, which name them. Either all of them change or none do: each
file replaced is kept until the last move succeeded, and a failure puts every
one back (no page pointing at new MP3s while the feed names the old ones).
A kill -9 between two moves leaves every file any of them names in place.
Files the previous build published and the new feed no longer names are
removed after the feed is in place; nothing else is. A
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
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from .errors import AudiogenError
from .feed.manifest import FEED_FILE, MANIFEST_FILE, PAGE_FILE



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
    if out.is_dir() and not os.path.lexists(out / manifest):  # a damaged one is the manifest's reader's to refuse
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

    def commit(self, keep: set[str], previous: set[str], warn=lambda text: None) -> list[str]:
        """Move every staged file into the output as one transaction, then drop what the
        previous build published and `keep` no longer names (a file that cannot be removed
        only warns: the show is already whole).

        Returns the relative paths that changed in the output. A failure puts back every
        file it had replaced and removes every file it had added, and says so; Ctrl-C,
        SIGTERM and SIGHUP wait until the moves are over. An exception that escapes after the
        moves succeeded carries `output_changed = True`, so the last line can say so.
        """
        moved = False
        try:
            with _uninterrupted():
                changed = self._move_in()
                moved = True
                return changed + self._remove_stale(keep, previous, warn)
        except BaseException as e:
            if moved:
                e.output_changed = True  # type: ignore[attr-defined]
            raise

    def _move_in(self) -> list[str]:
        """New names first (episodes, cover, deck: named after their content, so nothing links
        to them yet), then the small files that name them, manifest, page, feed last. Every
        file replaced is first linked into `.previous/` in staging, the way back on failure."""
        order = sorted(self.written, key=_publish_order)
        if not order:
            return []
        for rel in order:  # before anything moves: a failure here changes nothing
            guard(lambda: os.chmod(self.root / rel, 0o644), self.out / rel)  # web content: readable by the server
        journal = _Journal(self.out, self.root / PREVIOUS)
        try:
            journal.make_folder(self.out)
            for rel in order:
                journal.replace(self.root / rel, rel)
        except BaseException as e:
            left = journal.undo()
            if isinstance(e, AudiogenError):
                raise AudiogenError(f"{e}; " + ("the published output is unchanged" if not left else
                                    f"{len(left)} files could not be put back ({left[0]}...): build again")) from None
            raise
        return order

    def _remove_stale(self, keep: set[str], previous: set[str], warn) -> list[str]:
        removed = []
        for rel in sorted(previous - keep):  # only what a build of ours published before
            path = self.out / rel
            if path.is_file() and self.out.resolve() in path.resolve().parents:
                try:
                    path.unlink()
                    removed.append(rel)
                except OSError as e:
                    warn(f"warning: cannot remove {path}, which the feed no longer names ({e.strerror})")
        return removed


PREVIOUS = ".previous"  # in staging: the published files a commit replaced, until it is over
SMALL_FILES_LAST = (MANIFEST_FILE, PAGE_FILE, FEED_FILE)  # the files that name the others, feed last


def _publish_order(rel: str) -> tuple:
    small = rel in SMALL_FILES_LAST
    return (small, SMALL_FILES_LAST.index(rel) if small else 0, rel.count("/") == 0, rel)


class _Journal:
    """What a commit did to the output, so that it can be undone: files replaced (kept as hard
    links, or copies where the file system has none), files and folders added."""

    def __init__(self, out: Path, keep: Path):
        self.out, self.keep = out, keep
        self.done: list[tuple[str, Path, Path | None]] = []  # (rel, where, the previous file's copy)
        self.folders: list[Path] = []

    def make_folder(self, folder: Path) -> None:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        guard(lambda: folder.mkdir(parents=True, exist_ok=True), folder)
        self.folders += reversed(missing)  # in the order made: outermost first

    def replace(self, staged: Path, rel: str) -> None:
        dest = self.out / rel
        self.make_folder(dest.parent)
        kept = None
        if os.path.lexists(dest):
            kept = self.keep / rel
            guard(lambda: kept.parent.mkdir(parents=True, exist_ok=True), kept.parent)
            try:
                os.link(dest, kept, follow_symlinks=False)
            except OSError:
                guard(lambda: shutil.copy2(dest, kept, follow_symlinks=False), dest)
        self.done.append((rel, dest, kept))
        guard(lambda: os.replace(staged, dest), dest)

    def undo(self) -> list[str]:
        """Put the output back; the relative paths that could not be."""
        left = []
        for rel, dest, kept in reversed(self.done):
            try:
                if kept is not None:
                    os.replace(kept, dest)
                else:
                    dest.unlink(missing_ok=True)
            except OSError:
                left.append(rel)
        for folder in reversed(self.folders):  # innermost first
            try:
                folder.rmdir()
            except OSError:
                pass  # not empty after all: someone else's
        return left


@contextmanager
def _uninterrupted() -> Iterator[None]:
    """Hold SIGINT, SIGTERM and SIGHUP while files move into the output; they are delivered after.

    Blocking them in this thread is not enough: the kernel gives a process's signal to any
    thread that does not block it (a worker, a progress bar), and Python then runs the
    handler in the main thread between two moves. So, for the duration, the handlers only
    note the signal, and the signal is raised again once the output is whole."""
    caught: list[int] = []
    handlers = {}
    if threading.current_thread() is threading.main_thread():
        handlers = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum)) for sig in HELD}
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, HELD)
    try:
        yield
    finally:
        for sig, handler in handlers.items():
            signal.signal(sig, handler)
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)  # one held in this thread reaches its own handler now
        for sig in dict.fromkeys(caught):
            signal.raise_signal(sig)


HELD = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def guard(action, where: Path):
    """Run a file-system action; turn OSError into one clear line naming the place."""
    try:
        return action()
    except OSError as e:
        why = {errno.ENOSPC: "the disk is full", errno.EROFS: "the file system is read-only",
               errno.EACCES: "permission denied", errno.EDQUOT: "disk quota exceeded"}.get(e.errno, e.strerror)
        raise AudiogenError(f"cannot write {where}: {why}") from None
