"""ID3v2.4 tags on a real exported episode, read back by mutagen and by ffmpeg."""

from __future__ import annotations

import shutil

import pytest
from mutagen.id3 import ID3, CTOCFlags, PictureType
from mutagen.mp3 import MP3

from audiogen.audio import ffmpeg, mix
from audiogen.config import AudioSettings
from audiogen.errors import AudiogenError
from audiogen.audio.tags import write_tags
from audiogen.transcript import transcript_text

COVER = b"\xff\xd8\xff\xe0fake jpeg bytes for the test\xff\xd9"


@pytest.fixture(scope="module")
def episode(lesson, tmp_path_factory):
    lines, clips = lesson
    audio = AudioSettings()
    m = mix.assemble(lines, clips, audio)
    path = tmp_path_factory.mktemp("tags") / "episode.mp3"
    mix.export_mp3(m, path, audio)
    return path, m, lines


def tag(path, m, lines, **changes):
    args = dict(
        title="1. 안전은 처음부터 · Engineered in",
        artist="audiogen",
        album="영어로 읽는 AI",
        date="2026-01-13",
        track=1,
        cover=COVER,
        cover_mime="image/jpeg",
        transcript_text=transcript_text(lines),
        chapters=m.chapters,
        duration_s=m.seconds,
    )
    args.update(changes)
    write_tags(path, **args)


def test_frames_read_back(episode, tmp_path):
    source, m, lines = episode
    path = tmp_path / "a.mp3"
    shutil.copy(source, path)
    tag(path, m, lines)
    tags = ID3(path)
    assert tags.version == (2, 4, 0)
    assert tags["TIT2"].text == ["1. 안전은 처음부터 · Engineered in"]
    assert tags["TPE1"].text == ["audiogen"] and tags["TALB"].text == ["영어로 읽는 AI"]
    assert tags["TCON"].text == ["Podcast"] and str(tags["TDRC"].text[0]) == "2026-01-13"
    assert tags["TRCK"].text == ["1"]
    (apic,) = tags.getall("APIC")
    assert apic.type == PictureType.COVER_FRONT and apic.mime == "image/jpeg" and apic.data == COVER
    (uslt,) = tags.getall("USLT")
    assert uslt.lang == "kor" and uslt.text == transcript_text(lines)
    chaps = sorted(tags.getall("CHAP"), key=lambda c: c.start_time)
    assert [c.element_id for c in chaps] == [f"ch{i}" for i in range(len(m.chapters))]
    assert [c.sub_frames["TIT2"].text[0] for c in chaps] == [c.title for c in m.chapters]
    assert [c.start_time for c in chaps] == [round(c.start * 1000) for c in m.chapters]
    for a, b in zip(chaps, chaps[1:]):
        assert a.end_time == b.start_time
    assert chaps[-1].end_time == round(m.seconds * 1000)
    (toc,) = tags.getall("CTOC")
    assert toc.flags == CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED
    assert toc.child_element_ids == [c.element_id for c in chaps]
    info = MP3(path).info  # still a valid MP3 behind the tag
    assert info.length == pytest.approx(m.seconds, abs=0.1)


def test_ffmpeg_reads_chapters_and_title(episode, tmp_path):
    source, m, lines = episode
    path = tmp_path / "b.mp3"
    shutil.copy(source, path)
    tag(path, m, lines)
    meta = ffmpeg.run(["-i", str(path), "-f", "ffmetadata", "-"]).stdout.decode("utf-8")
    assert meta.count("[CHAPTER]") == len(m.chapters)
    for chapter in m.chapters:
        assert f"title={chapter.title}" in meta
    assert "title=1. 안전은 처음부터 · Engineered in" in meta


def test_tags_are_deterministic_and_replace_old_ones(episode, tmp_path):
    source, m, lines = episode
    a, b = tmp_path / "a.mp3", tmp_path / "b.mp3"
    shutil.copy(source, a)
    shutil.copy(source, b)
    tag(a, m, lines)
    tag(b, m, lines, title="old title", cover=None, track=None)
    tag(b, m, lines)  # retagging a tagged file gives the same bytes as tagging a fresh one
    assert a.read_bytes() == b.read_bytes()
    tags = ID3(b)
    assert len(tags.getall("TIT2")) == 1 and len(tags.getall("CHAP")) == len(m.chapters)
    assert a.stat().st_size > source.stat().st_size  # the caller must take the size after tagging


def test_optional_frames_and_errors(episode, tmp_path):
    source, m, lines = episode
    path = tmp_path / "c.mp3"
    shutil.copy(source, path)
    tag(path, m, lines, cover=None, track=None, chapters=[])
    tags = ID3(path)
    assert not tags.getall("APIC") and not tags.getall("TRCK") and not tags.getall("CHAP") and not tags.getall("CTOC")
    with pytest.raises(AudiogenError, match="missing.mp3"):
        tag(tmp_path / "missing.mp3", m, lines)
