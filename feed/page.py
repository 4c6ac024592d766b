"""index.html: the show's page, a self-contained player for the whole course.

One file with inline CSS and JS and no external resources, so it works from
any static host (all URLs are relative) and offline. Each lesson has an
audio player, its chapters and its transcript; the line being spoken is
highlighted and clicking a line or a chapter seeks there.

The transcript is rendered here from the VTT file (not only by the browser
from the <track>), so it is readable without JavaScript and searchable.
A Content-Security-Policy allows only this page's own script and style, by
hash: even if seed text slipped past escaping, it could not run.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path

from ..errors import AudiogenError
from ..model import Episode

from .manifest import FEED_FILE, Manifest, as_utc, quote_path


@dataclass(frozen=True)
class Cue:
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class ChapterMark:
    start: float
    title: str


# --- reading the episode's side files -----------------------------------------

_TIME = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{2})[.,](\d{3})")
_TAG = re.compile(r"<[^>]*>")


def _seconds(stamp: str) -> float:
    m = _TIME.fullmatch(stamp.strip())
    if not m:
        raise ValueError(stamp)
    h, mi, s, ms = m.groups()
    return int(h or 0) * 3600 + int(mi) * 60 + int(s) + int(ms) / 1000


def read_vtt(text: str) -> list[Cue]:
    """The cues of a WebVTT file, as plain text (voice/lang tags removed)."""
    cues = []
    for block in re.split(r"\r?\n\s*\r?\n", text.replace("\ufeff", "")):
        lines = block.strip().splitlines()
        for i, line in enumerate(lines):
            if "-->" not in line:
                continue
            start, _, rest = line.partition("-->")
            try:
                cue = Cue(_seconds(start), _seconds(rest.split()[0]), "")
            except (ValueError, IndexError):
                break
            words = " ".join(unescape(_TAG.sub("", t)).strip() for t in lines[i + 1 :])
            if words.strip():
                cues.append(Cue(cue.start, cue.end, words.strip()))
            break
    return cues


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


def _lang(text: str) -> str:
    """Korean when the line has Hangul, else English: fonts and screen readers need it."""
    return "ko" if re.search("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]", text) else "en"


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
        f"script-src {_csp_hash(SCRIPT)}; style-src {_csp_hash(STYLE)}; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )
    feed_abs = show.feed_url
    podcast_link = "podcast://" + re.sub(r"^https?://", "", feed_abs)
    icon = escape(quote_path(show.cover)) if show.cover else "data:,"
    episodes = "\n".join(_episode(e, out) for e in lesson_order(m.episodes))
    cover = (
        f'<img class="cover" src="{escape(quote_path(show.cover))}" alt="" width="160" height="160">'
        if show.cover
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="{escape(show.language)}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">
<meta name="referrer" content="no-referrer">
<title>{escape(show.title)}</title>
<link rel="icon" href="{icon}">
<link rel="alternate" type="application/rss+xml" title="{escape(show.title)}" href="{FEED_FILE}">
<style>{STYLE}</style>
</head>
<body>
<header class="show">
{cover}
<div>
<h1>{escape(show.title)}</h1>
<p class="desc">{escape(show.description)}</p>
<p class="by">{escape(show.author)}</p>
<div class="subscribe">
<a class="button" href="{escape(podcast_link)}">팟캐스트 앱으로 구독 · Subscribe</a>
<span class="feedurl"><a id="feed-url" href="{FEED_FILE}">{escape(feed_abs)}</a>
<button type="button" id="copy-feed">복사 · Copy</button></span>
<small>앱에서 ‘URL로 추가’에 이 주소를 붙여 넣으세요. In your podcast app, add a show by URL and paste this address.</small>
</div>
</div>
</header>
<main>
{episodes}
</main>
<footer><a href="{FEED_FILE}">RSS</a> · made with audiogen</footer>
<script>{SCRIPT}</script>
</body>
</html>
"""


def _episode(e: Episode, out: Path) -> str:
    slug = escape(e.slug)
    mp3 = escape(quote_path(e.mp3))
    vtt_text = _side_file(out, e.transcript)
    cues = read_vtt(vtt_text) if vtt_text else []
    chapters_text = _side_file(out, e.chapters)
    chapters = read_chapters(chapters_text) if chapters_text else []

    badge = {"full": "", "trailer": "예고 · Trailer", "bonus": "복습 · Review"}.get(e.episode_type, "")
    meta = [f"{e.number}강" if e.number is not None else "", badge, clock(e.duration_s), as_utc(e.pub_date).date().isoformat()]
    track = (
        f'<track kind="captions" srclang="ko" label="한국어 · English" src="{escape(quote_path(e.transcript))}" default>'
        if e.transcript
        else ""
    )
    chapter_items = "\n".join(
        f'<li><button type="button" class="seek" data-t="{c.start:.3f}">'
        f'<span class="t">{clock(c.start)}</span> {escape(c.title)}</button></li>'
        for c in chapters
    )
    cue_items = "\n".join(
        f'<p class="cue" lang="{_lang(c.text)}" data-start="{c.start:.3f}" data-end="{c.end:.3f}">'
        f"{escape(c.text)}</p>"
        for c in cues
    )
    return f"""<article class="episode {escape(e.episode_type)}" id="{slug}">
<h2>{escape(e.title)}</h2>
<p class="meta">{escape(" · ".join(x for x in meta if x))}</p>
<p class="desc">{escape(e.description)}</p>
<div class="player">
<audio controls preload="metadata" src="{mp3}">{track}</audio>
<label class="speed">속도 · Speed <select>
<option value="0.75">0.75×</option><option value="0.9">0.9×</option><option value="1" selected>1×</option><option value="1.25">1.25×</option>
</select></label>
</div>
<div class="body">
<nav class="chapters" aria-label="Chapters"><ol>
{chapter_items}
</ol></nav>
<div class="transcript" aria-label="Transcript">
{cue_items}
</div>
</div>
</article>"""


STYLE = """
:root{--bg:#fbfaf7;--fg:#1d1d1f;--muted:#6b6b70;--card:#fff;--line:#e6e3dc;--accent:#0a66c2;--hl:#fff2b3}
@media (prefers-color-scheme:dark){:root{--bg:#121214;--fg:#ececf0;--muted:#a0a0a8;--card:#1c1c20;--line:#2e2e34;--accent:#6cb4ff;--hl:#4a4120}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif}
header.show,main,footer{max-width:860px;margin:0 auto;padding:16px}
header.show{display:flex;gap:20px;align-items:flex-start;padding-top:28px}
.cover{width:160px;height:160px;border-radius:14px;object-fit:cover;flex:none;box-shadow:0 4px 18px rgba(0,0,0,.18)}
h1{margin:0 0 6px;font-size:1.7rem;line-height:1.25}
h2{margin:0 0 4px;font-size:1.2rem;line-height:1.35}
.desc{margin:4px 0}.by,.meta,small,footer{color:var(--muted)}.meta{margin:0;font-size:.9rem}
.subscribe{margin-top:12px;display:flex;flex-direction:column;gap:6px}
.button{align-self:flex-start;background:var(--accent);color:#fff;padding:8px 14px;border-radius:999px;text-decoration:none;font-weight:600}
.feedurl{display:flex;gap:8px;align-items:center;flex-wrap:wrap;word-break:break-all}
a{color:var(--accent)}
button{font:inherit;color:inherit;background:none;border:1px solid var(--line);border-radius:8px;padding:2px 10px;cursor:pointer}
.episode{background:var(--card);border:1px solid var(--line);border-radius:16px;padding:18px;margin:0 0 18px}
.episode.bonus{border-style:dashed}
.player{display:flex;gap:12px;align-items:center;flex-wrap:wrap;margin:10px 0;position:sticky;top:0;background:var(--card);padding:6px 0;z-index:1}
audio{flex:1;min-width:240px;width:100%}
.speed{font-size:.85rem;color:var(--muted)}
.body{display:grid;grid-template-columns:minmax(160px,1fr) 2.4fr;gap:16px}
.chapters ol{list-style:none;margin:0;padding:0}
.chapters button{border:0;text-align:left;width:100%;padding:4px 6px;border-radius:6px}
.chapters button.active{background:var(--hl);font-weight:600}
.chapters .t{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:4px}
.transcript{max-height:22rem;overflow-y:auto;border-left:3px solid var(--line);padding-left:12px;scroll-behavior:smooth}
.cue{margin:0 0 6px;padding:2px 6px;border-radius:6px;cursor:pointer}
.cue[lang=en]{font-weight:500}
.cue:hover{background:var(--line)}
.cue.active{background:var(--hl)}
footer{text-align:center;font-size:.85rem;padding-bottom:32px}
@media (max-width:640px){header.show{flex-direction:column;align-items:center;text-align:center}.button{align-self:center}.feedurl{justify-content:center}.body{grid-template-columns:1fr}.transcript{max-height:16rem}}
"""

SCRIPT = """
(function () {
  "use strict";
  var feed = document.getElementById("feed-url");
  if (feed && /^https?:$/.test(location.protocol)) {
    var here = new URL("feed.xml", location.href).href;
    feed.textContent = here;
  }
  var copy = document.getElementById("copy-feed");
  if (copy) copy.addEventListener("click", function () {
    var text = feed ? feed.textContent : "";
    var done = function () { copy.textContent = "\\u2713"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () {});
    } else {
      var range = document.createRange(); range.selectNodeContents(feed);
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(range);
    }
  });
  function store(key, value) { try { localStorage.setItem(key, value); } catch (e) {} }
  function load(key) { try { return localStorage.getItem(key); } catch (e) { return null; } }

  document.querySelectorAll("article.episode").forEach(function (article) {
    var audio = article.querySelector("audio");
    var cues = Array.prototype.slice.call(article.querySelectorAll(".cue"));
    var marks = Array.prototype.slice.call(article.querySelectorAll(".chapters .seek"));
    var box = article.querySelector(".transcript");
    var speed = article.querySelector(".speed select");
    var key = "audiogen:" + article.id;
    var current = null;
    if (!audio) return;
    for (var i = 0; i < audio.textTracks.length; i++) audio.textTracks[i].mode = "hidden";

    function startOf(el) { return parseFloat(el.getAttribute("data-start") || el.getAttribute("data-t")); }
    function highlight() {
      var t = audio.currentTime, found = null;
      for (var i = 0; i < cues.length; i++) {
        if (t >= startOf(cues[i]) && t < parseFloat(cues[i].getAttribute("data-end"))) { found = cues[i]; break; }
      }
      if (found !== current) {
        if (current) current.classList.remove("active");
        if (found) {
          found.classList.add("active");
          var top = found.offsetTop - box.offsetTop - box.clientHeight / 3;
          box.scrollTop = Math.max(0, top);
        }
        current = found;
      }
      var chapter = null;
      marks.forEach(function (m) { if (startOf(m) <= t + 0.05) chapter = m; });
      marks.forEach(function (m) { m.classList.toggle("active", m === chapter); });
    }
    function seek(el) {
      audio.currentTime = startOf(el);
      var p = audio.play();
      if (p && p.catch) p.catch(function () {});
    }
    ["timeupdate", "seeked"].forEach(function (ev) { audio.addEventListener(ev, highlight); });
    for (var j = 0; j < audio.textTracks.length; j++) audio.textTracks[j].addEventListener("cuechange", highlight);
    cues.concat(marks).forEach(function (el) { el.addEventListener("click", function () { seek(el); }); });
    if (speed) speed.addEventListener("change", function () { audio.playbackRate = parseFloat(speed.value); });
    audio.addEventListener("ratechange", function () { if (speed) speed.value = String(audio.playbackRate); });
    audio.addEventListener("play", function () {
      document.querySelectorAll("audio").forEach(function (other) { if (other !== audio) other.pause(); });
    });
    audio.addEventListener("pause", function () { store(key, String(audio.currentTime)); });
    audio.addEventListener("loadedmetadata", function () {
      var saved = parseFloat(load(key));
      if (saved > 0 && saved < audio.duration - 5 && audio.currentTime === 0) audio.currentTime = saved;
    });
  });
})();
"""
