"""An episode mastered and encoded part by part, so an edit makes again only the parts it changed.

Lines are separated by silence, and the mixer starts each part of a lesson (opening, review,
narration, ...) and about one line in twelve on the MP3 frame grid, choosing those lines by what
they say. Cut there, each piece is mastered to the loudness target on its own and encoded on its
own (`encode` explains why pieces cut in silence join without a seam), so the bytes of a piece
depend on its sound alone. Those bytes are
kept in a `PartStore` beside the clip cache, named by a hash of the part's sound and the
settings: when a sentence changes, the lessons that speak it re-master and re-encode only the
pieces that speak it, and join the rest as they were. The result is the same file, byte for
byte, as a build that made every part afresh.

Where the silence before a cut is too short (gaps set near zero) or there is none (a music
bed under everything), the two pieces stay one; with no cut at all the episode is
mastered and encoded whole, as before.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..files import DigestStore
from . import encode as mp3
from .master import ISLAND_PAD, master

# bump when mastering or encoding a part changes its bytes for the same sound and settings
PART_VERSION = "1"
SUFFIX = ".mp3"


@dataclass(frozen=True)
class Cut:
    """[start, stop) of one piece in the episode's samples; `frames` it must encode to (None: the last)."""

    start: int
    stop: int
    frames: int | None


def cuts(pcm: np.ndarray, starts: list[int]) -> list[Cut]:
    """The pieces an episode is cut into: at each of `starts` on the frame grid with a frame (and
    a little more) of digital silence before it. A piece ends one frame before the next starts:
    that frame is the encoder's delay and padding, which decode as the silence they cover."""
    n = len(pcm)
    bounds = [0]
    for s in sorted(set(starts)):
        quiet_from = s - mp3.FRAME - ISLAND_PAD
        if 0 < s < n and s % mp3.FRAME == 0 and quiet_from >= bounds[-1] and not pcm[quiet_from:s].any():
            bounds.append(s)
    pieces = [Cut(a, b - mp3.FRAME, mp3.piece_frames(b - mp3.FRAME - a)) for a, b in zip(bounds, bounds[1:])]
    return pieces + [Cut(bounds[-1], n, None)]


def part_key(samples: np.ndarray, rate: int, loudness: float, true_peak: float, bitrate: str) -> str:
    """What a part's bytes depend on: its sound, the mastering targets and the encoder."""
    head = json.dumps([PART_VERSION, rate, round(loudness, 4), round(true_peak, 4), bitrate, mp3.LAME_QUALITY,
                       mp3.FRAME, ffmpeg_identity()])
    h = hashlib.sha256(head.encode())
    h.update(samples.tobytes())
    return h.hexdigest()


def ffmpeg_identity() -> str:
    """The bundled ffmpeg's file name carries its version: a new ffmpeg encodes every part anew."""
    from .ffmpeg import exe

    return Path(exe()).name


class PartStore(DigestStore):
    """Encoded parts of one episode under `root`, each named `<key>-<digest>.mp3` (see `DigestStore`):
    a damaged part is dropped and made again rather than joined into an episode, and the store
    keeps only the parts the episode's last render used (`keep`)."""

    def __init__(self, root: Path):
        super().__init__(root, SUFFIX)


def export(pcm: np.ndarray, rate: int, starts: list[int], loudness: float, true_peak: float, bitrate: str,
           dest: Path, what: str, store: PartStore | None = None) -> None:
    """Master and encode `pcm` to `dest` part by part, taking unchanged parts from `store`."""
    pieces = cuts(pcm, starts)
    if len(pieces) == 1:  # nowhere to cut: the whole episode at once (its encode may still split it)
        mastered = master(pcm, rate, loudness, true_peak)
        mp3.encode(memoryview(mastered).cast("B"), rate, bitrate, dest, what)
        return
    keys = [part_key(pcm[c.start : c.stop], rate, loudness, true_peak, bitrate) for c in pieces]
    found = [store.get(k) if store is not None else None for k in keys]
    todo = [i for i, path in enumerate(found) if path is None]
    with tempfile.TemporaryDirectory(prefix="audiogen-parts-") as tmp:

        def make(i: int) -> Path:
            c, path = pieces[i], Path(tmp) / f"{i}{SUFFIX}"
            mastered = master(pcm[c.start : c.stop], rate, loudness, true_peak)
            mp3.encode_piece(memoryview(mastered).cast("B"), rate, bitrate, path, what)
            return path

        with ThreadPoolExecutor(max(1, min(len(todo), mp3.cores(), 4))) as pool:  # numpy and ffmpeg release the GIL
            for i, path in zip(todo, pool.map(make, todo)):
                found[i] = path
        if any(c.frames is not None and not mp3.framed_as(path, c.frames) for c, path in zip(pieces, found)):
            mastered = master(pcm, rate, loudness, true_peak)  # pragma: no cover - a LAME that frames otherwise
            mp3.encode(memoryview(mastered).cast("B"), rate, bitrate, dest, what)
            return
        mp3.join(found, dest, what)
        if store is not None:
            for i in todo:
                store.put(keys[i], found[i])
            store.keep(set(keys))
