"""The few signal kernels mixing and mastering use, without importing `scipy.signal` or `scipy.ndimage`.

Importing those packages costs about 1.3 s of CPU (SciPy rewrites every public function's
docstring as it loads), more than re-rendering an episode after an edit. Every build that
renders would pay it, for five functions. So we call SciPy's own compiled kernels, loaded on
their own, with the same arguments the public functions pass them: the numbers are the same to
the bit (`tests/test_kernels.py` holds each one against SciPy's public function). Those
kernels are SciPy's private API, so they are called only under the SciPy versions that test was
run against (`CHECKED`); under any other, or should a SciPy lay them out otherwise, the public
functions are used instead.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import math
import sys
from pathlib import Path
from types import ModuleType

import numpy as np

CHECKED = ("1.17.",)  # SciPy versions whose kernels tests/test_kernels.py found to give the public numbers
_REFLECT = 2  # scipy.ndimage's code for mode="reflect", its filters' default


def _kernel(package: str, name: str) -> ModuleType | None:
    """scipy.<package>.<name>, a compiled module, loaded without running scipy.<package>/__init__.py."""
    full = f"scipy.{package}.{name}"
    if f"scipy.{package}" in sys.modules:  # already paid for: the ordinary module
        return importlib.import_module(full)
    try:
        import scipy

        if not scipy.__version__.startswith(CHECKED):
            return None
        folder = Path(scipy.__file__).parent / package
        found = [p for suffix in importlib.machinery.EXTENSION_SUFFIXES for p in folder.glob(name + suffix)]
        loader = importlib.machinery.ExtensionFileLoader(full, str(found[0]))
        spec = importlib.util.spec_from_file_location(full, found[0], loader=loader)
        module = importlib.util.module_from_spec(spec)
        loader.exec_module(module)
        return module
    except Exception:  # noqa: BLE001 - any other layout: the public functions instead
        return None


@functools.cache
def _sigtools() -> ModuleType | None:
    module = _kernel("signal", "_sigtools")
    return module if module is not None and hasattr(module, "_linear_filter") else None


@functools.cache
def _upfirdn() -> ModuleType | None:
    module = _kernel("signal", "_upfirdn_apply")
    return module if module is not None and all(hasattr(module, a) for a in ("_apply", "_output_len", "mode_enum")) else None


@functools.cache
def _nd_image() -> ModuleType | None:
    module = _kernel("ndimage", "_nd_image")
    return module if module is not None and all(hasattr(module, a) for a in ("min_or_max_filter1d", "uniform_filter1d")) else None


def lfilter(b: np.ndarray, a: np.ndarray, x: np.ndarray) -> np.ndarray:
    """`scipy.signal.lfilter(b, a, x)` for 1-D float64 `x` and a recursive filter (len(a) > 1)."""
    b, a, x = np.asarray(b, np.float64), np.asarray(a, np.float64), np.asarray(x, np.float64)
    kernels = _sigtools()
    if kernels is None or len(a) < 2:
        from scipy.signal import lfilter as public

        return public(b, a, x)
    return kernels._linear_filter(b, a, x, -1)


def resample_poly(x: np.ndarray, up: int, down: int, axis: int = 0) -> np.ndarray:
    """`scipy.signal.resample_poly(x, up, down, axis)` with its default Kaiser window and zero padding."""
    kernels = _upfirdn()
    if kernels is None:
        from scipy.signal import resample_poly as public

        return public(x, up, down, axis=axis)
    x = np.asarray(x)
    g = math.gcd(up, down)
    up, down = up // g, down // g
    if up == down == 1:
        return x.copy()
    n_in = x.shape[axis]
    n_out = n_in * up
    n_out = n_out // down + bool(n_out % down)
    max_rate = max(up, down)
    half_len = 10 * max_rate
    h = np.asarray(lowpass(2 * half_len + 1, 1.0 / max_rate), dtype=x.dtype if x.dtype.kind in "fc" else None)
    h *= up
    n_pre_pad = down - half_len % down
    n_post_pad = 0
    n_pre_remove = (half_len + n_pre_pad) // down
    while kernels._output_len(len(h) + n_pre_pad + n_post_pad, n_in, up, down) < n_out + n_pre_remove:
        n_post_pad += 1
    h = np.concatenate((np.zeros(n_pre_pad, dtype=h.dtype), h, np.zeros(n_post_pad, dtype=h.dtype)))
    y = _upfirdn_apply(kernels, h, x, up, down, axis)
    keep = [slice(None)] * x.ndim
    keep[axis] = slice(n_pre_remove, n_pre_remove + n_out)
    return y[tuple(keep)]


def _upfirdn_apply(kernels: ModuleType, h: np.ndarray, x: np.ndarray, up: int, down: int, axis: int) -> np.ndarray:
    """`scipy.signal.upfirdn(h, x, up, down, axis)` with zero padding (scipy.signal._upfirdn's steps)."""
    kind = np.result_type(h.dtype, x.dtype, np.float32)
    h = np.asarray(h, kind)
    flipped = np.zeros(len(h) + (-len(h) % up), kind)  # each phase of the filter, flipped
    flipped[: len(h)] = h
    flipped = np.ascontiguousarray(flipped.reshape(-1, up).T[:, ::-1].ravel())
    shape = np.asarray(x.shape, dtype=np.int64)
    shape[axis] = kernels._output_len(len(h), x.shape[axis], up, down)
    out = np.zeros(shape, dtype=kind, order="C")
    kernels._apply(np.asarray(x, kind), flipped, out, up, down, axis % x.ndim, kernels.mode_enum("constant"), 0)
    return out


@functools.cache
def _lowpass(numtaps: int, cutoff: float) -> np.ndarray:
    """`scipy.signal.firwin(numtaps, cutoff, window=("kaiser", 5.0))`, in its own steps (NumPy's i0
    and sinc are the ones SciPy's window and firwin reach for NumPy arrays)."""
    n = np.arange(0, numtaps, dtype=np.float64)
    middle = (numtaps - 1) / 2.0
    beta = 5.0
    window = np.i0(beta * np.sqrt(1 - ((n - middle) / middle) ** 2.0)) / np.i0(np.asarray(beta, dtype=np.float64))
    left, right = np.float64(0.0), np.float64(cutoff)
    m = np.arange(0, numtaps, dtype=np.float64) - 0.5 * (numtaps - 1)
    h = 0
    h += right * np.sinc(right * m)
    h -= left * np.sinc(left * m)
    h *= window
    h /= np.sum(h * np.cos(np.pi * m * 0.0))
    h.flags.writeable = False
    return h


def lowpass(numtaps: int, cutoff: float) -> np.ndarray:
    """A fresh copy of the windowed-sinc low-pass `resample_poly` designs."""
    return _lowpass(numtaps, cutoff).copy()


def _filter1d(which: str, x: np.ndarray, size: int) -> np.ndarray:
    x = np.asarray(x)
    kernels = _nd_image()
    if kernels is None:
        import scipy.ndimage

        return getattr(scipy.ndimage, f"{which}_filter1d")(x, size)
    if size < 1:
        raise RuntimeError("incorrect filter size")
    out = np.zeros(x.shape, dtype=x.dtype)
    if which == "uniform":
        kernels.uniform_filter1d(x, size, x.ndim - 1, out, _REFLECT, 0.0, 0)
    else:
        kernels.min_or_max_filter1d(x, size, x.ndim - 1, out, _REFLECT, 0.0, 0, 1 if which == "minimum" else 0)
    return out


def minimum_filter1d(x: np.ndarray, size: int) -> np.ndarray:
    """`scipy.ndimage.minimum_filter1d(x, size)` (last axis, mode "reflect")."""
    return _filter1d("minimum", x, size)


def maximum_filter1d(x: np.ndarray, size: int) -> np.ndarray:
    """`scipy.ndimage.maximum_filter1d(x, size)` (last axis, mode "reflect")."""
    return _filter1d("maximum", x, size)


def uniform_filter1d(x: np.ndarray, size: int) -> np.ndarray:
    """`scipy.ndimage.uniform_filter1d(x, size)` (last axis, mode "reflect")."""
    return _filter1d("uniform", x, size)


def fftconvolve(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """`scipy.signal.fftconvolve(x, y)` (full) for 1-D real arrays: the same transforms of the same
    5-smooth length, through NumPy's pocketfft."""
    full = len(x) + len(y) - 1
    n = _smooth(full)
    return np.fft.irfft(np.fft.rfft(x, n) * np.fft.rfft(y, n), n)[:full]


def _smooth(n: int) -> int:
    """The least 2^a 3^b 5^c >= n (`scipy.fft.next_fast_len(n, real=True)`)."""
    best, p2 = None, 1
    while True:
        p3 = p2
        while True:
            p5 = p3
            while p5 < n:
                p5 *= 5
            best = p5 if best is None else min(best, p5)
            if p3 >= n:
                break
            p3 *= 3
        if p2 >= n:
            break
        p2 *= 2
    return best
