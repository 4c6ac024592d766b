"""What a subscriber's app knows of a published show, to check that a failed or refused build
changed none of it (issue 22: each case asserts the feed's GUIDs, seasons and enclosure URLs)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"


def feed_facts(out: Path) -> list[tuple[str, str | None, str, str]]:
    """Each item's GUID, itunes:season, enclosure URL and pubDate, in feed order."""
    root = etree.fromstring((out / "feed.xml").read_bytes())
    return [(item.findtext("guid"), item.findtext(f"{{{ITUNES}}}season"), item.find("enclosure").get("url"),
             item.findtext("pubDate")) for item in root.iter("item")]


def snapshot(out: Path) -> dict[str, bytes]:
    """Every file of the output folder, by relative path."""
    return {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def page_mp3s(out: Path) -> set[str]:
    """The MP3s the page plays (relative paths)."""
    from lxml import html

    doc = html.fromstring((out / "index.html").read_bytes())
    return {src for src in doc.xpath("//@data-mp3 | //a/@href | //audio/@src") if src.endswith(".mp3")}


def feed_mp3s(out: Path, base: str) -> set[str]:
    return {url.removeprefix(base) for _, _, url, _ in feed_facts(out)}
