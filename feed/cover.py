"""The show's cover: generated when the user gives none, checked when they do,
re-encoded when it is too heavy for the feed, and always a small copy in the MP3s.

Apple's rules (square, 1400-3000 px, JPEG or PNG, RGB without alpha) and a
phone's reality (the cover is seen at 60 px): one big bold title, wrapped to
fit, white on a deep gradient, with a small sound-wave motif. Korean must
render, so the type is Noto Sans KR (OFL), found through JustMyType's font
registry in its CJK font pack (both from pip, no system fonts needed).
Everything is drawn from the title and subtitle alone: the same words give
the same bytes.
"""

from __future__ import annotations

import functools
import io
import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from ..errors import AudiogenError
from ..files import write_atomically

SIZE = 3000
MARGIN = 260
TOP = (14, 30, 61)  # deep navy
BOTTOM = (11, 94, 104)  # dark teal
ACCENT = (255, 200, 87)  # amber
TEXT = (255, 255, 255)
SUBTEXT = (214, 232, 236)
MIN_SIDE, MAX_SIDE = 1400, 3000


@functools.cache
def font_path() -> str:
    """Noto Sans KR, a variable font: one file holds every weight."""
    from justmytype import FontRegistry

    found = FontRegistry().find_font(family="Noto Sans KR", weight=700)
    if found is None or not Path(found.path).is_file():
        raise AudiogenError("the Korean font is missing: pip install justmytype-intl-cjk")
    return str(found.path)


def font(size: int, weight: str = "Bold") -> ImageFont.FreeTypeFont:
    """Noto Sans KR at `size` px, in the named weight of the variable font."""
    f = ImageFont.truetype(font_path(), size)
    try:
        f.set_variation_by_name(weight)
    except (OSError, ValueError):  # no variation support in this FreeType: the default weight still renders
        pass
    return f


def wrap(text: str, f: ImageFont.FreeTypeFont, width: float) -> list[str]:
    """Greedy word wrap to `width` px; a word wider than a line is broken between characters."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        pieces = [word]
        if f.getlength(word) > width:  # e.g. a long Korean compound: break anywhere
            pieces, piece = [], ""
            for ch in word:
                if piece and f.getlength(piece + ch) > width:
                    pieces.append(piece)
                    piece = ""
                piece += ch
            pieces.append(piece)
        for piece in pieces:
            candidate = f"{current} {piece}" if current else piece
            if current and f.getlength(candidate) > width:
                lines.append(current)
                current = piece
            else:
                current = candidate
    if current:
        lines.append(current)
    return lines


def fit_title(title: str, width: int, height: int) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The largest bold size (440 px down) at which the title fits the box."""
    for size in range(440, 119, -20):
        f = font(size)
        lines = wrap(title, f, width)
        if len(lines) * size * 1.22 <= height:
            return f, lines
    f = font(120)
    lines = wrap(title, f, width)
    return f, lines[: int(height // (120 * 1.22))]


def make_cover(title: str, subtitle: str, path: Path) -> None:
    """Draw the cover to `path` as JPEG (written beside it, then moved into place)."""
    data = cover_bytes(title, subtitle)
    write_atomically(Path(path), data)


def cover_bytes(title: str, subtitle: str) -> bytes:
    """The cover as JPEG bytes: 3000x3000 RGB, title as big as fits, subtitle above it."""
    image = Image.fromarray(_gradient(SIZE), "RGB")
    draw = ImageDraw.Draw(image)
    width = SIZE - 2 * MARGIN

    # a thin accent rule and the subtitle at the top
    draw.rectangle([MARGIN, MARGIN, MARGIN + 360, MARGIN + 28], fill=ACCENT)
    small = font(120, "Medium")
    y = MARGIN + 100
    for line in wrap(subtitle, small, width)[:2]:
        draw.text((MARGIN, y), line, font=small, fill=SUBTEXT)
        y += 150

    # the title: as big as fits between the subtitle and the wave
    box_top, box_bottom = MARGIN + 480, SIZE - MARGIN - 620
    f, lines = fit_title(title.strip() or "audiogen", width, box_bottom - box_top)
    line_height = int(f.size * 1.22)
    y = box_top + (box_bottom - box_top - line_height * len(lines)) // 2
    for line in lines:
        draw.text((MARGIN, y), line, font=f, fill=TEXT)
        y += line_height

    _wave(draw, top=SIZE - MARGIN - 420, height=420, left=MARGIN, width=width)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, optimize=True)
    return out.getvalue()


def _gradient(size: int) -> np.ndarray:
    """A vertical gradient from TOP to BOTTOM, as uint8 RGB (rows computed once, then repeated)."""
    t = np.linspace(0.0, 1.0, size)[:, None]
    top, bottom = np.array(TOP, float), np.array(BOTTOM, float)
    rows = np.rint(top + (bottom - top) * t).astype(np.uint8)  # (size, 3)
    return np.ascontiguousarray(np.broadcast_to(rows[:, None, :], (size, size, 3)))


def _wave(draw: ImageDraw.ImageDraw, top: int, height: int, left: int, width: int) -> None:
    """Rounded bars whose heights follow a speech-like envelope: the 'audio' mark."""
    bars, gap = 48, 18
    bar = (width - gap * (bars - 1)) / bars
    middle = top + height / 2
    for i in range(bars):
        x = i / (bars - 1)
        level = 0.18 + 0.82 * abs(math.sin(3.1 * math.pi * x) * math.sin(1.3 * math.pi * x + 0.4)) * (0.55 + 0.45 * math.cos(9 * x) ** 2)
        h = max(bar, level * height)
        x0 = left + i * (bar + gap)
        colour = ACCENT if 0.3 <= x <= 0.62 else SUBTEXT
        draw.rounded_rectangle([x0, middle - h / 2, x0 + bar, middle + h / 2], radius=bar / 2, fill=colour)


FEED_MAX_BYTES = 500_000  # the feed's cover: what every app downloads once
EMBED_MAX_BYTES = 300_000  # the copy inside each MP3: paid again with every episode
_QUALITIES = (90, 80, 70, 60, 50, 40)


def fits_feed(data: bytes) -> bool:
    """A cover the feed can carry as it is: small enough (the shape is check_cover's)."""
    return len(data) <= FEED_MAX_BYTES


def for_feed(data: bytes) -> bytes:
    """The cover as the feed's standard JPEG: its own size within 1400-3000 px, scaled
    down only as far as needed to come under FEED_MAX_BYTES (a 50 MB PNG becomes a few
    hundred KB that every app can fetch)."""
    with _opened(data) as image:
        side = min(max(image.width, MIN_SIDE), MAX_SIDE)
        return _jpeg_within(image, [s for s in (side, 2000, MIN_SIDE) if s <= side], FEED_MAX_BYTES)


def for_embedding(data: bytes) -> bytes:
    """The small JPEG copy written into every episode's ID3 tag (at most EMBED_MAX_BYTES):
    a player shows it at phone size, and the full cover is the feed's."""
    with _opened(data) as image:
        return _jpeg_within(image, [s for s in (1400, 1000, 600) if s <= max(image.width, 600)], EMBED_MAX_BYTES)


def _opened(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
        image.load()
    except (OSError, Image.DecompressionBombError):
        raise AudiogenError("the cover is not an image Pillow can read") from None
    return image


def _jpeg_within(image: Image.Image, sides: list[int], max_bytes: int) -> bytes:
    """The first JPEG (largest side, then best quality first) of at most `max_bytes`; the
    smallest side at the lowest quality when none is (it is always far under the cap)."""
    rgb = image.convert("RGB")
    data = b""
    for side in sides:
        scaled = rgb if rgb.size == (side, side) else rgb.resize((side, side), Image.LANCZOS)
        for quality in _QUALITIES:
            out = io.BytesIO()
            scaled.save(out, "JPEG", quality=quality, optimize=True)
            data = out.getvalue()
            if len(data) <= max_bytes:
                return data
    return data


def check_cover(path: Path) -> None:
    """A user's cover must be a square JPEG or PNG, 1400-3000 px, RGB without transparency."""
    path = Path(path)
    if not path.is_file():
        raise AudiogenError(f"cover image not found: {path}")
    try:
        with Image.open(path) as image:
            kind, (w, h), mode = image.format, image.size, image.mode
            transparent = "transparency" in image.info
    except (OSError, Image.DecompressionBombError):
        raise AudiogenError(f"cover {path}: not an image Pillow can read") from None
    if kind not in ("JPEG", "PNG"):
        raise AudiogenError(f"cover {path}: must be JPEG or PNG, found {kind}")
    if w != h:
        raise AudiogenError(f"cover {path}: must be square, found {w}x{h}")
    if not MIN_SIDE <= w <= MAX_SIDE:
        raise AudiogenError(f"cover {path}: must be {MIN_SIDE} to {MAX_SIDE} px square, found {w}x{h}")
    if mode not in ("RGB", "L", "P") or transparent:
        raise AudiogenError(f"cover {path}: must be RGB without transparency, found mode {mode}{' with transparency' if transparent else ''}")
