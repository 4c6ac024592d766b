"""MP3 from an online voice service, decoded to the PCM every clip carries."""

from __future__ import annotations

from ..audio import ffmpeg
from .base import SynthesisError

RATE = 24000  # what Google and Microsoft both send; decoding at the same rate avoids a resample


def decode(mp3: bytes, speed: float = 1.0, source: str = "the service") -> bytes:
    """MP3 → s16le mono PCM at RATE, time-stretched to `speed` (pitch kept)."""
    filters = ["-af", f"atempo={speed:.4f}"] if abs(speed - 1.0) > 1e-6 else []
    proc = ffmpeg.run(
        ["-f", "mp3", "-i", "pipe:0", *filters, "-f", "s16le", "-ac", "1", "-ar", str(RATE), "pipe:1"],
        input=mp3,
        check=False,
    )
    if proc.returncode != 0:
        raise SynthesisError(f"could not decode {source}'s MP3: {ffmpeg.last_line(proc.stderr)}", retryable=True)
    return proc.stdout
