"""Loudness: measuring it (BS.1770 / EBU R128) and bringing audio to a target.

Two meters on purpose: pyloudnorm for the per-clip matching inside the mix
(fast, in-process), and ffmpeg's ``ebur128`` scanner for the finished MP3,
which is what the build's self-check and the tests trust. The two agree to
about 0.1 LU on the same audio.
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import ffmpeg
from .errors import AudiogenError

SILENCE_LUFS = -70.0  # BS.1770's absolute gate: anything quieter counts as silence
_BLOCK = 0.4  # seconds: BS.1770's gating block


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float  # LU


def to_float(samples: bytes) -> np.ndarray:
    """s16le bytes -> float64 in [-1, 1)."""
    return np.frombuffer(samples, dtype="<i2").astype(np.float64) / 32768.0


def to_s16(x: np.ndarray) -> bytes:
    """float in [-1, 1] -> s16le bytes, rounded and clipped."""
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype("<i2").tobytes()


@functools.cache
def _meter(rate: int, block: float):
    import pyloudnorm

    return pyloudnorm.Meter(rate, block_size=block)


def lufs(x: np.ndarray, rate: int) -> float:
    """Integrated loudness of float samples, K-weighted and gated.

    Clips shorter than one 400 ms gating block (a single short word) are
    measured with one block as long as the clip; below 50 ms, plain RMS
    (K-weighting needs some signal to settle). Silence gives SILENCE_LUFS.
    """
    n = len(x)
    if n == 0 or not np.any(x):
        return SILENCE_LUFS
    seconds = n / rate
    if seconds < 0.05:
        rms = float(np.sqrt(np.mean(x * x)))
        return max(SILENCE_LUFS, 20 * math.log10(rms) - 0.691)
    block = _BLOCK if seconds >= _BLOCK else math.floor(seconds * 1000) / 1000
    value = _meter(rate, block).integrated_loudness(x)
    return max(SILENCE_LUFS, float(value)) if math.isfinite(value) else SILENCE_LUFS


def integrated_lufs(samples: bytes, rate: int) -> float:
    """Integrated loudness (LUFS) of s16le mono PCM."""
    return lufs(to_float(samples), rate)


def gain_to(x: np.ndarray, rate: int, target: float) -> float:
    """Linear gain that brings `x` to `target` LUFS (1.0 for silence)."""
    current = lufs(x, rate)
    if current <= SILENCE_LUFS:
        return 1.0
    return 10 ** ((target - current) / 20)


# --- the finished file, through ffmpeg --------------------------------------

_SUMMARY = {
    "integrated": re.compile(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf)\s*LUFS", re.S),
    "lra": re.compile(r"Loudness range:\s*LRA:\s*(-?[\d.]+)\s*LU", re.S),
    "true_peak": re.compile(r"True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS", re.S),
}


def measure_file(path: Path) -> Loudness:
    """Integrated loudness, true peak and loudness range of an audio file (ffmpeg ebur128)."""
    if not Path(path).is_file():
        raise AudiogenError(f"cannot measure loudness: no such file: {path}")
    proc = ffmpeg.run(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"], what=str(path))
    return parse_ebur128(proc.stderr.decode("utf-8", "replace"), str(path))


def parse_ebur128(stderr: str, what: str = "ebur128") -> Loudness:
    """Read the Summary block that ffmpeg's ebur128 filter prints at the end."""
    at = stderr.rfind("Summary:")
    if at < 0:
        raise AudiogenError(f"{what}: ffmpeg printed no loudness summary")
    summary = stderr[at:]
    values = {}
    for key, pattern in _SUMMARY.items():
        m = pattern.search(summary)
        if not m:
            raise AudiogenError(f"{what}: no {key} in ffmpeg's loudness summary")
        values[key] = float(m.group(1))  # float("-inf") works too
    return Loudness(**values)
