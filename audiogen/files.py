"""Files that are replaced whole or not at all.

Every file audiogen keeps (clips in the cache, MP3s, the cover, the state
file, the report, a new seed, the Korean memo) is written to a fresh
temporary name beside it and renamed over it: a reader, a crash or a kill
sees the old file or the whole new one, never half of one. A fresh name
(never a file or link already there) also means a symlink at the path is
replaced, not written through. Callers say in their own words what failed.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# files audiogen writes are meant to be read by others too (a web server, a second user of the seeds)
MODE = 0o644


def temp_beside(path: Path, suffix: str = ".tmp") -> Path:
    """A new empty file in `path`'s folder, hidden, named after `path`; the caller fills it."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=suffix, dir=path.parent)
    os.close(fd)
    return Path(name)


def move_into_place(tmp: Path, path: Path) -> None:
    """Rename a filled temporary file over `path` (same folder, so the rename is atomic)."""
    os.chmod(tmp, MODE)
    os.replace(tmp, path)


@contextmanager
def replacing(path: Path, suffix: str = ".tmp") -> Iterator[Path]:
    """The temporary file to write `path`'s new content to; moved into place when the block
    ends, removed when it raises (Ctrl-C included)."""
    path = Path(path)
    tmp = temp_beside(path, suffix)
    try:
        yield tmp
        move_into_place(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_atomically(path: Path, data: bytes | str) -> None:
    """`path` holds `data` (text as UTF-8), or its old content if this fails."""
    with replacing(path) as tmp:
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)


class NotAStateFile(OSError):
    """A state file that is a link, a device, a folder or far too large to be one we wrote."""


def read_state(path: Path, limit: int, follow_links: bool = True) -> bytes:
    """A state file's bytes (manifest, dates, memo): a regular file of at most `limit` bytes,
    never a device or a FIFO (reading /dev/zero would never end, nor opening a FIFO), and
    with `follow_links=False` not a link either."""
    if not follow_links and os.path.islink(path):
        raise NotAStateFile(0, "a symbolic link, not a file")
    nofollow = 0 if follow_links else os.O_NOFOLLOW
    fd = os.open(path, os.O_RDONLY | nofollow | os.O_NONBLOCK | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(f.fileno())
        if not stat.S_ISREG(st.st_mode):
            raise NotAStateFile(0, "not a regular file")
        if st.st_size > limit:
            raise NotAStateFile(0, f"larger than {limit >> 20} MB")
        return f.read(limit + 1)


class DigestStore:
    """Files made from known inputs, kept under `root` as `<key>-<digest><suffix>`: `key` names the
    inputs (a hash), `digest` is of the file's own bytes and is checked on every read, so a
    damaged entry is dropped (and the caller makes it again) rather than used. `keep` drops every
    entry but the ones still wanted, so a store holds one copy of what the last build used."""

    def __init__(self, root: Path, suffix: str):
        self.root, self.suffix = Path(root), suffix

    def get(self, key: str) -> Path | None:
        if not self.root.is_dir():
            return None
        for path in self.root.glob(f"{key}-*{self.suffix}"):
            digest = path.name[len(key) + 1 : -len(self.suffix)]
            try:
                if hashlib.sha256(path.read_bytes()).hexdigest()[:16] == digest:
                    return path
            except OSError:
                pass
            path.unlink(missing_ok=True)
        return None

    def put(self, key: str, encoded: Path | bytes) -> None:
        """Keep a copy of a file (or bytes); a store that cannot be written only costs speed."""
        try:
            data = encoded if isinstance(encoded, bytes) else encoded.read_bytes()
            self.root.mkdir(parents=True, exist_ok=True)
            write_atomically(self.root / f"{key}-{hashlib.sha256(data).hexdigest()[:16]}{self.suffix}", data)
        except OSError:
            pass

    def keep(self, keys: set[str]) -> None:
        """Drop every entry but those of `keys` (and stray temporary files)."""
        if not self.root.is_dir():
            return
        for path in self.root.iterdir():
            key = path.name.split("-", 1)[0]
            if path.name.startswith(".") or key not in keys:
                path.unlink(missing_ok=True)
