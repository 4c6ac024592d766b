"""Mixing: a Script's lines and their clips become one PCM buffer, then an MP3.

Every clip is brought to one sample rate, trimmed of the silence engines
leave around speech, and matched in loudness, so a Korean eSpeak line and an
English gTTS line sound equally loud. Lines are laid end to end with gaps
that depend on the lesson's structure, and the buffer is joined once at the
end (joining in a loop is quadratic). Timings come from sample counts, so
each line's span is exact to the sample.

`export_mp3` then brings the whole episode to the podcast loudness target
with a gain and a true-peak limiter of our own (ffmpeg's two-pass loudnorm
measured 4 s per 5 minutes of audio here, too slow for a 50x-real-time
build) and encodes with the bundled ffmpeg, byte for byte reproducibly.
Mastering works on islands of sound between silences, each distinct one
once (a lesson repeats its quotes), and long episodes are encoded in
parallel pieces cut in silence.
"""

from __future__ import annotations

import functools
import math
import os
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d
from scipy.signal import resample_poly

from . import ffmpeg, stings
from .config import AudioSettings
from .errors import AudiogenError
from .loudness import SILENCE_LUFS, gain_to, k_weighted, lufs, step_samples, lufs_from_steps, to_float, to_s16
from .model import Chapter, Clip, Line, Span

SPEECH_LUFS = -23.0  # every clip is matched to this inside the mix (headroom for peaks)
STING_LUFS = -25.0  # stings sit a little under the voice
TRIM_BELOW_PEAK_DB = -40.0  # quieter than this, relative to the clip's peak, is silence
TRIM_MARGIN = 0.02  # seconds kept around the speech, so consonants are not clipped
TAIL = 0.5  # seconds of silence after the last line (MP3 padding must not eat the sting)

DUCK_DB = 6.0  # the music dips this much further while a voice speaks...
DUCK_CEILING_DB = -12.0  # ...and is never louder than this, relative to the voice, under speech
DUCK_RAMP = 0.25  # seconds: how gently the music dips and comes back
MUSIC_FADE_IN, MUSIC_FADE_OUT = 2.0, 3.0

TP_MARGIN = 0.5  # dB kept below the true-peak ceiling for the MP3 encoder's overshoot
LIMITER_ATTACK = 0.008  # seconds of smoothing on the limiter's gain
LAME_QUALITY = "7"  # ffmpeg -compression_level for libmp3lame (0 best ... 9 fastest): 7 encodes twice as fast as 5, no audible loss for speech at 96k

PART_TITLES = {
    "opening": "도입 · Opening",
    "narration": "본문 · Narration",
    "expressions": "핵심 표현 · Key expressions",
    "sentences": "핵심 문장 · Key sentences",
    "review": "복습 · Review",
    "recap": "정리 · Recap",
    "outro": "마무리 · Outro",
}


@dataclass(frozen=True)
class Mix(Clip):
    """One episode's audio before encoding: a clip that knows where each script line sits."""

    spans: list[Span]  # one per script line, in seconds
    chapters: list[Chapter]


def part_title(part: str) -> str:
    return PART_TITLES.get(part, part.replace("_", " ").capitalize())


# --- preparing clips ----------------------------------------------------------


def resample(x: np.ndarray, src: int, dst: int) -> np.ndarray:
    """Polyphase resampling (anti-aliased), exact in length: round(n * dst / src)."""
    if src == dst or len(x) == 0:
        return x
    g = math.gcd(src, dst)
    return resample_poly(x, dst // g, src // g)


def trim(x: np.ndarray, rate: int, below_peak_db: float = TRIM_BELOW_PEAK_DB, margin: float = TRIM_MARGIN) -> np.ndarray:
    """Cut leading and trailing silence, keeping `margin` seconds around the sound."""
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak == 0.0:
        return x[:0]
    loud = np.flatnonzero(np.abs(x) > peak * 10 ** (below_peak_db / 20))
    keep = int(round(margin * rate))
    return x[max(0, loud[0] - keep) : min(len(x), loud[-1] + 1 + keep)]


def prepare(clip: Clip, rate: int, target: float = SPEECH_LUFS, trim_silence: bool = True) -> np.ndarray:
    """A clip as float samples at `rate`, trimmed and at `target` LUFS."""
    x = to_float(clip.samples)
    if trim_silence:
        x = trim(x, clip.rate)
    gain = gain_to(x, clip.rate, target)  # measured at the source rate: cheaper, same result
    x = resample(x, clip.rate, rate) * gain
    peak = float(np.max(np.abs(x))) if len(x) else 0.0
    if peak > 0.99:  # a very peaky clip: give up a little loudness rather than clip
        x *= 0.99 / peak
    return x


# --- laying out an episode ---------------------------------------------------------


def assemble(
    lines: Sequence[Line],
    clips: Sequence[Clip | None],
    audio: AudioSettings,
    intro: Clip | None = None,
    outro: Clip | None = None,
    music: Clip | None = None,
) -> Mix:
    """Lay the lines end to end with their gaps; stings and music as asked.

    `clips[i]` is the speech for `lines[i]` (None for pauses and stings).
    Gaps: `audio.gap` between lines, `audio.part_gap` where the part changes;
    a pause line is exactly its `pause` seconds and replaces the gap. A sting
    before the first spoken line plays the intro, any other the outro.
    """
    if len(lines) != len(clips):
        raise ValueError(f"{len(lines)} lines but {len(clips)} clips")
    rate = audio.sample_rate
    first_spoken = next((i for i, line in enumerate(lines) if line.spoken), len(lines))
    ready = _Prepared(rate)

    def sting(which: str) -> np.ndarray:
        given = intro if which == "intro" else outro
        made = given if given is not None else (stings.intro(rate) if which == "intro" else stings.outro(rate))
        return ready(made, target=STING_LUFS, trim_silence=given is not None)

    placed: list[tuple[int, np.ndarray]] = []  # (where, s16 samples): laid into one buffer at the end
    spans: list[Span] = []
    pos = 0
    previous: Line | None = None  # the last line that made sound
    after_pause = False
    for i, (line, clip) in enumerate(zip(lines, clips)):
        if line.kind == "pause":
            n = int(round(line.pause * rate))
            spans.append(Span(pos / rate, (pos + n) / rate))
            pos += n
            after_pause = True
            continue
        if line.kind == "sting":
            sound = sting("intro" if i < first_spoken else "outro")
        elif clip is not None:
            sound = ready(clip)
        elif line.spoken:
            raise ValueError(f"line {i} ({line.kind}) is spoken but has no clip")
        else:
            sound = _NOTHING
        if previous is not None and not after_pause:
            gap = audio.part_gap if line.part != previous.part else audio.gap
            pos += int(round(gap * rate))
        placed.append((pos, sound))
        spans.append(Span(pos / rate, (pos + len(sound)) / rate))
        pos += len(sound)
        previous, after_pause = line, False
    pos += int(round(TAIL * rate))

    voice = np.zeros(pos, dtype="<i2")  # the one buffer: linear in the number of segments
    for at, sound in placed:
        voice[at : at + len(sound)] = sound
    if music is not None:
        bed = music_bed(music, len(voice), rate, [s for s, line in zip(spans, lines) if line.spoken], audio.music_db)
        voice = np.frombuffer(to_s16(to_float(voice.tobytes()) + bed), dtype="<i2")
    return Mix(voice.tobytes(), rate, spans, chapters(lines, spans))


_NOTHING = np.zeros(0, dtype="<i2")


class _Prepared:
    """`prepare` with s16 results, once per distinct clip: lessons repeat each quote several times."""

    def __init__(self, rate: int) -> None:
        self.rate = rate
        self.done: dict[tuple[bytes, int, float, bool], np.ndarray] = {}

    def __call__(self, clip: Clip, target: float = SPEECH_LUFS, trim_silence: bool = True) -> np.ndarray:
        key = (clip.samples, clip.rate, target, trim_silence)  # bytes hash once per object, then cached
        if key not in self.done:
            self.done[key] = np.frombuffer(to_s16(prepare(clip, self.rate, target, trim_silence)), dtype="<i2")
        return self.done[key]


def chapters(lines: Sequence[Line], spans: Sequence[Span]) -> list[Chapter]:
    """A chapter at the first line of each part."""
    out: list[Chapter] = []
    current = None
    for line, span in zip(lines, spans):
        if line.part != current:
            current = line.part
            out.append(Chapter(0.0 if not out else span.start, part_title(line.part)))
    return out


def music_bed(music: Clip, n: int, rate: int, speech: Sequence[Span], music_db: float) -> np.ndarray:
    """The music looped to `n` samples, faded in and out, ducked under speech."""
    x = prepare(music, rate, target=SPEECH_LUFS + music_db, trim_silence=False)
    if len(x) == 0:
        return np.zeros(n)
    bed = np.tile(x, -(-n // len(x)))[:n]
    talking = np.zeros(n)
    for span in speech:
        talking[int(span.start * rate) : int(math.ceil(span.end * rate))] = 1.0
    ramp = max(1, int(DUCK_RAMP * rate))
    # widen, then smooth: the dip is complete by the time the voice starts
    talking = uniform_filter1d(maximum_filter1d(talking, size=2 * ramp + 1), size=ramp)
    duck_db = min(music_db - DUCK_DB, DUCK_CEILING_DB) - music_db
    bed *= 10 ** (talking * duck_db / 20)
    bed *= _fade(n, int(MUSIC_FADE_IN * rate), int(MUSIC_FADE_OUT * rate))
    return bed


def _fade(n: int, fade_in: int, fade_out: int) -> np.ndarray:
    env = np.ones(n)
    a, b = min(n, fade_in), min(n, fade_out)
    env[:a] = np.linspace(0.0, 1.0, a, endpoint=False)
    env[n - b :] *= np.linspace(1.0, 0.0, b)
    return env


def plain_pydub_loop(segments: Sequence):
    """The naive way, `+` in a loop (quadratic): kept only for the benchmark."""
    from pydub import AudioSegment

    out = AudioSegment.empty()
    for seg in segments:
        out = out + seg
    return out


# --- the finished episode ---------------------------------------------------------


ISLAND_GAP = 0.1  # seconds of digital silence that nothing in mastering reaches across
_ISLAND_PAD = 32  # zero samples kept around an island, where its inter-sample peaks may still ring


@dataclass
class _Island:
    """One distinct stretch of sound and every place it occurs in the episode."""

    x: np.ndarray  # float samples, with _ISLAND_PAD zeros on each side
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
    pad = _ISLAND_PAD
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
    return _lay(found, ys, n)


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


def export_mp3(mix: Mix, path: Path, audio: AudioSettings) -> None:
    """Master the mix and encode it to `path` (written beside it, then moved into place)."""
    pcm = np.frombuffer(mix.samples, dtype="<i2")
    if mix.rate != audio.sample_rate:
        pcm = np.frombuffer(to_s16(resample(to_float(mix.samples), mix.rate, audio.sample_rate)), dtype="<i2")
    aim = audio.loudness - codec_gain_db(audio.bitrate, audio.sample_rate)
    mastered = memoryview(master(pcm, audio.sample_rate, aim, audio.true_peak - TP_MARGIN)).cast("B")
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".mp3.part", dir=path.parent)
    os.close(fd)
    try:
        encode(mastered, audio.sample_rate, audio.bitrate, Path(tmp), what=f"encoding {path.name}")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_FRAME = 1152  # samples in an MPEG-1 Layer III frame (32, 44.1 and 48 kHz)
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
        if any(frames is not None and _xing_frames(part) != frames for (_, _, frames), part in zip(pieces, parts)):
            _encode_one(pcm, rate, bitrate, dest, what)  # pragma: no cover - a LAME that frames otherwise
            return
        listing = Path(tmp) / "pieces.txt"
        listing.write_text("".join(f"file '{part.name}'\n" for part in parts), encoding="utf-8")
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
    count = min(_cores(), 4)
    if count < 2 or n < _PARALLEL_MIN * rate:
        return []
    found = islands(pcm, rate)
    pieces: list[tuple[int, int, int | None]] = []
    start = 0
    for (_, stop), (following, _) in zip(found, found[1:]):
        if len(pieces) == count - 1 or stop < (len(pieces) + 1) * n // count:
            continue
        end = stop + _ISLAND_PAD  # a little silence after the sound, as in a one-piece encode
        frames = -(-(end - start) // _FRAME) + 1
        after = start + frames * _FRAME  # where the next piece must begin to decode in place
        if after + _ISLAND_PAD > following:
            continue  # the silence is too short to hide this piece's last frames
        pieces.append((start, end, frames))
        start = after
    pieces.append((start, n, None))
    return pieces


def _cores() -> int:
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


def decode_file(path: Path, rate: int) -> Clip:
    """Any audio file ffmpeg reads (the user's intro, outro or music), as s16le mono at `rate`."""
    path = Path(path)
    if not path.is_file():
        raise AudiogenError(f"audio file not found: {path}")
    proc = ffmpeg.run(
        ["-v", "error", "-i", str(path), "-map", "0:a:0", "-f", "s16le", "-ac", "1", "-ar", str(rate), "pipe:1"],
        what=f"{path}: not an audio file ffmpeg can read",
        check=False,
    )
    if proc.returncode != 0 or len(proc.stdout) < 2:
        raise AudiogenError(f"{path}: not an audio file ffmpeg can read ({ffmpeg.last_line(proc.stderr)})")
    return Clip(proc.stdout[: len(proc.stdout) // 2 * 2], rate)
