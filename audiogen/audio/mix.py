"""Mixing: a Script's lines and their clips become one PCM buffer, then an MP3.

Every clip is brought to one sample rate, trimmed of the silence engines
leave around speech, and matched in loudness, so a Korean eSpeak line and an
English gTTS line sound equally loud. Lines are laid end to end with gaps
that depend on the lesson's structure, and the buffer is joined once at the
end (joining in a loop is quadratic). Timings come from sample counts, so
each line's span is exact to the sample.

`export_mp3` is the one way out: `parts` masters each part of the episode to its loudness
target (`master`) and encodes it (`encode`), keeping the encoded parts so an edit makes again
only the parts it changed.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import ffmpeg, stings
from ..config import AudioSettings
from . import parts
from .encode import FRAME, TP_MARGIN, codec_gain_db
from ..errors import AudiogenError
from ..files import replacing
from .kernels import maximum_filter1d, resample_poly, uniform_filter1d
from .loudness import gain_to
from .parts import PartStore
from .pcm import to_float, to_s16
from ..model import Chapter, Clip, Line, Span

SPEECH_LUFS = -23.0  # every clip is matched to this inside the mix (headroom for peaks)
STING_LUFS = -25.0  # stings sit a little under the voice
TRIM_BELOW_PEAK_DB = -40.0  # quieter than this, relative to the clip's peak, is silence
TRIM_MARGIN = 0.02  # seconds kept around the speech, so consonants are not clipped
TAIL = 0.5  # seconds of silence after the last line (MP3 padding must not eat the sting)

DUCK_DB = 6.0  # the music dips this much further while a voice speaks...
DUCK_CEILING_DB = -12.0  # ...and is never louder than this, relative to the voice, under speech
DUCK_RAMP = 0.25  # seconds: how gently the music dips and comes back
MUSIC_FADE_IN, MUSIC_FADE_OUT = 2.0, 3.0

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
    piece_starts: tuple[int, ...] = ()  # samples on the MP3 frame grid where a piece may start: each part, some lines


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
    starts: list[int] = []
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
        if previous is not None and (line.part != previous.part or _cut_before(line)):
            pos = -(-pos // FRAME) * FRAME  # on the frame grid: what follows can be encoded on its own
            starts.append(pos)
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
    return Mix(voice.tobytes(), rate, spans, chapters(lines, spans), tuple(starts))


_NOTHING = np.zeros(0, dtype="<i2")
CUT_EVERY = 12  # besides each part, about one line in this many starts a piece of its own (see `parts`)


def _cut_before(line: Line) -> bool:
    """Whether a piece may start at `line`: chosen by what the line says, not where it falls, so
    the pieces around an edited sentence are the same pieces in every render."""
    return line.spoken and zlib.crc32(f"{line.kind}\0{line.lang}\0{line.text}".encode()) % CUT_EVERY == 0


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


# --- the finished episode ---------------------------------------------------------


def export_mp3(mix: Mix, path: Path, audio: AudioSettings, store: PartStore | None = None) -> None:
    """Master the mix and encode it to `path` (written beside it, then moved into place), part by
    part: parts kept in `store` from an earlier render are joined as they were."""
    pcm = np.frombuffer(mix.samples, dtype="<i2")
    starts = list(mix.piece_starts)
    if mix.rate != audio.sample_rate:
        pcm = np.frombuffer(to_s16(resample(to_float(mix.samples), mix.rate, audio.sample_rate)), dtype="<i2")
        starts = []  # off the frame grid now
    aim = audio.loudness - codec_gain_db(audio.bitrate, audio.sample_rate)
    path = Path(path)
    with replacing(path, ".part") as tmp:
        parts.export(pcm, audio.sample_rate, starts, aim, audio.true_peak - TP_MARGIN, audio.bitrate, tmp,
                     what=f"encoding {path.name}", store=store)


def decode_file(path: Path, rate: int, max_seconds: float = 600.0) -> Clip:
    """Any audio file ffmpeg reads (the user's intro, outro or music), as s16le mono at `rate`;
    at most `max_seconds` of it, so a tiny file of hours of audio never fills memory
    (a music bed is looped, a sting is short)."""
    path = Path(path)
    if not path.is_file():
        raise AudiogenError(f"audio file not found: {path}")
    proc = ffmpeg.run(
        ["-v", "error", "-i", str(path), "-map", "0:a:0", "-t", f"{max_seconds:g}",
         "-f", "s16le", "-ac", "1", "-ar", str(rate), "pipe:1"],
        what=f"{path}: not an audio file ffmpeg can read",
        check=False,
    )
    if proc.returncode != 0 or len(proc.stdout) < 2:
        raise AudiogenError(f"{path}: not an audio file ffmpeg can read ({ffmpeg.last_line(proc.stderr)})")
    return Clip(proc.stdout[: len(proc.stdout) // 2 * 2], rate)
