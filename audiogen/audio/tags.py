"""ID3v2.4 tags for an episode: what a podcast app shows when it has only the file.

Title, show, cover, the full transcript (USLT) and chapters (CHAP + CTOC),
written with mutagen. The same input gives the same bytes: frames are
added in a fixed order and no padding or time-dependent field varies.
Tagging changes the file's size, so take the enclosure length afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from mutagen.id3 import (
    APIC,
    CHAP,
    CTOC,
    ID3,
    TALB,
    TCON,
    TDRC,
    TIT2,
    TPE1,
    TRCK,
    USLT,
    CTOCFlags,
    Encoding,
    ID3NoHeaderError,
    PictureType,
)

from ..errors import AudiogenError
from ..model import Chapter

MAX_COVER_BYTES = 300_000  # the cover travels in every episode: callers embed a small copy (feed.cover.for_embedding)
_PADDING = 1024  # fixed, so the bytes never depend on what was in the file before


def write_tags(
    path: Path,
    *,
    title: str,
    artist: str,
    album: str,
    genre: str = "Podcast",
    date: str,
    track: int | None,
    cover: bytes | None,
    cover_mime: str = "image/jpeg",
    transcript_text: str,
    chapters: Sequence[Chapter],
    duration_s: float,
    language: str = "kor",
) -> None:
    """Replace every tag in the MP3 at `path` with these (ID3v2.4, UTF-8)."""
    path = Path(path)
    if not path.is_file():
        raise AudiogenError(f"cannot tag {path}: no such file")
    if cover and len(cover) > MAX_COVER_BYTES:
        raise AudiogenError(f"cannot tag {path}: the cover to embed is {len(cover):,} bytes "
                            f"(at most {MAX_COVER_BYTES:,}; embed a small copy)")
    try:
        ID3(path).delete(path)  # start clean: nothing from an earlier run survives
    except ID3NoHeaderError:
        pass
    tags = ID3()
    utf8 = Encoding.UTF8
    tags.add(TIT2(encoding=utf8, text=[title]))
    tags.add(TPE1(encoding=utf8, text=[artist]))
    tags.add(TALB(encoding=utf8, text=[album]))
    tags.add(TCON(encoding=utf8, text=[genre]))
    if date:
        tags.add(TDRC(encoding=utf8, text=[date]))
    if track is not None:
        tags.add(TRCK(encoding=utf8, text=[str(track)]))
    if cover:
        tags.add(APIC(encoding=utf8, mime=cover_mime, type=PictureType.COVER_FRONT, desc="Cover", data=cover))
    tags.add(USLT(encoding=utf8, lang=language, desc="", text=transcript_text))
    _add_chapters(tags, chapters, duration_s)
    tags.save(path, v2_version=4, padding=lambda info: _PADDING)


def _add_chapters(tags: ID3, chapters: Sequence[Chapter], duration_s: float) -> None:
    """CHAP frames ch0, ch1, ... (each ends where the next starts) and an ordered top-level CTOC."""
    ordered = sorted(chapters, key=lambda c: c.start)
    if not ordered:
        return
    end_ms = int(round(duration_s * 1000))
    ids = [f"ch{i}" for i in range(len(ordered))]
    for i, chapter in enumerate(ordered):
        start = min(int(round(chapter.start * 1000)), end_ms)
        stop = int(round(ordered[i + 1].start * 1000)) if i + 1 < len(ordered) else end_ms
        tags.add(
            CHAP(
                element_id=ids[i],
                start_time=start,
                end_time=max(start, min(stop, end_ms)),
                start_offset=0xFFFFFFFF,  # "not used": times, not byte offsets
                end_offset=0xFFFFFFFF,
                sub_frames=[TIT2(encoding=Encoding.UTF8, text=[chapter.title])],
            )
        )
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=ids,
            sub_frames=[TIT2(encoding=Encoding.UTF8, text=["Chapters"])],
        )
    )
