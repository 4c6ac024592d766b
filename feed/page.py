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
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path

from ..errors import AudiogenError
from ..model import Episode

from .manifest import FEED_FILE, Manifest, as_utc, quote_path


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
    icon = escape(quote_path(show.cover)) if show.cover else "data:,"
    episodes = "\n".join(_episode(e, out) for e in lesson_order(m.episodes))
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
{deck}
</div>
</div>
</header>
<main>
<p class="help">문장을 누르면 그 문장만 들립니다. Tap a line to hear it alone.
<kbd>Space</kbd> 재생·멈춤 play/pause · <kbd>←</kbd><kbd>→</kbd> 이전·다음 문장 line · <kbd>L</kbd> 반복 loop · <kbd>S</kbd> 느리게 slow</p>
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
    return f"""<details class="episode {escape(e.episode_type)}" id="{slug}">
<summary><h2>{escape(e.title)}</h2>
<p class="meta">{escape(" · ".join(x for x in meta if x))}</p></summary>
<p class="desc">{escape(e.description)}</p>
<div class="player" data-mp3="{mp3}"{track}>
<a class="mp3" href="{mp3}">MP3 듣기 · Listen</a>
<div class="tools">
<button type="button" class="loop" aria-pressed="false" title="L">반복 · Loop</button>
<button type="button" class="slow" aria-pressed="false" title="S">느리게 · Slow 0.85×</button>
</div>
</div>
<div class="body">
<nav class="chapters" aria-label="Chapters"><ol>
{chapter_items}
</ol></nav>
<div class="transcript" aria-label="Transcript"{lines}>{transcript}</div>
</div>
</details>"""


STYLE = """
:root{--bg:#fbfaf7;--fg:#1d1d1f;--muted:#6b6b70;--card:#fff;--line:#e6e3dc;--accent:#0a66c2;--hl:#fff2b3}
@media (prefers-color-scheme:dark){:root{--bg:#121214;--fg:#ececf0;--muted:#a0a0a8;--card:#1c1c20;--line:#2e2e34;--accent:#6cb4ff;--hl:#4a4120}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,"Apple SD Gothic Neo","Noto Sans KR","Malgun Gothic",sans-serif;overflow-wrap:anywhere}
header.show,main,footer{max-width:860px;margin:0 auto;padding:16px}
header.show{display:flex;gap:20px;align-items:flex-start;padding-top:28px}
.cover{width:160px;height:160px;border-radius:14px;object-fit:cover;flex:none;box-shadow:0 4px 18px rgba(0,0,0,.18)}
h1{margin:0 0 6px;font-size:1.7rem;line-height:1.25}
h2{margin:0;font-size:1.15rem;line-height:1.35;display:inline}
.desc{margin:4px 0}.by,.meta,small,footer,.help{color:var(--muted)}.meta{margin:0;font-size:.9rem}
.help{font-size:.85rem;margin:0 0 12px}
kbd{font:inherit;font-size:.8rem;border:1px solid var(--line);border-radius:4px;padding:0 4px}
.subscribe{margin-top:12px;display:flex;flex-direction:column;gap:6px}
.button{align-self:flex-start;background:var(--accent);color:#fff;padding:8px 14px;border-radius:999px;text-decoration:none;font-weight:600}
.deck{align-self:flex-start;font-weight:600}
.feedurl{display:flex;gap:8px;align-items:center;flex-wrap:wrap;word-break:break-all}
a{color:var(--accent)}
button{font:inherit;color:inherit;background:none;border:1px solid var(--line);border-radius:8px;padding:2px 10px;cursor:pointer}
button[aria-pressed=true]{background:var(--accent);border-color:var(--accent);color:#fff}
.episode{background:var(--card);border:1px solid var(--line);border-radius:16px;padding:14px 18px;margin:0 0 14px}
.episode.bonus{border-style:dashed}
summary{cursor:pointer}
.player{display:flex;gap:10px;align-items:center;flex-wrap:wrap;margin:10px 0;position:sticky;top:0;background:var(--card);padding:6px 0;z-index:1}
audio{flex:1 1 240px;min-width:0;width:100%}
.tools{display:flex;gap:8px;flex-wrap:wrap}
.body{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,2.4fr);gap:16px}
.chapters ol{list-style:none;margin:0;padding:0}
.chapters button{border:0;text-align:left;width:100%;padding:4px 6px;border-radius:6px}
.chapters button.active{background:var(--hl);font-weight:600}
.chapters .t{color:var(--muted);font-variant-numeric:tabular-nums;margin-right:4px}
.transcript{max-height:24rem;overflow-y:auto;border-left:3px solid var(--line);padding-left:10px}
.line{display:block;width:100%;text-align:left;border:0;margin:0 0 4px;padding:3px 8px;border-radius:6px}
.line.key{font-weight:600;border-left:3px solid var(--accent);border-radius:0 6px 6px 0}
.line:hover{background:var(--line)}
.line.active{background:var(--hl)}
.line.looping{outline:2px solid var(--accent)}
footer{text-align:center;font-size:.85rem;padding-bottom:32px}
@media (max-width:640px){header.show{flex-direction:column;align-items:center;text-align:center}.button,.deck{align-self:center}.feedurl{justify-content:center}.body{grid-template-columns:minmax(0,1fr)}.transcript{max-height:60vh}header.show,main,footer{padding:10px}.episode{padding:12px}}
"""

SCRIPT = """
(function () {
  "use strict";
  var SLOW = 0.85;
  var KEY = {term: 1, quote: 1, chunk: 1, slow: 1, answer: 1};  // English the learner says aloud
  var feed = document.getElementById("feed-url");
  if (feed && /^https?:$/.test(location.protocol)) {
    feed.textContent = new URL("feed.xml", location.href).href;
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
  function all(root, selector) { return Array.prototype.slice.call(root.querySelectorAll(selector)); }
  function num(el, name) { return parseFloat(el.getAttribute(name)); }
  function play(audio) { var p = audio.play(); if (p && p.catch) p.catch(function () {}); }

  var lessons = {};   // made when a lesson is first opened or used: nothing loads before
  var active = null;  // the lesson the keyboard drives

  function lessonOf(article) {
    if (!lessons[article.id]) lessons[article.id] = new Lesson(article);
    return lessons[article.id];
  }

  function Lesson(article) {
    var self = this, player = article.querySelector(".player");
    // the player is made when its lesson is first opened: hundreds of idle <audio controls> make a page slow
    var audio = document.createElement("audio");
    audio.controls = true;
    audio.preload = "metadata";
    audio.src = player.getAttribute("data-mp3");
    player.replaceChild(audio, player.querySelector("a.mp3"));
    this.article = article;
    this.audio = audio;
    this.lines = []; this.starts = []; this.ends = [];
    this.marks = all(article, ".chapters .seek");
    this.box = article.querySelector(".transcript");
    this.loopButton = article.querySelector("button.loop");
    this.slowButton = article.querySelector("button.slow");
    this.key = "audiogen:" + article.id;
    this.index = -1;      // the line shown as current
    this.picked = -1;     // the line the learner chose (click, arrow), until playback moves on
    this.stopAt = null;   // the end of a line played alone
    this.loop = -1;       // the line the loop repeats; -1: no loop
    this.stopTimer = null;
    this.gapTimer = null; // the loop's silence, as long as the line, to say it in
    this.expect = null;   // where a seek of ours will land
    this.saved = 0;
    var src = player.getAttribute("data-track");
    if (src && location.protocol !== "file:") {  // a file:// page may not read its neighbours
      var track = document.createElement("track");
      track.kind = "captions"; track.srclang = "ko"; track.label = "\\ud55c\\uad6d\\uc5b4 \\u00b7 English"; track.src = src;
      audio.appendChild(track);
      track.track.mode = "hidden";
      track.track.addEventListener("cuechange", function () { self.highlight(); });
    }
    this.setRate(load("audiogen:slow") === "1" ? SLOW : 1);
    audio.addEventListener("timeupdate", function () { self.tick(); });
    audio.addEventListener("seeked", function () { self.seeked(); });
    audio.addEventListener("ratechange", function () { self.showRate(); self.arm(); });
    audio.addEventListener("play", function () {
      active = self;
      all(document, "audio").forEach(function (other) { if (other !== audio) other.pause(); });
      self.arm();
    });
    audio.addEventListener("pause", function () { self.remember(); });
    audio.addEventListener("loadedmetadata", function () {
      var saved = parseFloat(load(self.key));
      if (saved > 0 && saved < audio.duration - 1 && audio.currentTime === 0 && self.expect === null) {
        self.seekTo(saved);
      }
    });
    this.loadLines();
  }

  // The transcript, one button per spoken line, from the episode's script JSON (text only: never markup).
  Lesson.prototype.loadLines = function () {
    var self = this, box = this.box, src = box && box.getAttribute("data-src");
    if (!src || !window.fetch || location.protocol === "file:") return;  // the link to the VTT stays
    fetch(src).then(function (r) {
      if (!r.ok) throw new Error(src + ": " + r.status);
      return r.json();
    }).then(function (doc) {
      var made = [];
      (doc && doc.segments || []).forEach(function (s) {
        var start = Number(s && s.start), end = Number(s && s.end);
        if (!s || typeof s.text !== "string" || !s.text.trim() || (s.lang !== "ko" && s.lang !== "en") || !(end > start)) return;
        var b = document.createElement("button");
        b.type = "button";
        b.className = KEY.hasOwnProperty(s.kind) ? "line key" : "line";
        b.lang = s.lang;
        b.setAttribute("data-kind", String(s.kind));
        b.setAttribute("data-start", String(start));
        b.setAttribute("data-end", String(end));
        b.textContent = s.text.replace(/\\s+/g, " ").trim();
        made.push(b);
      });
      if (!made.length) return;
      box.textContent = "";
      made.forEach(function (b) { box.appendChild(b); });
      self.lines = made;
      self.starts = made.map(function (l) { return num(l, "data-start"); });
      self.ends = made.map(function (l) { return num(l, "data-end"); });
      box.setAttribute("data-loaded", String(made.length));
      self.highlight();
    }).catch(function () {});
  };

  Lesson.prototype.seekTo = function (t) { this.expect = t; this.audio.currentTime = t; };

  Lesson.prototype.seeked = function () {
    var t = this.audio.currentTime;
    if (this.expect !== null && Math.abs(t - this.expect) < 0.05) {
      this.expect = null;
    } else {  // the learner moved the player's own slider: the loop moves with it
      this.expect = null; this.picked = -1; this.stopAt = null;
      if (this.loop >= 0) {
        var i = this.keyAt(t), going = !this.audio.paused || this.gapTimer !== null;
        clearTimeout(this.gapTimer); this.gapTimer = null;
        this.setLoop(i);
        if (t >= this.starts[i] - 0.05 && t <= this.ends[i]) {
          this.stopAt = this.ends[i];
          if (going) play(this.audio);
        } else if (going) { this.playLine(i); return; }
      }
    }
    this.highlight();
    this.arm();
  };

  Lesson.prototype.lineAt = function (t) {  // the last line starting at or before t
    var lo = 0, hi = this.starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (this.starts[mid] <= t + 0.001) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found;
  };

  Lesson.prototype.keyAt = function (t) {  // the key sentence being practised at t
    var i = this.lineAt(t), k;
    if (i >= 0 && this.lines[i].classList.contains("key")) return i;
    for (k = i; k >= 0; k--) if (this.lines[k].classList.contains("key")) return k;
    for (k = i + 1; k < this.lines.length; k++) if (this.lines[k].classList.contains("key")) return k;
    return i;
  };

  Lesson.prototype.highlight = function () {
    var t = this.audio.currentTime, i = this.lineAt(t);
    if (i >= 0 && t < this.ends[i] && i !== this.index) {
      if (this.index >= 0) this.lines[this.index].classList.remove("active");
      this.lines[i].classList.add("active");
      this.index = i;
      if (i !== this.picked) this.picked = -1;
      var box = this.box, line = this.lines[i];
      if (box.scrollHeight > box.clientHeight) {
        box.scrollTop = Math.max(0, line.offsetTop - box.offsetTop - box.clientHeight / 3);
      }
    }
    var chapter = null;
    this.marks.forEach(function (m) { if (num(m, "data-t") <= t + 0.05) chapter = m; });
    this.marks.forEach(function (m) { m.classList.toggle("active", m === chapter); });
  };

  Lesson.prototype.tick = function () {
    this.highlight();
    if (this.stopAt !== null && this.expect === null && this.audio.currentTime >= this.stopAt - 0.01) this.reached();
    else if (Math.abs(this.audio.currentTime - this.saved) > 5) this.remember();
  };

  Lesson.prototype.arm = function () {  // stop a line played alone on time, not at the next timeupdate
    var self = this, audio = this.audio;
    clearTimeout(this.stopTimer);
    if (this.stopAt === null || audio.paused || this.expect !== null) return;
    var left = (this.stopAt - audio.currentTime) / audio.playbackRate;
    if (left <= 0.01) { this.reached(); return; }
    this.stopTimer = setTimeout(function () { self.arm(); }, Math.max(5, left * 1000 - 30));
  };

  Lesson.prototype.reached = function () {
    var self = this, i = this.loop, audio = this.audio;
    this.stopAt = null;
    clearTimeout(this.stopTimer);
    audio.pause();
    if (i < 0) return;
    clearTimeout(this.gapTimer);
    this.gapTimer = setTimeout(function () {
      self.gapTimer = null;
      if (self.loop === i) self.playLine(i);
    }, 1000 * (this.ends[i] - this.starts[i]) / audio.playbackRate);
  };

  Lesson.prototype.playLine = function (i) {
    if (i < 0 || i >= this.lines.length) return;
    clearTimeout(this.gapTimer); this.gapTimer = null;
    this.picked = i;
    if (this.loop >= 0) this.setLoop(i);
    this.stopAt = this.ends[i];
    this.seekTo(this.starts[i]);
    this.highlight();
    play(this.audio);
  };

  Lesson.prototype.toggle = function () {
    if (this.gapTimer || (this.loop >= 0 && this.stopAt === null)) { this.playLine(this.loop); return; }
    if (this.audio.paused) play(this.audio); else this.audio.pause();
  };

  Lesson.prototype.step = function (d) {
    var base = this.index >= 0 ? this.index : this.lineAt(this.audio.currentTime);
    this.playLine(Math.min(this.lines.length - 1, Math.max(0, base + d)));
  };

  Lesson.prototype.setLoop = function (i) {
    if (this.loop >= 0) this.lines[this.loop].classList.remove("looping");
    this.loop = i;
    if (i >= 0) this.lines[i].classList.add("looping");
    this.loopButton.setAttribute("aria-pressed", i >= 0 ? "true" : "false");
  };

  Lesson.prototype.toggleLoop = function () {
    if (this.loop >= 0) {
      clearTimeout(this.gapTimer); this.gapTimer = null; this.stopAt = null;
      this.setLoop(-1);
      return;
    }
    var t = this.audio.currentTime;
    var i = this.picked >= 0 ? this.picked : this.keyAt(t);
    if (i < 0) return;
    this.setLoop(i);
    if (this.audio.paused || t < this.starts[i] - 0.05 || t > this.ends[i]) this.playLine(i);
    else { this.stopAt = this.ends[i]; this.arm(); }
  };

  Lesson.prototype.setRate = function (rate) {
    this.audio.defaultPlaybackRate = rate;
    this.audio.playbackRate = rate;
    this.showRate();
  };

  Lesson.prototype.showRate = function () {
    this.slowButton.setAttribute("aria-pressed", Math.abs(this.audio.playbackRate - SLOW) < 0.001 ? "true" : "false");
  };

  Lesson.prototype.toggleSlow = function () {
    var rate = Math.abs(this.audio.playbackRate - SLOW) < 0.001 ? 1 : SLOW;
    store("audiogen:slow", rate === SLOW ? "1" : "0");
    Object.keys(lessons).forEach(function (id) { lessons[id].setRate(rate); });
  };

  Lesson.prototype.remember = function () {
    this.saved = this.audio.currentTime;
    store(this.key, String(this.saved));
  };

  function current() {
    if (active && active.article.open) return active;
    var open = document.querySelector("details.episode[open]");
    return open ? lessonOf(open) : null;
  }

  document.addEventListener("toggle", function (e) {
    var article = e.target;
    if (!article.classList || !article.classList.contains("episode")) return;
    if (article.open) { active = lessonOf(article); store("audiogen:open", article.id); }
    else if (lessons[article.id]) lessons[article.id].audio.pause();
  }, true);

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("button");
    var article = button && button.closest("details.episode");
    if (!article) return;
    var lesson = lessonOf(article), list = button.classList;
    active = lesson;
    if (list.contains("line")) lesson.playLine(lesson.lines.indexOf(button));
    else if (list.contains("seek")) {
      lesson.stopAt = null; lesson.picked = -1;
      lesson.seekTo(num(button, "data-t")); play(lesson.audio);
    } else if (list.contains("loop")) lesson.toggleLoop();
    else if (list.contains("slow")) lesson.toggleSlow();
  });

  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
    var target = e.target, tag = target && target.tagName, k = e.key;
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT" || (target && target.isContentEditable)) return;
    if ((tag === "AUDIO" || tag === "SUMMARY") && (k === " " || k === "Enter" || k === "ArrowLeft" || k === "ArrowRight")) return;
    var lesson = current();
    if (!lesson) return;
    if (k === " " || k === "Spacebar") lesson.toggle();
    else if (k === "ArrowLeft") lesson.step(-1);
    else if (k === "ArrowRight") lesson.step(1);
    else if (k === "l" || k === "L") lesson.toggleLoop();
    else if (k === "s" || k === "S") lesson.toggleSlow();
    else return;
    e.preventDefault();
  });

  window.addEventListener("pagehide", function () {
    Object.keys(lessons).forEach(function (id) { lessons[id].remember(); });
  });

  function linked() {  // the lesson a link names (the feed's items link to page#slug)
    var id = "";
    try { id = decodeURIComponent(location.hash.slice(1)); } catch (e) {}
    var el = id && document.getElementById(id);
    return el && el.classList.contains("episode") ? el : null;
  }
  window.addEventListener("hashchange", function () {
    var el = linked();
    if (el) { el.open = true; el.scrollIntoView(); }
  });
  var episodes = all(document, "details.episode"), remembered = document.getElementById(load("audiogen:open") || "");
  var wanted = linked() || (remembered && remembered.classList.contains("episode") ? remembered : episodes[0]);
  if (wanted) {
    wanted.open = true;
    if (wanted !== episodes[0] && !location.hash) wanted.scrollIntoView();
  }
})();
"""
