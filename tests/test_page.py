"""index.html: its structure (lxml), and the real thing in headless Chromium over our own server."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import websocket  # websocket-client: a minimal Chrome DevTools Protocol client below
from lxml import html as lhtml
from PIL import Image

from audiogen.model import Episode
from audiogen.feed import manifest, page, serve
from helpers import make_mp3

HOSTILE = '</title><script>window.pwned=1</script><img src=x onerror="window.pwned=2">'
CUES = [(0.0, 1.0, "안녕하세요, 오늘의 표현입니다."), (1.0, 2.2, "engineered in"), (2.2, 3.5, "내재되어야 한다")]
CHAPTERS = [(0.0, "Opening"), (1.0, "Expressions"), (2.2, "Review")]


def vtt_time(t: float) -> str:
    return f"00:{int(t // 60):02d}:{t % 60:06.3f}"


def make_episode(out: Path, n: int, title: str, kind: str = "full") -> Episode:
    slug = f"lesson-{n}"
    make_mp3(out / f"episodes/{slug}.mp3", 4.0, 300 + 50 * n)
    cues = "".join(f"\n{vtt_time(a)} --> {vtt_time(b)}\n{text}\n" for a, b, text in CUES)
    (out / f"episodes/{slug}.vtt").write_text("WEBVTT\n" + cues, encoding="utf-8")
    chapters = {"version": "1.2.0", "chapters": [{"startTime": t, "title": c} for t, c in CHAPTERS]}
    (out / f"episodes/{slug}.chapters.json").write_text(json.dumps(chapters), encoding="utf-8")
    return Episode(
        slug=slug, guid=f"g{n}", title=title, episode_type=kind,  # type: ignore[arg-type]
        description=f"Key expressions {n} <b>not bold</b>",
        pub_date=dt.datetime(2024, 3, n, tzinfo=dt.timezone.utc),
        mp3=f"episodes/{slug}.mp3", script=f"episodes/{slug}.json", transcript=f"episodes/{slug}.vtt",
        chapters=f"episodes/{slug}.chapters.json", duration_s=4.0,
        bytes=(out / f"episodes/{slug}.mp3").stat().st_size, number=n if kind == "full" else None,
    )


def has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, manifest.Manifest]:
    out = tmp_path_factory.mktemp("page")
    Image.new("RGB", (64, 64), (40, 90, 160)).save(out / "cover.jpg")
    # given newest first on purpose: the page shows lesson order
    episodes = [make_episode(out, 3, "Bonus review", "bonus"), make_episode(out, 2, HOSTILE),
                make_episode(out, 1, "Lesson 1: engineered in")]
    show = manifest.Show(title="영어 한 문장 <i>", description="Bilingual & friendly", author="Kim",
                         email="kim@example.org", base_url="http://127.0.0.1:8000/", cover="cover.jpg")
    m = manifest.Manifest(show, episodes)
    (out / "index.html").write_text(page.render(m, out), encoding="utf-8")
    return out, m


@pytest.fixture(scope="module")
def doc(site):
    return lhtml.fromstring((site[0] / "index.html").read_bytes())


def test_every_episode_has_a_player_with_captions_and_chapters(site, doc):
    out, m = site
    articles = doc.xpath(f"//article[{has_class('episode')}]")
    assert [a.get("id") for a in articles] == ["lesson-1", "lesson-2", "lesson-3"]  # lesson order
    for article in articles:
        episode = next(e for e in m.episodes if e.slug == article.get("id"))
        (audio,) = article.xpath(".//audio")
        assert audio.get("src") == episode.mp3 and (out / audio.get("src")).is_file()
        assert audio.get("controls") is not None and audio.get("preload") == "metadata"
        (track,) = audio.xpath("./track")
        assert track.get("src") == episode.transcript and track.get("srclang") == "ko"
        assert track.get("kind") in ("captions", "subtitles") and track.get("default") is not None
        chapters = article.xpath(f".//nav[{has_class('chapters')}]//button")
        assert [float(b.get("data-t")) for b in chapters] == [t for t, _ in CHAPTERS]
        assert [b.text_content().split(" ", 1)[1] for b in chapters] == [c for _, c in CHAPTERS]
        cues = article.xpath(f".//div[{has_class('transcript')}]/p[{has_class('cue')}]")
        assert [c.text_content() for c in cues] == [text for _, _, text in CUES]
        assert [c.get("lang") for c in cues] == ["ko", "en", "ko"]
        assert float(cues[1].get("data-start")) == 1.0 and float(cues[1].get("data-end")) == 2.2


def test_page_is_self_contained(doc):
    for el in doc.iter():
        for attr in ("src", "href"):
            value = el.get(attr)
            if value and attr == "href" and value.startswith("podcast://"):
                continue
            assert not value or "//" not in value, (el.tag, value)
    assert not doc.xpath('//link[@rel="stylesheet"]')
    assert doc.xpath('//a[@href="feed.xml"]')
    (csp,) = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert "script-src 'sha256-" in csp and "unsafe-inline" not in csp


def test_seed_text_is_escaped(doc):
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text == page.SCRIPT
    assert not doc.xpath("//img[@onerror]") and not doc.xpath("//article//i | //header//i | //article//b")
    titles = [h.text_content() for h in doc.xpath("//article//h2")]
    assert HOSTILE in titles
    assert doc.xpath("//h1")[0].text_content() == "영어 한 문장 <i>"


def test_missing_side_files_do_not_break_the_page(site, tmp_path):
    _, m = site
    text = page.render(m, tmp_path)  # no VTT or chapters there
    doc = lhtml.fromstring(text)
    assert len(doc.xpath("//audio")) == 3 and not doc.xpath(f"//p[{has_class('cue')}]")


def test_read_vtt_strips_tags_and_keeps_times():
    cues = page.read_vtt("WEBVTT\n\nNOTE hi\n\n1\n00:01.500 --> 00:00:03.250 align:start\n<v Host><lang en>Tom &amp; Jerry</lang>\n")
    assert cues == [page.Cue(1.5, 3.25, "Tom & Jerry")]


# --- in a real browser ---------------------------------------------------------


class DevTools:
    """Just enough of the Chrome DevTools Protocol: commands, and events collected on the way."""

    def __init__(self, ws_url: str):
        self.ws = websocket.create_connection(ws_url, timeout=60, suppress_origin=True)
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params) -> dict:
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self.next_id:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg["result"]
            self.events.append(msg)

    def wait_event(self, method: str) -> dict:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            msg = json.loads(self.ws.recv())
            self.events.append(msg)
            if msg.get("method") == method:
                return msg

    def evaluate(self, expression: str):
        result = self.call("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True,
                           userGesture=True)
        if "exceptionDetails" in result:
            raise AssertionError(result["exceptionDetails"])
        return result["result"].get("value")

    def errors(self) -> list:
        out = []
        for e in self.events:
            m, p = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                out.append(p["exceptionDetails"])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append(p)
            elif m == "Log.entryAdded" and p["entry"].get("level") == "error":
                out.append(p["entry"])
        return out


@pytest.fixture
def browser(site, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        if os.environ.get("CI"):  # CI promises a browser (.ci/run installs Debian's chromium): missing is a failure
            pytest.fail("chromium is not installed: .ci/run installs it (apt-get install -y chromium)")
        pytest.skip("no chromium on this machine: the page is checked in a real browser only where one is installed")
    server = serve.make_server(site[0], "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    profile = tmp_path / "profile"
    proc = subprocess.Popen(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--mute-audio", "--remote-debugging-address=127.0.0.1",
         "--remote-debugging-port=0", f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(600):  # Chromium writes its port here once it listens
            if port_file.is_file() and len(port_file.read_text().splitlines()) >= 2:
                break
            if proc.poll() is not None:
                pytest.fail(f"chromium exited with {proc.returncode}")
            time.sleep(0.05)
        devtools_port = int(port_file.read_text().splitlines()[0])
        with urllib.request.urlopen(f"http://127.0.0.1:{devtools_port}/json/list", timeout=30) as r:
            targets = json.load(r)
        target = next(t for t in targets if t["type"] == "page")
        cdp = DevTools(target["webSocketDebuggerUrl"])
        for domain in ("Runtime", "Log", "Page"):
            cdp.call(f"{domain}.enable")
        yield cdp, f"http://127.0.0.1:{server.server_address[1]}/"
        cdp.ws.close()
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        server.shutdown()
        server.server_close()


WAIT_FOR_PLAYER = """
new Promise(function (resolve) {
  var audio = document.querySelector("#lesson-1 audio");
  var track = document.querySelector("#lesson-1 track");
  function check() {
    if (audio.readyState >= 1 && track.readyState === 2) resolve({duration: audio.duration, cues: audio.textTracks[0].cues.length});
  }
  audio.addEventListener("loadedmetadata", check);
  track.addEventListener("load", check);
  track.addEventListener("error", function () { resolve({error: "track failed to load"}); });
  audio.addEventListener("error", function () { resolve({error: "audio failed to load"}); });
  check();
})
"""

SEEK_TO = """
new Promise(function (resolve) {
  var audio = document.querySelector("#lesson-1 audio");
  audio.addEventListener("seeked", function () {
    setTimeout(function () {
      var active = document.querySelectorAll("#lesson-1 .cue.active");
      var chapter = document.querySelector("#lesson-1 .chapters button.active");
      resolve({active: Array.prototype.map.call(active, function (e) { return e.textContent; }),
               chapter: chapter && chapter.textContent, time: audio.currentTime});
    }, 0);
  }, {once: true});
  audio.currentTime = %s;
})
"""

CLICK_LINE = """
new Promise(function (resolve) {
  var audio = document.querySelector("#lesson-2 audio");
  var line = document.querySelectorAll("#lesson-2 .cue")[2];
  audio.addEventListener("seeked", function () {
    audio.pause();
    resolve({time: audio.currentTime, active: line.classList.contains("active")});
  }, {once: true});
  line.click();
})
"""


def test_page_plays_in_chromium(browser):
    cdp, url = browser
    cdp.call("Page.navigate", url=url)
    cdp.wait_event("Page.loadEventFired")

    player = cdp.evaluate(WAIT_FOR_PLAYER)
    assert "error" not in player, player
    assert 3.5 < player["duration"] < 4.5  # finite, and the length of the MP3
    assert player["cues"] == len(CUES)

    seeked = cdp.evaluate(SEEK_TO % 1.5)
    assert seeked["active"] == ["engineered in"]
    assert "Expressions" in seeked["chapter"]
    seeked = cdp.evaluate(SEEK_TO % 0.2)
    assert seeked["active"] == [CUES[0][2]]

    clicked = cdp.evaluate(CLICK_LINE)
    assert abs(clicked["time"] - CUES[2][0]) < 0.05 and clicked["active"]

    assert cdp.evaluate("window.pwned === undefined && document.scripts.length === 1")
    assert cdp.evaluate("document.getElementById('feed-url').textContent") == url + "feed.xml"
    assert cdp.errors() == []
