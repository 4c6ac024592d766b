"""Samples as bytes and as numbers: the one conversion every audio room shares.

Clips travel as 16-bit little-endian mono PCM (small, hashable, what engines
and ffmpeg speak); arithmetic happens on float arrays in [-1, 1).
"""

from __future__ import annotations

import numpy as np


def to_float(samples: bytes) -> np.ndarray:
    """s16le bytes -> float64 in [-1, 1)."""
    return np.frombuffer(samples, dtype="<i2").astype(np.float64) / 32768.0


def to_s16(x: np.ndarray) -> bytes:
    """float in [-1, 1] -> s16le bytes, rounded and clipped."""
    return np.clip(np.rint(x * 32768.0), -32768, 32767).astype("<i2").tobytes()
