"""Mastering: the finished episode brought to the podcast loudness target under a true-peak ceiling.

Our own gain and look-ahead limiter rather than ffmpeg's two-pass loudnorm,
which measured 4 s per 5 minutes of audio here, too slow for a 50x-real-time
build. An episode is mostly silence and repeats its quotes, so everything
works on islands of sound between silences, each distinct one once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .kernels import minimum_filter1d, resample_poly, uniform_filter1d
from .loudness import SILENCE_LUFS, k_weighted, lufs, lufs_from_steps, step_samples
from .pcm import to_s16

LIMITER_ATTACK = 0.008  # seconds of smoothing on the limiter's gain
ISLAND_GAP = 0.1  # seconds of digital silence that nothing in mastering reaches across
ISLAND_PAD = 32  # zero samples kept around an island, where its inter-sample peaks may still ring


@dataclass
class _Island:
    """One distinct stretch of sound and every place it occurs in the episode."""

    x: np.ndarray  # float samples, with ISLAND_PAD zeros on each side
    starts: list[int]  # where x[0] lies in the episode (before 0 for sound at the very start)
    peaks: np.ndarray | None = None


def islands(pcm: np.ndarray, rate: int) -> list[tuple[int, int]]:
    """[start, stop) of each stretch of sound with at least ISLAND_GAP of digital silence around it.

    Sound is found on 10 ms blocks, then the ends are refined to the first
    and last nonzero sample, so the same clip gives the same samples wherever
    it lies.
    """
    n = len(pcm)
    blk = max(1, rate // 100)
    blocks = -(-n // blk)
    padded = np.zeros(blocks * blk, dtype=pcm.dtype)
    padded[:n] = pcm
    loud = np.flatnonzero(padded.reshape(blocks, blk).any(axis=1))
    if len(loud) == 0:
        return []
    quiet = -(-int(round(ISLAND_GAP * rate)) // blk)  # whole silent blocks that separate two islands
    breaks = np.flatnonzero(np.diff(loud) > quiet)
    firsts = loud[np.concatenate(([0], breaks + 1))]
    lasts = loud[np.concatenate((breaks, [len(loud) - 1]))]
    out = []
    for first, last in zip(firsts.tolist(), lasts.tolist()):
        start = first * blk + int(np.flatnonzero(padded[first * blk : (first + 1) * blk])[0])
        stop = last * blk + int(np.flatnonzero(padded[last * blk : (last + 1) * blk])[-1]) + 1
        out.append((start, stop))
    return out


def _distinct_islands(pcm: np.ndarray, rate: int) -> list[_Island]:
    """The episode's islands, each distinct one once: a lesson repeats its quotes."""
    found: dict[bytes, _Island] = {}
    pad = ISLAND_PAD
    for start, stop in islands(pcm, rate):
        key = pcm[start:stop].tobytes()
        if key not in found:
            x = np.zeros(stop - start + 2 * pad)
            x[pad:-pad] = pcm[start:stop] / 32768.0
            found[key] = _Island(x, [])
        found[key].starts.append(start - pad)
    return list(found.values())


def _lay(found: Sequence[_Island], signals: Sequence[np.ndarray], n: int, dtype: str = "<i2") -> np.ndarray:
    """The episode: each island's signal at each of its places, silence elsewhere."""
    out = np.zeros(n, dtype=dtype)
    for island, y in zip(found, signals):
        y = np.frombuffer(to_s16(y), dtype="<i2") if dtype == "<i2" else y
        for start in island.starts:
            skip = max(0, -start)
            stop = min(n, start + len(y))
            out[start + skip : stop] = y[skip : stop - start]
    return out


def _loudness(found: Sequence[_Island], signals: Sequence[np.ndarray], n: int, rate: int) -> float:
    """Integrated loudness of the episode made of `signals`, each distinct island filtered once.

    K-weighting is linear, and its response to an island has decayed to
    1e-11 of its energy 50 ms after the island ends, so each island's
    K-weighted energy, filtered once with a ISLAND_GAP tail, is summed into
    the 100 ms gating steps at each of its places: the number `lufs` gives
    for the whole episode (within 1e-6 LU), without filtering every sample.
    """
    step = step_samples(rate)
    if step is None or n < 0.4 * rate:
        return lufs(_lay(found, signals, n, dtype="float64"), rate)
    steps = np.zeros(-(-n // step))
    tail = np.zeros(int(round(ISLAND_GAP * rate)))
    for island, y in zip(found, signals):
        z = k_weighted(np.concatenate((y, tail)), rate)
        energy = np.concatenate(([0.0], np.cumsum(z * z)))
        for start in island.starts:
            lo, hi = max(start, 0), min(start + len(z), n)
            k0, k1 = lo // step, (hi - 1) // step
            edges = np.clip(np.arange(k0, k1 + 2) * step, lo, hi) - start
            steps[k0 : k1 + 1] += np.diff(energy[edges])
    return lufs_from_steps(steps, n, rate)


def master(pcm: np.ndarray, rate: int, loudness: float, true_peak: float) -> np.ndarray:
    """s16 samples gained to `loudness` LUFS, limited so the true peak stays under `true_peak` dBTP.

    Gain, limiter and meter all act within ISLAND_GAP of the sound, so each
    distinct island of sound is mastered once and laid wherever it occurs.
    Limiting peaky speech costs loudness (eSpeak: about a third of the gain
    above the speech's own crest), so the gain is corrected with secant
    steps until the limited result is within 0.25 LU of the target. True
    peaks scale with the gain, so they are found once, for the range of
    gains the corrections may reach.
    """
    n = len(pcm)
    found = _distinct_islands(pcm, rate)
    current = _loudness(found, [island.x for island in found], n, rate)
    if current <= SILENCE_LUFS:
        return pcm
    ceiling = 10 ** (true_peak / 20)

    def find_peaks(top_db: float) -> None:
        for island in found:
            island.peaks = true_peaks(island.x, ceiling / 10 ** (top_db / 20))

    gain_db = loudness - current
    slack = 3.0  # dB the corrections may add before the true peaks must be found again
    find_peaks(gain_db + slack)
    base, tried = gain_db, []
    for _ in range(5):
        if gain_db > base + slack:
            base, slack = gain_db, slack + 2.0
            find_peaks(base + slack)
        gain = 10 ** (gain_db / 20)
        ys = [limit(island.x, island.peaks, rate, ceiling, gain) for island in found]
        got = _loudness(found, ys, n, rate)
        if abs(got - loudness) <= 0.25:
            break
        tried.append((gain_db, got))
        if len(tried) >= 2 and tried[-1][1] != tried[-2][1]:
            (g0, l0), (g1, l1) = tried[-2:]
            gain_db = g1 + (loudness - l1) * (g1 - g0) / (l1 - l0)
        else:
            gain_db += 1.5 * (loudness - got)  # limiting eats part of any gain added
        # a limiter that flattens the loudness makes the secant step huge (10 ** (gain_db / 20)
        # overflowed on a peaky trailer): a step is never more than STEP_DB from the last gain tried
        gain_db = min(max(gain_db, tried[-1][0] - STEP_DB), tried[-1][0] + STEP_DB)
    return _lay(found, ys, n)


STEP_DB = 12.0  # the most one correction of the gain may move it
_TP_BLOCK, _TP_PAD = 256, 16  # samples: the true-peak search works on blocks that come near the ceiling
_TP_HEADROOM = 10 ** (-2.5 / 20)


def true_peaks(x: np.ndarray, ceiling: float) -> np.ndarray:
    """Per-sample true peak as far as it matters for `ceiling`.

    Each value is the highest of the 4x oversampled values in [i, i+1), as
    BS.1770 measures it, where a block comes within 2.5 dB of the ceiling, and
    the sample itself elsewhere. Oversampling everything would be slow (a
    75M-sample array for 7 minutes); our audio is resampled from 22 or 24 kHz
    speech, so little lies near Nyquist: inter-sample peaks exceeded the
    samples by at most 1.9 dB in eSpeak speech (99.9 % under 1.2 dB), so a
    block more than 2.5 dB under the ceiling cannot reach it. Hot blocks are oversampled all at once, as
    rows of one array.
    """
    n, b, pad = len(x), _TP_BLOCK, _TP_PAD
    blocks = -(-n // b)
    x32 = np.zeros(blocks * b + 2 * pad, dtype=np.float32)  # float32: half the memory traffic, ample precision
    x32[pad : pad + n] = x
    peak = np.abs(x32[pad : pad + blocks * b]).reshape(blocks, b)
    hot = np.flatnonzero(peak.max(axis=1) > ceiling * _TP_HEADROOM)
    if len(hot):
        rows = x32[hot[:, None] * b + np.arange(b + 2 * pad, dtype=np.int64)[None, :]]
        over = np.abs(resample_poly(rows, 4, 1, axis=1))[:, 4 * pad : 4 * (pad + b)]
        peak[hot] = np.maximum(peak[hot], over.reshape(len(hot), b, 4).max(axis=2))
    return peak.reshape(-1)[:n].astype(np.float64)


_LIMIT_STEP = 32  # samples: the limiter's gain is computed on this grid and interpolated


def limit(x: np.ndarray, peaks: np.ndarray, rate: int, ceiling: float, gain: float = 1.0) -> np.ndarray:
    """`x * gain` through a look-ahead limiter that keeps `peaks * gain` under `ceiling`.

    The gain each 32-sample step needs is spread by a minimum filter twice as
    wide as the smoothing that follows, so the smoothed gain is never above
    what any step needs; back on samples it runs linearly between step edges,
    each no higher than the steps on either side: no overshoot, and no
    click from a sudden gain step.
    Working on the coarse grid keeps this a small fraction of the export.
    """
    y = x * gain
    n, c = len(x), _LIMIT_STEP
    steps = -(-n // c)
    need = np.minimum(1.0, ceiling / np.maximum(np.pad(peaks, (0, steps * c - n)).reshape(steps, c).max(axis=1) * gain, 1e-12))
    if need.min() >= 1.0:
        return y
    w = max(1, int(round(LIMITER_ATTACK * rate / c)))
    smooth = uniform_filter1d(minimum_filter1d(need, size=2 * w + 1), size=w)
    # gain at step edges, never above either neighbour; linear in between
    edge = np.minimum(np.concatenate(([1.0], smooth)), np.concatenate((smooth, [1.0])))
    t = np.arange(c) / c
    ramp = edge[:-1, None] + (edge[1:, None] - edge[:-1, None]) * t  # (steps, c)
    return y * ramp.reshape(-1)[:n]
