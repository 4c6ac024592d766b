"""The generated cover (real Pillow, real Noto Sans CJK) and checks on a user's cover."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from audiogen.errors import AudiogenError
from audiogen.feed.cover import check_cover, font, make_cover

TITLE = "영어로 읽는 AI 안전 이야기"


@pytest.fixture(scope="module")
def cover(tmp_path_factory):
    path = tmp_path_factory.mktemp("cover") / "cover.jpg"
    make_cover(TITLE, "Korean · English lessons", path)
    return path


def test_cover_is_what_apple_wants(cover):
    with Image.open(cover) as image:
        assert image.format == "JPEG" and image.size == (3000, 3000) and image.mode == "RGB"
    assert cover.stat().st_size < 1_000_000
    check_cover(cover)  # our own cover passes our own check
    assert [p.name for p in cover.parent.iterdir()] == ["cover.jpg"]  # no temp file left


def test_cover_is_deterministic(cover, tmp_path):
    again = tmp_path / "again.jpg"
    make_cover(TITLE, "Korean · English lessons", again)
    assert again.read_bytes() == cover.read_bytes()


def test_font_is_the_korean_face_and_has_hangul():
    f = font(100)
    family, _ = f.getname()
    assert family == "Noto Sans KR"
    tofu = np.asarray(f.getmask("\U000f0000"))  # a private-use code point: the .notdef box
    for word in ("한", "국어", "읽는"):
        glyph = np.asarray(f.getmask(word))
        assert glyph.size and glyph.any()
        assert glyph.shape != tofu.shape or not np.array_equal(glyph, tofu)
    # different Hangul gives different shapes; with a font lacking them both would be boxes
    assert not np.array_equal(np.asarray(f.getmask("가나다")), np.asarray(f.getmask("라마바")))


def test_korean_title_renders_on_the_cover(tmp_path):
    a, b = tmp_path / "a.jpg", tmp_path / "b.jpg"
    make_cover("가나다", "", a)
    make_cover("라마바", "", b)
    pa, pb = (np.asarray(Image.open(p).convert("L"), dtype=np.int16) for p in (a, b))
    assert np.abs(pa - pb).max() > 100  # the glyphs differ, so real Hangul was drawn
    white = (pa > 240).sum()
    assert white > 3000 * 3000 * 0.01  # big type: over 1 % of the cover is the title


def test_long_titles_wrap_inside_the_cover(tmp_path):
    path = tmp_path / "long.jpg"
    make_cover("인공지능 안전에 관한 아주 긴 제목이 들어와도 표지 안에 들어가야 합니다 " * 3, "부제", path)
    pixels = np.asarray(Image.open(path).convert("L"))
    assert (pixels[:, :150] > 240).sum() == 0 and (pixels[:, -150:] > 240).sum() == 0  # margins stay clear


def save(path, size, mode="RGB", fmt=None):
    Image.new(mode, size, "navy" if mode != "RGBA" else (0, 0, 128, 100)).save(path, fmt)
    return path


def test_check_cover_accepts_good_ones(tmp_path):
    check_cover(save(tmp_path / "ok.jpg", (1400, 1400)))
    check_cover(save(tmp_path / "ok.png", (3000, 3000)))


@pytest.mark.parametrize(
    "name, size, mode, fmt, message",
    [
        ("wide.jpg", (2000, 1500), "RGB", None, "square"),
        ("small.jpg", (1000, 1000), "RGB", None, "1400 to 3000"),
        ("huge.png", (3200, 3200), "RGB", None, "1400 to 3000"),
        ("anim.gif", (1400, 1400), "RGB", None, "JPEG or PNG"),
        ("alpha.png", (1400, 1400), "RGBA", None, "RGB without transparency"),
        ("print.jpg", (1400, 1400), "CMYK", None, "RGB without transparency"),
    ],
)
def test_check_cover_names_the_problem(tmp_path, name, size, mode, fmt, message):
    path = save(tmp_path / name, size, mode, fmt)
    with pytest.raises(AudiogenError, match=message) as error:
        check_cover(path)
    assert name in str(error.value)


def test_check_cover_missing_or_not_an_image(tmp_path):
    with pytest.raises(AudiogenError, match="not found"):
        check_cover(tmp_path / "nope.jpg")
    fake = tmp_path / "fake.jpg"
    fake.write_text("hello")
    with pytest.raises(AudiogenError, match="fake.jpg"):
        check_cover(fake)


def test_cover_bytes_are_the_file(cover):
    from audiogen.feed.cover import cover_bytes

    assert cover_bytes(TITLE, "Korean · English lessons") == cover.read_bytes()


# --- a cover made for embedding -------------------------------------------------------------


def heavy_png(path, pad_bytes: int = 0):
    """A 3000 px PNG of noise (it does not compress: ~27 MB), padded with a text chunk to the
    issue's 50 MB when asked: it passes check_cover, as the user's cover did."""
    from PIL import PngImagePlugin

    pixels = np.random.default_rng(7).integers(0, 256, (3000, 3000, 3), dtype=np.uint8)
    info = PngImagePlugin.PngInfo()
    if pad_bytes:
        info.add_text("padding", "x" * pad_bytes)
    Image.fromarray(pixels, "RGB").save(path, "PNG", pnginfo=info, compress_level=1)
    return path


@pytest.fixture(scope="module")
def heavy(tmp_path_factory):
    return heavy_png(tmp_path_factory.mktemp("heavy") / "heavy.png")


def test_a_heavy_cover_is_reencoded_for_the_feed(heavy, tmp_path):
    from audiogen.feed.cover import FEED_MAX_BYTES, fits_feed, for_feed

    data = heavy.read_bytes()
    assert len(data) > 20_000_000 and not fits_feed(data)
    check_cover(heavy)  # the shape was always fine; the weight was the problem
    feed = for_feed(data)
    assert len(feed) <= FEED_MAX_BYTES
    out = tmp_path / "feed.jpg"
    out.write_bytes(feed)
    with Image.open(out) as image:
        assert image.format == "JPEG" and image.mode == "RGB" and image.width == image.height
        assert 1400 <= image.width <= 3000
    check_cover(out)
    assert for_feed(data) == feed  # the same cover gives the same bytes


def test_the_embedded_copy_is_small_and_a_light_cover_keeps_its_size(heavy, cover):
    from audiogen.feed.cover import EMBED_MAX_BYTES, fits_feed, for_embedding

    small = for_embedding(heavy.read_bytes())
    assert len(small) <= EMBED_MAX_BYTES
    assert Image.open(__import__("io").BytesIO(small)).format == "JPEG"
    ours = cover.read_bytes()
    assert fits_feed(ours)  # the generated cover goes to the feed as drawn
    embedded = for_embedding(ours)
    assert len(embedded) <= EMBED_MAX_BYTES and embedded != ours
    assert Image.open(__import__("io").BytesIO(embedded)).size == (1400, 1400)


def test_a_50_mb_cover_never_travels_in_every_episode(tmp_path):
    """The issue's case end to end: the feed's cover is a JPEG under 500 KB, each MP3 carries
    a copy under 300 KB, and the episodes are as small as without a cover."""
    import subprocess
    import sys

    from helpers import MEETING_SEED
    from mutagen.id3 import ID3

    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    heavy_png(tmp_path / "art.png", pad_bytes=23_000_000)
    assert (tmp_path / "art.png").stat().st_size > 50_000_000
    (tmp_path / "podcast.toml").write_text("[show]\ntitle = '표지 시험'\ncover = 'art.png'\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "audiogen", "build", "seeds", "--out", "public", "--engine",
                           "espeak", "--cache", "cache", "--report", "r.json"], cwd=tmp_path,
                          capture_output=True, text=True, env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert proc.returncode == 0, proc.stderr
    public = tmp_path / "public"
    (published,) = public.glob("cover-*")
    assert published.suffix == ".jpg" and published.stat().st_size <= 500_000
    with Image.open(published) as image:
        assert image.format == "JPEG" and 1400 <= image.width == image.height <= 3000
    assert published.name in (public / "feed.xml").read_text(encoding="utf-8")
    report = __import__("json").loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    for e in report["episodes"]:
        mp3 = public / e["mp3"]
        (art,) = ID3(mp3).getall("APIC")
        assert art.mime == "image/jpeg" and len(art.data) <= 300_000
        assert mp3.stat().st_size < 3_000_000, (e["slug"], mp3.stat().st_size)
