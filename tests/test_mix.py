"""The mixer, mastering and the MP3 export, on real eSpeak speech and the real ffmpeg."""

from __future__ import annotations

import dataclasses
import wave

import numpy as np
import pytest
from mutagen.id3 import ID3, ID3NoHeaderError
from mutagen.mp3 import MP3, BitrateMode

from audiogen.audio import encode, master, mix, stings
from audiogen.errors import AudiogenError
from audiogen.audio.loudness import lufs
from audiogen.audio.pcm import to_float, to_s16
from helpers import measure_file
from audiogen.model import Clip, Line

RATE = 44100


def frames(seconds: float) -> float:
    return seconds * RATE


def is_whole(x: float) -> bool:
    return abs(x - round(x)) < 1e-6


def test_spans_are_exact_ordered_and_gapped_by_structure(lesson, audio):
    lines, clips = lesson
    m = mix.assemble(lines, clips, audio)
    assert m.rate == RATE and len(m.spans) == len(lines)
    for span in m.spans:
        assert is_whole(frames(span.start)) and is_whole(frames(span.end))  # exact to the sample
        assert span.end >= span.start
    for a, b in zip(m.spans, m.spans[1:]):
        assert b.start >= a.end
    for prev, line, a, b in zip(lines, lines[1:], m.spans, m.spans[1:]):
        gap = round(frames(b.start - a.end))
        if line.kind == "pause" or prev.kind == "pause":
            want = 0  # a pause is the gap
        elif line.part != prev.part:
            want = round(audio.part_gap * RATE)
        else:
            want = round(audio.gap * RATE)
        if round(frames(b.start)) in m.piece_starts:  # a piece starts here: on the next frame of the MP3
            assert want <= gap < want + encode.FRAME and round(frames(b.start)) % encode.FRAME == 0
        else:
            assert gap == want
    assert all(p in [round(frames(s.start)) for s in m.spans] for p in m.piece_starts)
    assert len(m.piece_starts) >= len({line.part for line in lines}) - 1  # at least every part starts one
    for line, span in zip(lines, m.spans):
        if line.kind == "pause":
            assert round(frames(span.end - span.start)) == round(line.pause * RATE)
    assert m.spans[0].start == 0.0
    assert m.seconds == pytest.approx(m.spans[-1].end + mix.TAIL, abs=1 / RATE)


def test_spans_hold_the_sound_and_gaps_are_silent(lesson, audio):
    lines, clips = lesson
    m = mix.assemble(lines, clips, audio)
    x = np.frombuffer(m.samples, dtype="<i2")
    for line, span in zip(lines, m.spans):
        part = x[round(frames(span.start)) : round(frames(span.end))]
        if line.kind == "pause":
            assert not part.any()
        else:  # speech or sting: loud somewhere, and trimmed, so sound lies near both ends
            assert np.abs(part).max() > 3000
            edge = int(0.15 * RATE)
            assert np.abs(part[:edge]).max() > 300 and np.abs(part[-edge:]).max() > 30
    for a, b in zip(m.spans, m.spans[1:]):
        assert not x[round(frames(a.end)) : round(frames(b.start))].any()


def test_stings_open_and_close(lesson, audio):
    lines, clips = lesson
    m = mix.assemble(lines, clips, audio)
    first, last = m.spans[0], m.spans[-1]
    assert round(frames(first.end - first.start)) == stings.intro(RATE).frames
    assert round(frames(last.end - last.start)) == stings.outro(RATE).frames


def test_user_stings_replace_the_made_ones(lesson, audio, speech):
    lines, clips = lesson
    own = speech["en2"]
    m = mix.assemble(lines, clips, audio, intro=own, outro=own)
    expected = len(mix.prepare(own, RATE, target=mix.STING_LUFS))
    assert round(frames(m.spans[0].end - m.spans[0].start)) == expected
    assert round(frames(m.spans[-1].end - m.spans[-1].start)) == expected


def test_chapters_at_each_part(lesson, audio):
    lines, clips = lesson
    m = mix.assemble(lines, clips, audio)
    titles = [c.title for c in m.chapters]
    assert titles == ["도입 · Opening", "본문 · Narration", "핵심 표현 · Key expressions", "핵심 문장 · Key sentences", "정리 · Recap", "마무리 · Outro"]
    firsts = [i for i, line in enumerate(lines) if i == 0 or line.part != lines[i - 1].part]
    assert [c.start for c in m.chapters] == [m.spans[i].start for i in firsts]
    assert m.chapters[0].start == 0.0


def test_trim_cuts_padding_and_keeps_a_margin(speech):
    clip = speech["ko"]
    x = to_float(clip.samples)
    threshold = np.abs(x).max() * 10 ** (mix.TRIM_BELOW_PEAK_DB / 20)
    loud = np.flatnonzero(np.abs(x) > threshold)
    sound = x[loud[0] : loud[-1] + 1]
    padded = np.concatenate([np.zeros(clip.rate), sound, np.zeros(2 * clip.rate)])
    trimmed = mix.trim(padded, clip.rate)
    margin = round(mix.TRIM_MARGIN * clip.rate)
    assert len(trimmed) == margin + len(sound) + margin
    assert np.array_equal(trimmed[margin:-margin], sound)
    assert len(mix.trim(np.zeros(500), clip.rate)) == 0


def test_resampling_keeps_duration_and_pitch(speech):
    clip = speech["en"]
    for rate in (44100, 48000, 24000):
        y = mix.resample(to_float(clip.samples), clip.rate, rate)
        assert abs(len(y) / rate - clip.seconds) < 1 / clip.rate
    t = np.arange(24000) / 24000
    tone = np.sin(2 * np.pi * 440 * t)
    up = mix.resample(tone, 24000, 44100)
    spectrum = np.abs(np.fft.rfft(up))
    assert np.fft.rfftfreq(len(up), 1 / 44100)[spectrum.argmax()] == pytest.approx(440, abs=1.5)


def test_five_hundred_segments(speech, audio):
    lines, clips = [], []
    for i in range(500):
        if i % 7 == 3:
            lines.append(Line("pause", None, pause=0.5, part="review"))
            clips.append(None)
        else:
            key = ("ko", "en", "ko2", "en2")[i % 4]
            lines.append(Line("narration", key[:2], "x", part="review"))
            clips.append(speech[key])
    m = mix.assemble(lines, clips, audio)
    assert len(m.spans) == 500
    assert all(b.start >= a.end for a, b in zip(m.spans, m.spans[1:]))
    assert m.frames == round(frames(m.spans[-1].end)) + round(mix.TAIL * RATE)


def test_music_bed_ducks_under_speech(lesson, audio):
    lines, clips = lesson
    t = np.arange(3 * RATE) / RATE
    chord = sum(np.sin(2 * np.pi * f * t) for f in (220.0, 277.2, 329.6)) * 0.2
    music = Clip(to_s16(chord), RATE)
    dry = to_float(mix.assemble(lines, clips, audio).samples)
    wet_mix = mix.assemble(lines, clips, audio, music=music)
    bed = to_float(wet_mix.samples) - dry  # the music alone (mixing is addition)
    assert len(bed) == len(dry)

    def db(x):
        return 10 * np.log10(np.mean(x * x) + 1e-20)

    voiced = [(line, s) for line, s in zip(lines, wet_mix.spans) if line.spoken and s.end - s.start > 1.0]
    for _, span in voiced:
        a, b = round(frames(span.start + 0.3)), round(frames(span.end - 0.3))
        assert db(dry[a:b]) - db(bed[a:b]) >= 12  # at least 12 dB under the voice
    pause = next(s for line, s in zip(lines, wet_mix.spans) if line.kind == "pause" and line.pause >= 2)
    a, b = round(frames(pause.start + 0.6)), round(frames(pause.end - 0.6))
    inside = [db(bed[round(frames(s.start + 0.3)) : round(frames(s.end - 0.3))]) for _, s in voiced]
    assert db(bed[a:b]) > max(inside) + 3  # louder when nobody speaks
    assert np.abs(bed[: RATE // 10]).max() < np.abs(bed[a:b]).max() / 5  # faded in


def test_export_meets_loudness_and_format(lesson, audio, tmp_path):
    lines, clips = lesson
    m = mix.assemble(lines, clips, audio)
    path = tmp_path / "episode.mp3"
    mix.export_mp3(m, path, audio)
    measured = measure_file(path)
    assert abs(measured.integrated - audio.loudness) <= 1.0
    assert measured.true_peak <= -1.0
    assert measured.true_peak <= audio.true_peak + 0.3
    info = MP3(path).info
    assert info.channels == 1 and info.sample_rate == 44100
    assert info.bitrate == 96000 and info.bitrate_mode in (BitrateMode.CBR, BitrateMode.UNKNOWN)
    decoded = mix.decode_file(path, 44100)
    assert decoded.seconds == pytest.approx(m.seconds, abs=0.06)
    with pytest.raises(ID3NoHeaderError):
        ID3(path)  # ffmpeg wrote no tags of its own
    assert [p.name for p in tmp_path.iterdir()] == ["episode.mp3"]  # no temp file left behind


def test_export_at_other_settings(speech, tmp_path):
    quiet = dataclasses.replace(mix_settings(), loudness=-20.0, true_peak=-2.0, bitrate="128k", sample_rate=48000)
    lines = [Line("narration", "ko", "x", part="narration"), Line("quote", "en", "y", part="narration")]
    m = mix.assemble(lines, [speech["ko2"], speech["en"]], quiet)
    path = tmp_path / "quiet.mp3"
    mix.export_mp3(m, path, quiet)
    measured = measure_file(path)
    assert abs(measured.integrated + 20.0) <= 1.0 and measured.true_peak <= -1.5
    info = MP3(path).info
    assert info.sample_rate == 48000 and info.bitrate == 128000


def mix_settings():
    from audiogen.config import AudioSettings

    return AudioSettings()


def test_export_is_deterministic(lesson, audio, tmp_path):
    lines, clips = lesson
    a, b = tmp_path / "a.mp3", tmp_path / "b.mp3"
    mix.export_mp3(mix.assemble(lines, clips, audio), a, audio)
    mix.export_mp3(mix.assemble(lines, clips, audio), b, audio)
    assert a.read_bytes() == b.read_bytes()


def test_limiter_never_overshoots():
    rng = np.random.default_rng(3)
    x = rng.standard_normal(RATE * 3) * 0.05
    x[RATE : RATE + 50] *= 24  # a burst far above the ceiling
    ceiling = 10 ** (-2 / 20)
    peaks = master.true_peaks(x * 2, ceiling)
    y = master.limit(x, peaks / 2, RATE, ceiling, gain=2.0)
    assert master.true_peaks(y, 0.0).max() <= ceiling * 1.0001
    quiet = slice(2 * RATE, 3 * RATE)  # far from the burst, the gain is untouched
    assert np.allclose(y[quiet], x[quiet] * 2)


def test_decode_file_reads_audio_and_names_bad_files(speech, tmp_path):
    clip = speech["en"]
    wav = tmp_path / "intro.wav"
    with wave.open(str(wav), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(clip.rate)
        w.writeframes(clip.samples)
    decoded = mix.decode_file(wav, 44100)
    assert decoded.rate == 44100 and decoded.seconds == pytest.approx(clip.seconds, abs=0.01)
    with pytest.raises(AudiogenError, match="missing.mp3"):
        mix.decode_file(tmp_path / "missing.mp3", 44100)
    text = tmp_path / "music.mp3"
    text.write_text("this is not music")
    with pytest.raises(AudiogenError, match="music.mp3"):
        mix.decode_file(text, 44100)


def test_stings_are_musical_and_deterministic():
    for make, rising in ((stings.intro, True), (stings.outro, False)):
        clip = make(RATE)
        assert 2.0 <= clip.seconds <= 3.0
        assert make(RATE).samples == clip.samples
        x = to_float(clip.samples)
        assert abs(x[0]) < 0.01 and np.abs(x[-100:]).max() < 0.01  # faded in and out

        def pitch(a, b):
            seg = x[int(a * RATE) : int(b * RATE)]
            spec = np.abs(np.fft.rfft(seg * np.hanning(len(seg))))
            return np.fft.rfftfreq(len(seg), 1 / RATE)[spec.argmax()]

        start, later = pitch(0.0, 0.15), pitch(0.7, 0.95)
        assert (later > start * 1.5) if rising else (later < start / 1.5)
        spec = np.abs(np.fft.rfft(x))
        strong = spec > spec.max() * 0.05
        bands = np.count_nonzero(np.diff(strong.astype(int)) == 1)
        assert bands >= 4  # several notes and harmonics, not a bare beep
    assert stings.intro(RATE).samples != stings.outro(RATE).samples


def test_codec_gain_constants_match_the_bundled_encoder():
    for (bitrate, rate), known in encode.CODEC_GAIN_DB.items():
        if rate in (44100, 24000):  # two ffmpeg runs each: the default and gTTS's rate
            assert encode.measure_codec_gain_db(bitrate, rate) == pytest.approx(known, abs=0.01), (bitrate, rate)
    assert encode.codec_gain_db("192k", 44100) == encode.measure_codec_gain_db("192k", 44100)  # unknown: measured


def test_islands_are_sound_between_long_silences():
    x = np.zeros(RATE * 3, dtype="<i2")
    x[1000:5000] = 7
    x[5000 + int(0.05 * RATE) : 9000 + int(0.05 * RATE)] = -3  # 50 ms later: the same island
    x[RATE : RATE + 10] = 1
    x[-1] = 2
    got = master.islands(x, RATE)
    assert got == [(1000, 9000 + int(0.05 * RATE)), (RATE, RATE + 10), (len(x) - 1, len(x))]
    assert master.islands(np.zeros(RATE, dtype="<i2"), RATE) == []


def test_mastering_by_islands_measures_and_limits_the_whole(lesson, audio):
    """Each distinct island is mastered once; the episode must not differ from mastering it whole."""
    lines, clips = lesson
    m = mix.assemble(lines + lines, clips + clips, audio)  # every island twice
    pcm = np.frombuffer(m.samples, dtype="<i2")
    found = master._distinct_islands(pcm, RATE)
    assert sum(len(i.starts) for i in found) == len(master.islands(pcm, RATE)) > len(found)
    whole = to_float(m.samples)
    assert master._loudness(found, [i.x for i in found], len(pcm), RATE) == pytest.approx(lufs(whole, RATE), abs=1e-6)
    out = master.master(pcm, RATE, -17.0, -2.0)
    assert len(out) == len(pcm) and lufs(to_float(out.tobytes()), RATE) == pytest.approx(-17.0, abs=0.26)
    assert master.true_peaks(to_float(out.tobytes()), 0.0).max() <= 10 ** (-2 / 20) * 1.001
    assert np.array_equal(out == 0, pcm == 0)  # silence stays silence, sound stays where it was


def test_parallel_pieces_decode_in_place(lesson, audio, tmp_path, monkeypatch):
    """Pieces encoded apart and joined decode sample for sample where the one encode puts them."""
    lines, clips = lesson
    monkeypatch.setattr(encode, "_PARALLEL_MIN", 1.0)
    monkeypatch.setattr(encode, "cores", lambda: 3)
    pcm = master.master(np.frombuffer(mix.assemble(lines, clips, audio).samples, dtype="<i2"), RATE, -16.5, -2.0)
    pieces = encode._pieces(pcm, RATE)
    assert len(pieces) == 3 and pieces[0][0] == 0 and pieces[-1][1] == len(pcm)
    frames_before = 0
    for (_, end, frames), (start, _, _) in zip(pieces, pieces[1:]):
        frames_before += frames
        assert start == frames_before * 1152  # each piece starts on a frame of the whole
        assert not pcm[end:start].any()  # only silence is left out
    one, joined, again = tmp_path / "one.mp3", tmp_path / "joined.mp3", tmp_path / "again.mp3"
    encode._encode_one(pcm.tobytes(), RATE, "96k", one, "one")
    encode.encode(pcm.tobytes(), RATE, "96k", joined, "joined")
    encode.encode(pcm.tobytes(), RATE, "96k", again, "again")
    assert joined.read_bytes() == again.read_bytes()
    a = to_float(mix.decode_file(one, RATE).samples)
    b = to_float(mix.decode_file(joined, RATE).samples)
    assert len(a) == len(b) == len(pcm)  # one header: the first piece's delay, the last one's padding
    first = pieces[1][0] - 2000
    assert np.array_equal(a[:first], b[:first])  # the first piece is the one encode's start
    for start, end, _ in pieces[1:]:
        x, y = a[start:end], b[start:end]
        snr = 10 * np.log10(np.sum(x * x) / np.sum((x - y) ** 2))
        assert snr > 30, snr  # the same sound in the same place: only the encoder's noise differs
        shifted = 10 * np.log10(np.sum(x[1:] ** 2) / np.sum((x[1:] - y[:-1]) ** 2))
        assert shifted < snr - 10  # one sample off would show
    info = MP3(joined).info
    assert info.bitrate == 96000 and info.length == pytest.approx(MP3(one).info.length, abs=0.001)


@pytest.mark.parametrize("shape", ["clicks", "one burst"])
def test_a_piece_the_limiter_cannot_make_louder_is_mastered_not_an_overflow(shape):
    """Sparse clicks, or one short burst in silence: the limiter flattens the loudness whatever the
    gain, so the secant step between two tries grew without bound until 10 ** (gain / 20) overflowed
    (an internal error in a real build of a trailer). Each step is now bounded; the result is sound."""
    rate = 22050
    x = np.zeros(rate * 3)
    if shape == "clicks":
        x[:: rate // 3] = 0.9
    else:
        x[:200] = 0.99
    pcm = (x * 32767).astype(np.int16)
    out = master.master(pcm, rate, -16.0, -1.5)
    assert len(out) == len(pcm) and np.abs(out.astype(np.int32)).max() <= 32767
    assert lufs(to_float(out.tobytes()), rate) <= -16.0 + 0.5  # never louder than asked, however peaky
