"""The page in headless Chromium, served by our own server: shadowing line by line, the loop,
the slow toggle, the keyboard, the remembered place, a phone's width, and a 200-lesson show."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from audiogen.feed import serve
from chromium import chromium
from page_site import HOSTILE, SPOKEN, make_site, write_side_files

QUOTE = 3  # index of the key sentence among lesson-1's lines
QUOTE_START, QUOTE_END = SPOKEN[QUOTE][4], SPOKEN[QUOTE][5]


def stops_at_end(t: float, line: int) -> bool:
    """Stopped at the line's end: not before it, and before the next line begins."""
    return SPOKEN[line][5] - 0.06 <= t < SPOKEN[line + 1][4]


def served(folder: Path):
    server = serve.make_server(folder, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("page")
    make_site(out)
    return out


@pytest.fixture
def browser(site, tmp_path):
    server, url = served(site)
    try:
        with chromium(tmp_path / "profile") as cdp:
            cdp.open(url)
            wait_for_lines(cdp, "lesson-1")
            cdp.evaluate(RECORD)
            yield cdp, url
            assert cdp.errors() == []
            assert cdp.evaluate("window.pwned === undefined && document.scripts.length === 1")
    finally:
        server.shutdown()
        server.server_close()


# Records what lesson-1's player does, with the page's clock, into window.events.
RECORD = """
(function () {
  window.events = [];
  var audio = document.querySelector("#lesson-1 audio");
  ["playing", "pause", "seeked", "ratechange"].forEach(function (name) {
    audio.addEventListener(name, function () {
      window.events.push({name: name, t: audio.currentTime, at: performance.now(), rate: audio.playbackRate});
    });
  });
  return true;
})()
"""

# Resolves once `count` events named `name` were recorded (or after `ms`, with what there is).
WAIT_FOR = """
new Promise(function (resolve) {
  var started = performance.now();
  (function check() {
    var hits = window.events.filter(function (e) { return e.name === %r; });
    if (hits.length >= %d || performance.now() - started > %d) resolve(window.events);
    else setTimeout(check, 20);
  })();
})
"""

STATE = """
(function () {
  var art = document.getElementById("lesson-1"), audio = art.querySelector("audio");
  var lines = Array.prototype.slice.call(art.querySelectorAll(".line"));
  return {paused: audio.paused, time: audio.currentTime, rate: audio.playbackRate,
          active: lines.findIndex(function (l) { return l.classList.contains("active"); }),
          looping: lines.findIndex(function (l) { return l.classList.contains("looping"); }),
          loop: art.querySelector("button.loop").getAttribute("aria-pressed"),
          slow: art.querySelector("button.slow").getAttribute("aria-pressed"),
          tracks: audio.querySelectorAll("track").length};
})()
"""


LINES_LOADED = """
new Promise(function (resolve, reject) {
  var started = performance.now();
  (function check() {
    var box = document.querySelector("#%s .transcript");
    if (box.hasAttribute("data-loaded")) resolve(Number(box.getAttribute("data-loaded")));
    else if (performance.now() - started > 20000) reject(new Error("the transcript never loaded"));
    else setTimeout(check, 20);
  })();
})
"""


def wait_for_lines(cdp, slug: str) -> int:
    return cdp.evaluate(LINES_LOADED % slug)


def wait_for(cdp, name: str, count: int, ms: int = 20000) -> list[dict]:
    return cdp.evaluate(WAIT_FOR % (name, count, ms))


def click_line(cdp, index: int) -> None:
    cdp.evaluate(f'document.querySelectorAll("#lesson-1 .line")[{index}].click(); true')


def press(cdp, name: str) -> None:
    keys = {"space": (" ", "Space", 32, " "), "left": ("ArrowLeft", "ArrowLeft", 37, ""),
            "right": ("ArrowRight", "ArrowRight", 39, ""), "L": ("l", "KeyL", 76, "l"), "S": ("s", "KeyS", 83, "s")}
    cdp.key(*keys[name])


def test_only_the_opened_lesson_has_a_player_and_a_track(browser):
    cdp, _ = browser
    opened = cdp.evaluate("""Array.prototype.map.call(document.querySelectorAll("details.episode"), function (d) {
        var audio = d.querySelector("audio");
        return [d.id, d.open, audio ? audio.querySelectorAll("track").length : null, audio && audio.preload]; })""")
    assert opened == [["lesson-1", True, 1, "metadata"], ["lesson-2", False, None, None], ["lesson-3", False, None, None]]


LINES = """Array.prototype.map.call(document.querySelectorAll("#%s .line"), function (b) {
    return [b.getAttribute("data-kind"), b.lang, b.textContent, Number(b.getAttribute("data-start")),
            Number(b.getAttribute("data-end")), b.classList.contains("key")]; })"""


def test_each_spoken_line_becomes_a_button_and_key_sentences_are_marked(browser):
    cdp, _ = browser
    lines = cdp.evaluate(LINES % "lesson-1")
    assert [line[:5] for line in lines] == [[k, lang, text, a, b] for k, lang, text, _, a, b in SPOKEN]
    assert [line[2] for line in lines if line[5]] == ["engineered in", "Safety has to be engineered in.",
                                                        "Safety has to be engineered in."]


def test_a_machine_made_meaning_is_marked_and_the_authors_is_not(browser):
    cdp, _ = browser
    marked = cdp.evaluate("""Array.prototype.map.call(document.querySelectorAll("#lesson-1 .line"), function (b) {
        return [b.textContent, b.getAttribute("data-source"), getComputedStyle(b, "::after").content]; })
        .filter(function (l) { return l[1] !== null || l[2] !== "none"; })""")
    assert marked == [["안전은 처음부터 설계되어야 한다.", "teacher", '"기계"']]  # the text itself stays as spoken


def test_hostile_text_stays_text(browser):
    cdp, _ = browser
    cdp.evaluate('document.getElementById("lesson-2").open = true; true')
    wait_for_lines(cdp, "lesson-2")
    lines = cdp.evaluate(LINES % "lesson-2")
    assert lines[-1][2] == HOSTILE
    assert cdp.evaluate('document.querySelectorAll("img[onerror], #lesson-2 script").length') == 0


def test_a_link_to_a_lesson_opens_it(browser):
    cdp, url = browser
    cdp.open(url + "index.html#lesson-3")
    assert cdp.evaluate('document.getElementById("lesson-3").open') is True
    cdp.evaluate('location.hash = "#lesson-2"; new Promise(function (r) { setTimeout(r, 100); })')
    assert cdp.evaluate('document.getElementById("lesson-2").open') is True
    cdp.open(url + "?again#%E0%A4%A")  # a broken link opens the lesson opened last, with no error
    assert cdp.evaluate('[1, 2, 3].map(function (n) { return document.getElementById("lesson-" + n).open; })') \
        == [False, True, False]


def test_clicking_a_line_plays_that_line_alone(browser):
    cdp, _ = browser
    click_line(cdp, QUOTE)
    events = wait_for(cdp, "pause", 1)
    seeks = [e for e in events if e["name"] == "seeked"]
    assert seeks and abs(seeks[0]["t"] - QUOTE_START) < 0.05
    (pause,) = [e for e in events if e["name"] == "pause"]
    assert stops_at_end(pause["t"], QUOTE), events  # the line's end, not into the next line
    assert any(e["name"] == "playing" for e in events)
    state = cdp.evaluate(STATE)
    assert state["paused"] and state["active"] == QUOTE and state["loop"] == "false"


def test_the_loop_repeats_the_key_sentence_with_a_gap_as_long_as_it(browser):
    cdp, _ = browser
    click_line(cdp, QUOTE + 1)  # the Korean gloss just after the key sentence ...
    wait_for(cdp, "pause", 1)
    cdp.evaluate("window.events = []; true")
    cdp.evaluate('document.querySelector("#lesson-1 audio").currentTime = 7.5; true')  # ... heard from the slider
    wait_for(cdp, "seeked", 1)
    press(cdp, "L")  # loops the key sentence before it
    events = wait_for(cdp, "pause", 3, ms=30000)
    state = cdp.evaluate(STATE)
    assert state["loop"] == "true" and state["looping"] == QUOTE
    starts = [e for e in events if e["name"] == "seeked" and abs(e["t"] - QUOTE_START) < 0.05]
    pauses = [e for e in events if e["name"] == "pause"]
    assert len(starts) >= 3 and len(pauses) >= 3, events
    assert all(stops_at_end(p["t"], QUOTE) for p in pauses), events
    # the silence after each pass is at least as long as the sentence (what the learner needs to say it)
    gaps = [nxt["at"] - p["at"] for p, nxt in zip(pauses, starts[1:])]
    assert gaps and all(g >= (QUOTE_END - QUOTE_START) * 1000 - 50 for g in gaps), (gaps, events)
    # moving the slider to another key sentence moves the loop there
    slow_line = QUOTE + 2
    cdp.evaluate(f'window.events = []; document.querySelector("#lesson-1 audio").currentTime = {SPOKEN[slow_line][4] + 0.2}; true')
    events = wait_for(cdp, "pause", 1)
    assert cdp.evaluate(STATE)["looping"] == slow_line
    assert stops_at_end([e for e in events if e["name"] == "pause"][0]["t"], slow_line), events
    press(cdp, "L")
    state = cdp.evaluate(STATE)
    assert state["loop"] == "false" and state["looping"] == -1


def test_the_slow_toggle_changes_the_playback_rate_and_is_remembered(browser):
    cdp, url = browser
    press(cdp, "S")
    state = cdp.evaluate(STATE)
    assert state["rate"] == pytest.approx(0.85) and state["slow"] == "true"
    assert cdp.evaluate('localStorage.getItem("audiogen:slow")') == "1"
    click_line(cdp, QUOTE)  # a line played alone stays slow
    events = wait_for(cdp, "pause", 1)
    assert all(e["rate"] == pytest.approx(0.85) for e in events if e["name"] == "playing")
    cdp.evaluate('document.querySelector("#lesson-1 button.slow").click(); true')
    assert cdp.evaluate(STATE)["rate"] == 1 and cdp.evaluate(STATE)["slow"] == "false"


def test_keys_step_through_lines_and_play_or_pause(browser):
    cdp, _ = browser
    click_line(cdp, QUOTE)
    wait_for(cdp, "pause", 1)
    cdp.evaluate("window.events = []; true")
    press(cdp, "right")
    events = wait_for(cdp, "pause", 1)
    assert abs(next(e for e in events if e["name"] == "seeked")["t"] - SPOKEN[QUOTE + 1][4]) < 0.05
    assert cdp.evaluate(STATE)["active"] == QUOTE + 1
    cdp.evaluate("window.events = []; true")
    press(cdp, "left")
    wait_for(cdp, "pause", 1)
    assert cdp.evaluate(STATE)["active"] == QUOTE
    # space plays on from here, and pauses; with a line focused it does not replay that line
    cdp.evaluate('document.querySelectorAll("#lesson-1 .line")[0].focus(); window.events = []; true')
    press(cdp, "space")
    wait_for(cdp, "playing", 1)
    state = cdp.evaluate(STATE)
    assert not state["paused"] and state["time"] >= QUOTE_END - 0.1
    press(cdp, "space")
    wait_for(cdp, "pause", 1)
    assert cdp.evaluate(STATE)["paused"]


def test_the_place_in_each_lesson_is_remembered(browser):
    cdp, url = browser
    cdp.evaluate('document.querySelectorAll("#lesson-1 .chapters button")[2].click(); true')  # "Sentences"
    wait_for(cdp, "playing", 1)
    cdp.evaluate('new Promise(function (r) { setTimeout(r, 600); })')
    cdp.evaluate('document.querySelector("#lesson-1 audio").pause(); true')
    saved = float(cdp.evaluate('localStorage.getItem("audiogen:lesson-1")'))
    assert saved > QUOTE_START
    cdp.evaluate('document.getElementById("lesson-2").open = true; true')
    cdp.open(url)
    # lesson 2 was opened last, so it opens again; lesson 1 resumes where it stopped when opened
    assert cdp.evaluate('document.getElementById("lesson-2").open') is True
    assert cdp.evaluate('document.querySelector("#lesson-1 audio")') is None
    cdp.evaluate('document.getElementById("lesson-1").open = true; true')
    wait_for_lines(cdp, "lesson-1")
    resumed = cdp.evaluate("""new Promise(function (resolve) {
        var audio = document.querySelector("#lesson-1 audio"), started = performance.now();
        (function check() {
          var shown = document.querySelector("#lesson-1 .line.active");
          if ((audio.currentTime > 0 && shown) || performance.now() - started > 20000) resolve(audio.currentTime);
          else setTimeout(check, 20);
        })();
    })""")
    assert abs(resumed - saved) < 0.05
    assert cdp.evaluate(STATE)["active"] == QUOTE


def test_a_phone_reads_it_without_sideways_scrolling(browser):
    cdp, url = browser
    cdp.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=3, mobile=True)
    cdp.open(url)
    cdp.evaluate('document.querySelectorAll("details").forEach(function (d) { d.open = true; }); true')
    for slug in ("lesson-1", "lesson-2", "lesson-3"):
        wait_for_lines(cdp, slug)
    widths = cdp.evaluate("""(function () {
        var widest = 0;
        document.querySelectorAll("body *").forEach(function (el) { widest = Math.max(widest, el.getBoundingClientRect().right); });
        return {inner: window.innerWidth, scroll: document.documentElement.scrollWidth, widest: widest};
    })()""")
    assert widths["inner"] == 390 and widths["scroll"] <= 390 and widths["widest"] <= 390, widths


# --- a show of 200 lessons -------------------------------------------------------------------

LINES_PER_LESSON = 60  # a six-minute lesson speaks about this many lines


@pytest.fixture(scope="module")
def big_site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("big")
    m = make_site(out, episodes=200)
    segments = [("quote" if k % 5 == 0 else "narration", "en" if k % 5 == 0 else "ko",
                 f"{k}번째 문장은 이렇게 조금 긴 설명으로 이어집니다, 실제 강의처럼." if k % 5 else
                 f"Sentence {k} is a key sentence of a realistic length to repeat.", 1.0, k * 3.0, k * 3.0 + 2.5)
                for k in range(LINES_PER_LESSON)]
    for e in m.episodes:
        write_side_files(out, e.slug, segments)
    from audiogen.feed import page
    (out / "index.html").write_text(page.render(m, out), encoding="utf-8")
    return out


def test_a_200_lesson_page_loads_in_under_a_second_and_fetches_almost_nothing(big_site, tmp_path):
    server, url = served(big_site)
    try:
        with chromium(tmp_path / "profile") as cdp:
            cdp.open(url)  # a first visit warms the browser; the second is the one measured
            cdp.events.clear()
            cdp.open(url)
            timing = cdp.evaluate("JSON.stringify(performance.getEntriesByType('navigation')[0])")
            lines = wait_for_lines(cdp, "lesson-1")
            cdp.evaluate('new Promise(function (r) { setTimeout(r, 500); })')  # the opened lesson's requests
            requests = [e["params"]["request"]["url"] for e in cdp.events if e.get("method") == "Network.requestWillBeSent"
                        and not e["params"]["request"]["url"].startswith("data:")]  # the player's own icons
            assert cdp.errors() == []
    finally:
        server.shutdown()
        server.server_close()
    timing = json.loads(timing)
    load_ms = timing["loadEventEnd"]
    print({k: round(v) for k, v in timing.items() if isinstance(v, (int, float)) and v})
    print(f"200 lessons, {lines} lines, {(big_site / 'index.html').stat().st_size} bytes: loaded in {load_ms:.0f} ms, "
          f"{len(requests)} requests")
    assert lines == LINES_PER_LESSON  # the opened lesson's, and only those
    assert load_ms < 1000
    # the page and its cover, then only the opened lesson's MP3 (asked in ranges), VTT and script
    assert {u[len(url):] for u in requests} <= {"", "cover.jpg", "episodes/lesson-1.mp3", "episodes/lesson-1.vtt",
                                                "episodes/lesson-1.json"}, requests
    assert len(requests) <= 10, requests
