"""audiogen.audio.kernels: SciPy's compiled kernels loaded on their own give SciPy's public
functions' numbers to the bit, and rendering never imports scipy.signal or scipy.ndimage."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import numpy as np
import pyloudnorm

from audiogen.audio import loudness

# run in a fresh interpreter: in this one, another test may already have imported scipy.signal,
# and then the kernels module (rightly) takes the ordinary modules
SAME_BITS = textwrap.dedent("""
    import sys
    from types import SimpleNamespace
    import numpy as np
    from audiogen.audio import kernels

    rng = np.random.default_rng(7)
    x = rng.standard_normal(30011)
    rows = rng.standard_normal((9, 288)).astype(np.float32)
    steps = rng.random(5003)
    b, a = [1.5, -2.9, 1.4], [1.0, -1.99, 0.99]
    ratios = [(2, 1), (4, 1), (147, 80), (80, 147), (320, 147), (441, 160), (1, 2), (3, 3)]
    sizes = (1, 3, 11, 40)

    def results(k):
        return {
            "lfilter": k.lfilter(b, a, x),
            "resample": [k.resample_poly(x, up, down) for up, down in ratios],
            "rows": k.resample_poly(rows, 4, 1, axis=1),
            "short": k.resample_poly(x[:5], 2, 1),
            "minimum": [k.minimum_filter1d(steps, size) for size in sizes],
            "maximum": [k.maximum_filter1d(steps, size) for size in sizes],
            "uniform": [k.uniform_filter1d(steps, size) for size in sizes],
            "fft": k.fftconvolve(x, x[:7001]),
        }

    ours = results(kernels)
    assert not {"scipy.signal", "scipy.ndimage", "scipy.fft"} & set(sys.modules), "a public scipy module was imported"

    from scipy import ndimage, signal

    public = results(SimpleNamespace(**{name: getattr(signal, name, None) or getattr(ndimage, name) for name in (
        "lfilter", "resample_poly", "minimum_filter1d", "maximum_filter1d", "uniform_filter1d", "fftconvolve")}))
    for name in ours:
        got, want = ours[name], public[name]
        for g, w in zip(got, want) if isinstance(got, list) else [(got, want)]:
            assert g.dtype == w.dtype and np.array_equal(g, w), name
    print("same")
""")


def test_kernels_give_scipys_numbers_without_importing_scipy_signal():
    done = subprocess.run([sys.executable, "-c", SAME_BITS], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "same"


def test_resampling_filters_match_firwin_for_every_ratio_up_to_600():
    from scipy.signal import firwin

    from audiogen.audio.kernels import lowpass

    for top in range(2, 601):
        assert np.array_equal(lowpass(20 * top + 1, 1.0 / top), firwin(20 * top + 1, 1.0 / top, window=("kaiser", 5.0)))


def test_k_weighting_is_pyloudnorms_to_the_bit():
    for rate in (8000, 16000, 22050, 24000, 44100, 48000, 96000):
        shelf, high_pass = pyloudnorm.Meter(rate)._filters.values()
        b, a = loudness._k_weighting(rate)
        assert np.array_equal(b, np.convolve(shelf.b, high_pass.b))
        assert np.array_equal(a, np.convolve(shelf.a, high_pass.a))


def test_rendering_an_episode_imports_no_public_scipy_signal_module(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from pathlib import Path
        from audiogen.audio import mix, stings
        from audiogen.config import AudioSettings
        from audiogen.model import Line
        from audiogen.tts.espeak import EspeakEngine

        clip = EspeakEngine().synthesize("A sentence to master.", "en", "en-us", 1.0)
        lines = [Line(kind="narration", lang="en", text="A sentence to master.")] * 3
        audio = AudioSettings()
        mixed = mix.assemble(lines, [clip] * 3, audio, intro=stings.intro(audio.sample_rate))
        mix.export_mp3(mixed, Path({str(tmp_path / "e.mp3")!r}), audio)
        print(sorted(m for m in sys.modules if m in ("scipy.signal", "scipy.ndimage", "scipy.fft", "pyloudnorm")))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
    assert (tmp_path / "e.mp3").stat().st_size > 0
