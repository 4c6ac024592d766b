"""The clip cache: each synthesized clip is kept as one WAV, named by what made it.

The name is a sha256 of (engine, engine version, voice, lang, speed, text),
so a clip is synthesized once and a new engine version or voice simply
misses. Entries are written to a temporary name in the same folder and
renamed into place, so a crash or kill never leaves a half-written entry;
an entry that is damaged anyway (disk trouble) fails to parse, is deleted
and made again.
"""

from __future__ import annotations

import errno
import hashlib
import json
import wave
from dataclasses import dataclass
from pathlib import Path

from ..errors import AudiogenError
from ..files import replacing
from ..model import Clip
from .base import Engine

SUFFIX = ".wav"
TEMP_PREFIX, TEMP_SUFFIX = ".", ".tmp"


@dataclass(frozen=True)
class CacheStats:
    entries: int
    bytes: int


class ClipCache:
    """One WAV per clip under ``root/<first 2 hex>/<key>.wav``; the root is made when first written."""

    def __init__(self, root: Path):
        self.root = Path(root)

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
            clip = _read_wav(path)
        except FileNotFoundError:
            return None
        except (OSError, EOFError, wave.Error, ValueError):
            clip = None
        if clip is None:
            path.unlink(missing_ok=True)
        return clip

    def put(self, key: str, clip: Clip) -> None:
        """Store `clip` atomically: readers see the old entry or the whole new one."""
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with replacing(path, TEMP_SUFFIX) as tmp, wave.open(str(tmp), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(clip.rate)
                w.writeframes(clip.samples)
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


def _read_wav(path: Path) -> Clip | None:
    """The clip in a WAV we wrote, or None if it is not whole."""
    with wave.open(str(path), "rb") as w:
        if w.getnchannels() != 1 or w.getsampwidth() != 2:
            return None
        frames = w.getnframes()
        data = w.readframes(frames)
        rate = w.getframerate()
    if len(data) != frames * 2:  # the header promises more than the file holds
        return None
    return Clip(data, rate)


def _write_problem(root: Path, e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return f"the clip cache at {root} cannot be written: the disk is full (free space or use --cache DIR)"
    if e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return f"the clip cache at {root} cannot be written: {e.strerror} (choose another folder with --cache DIR)"
    return f"the clip cache at {root} cannot be written: {e.strerror or e}"
