"""index.html: the show's page, a self-contained player made for shadowing.

One file with inline CSS and JS and no external resources, so it works from
any static host (all URLs are relative) and offline. Each lesson is a
<details> that opens to its player, chapters and transcript. Every line of
the transcript is a button that plays that line alone; a loop toggle repeats
the current key sentence with a silence as long as the sentence to say it
in (an A-B loop), a slow toggle plays at 0.85x, and the keyboard drives it
all (space, left/right, L, S). Where the learner stopped in each lesson is
kept in localStorage.

A show may have hundreds of lessons, so nothing loads up front: a lesson's
player is made when it is opened (before that it is a link to the MP3), its
caption track attached, and its transcript built from the episode's script JSON (each line knows
its kind, so the key sentences are marked). Without JavaScript, or from a
file:// URL, a lesson links to its VTT transcript instead.
A Content-Security-Policy allows only this page's own script and style, by
hash, and media and images from the site itself: even if seed text slipped
past escaping, it could not run.

The front end lives in its own files beside this module (page_files/: the
index.html and episode.html templates, page.css, page.js), so editors, linters
and `node --check` treat it as code; they ship as package data and are inlined
here, so the published page is still one file.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape
from importlib import resources
from pathlib import Path
from string import Template

from ..errors import AudiogenError
from ..model import Episode

from .manifest import FEED_FILE, Manifest, as_utc, quote_path


def _front_end(name: str) -> str:
    return resources.files(__package__).joinpath("page_files", name).read_text(encoding="utf-8")


# $name placeholders (string.Template): the HTML has no other use for a dollar sign.
PAGE = Template(_front_end("index.html"))
EPISODE = Template(_front_end("episode.html").rstrip("\n"))
STYLE = _front_end("page.css")
SCRIPT = _front_end("page.js")


@dataclass(frozen=True)
class ChapterMark:
    start: float
    title: str


# --- reading the episode's side files -----------------------------------------


def read_chapters(text: str) -> list[ChapterMark]:
    """Chapters from a Podcasting 2.0 chapters JSON file; [] when unreadable."""
    try:
        data = json.loads(text)
        return [
            ChapterMark(float(c["startTime"]), str(c.get("title", "")))
            for c in data.get("chapters", [])
            if isinstance(c, dict) and "startTime" in c
        ]
    except (ValueError, TypeError, AttributeError, KeyError):
        return []


def _side_file(out: Path, relpath: str) -> str | None:
    if not relpath:
        return None
    try:
        quote_path(relpath)  # refuses anything that would leave the output folder
        return (out / relpath).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError, AudiogenError):
        return None


# --- rendering -----------------------------------------------------------------


def clock(seconds: float) -> str:
    total = int(seconds)
    h, rest = divmod(total, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def _csp_hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def lesson_order(episodes: list[Episode]) -> list[Episode]:
    """A course is followed from the first lesson: oldest first (stable)."""
    return sorted(episodes, key=lambda e: as_utc(e.pub_date))


def render(m: Manifest, out: Path) -> str:
    """The page as text, ready to write to index.html in `out`."""
    show = m.show
    csp = (
        f"default-src 'none'; script-src {_csp_hash(SCRIPT)}; style-src {_csp_hash(STYLE)}; "
        "img-src 'self' data:; media-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'"
    )
    feed_abs = show.feed_url
    podcast_link = "podcast://" + re.sub(r"^https?://", "", feed_abs)
    cover = (
        f'<img class="cover" src="{escape(quote_path(show.cover))}" alt="" width="160" height="160">'
        if show.cover
        else ""
    )
    deck = (
        f'<a class="deck" href="{escape(quote_path(m.deck.file))}" download>'
        f"Anki 덱 내려받기 · Anki deck ({m.deck.notes} notes)</a>"
        if m.deck
        else ""
    )
    return PAGE.substitute(
        language=escape(show.language),
        csp=escape(csp),
        title=escape(show.title),
        icon=escape(quote_path(show.cover)) if show.cover else "data:,",
        feed_file=FEED_FILE,
        style=STYLE,
        cover=cover,
        description=escape(show.description),
        author=escape(show.author),
        podcast_link=escape(podcast_link),
        feed_url=escape(feed_abs),
        deck=deck,
        episodes="\n".join(_episode(e, out) for e in lesson_order(m.episodes)),
        script=SCRIPT,
    )


def _episode(e: Episode, out: Path) -> str:
    slug = escape(e.slug)
    mp3 = escape(quote_path(e.mp3))
    chapters_text = _side_file(out, e.chapters)
    chapters = read_chapters(chapters_text) if chapters_text else []

    badge = {"full": "", "trailer": "예고 · Trailer", "bonus": "복습 · Review"}.get(e.episode_type, "")
    meta = [f"{e.number}강" if e.number is not None else "", badge, clock(e.duration_s), as_utc(e.pub_date).date().isoformat()]
    track = f' data-track="{escape(quote_path(e.transcript))}"' if e.transcript else ""
    chapter_items = "\n".join(
        f'<li><button type="button" class="seek" data-t="{c.start:.3f}">'
        f'<span class="t">{clock(c.start)}</span> {escape(c.title)}</button></li>'
        for c in chapters
    )
    transcript = (f'<a class="vtt" href="{escape(quote_path(e.transcript))}">대본 · Transcript</a>'
                  if e.transcript else "")
    lines = f' data-src="{escape(quote_path(e.script))}"' if e.script else ""
    recalled = recalled_items(_side_file(out, e.script) or "")
    recalls = (f'<p class="recalls">다시 묻는 표현 · Recalls: {escape(", ".join(recalled))}</p>'
               if recalled and e.episode_type != "bonus" else "")
    return EPISODE.substitute(
        episode_type=escape(e.episode_type),
        slug=slug,
        title=escape(e.title),
        meta=escape(" · ".join(x for x in meta if x)),
        description=escape(e.description),
        mp3=mp3,
        track=track,
        chapters=chapter_items,
        lines=lines,
        transcript=transcript,
        recalls=recalls,
    )


def recalled_items(script_json: str) -> list[str]:
    """The earlier items an episode asks for again, from its script JSON: the answers of its drills
    and shadowed sentences (`answer`) that it does not itself teach as a `term` or `quote`."""
    try:
        segments = json.loads(script_json).get("segments", []) if script_json else []
    except (ValueError, AttributeError):
        return []
    if not isinstance(segments, list):
        return []
    segments = [seg for seg in segments if isinstance(seg, dict)]
    own = {seg.get("text") for seg in segments if seg.get("kind") in ("term", "quote")}
    out: list[str] = []
    for seg in segments:
        text = seg.get("text")
        if seg.get("kind") == "answer" and isinstance(text, str) and text not in own and text not in out:
            out.append(text)
    return out
