"""The clip cache: each synthesized clip is kept as one WAV, named by what made it.

The name is a sha256 of (engine, engine version, voice, lang, speed, text),
so a clip is synthesized once and a new engine version or voice simply
misses. Entries are written to a temporary name in the same folder and
renamed into place, so a crash or kill never leaves a half-written entry.

An entry is checked, not trusted: after its audio, the WAV carries a chunk of
its own (`agen`: a format version and a sha256 over its key, rate and samples),
which players skip. An entry whose digest does not match (disk trouble, a file
overwritten with other audio, noise or nothing, an entry copied under another
key, or one written before entries carried a digest) is deleted and made again,
so no damaged clip can reach an episode.
"""

from __future__ import annotations

import errno
import hashlib
import json
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import AudiogenError
from ..files import replacing
from ..model import Clip
from .base import Engine

SUFFIX = ".wav"
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"
ENTRY_VERSION = 1  # of the digest chunk; an entry of another version is made again
DIGEST_CHUNK = b"agen"
MAX_ENTRY_BYTES = 1 << 30  # far beyond any clip: a larger file is not one of ours


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int


class ClipCache:
    """One WAV per clip under ``root/<first 2 hex>/<key>.wav``; the root is made when first written.

    `say` hears, in a sentence, each damaged entry dropped (the build passes its --verbose detail).
    """

    def __init__(self, root: Path, say: Callable[[str], None] | None = None):
        self.root = Path(root)
        self.say = say or (lambda text: None)

    @staticmethod
    def key(engine: Engine, voice: str, lang: str, speed: float, text: str) -> str:
        # JSON keeps the fields apart ("a","bc" vs "ab","c"); speed is rounded
        # so 0.85 and 0.8500000001 share a clip.
        fields = [engine.name, engine.version(), voice, lang, f"{speed:.3f}", text]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}{SUFFIX}"

    def get(self, key: str) -> Clip | None:
        """The clip stored under `key`; None when missing or damaged (then deleted)."""
        path = self.path(key)
        try:
            if path.stat().st_size > MAX_ENTRY_BYTES:
                raise ValueError("larger than any clip")
            clip, problem = read_entry(key, path.read_bytes())
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as e:
            clip, problem = None, str(e)
        if clip is None:
            self.say(f"clip cache: {path} is damaged ({problem}); dropped, it is made again")
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass  # a read-only cache: the clip is made again, and `put` says why it cannot keep it
        return clip

    def put(self, key: str, clip: Clip) -> None:
        """Store `clip` atomically: readers see the old entry or the whole new one."""
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with replacing(path, TEMP_SUFFIX) as tmp:
                tmp.write_bytes(entry_bytes(key, clip))
        except OSError as e:
            raise AudiogenError(_write_problem(self.root, e)) from None

    def stats(self) -> CacheStats:
        entries = list(self._entries())
        return CacheStats(len(entries), sum(p.stat().st_size for p in entries))

    def prune(self, keep: set[str]) -> int:
        """Delete entries whose key is not in `keep` (and stray temp files); returns entries deleted."""
        if not self.root.is_dir():
            return 0
        removed = 0
        try:
            for folder in self.root.iterdir():
                if not folder.is_dir():
                    continue
                for p in folder.iterdir():
                    if p.name.startswith(TEMP_PREFIX) and p.name.endswith(TEMP_SUFFIX):
                        p.unlink(missing_ok=True)
                    elif p.suffix == SUFFIX and p.stem not in keep:
                        p.unlink(missing_ok=True)
                        removed += 1
                if not any(folder.iterdir()):
                    folder.rmdir()
        except OSError as e:
            raise AudiogenError(_write_problem(self.root, e)) from None
        return removed

    def _entries(self):
        if self.root.is_dir():
            yield from (p for p in self.root.glob(f"??/*{SUFFIX}") if not p.name.startswith(TEMP_PREFIX))


# --- the entry format: a plain 16-bit mono WAV, then the digest chunk ----------------------


def digest(key: str, rate: int, samples: bytes) -> bytes:
    """What an entry's digest chunk holds: a sha256 binding its audio to its key."""
    h = hashlib.sha256(f"audiogen-clip:{ENTRY_VERSION}:{key}:{rate}:".encode())
    h.update(samples)
    return h.digest()


def entry_bytes(key: str, clip: Clip) -> bytes:
    """`clip` as a cache entry: RIFF/WAVE with `fmt `, `data` and our digest chunk."""
    samples = clip.samples
    fmt = struct.pack("<HHIIHH", 1, 1, clip.rate, clip.rate * 2, 2, 16)
    pad = b"\0" if len(samples) % 2 else b""
    tail = struct.pack("<H", ENTRY_VERSION) + digest(key, clip.rate, samples)
    body = (b"WAVE" + _chunk(b"fmt ", fmt) + _chunk(b"data", samples) + pad + _chunk(DIGEST_CHUNK, tail))
    return b"RIFF" + struct.pack("<I", len(body)) + body


def _chunk(name: bytes, data: bytes) -> bytes:
    return name + struct.pack("<I", len(data)) + data


def read_entry(key: str, data: bytes) -> tuple[Clip | None, str]:
    """The clip in an entry written for `key`, or None and why it is not to be trusted."""
    if len(data) < 12 or data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None, "not a WAV file"
    chunks: dict[bytes, bytes] = {}
    pos = 12
    while pos + 8 <= len(data):
        name, size = data[pos:pos + 4], struct.unpack("<I", data[pos + 4:pos + 8])[0]
        if pos + 8 + size > len(data):
            return None, "cut short"
        chunks.setdefault(name, data[pos + 8:pos + 8 + size])
        pos += 8 + size + (size % 2)
    fmt, samples, tail = chunks.get(b"fmt "), chunks.get(b"data"), chunks.get(DIGEST_CHUNK)
    if fmt is None or samples is None or len(fmt) < 16:
        return None, "no audio in it"
    codec, channels, rate, _, _, bits = struct.unpack("<HHIIHH", fmt[:16])
    if (codec, channels, bits) != (1, 1, 16) or not 1000 <= rate <= 384_000 or len(samples) % 2:
        return None, "not 16-bit mono audio"
    if tail is None or len(tail) != 34 or struct.unpack("<H", tail[:2])[0] != ENTRY_VERSION:
        return None, "no digest of its content (written by an older audiogen, or not by audiogen)"
    if tail[2:] != digest(key, rate, samples):
        return None, "its content does not match its digest"
    return Clip(samples, rate), ""


def _write_problem(root: Path, e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return f"the clip cache at {root} cannot be written: the disk is full (free space or use --cache DIR)"
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the clip cache at {root} cannot be written: {e.strerror} (choose another folder with --cache DIR)"
    return f"the clip cache at {root} cannot be written: {e.strerror or e}"
