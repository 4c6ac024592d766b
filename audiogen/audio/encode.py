"""MP3 encoding: mastered PCM becomes the episode file, byte for byte reproducibly.

The bundled ffmpeg's LAME does the work; what lives here is what it costs
(its slight gain loss and true-peak overshoot, allowed for before mastering)
and how to make it fast: long episodes are encoded in parallel pieces cut in
silence and joined without re-encoding.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from . import ffmpeg
from ..errors import AudiogenError
from .pcm import to_float, to_s16
from .master import ISLAND_PAD, islands

TP_MARGIN = 0.5  # dB kept below the true-peak ceiling for the MP3 encoder's overshoot
LAME_QUALITY = "7"  # ffmpeg -compression_level for libmp3lame (0 best ... 9 fastest): 7 encodes twice as fast as 5, no audible loss for speech at 96k

# measured with `measure_codec_gain_db` on the bundled LAME; a test re-measures them
CODEC_GAIN_DB = {
    ("64k", 44100): -0.4453, ("96k", 44100): -0.4453, ("128k", 44100): -0.4453,
    ("64k", 48000): -0.4448, ("96k", 48000): -0.4449, ("128k", 48000): -0.4449,
    ("64k", 24000): -0.445, ("96k", 24000): -0.445, ("64k", 22050): -0.4461, ("96k", 22050): -0.4461,
}  # fmt: skip


def codec_gain_db(bitrate: str, rate: int) -> float:
    """How much quieter the MP3 encoder makes its input (ffmpeg's LAME: about 0.45 dB)."""
    known = CODEC_GAIN_DB.get((bitrate, rate))
    return known if known is not None else measure_codec_gain_db(bitrate, rate)


@functools.cache
def measure_codec_gain_db(bitrate: str, rate: int) -> float:
    """`codec_gain_db` measured on a test tone through the same encoder settings.

    So the episode lands on its loudness target as decoded. Two ffmpeg runs:
    the common settings have their result in CODEC_GAIN_DB instead.
    """
    t = np.arange(rate) / rate
    tone = 0.25 * np.sin(2 * np.pi * 440 * t)
    args = ["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", *mp3_args(bitrate, rate), "pipe:1"]
    mp3 = ffmpeg.run(args, input=to_s16(tone), what="calibrating the MP3 encoder").stdout
    decoded = ffmpeg.run(["-f", "mp3", "-i", "pipe:0", "-f", "s16le", "-ac", "1", "pipe:1"], input=mp3, what="calibrating").stdout
    y = to_float(decoded)
    middle = slice(rate // 4, 3 * rate // 4)  # away from the encoder's start and end
    if len(y) < 3 * rate // 4:
        return 0.0
    ratio = np.sqrt(np.mean(y[middle] ** 2) / np.mean(tone[middle] ** 2))
    return float(20 * np.log10(ratio))


# reproducible output, no tags of ffmpeg's own (ours come later)
_MUX_ARGS = ["-fflags", "+bitexact", "-flags:a", "+bitexact", "-map_metadata", "-1",
             "-id3v2_version", "0", "-write_id3v1", "0", "-f", "mp3"]  # fmt: skip


def mp3_args(bitrate: str, rate: int) -> list[str]:
    """ffmpeg output options for a reproducible CBR mono MP3 with no tags of its own."""
    return ["-c:a", "libmp3lame", "-b:a", bitrate, "-compression_level", LAME_QUALITY, "-ar", str(rate), "-ac", "1", *_MUX_ARGS]



FRAME = 1152  # samples in an MPEG-1 Layer III frame (32, 44.1 and 48 kHz)
_PARALLEL_MIN = 120.0  # seconds: shorter episodes encode in one piece


def encode(pcm: bytes | memoryview, rate: int, bitrate: str, dest: Path, what: str) -> None:
    """s16le mono PCM -> MP3 at `dest`; long episodes in parallel pieces cut in silence.

    LAME runs on one core at about 350x real time, most of a long episode's
    export. Encoded separately, pieces cut where nothing sounds lose no
    quality (the encoder restarts in silence, as it starts a file). Each
    piece comes out as ceil(samples / 1152) + 1 frames, its sound delayed by
    the same encoder delay; each later piece therefore starts at a frame
    boundary of the whole, with the silence the earlier piece's frames
    already cover dropped, so every sample decodes exactly where the one
    encode would put it. ffmpeg then joins the frames (no re-encoding) and
    writes one header with the first piece's delay and the last one's
    padding. Should an encoder ever frame differently, the one encode runs.
    """
    pieces = _pieces(np.frombuffer(pcm, dtype="<i2"), rate) if rate >= 32000 else []
    if len(pieces) < 2:
        _encode_one(pcm, rate, bitrate, dest, what)
        return
    from concurrent.futures import ThreadPoolExecutor

    whole = memoryview(pcm).cast("B")  # pieces without copies
    with tempfile.TemporaryDirectory(prefix="audiogen-mp3-") as tmp:
        parts = [Path(tmp) / f"{i}.mp3" for i in range(len(pieces))]
        with ThreadPoolExecutor(len(pieces)) as pool:  # the threads only wait on ffmpeg
            jobs = [pool.submit(_encode_one, whole[2 * a : 2 * b], rate, bitrate, part, what) for (a, b, _), part in zip(pieces, parts)]
            for job in jobs:
                job.result()
        if any(frames is not None and not framed_as(part, frames) for (_, _, frames), part in zip(pieces, parts)):
            _encode_one(pcm, rate, bitrate, dest, what)  # pragma: no cover - a LAME that frames otherwise
            return
        join(parts, dest, what)


def piece_frames(samples: int) -> int:
    """The frames LAME writes for a piece of `samples`: its sound, then one frame of delay and padding."""
    return -(-samples // FRAME) + 1


def framed_as(path: Path, frames: int) -> bool:
    """Whether an encoded piece holds exactly `frames` frames, as joining it in place needs."""
    return _xing_frames(path) == frames


def encode_piece(pcm: bytes | memoryview, rate: int, bitrate: str, dest: Path, what: str) -> None:
    """One piece of an episode on its own (see `encode` for how pieces fit together)."""
    _encode_one(pcm, rate, bitrate, dest, what)


def join(parts: list[Path], dest: Path, what: str) -> None:
    """Encoded pieces, each starting on the frame grid of the whole, joined without re-encoding:
    ffmpeg copies the frames and writes one header with the first piece's delay and the last
    one's padding."""
    with tempfile.TemporaryDirectory(prefix="audiogen-join-") as tmp:
        names = []
        for i, part in enumerate(parts):
            name = Path(tmp) / f"{i}.mp3"  # plain names in one folder: nothing to quote in the listing
            shutil.copyfile(part, name)
            names.append(name)
        listing = Path(tmp) / "pieces.txt"
        listing.write_text("".join(f"file '{name.name}'\n" for name in names), encoding="utf-8")
        ffmpeg.run(
            ["-f", "concat", "-i", str(listing), "-c:a", "copy", *_MUX_ARGS, "-y", str(dest)],
            what=what,
        )


def _pieces(pcm: np.ndarray, rate: int) -> list[tuple[int, int, int | None]]:
    """(start, stop, frames) of each piece to encode on its own; frames None for the last.

    Cuts fall just after an island of sound followed by at least two frames
    of silence, near equal shares of the episode, one piece per core.
    """
    n = len(pcm)
    count = min(cores(), 4)
    if count < 2 or n < _PARALLEL_MIN * rate:
        return []
    found = islands(pcm, rate)
    pieces: list[tuple[int, int, int | None]] = []
    start = 0
    for (_, stop), (following, _) in zip(found, found[1:]):
        if len(pieces) == count - 1 or stop < (len(pieces) + 1) * n // count:
            continue
        end = stop + ISLAND_PAD  # a little silence after the sound, as in a one-piece encode
        frames = piece_frames(end - start)
        after = start + frames * FRAME  # where the next piece must begin to decode in place
        if after + ISLAND_PAD > following:
            continue  # the silence is too short to hide this piece's last frames
        pieces.append((start, end, frames))
        start = after
    pieces.append((start, n, None))
    return pieces


def cores() -> int:
    """CPUs this process may run on (a container may allow fewer than the machine has)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _xing_frames(path: Path) -> int | None:
    """The frame count in an MP3's Info/Xing header."""
    with open(path, "rb") as f:
        head = f.read(64)
    at = max(head.find(b"Info"), head.find(b"Xing"))
    return int.from_bytes(head[at + 8 : at + 12], "big") if at >= 0 else None


def _encode_one(pcm: bytes | memoryview, rate: int, bitrate: str, dest: Path, what: str) -> None:
    """s16le mono PCM -> MP3 at `dest`, fed to ffmpeg in one write.

    Only stdin is a pipe (ffmpeg's messages go to a file), so the whole
    buffer goes down in one write instead of the 4 KiB chunks
    `subprocess.run(input=...)` interleaves with reading two pipes.
    """
    cmd = [ffmpeg.exe(), "-hide_banner", "-nostats", "-v", "error", "-f", "s16le", "-ar", str(rate), "-ac", "1",
           "-i", "pipe:0", *mp3_args(bitrate, rate), "-y", str(dest)]  # fmt: skip
    with tempfile.TemporaryFile() as errors:
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors)
        _widen_pipe(proc.stdin)
        try:
            proc.communicate(pcm)
        except BrokenPipeError:  # ffmpeg died early: its message says why
            proc.wait()
        if proc.returncode != 0:
            errors.seek(0)
            raise AudiogenError(f"{what}: ffmpeg failed: {ffmpeg.last_line(errors.read())}")


def _widen_pipe(pipe) -> None:
    """1 MiB pipe buffer (Linux): fewer wake-ups for a 100 MB write. Harmless where unsupported."""
    try:
        import fcntl

        fcntl.fcntl(pipe.fileno(), getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
    except (ImportError, OSError):
        pass

