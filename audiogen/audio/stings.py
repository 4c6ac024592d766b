"""Intro and outro stings, made in code so a fresh install needs no audio files.

A sting is a short arpeggio on a soft, bell-like tone: each note has a few
harmonics that die away faster than the fundamental, a gentle attack (no
click) and an exponential decay, and the whole motif goes through a small
synthetic room. The intro rises, the outro falls and comes to rest on the
tonic. Everything is a pure function of the sample rate: the room's noise is
seeded, so the same rate always gives the same bytes.
"""

from __future__ import annotations

import functools

import numpy as np

from .kernels import fftconvolve
from .pcm import to_s16
from ..model import Clip

# G major, equal temperament (Hz)
G3, G4, B4, D5, G5 = 196.00, 392.00, 493.88, 587.33, 783.99

_HARMONICS = ((1, 1.0), (2, 0.35), (3, 0.12), (4, 0.06))  # (multiple, level)
_PEAK = 0.5  # -6 dBFS: the mix sets the real level


@functools.cache
def intro(rate: int) -> Clip:
    """Rising arpeggio, about 2.4 s: the episode starts."""
    notes = [(0.00, G4, 0.9), (0.16, B4, 0.8), (0.32, D5, 0.8), (0.48, G5, 1.0)]
    chord = [(0.48, G4, 0.35), (0.48, D5, 0.3)]  # the top note lands on a chord
    return _render(notes + chord, rate, seconds=2.4)


@functools.cache
def outro(rate: int) -> Clip:
    """Falling arpeggio that resolves on the tonic, about 2.8 s: the episode ends."""
    notes = [(0.00, G5, 0.8), (0.18, D5, 0.8), (0.36, B4, 0.8), (0.60, G4, 1.0)]
    chord = [(0.60, G3, 0.45), (0.60, D5, 0.25)]
    return _render(notes + chord, rate, seconds=2.8)


def _render(notes: list[tuple[float, float, float]], rate: int, seconds: float) -> Clip:
    n = int(round(seconds * rate))
    out = np.zeros(n)
    for start, freq, level in notes:
        at = int(round(start * rate))
        tone = _note(freq, rate, n - at)
        out[at:] += level * tone
    out = _room(out, rate)
    out *= _fades(n, rate, fade_in=0.005, fade_out=0.5)
    out *= _PEAK / np.max(np.abs(out))
    return Clip(to_s16(out), rate)


def _note(freq: float, rate: int, n: int) -> np.ndarray:
    """One bell-like note: harmonics over an exponential decay, soft 12 ms attack."""
    t = np.arange(n) / rate
    tone = np.zeros(n)
    for multiple, level in _HARMONICS:
        f = freq * multiple
        if f >= rate / 2:
            continue
        decay = 0.9 / multiple  # upper harmonics fade first, so the note mellows
        tone += level * np.exp(-t / decay) * np.sin(2 * np.pi * f * t)
    attack = min(n, int(0.012 * rate))
    tone[:attack] *= 0.5 - 0.5 * np.cos(np.pi * np.arange(attack) / attack)
    return tone


def _room(x: np.ndarray, rate: int, wet: float = 0.18, tail: float = 0.8) -> np.ndarray:
    """A little reverb: convolution with seeded noise under an exponential decay."""
    rng = np.random.default_rng(1729)
    m = int(tail * rate)
    ir = rng.standard_normal(m) * np.exp(-np.arange(m) / (0.18 * rate))
    ir /= np.sqrt(np.sum(ir * ir))
    reverb = fftconvolve(x, ir)[: len(x)]
    return (1 - wet) * x + wet * reverb


def _fades(n: int, rate: int, fade_in: float, fade_out: float) -> np.ndarray:
    env = np.ones(n)
    a, b = min(n, int(fade_in * rate)), min(n, int(fade_out * rate))
    env[:a] = np.linspace(0, 1, a, endpoint=False)
    env[n - b :] *= np.cos(np.linspace(0, np.pi / 2, b)) ** 2
    return env
