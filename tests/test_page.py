"""index.html: its structure (lxml). The page in a real browser: test_page_browser.py."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lhtml

from audiogen.feed import manifest, page
from page_site import CHAPTERS, HOSTILE, make_site


def has_class(name: str) -> str:
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> tuple[Path, manifest.Manifest]:
    out = tmp_path_factory.mktemp("page")
    (out / "deck-0123456789ab.apkg").write_bytes(b"PK")
    return out, make_site(out, deck=manifest.Deck(file="deck-0123456789ab.apkg", notes=7))


@pytest.fixture(scope="module")
def doc(site):
    return lhtml.fromstring((site[0] / "index.html").read_bytes())


def test_every_lesson_has_a_player_chapters_and_its_transcript_on_demand(site, doc):
    out, m = site
    articles = doc.xpath(f"//details[{has_class('episode')}]")
    assert [a.get("id") for a in articles] == ["lesson-1", "lesson-2", "lesson-3"]  # lesson order
    for article in articles:
        episode = next(e for e in m.episodes if e.slug == article.get("id"))
        assert article.get("open") is None  # the page opens one with JavaScript; none loads before
        # nothing loads before the lesson is opened: its player is made then, with its caption track
        assert not article.xpath(".//audio | .//track")
        (player,) = article.xpath(f".//div[{has_class('player')}]")
        assert player.get("data-mp3") == episode.mp3 and (out / episode.mp3).is_file()
        assert player.get("data-track") == episode.transcript
        assert player.xpath("./a/@href") == [episode.mp3]  # without JavaScript, a link to the MP3
        chapters = article.xpath(f".//nav[{has_class('chapters')}]//button")
        assert [float(b.get("data-t")) for b in chapters] == [t for t, _ in CHAPTERS]
        (box,) = article.xpath(f".//div[{has_class('transcript')}]")
        assert box.get("data-src") == episode.script and (out / episode.script).is_file()
        # without JavaScript (or from a file:// URL) the transcript is a link away
        assert box.xpath("./a/@href") == [episode.transcript]
        tools = article.xpath(f".//button[{has_class('loop')}] | .//button[{has_class('slow')}]")
        assert [b.get("aria-pressed") for b in tools] == ["false", "false"]


def test_the_deck_is_linked_for_download(doc):
    (link,) = doc.xpath(f"//a[{has_class('deck')}]")
    assert link.get("href") == "deck-0123456789ab.apkg" and link.get("download") is not None
    assert "7 notes" in link.text_content()


def test_no_deck_no_link(site, tmp_path):
    _, m = site
    text = page.render(manifest.Manifest(m.show, m.episodes), site[0])
    assert not lhtml.fromstring(text).xpath(f"//a[{has_class('deck')}]")


def test_page_is_self_contained(doc):
    for el in doc.iter():
        for attr in ("src", "href", "data-track", "data-mp3", "data-src"):
            value = el.get(attr)
            if value and attr == "href" and value.startswith("podcast://"):
                continue
            assert not value or "//" not in value, (el.tag, value)
    assert not doc.xpath('//link[@rel="stylesheet"]')
    assert doc.xpath('//a[@href="feed.xml"]')
    (csp,) = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert "default-src 'none'" in csp and "script-src 'sha256-" in csp and "unsafe-inline" not in csp


def test_seed_text_is_escaped(doc):
    scripts = doc.xpath("//script")
    assert len(scripts) == 1 and scripts[0].text == page.SCRIPT
    assert not doc.xpath("//img[@onerror]") and not doc.xpath("//details//i | //header//i | //details//b")
    titles = [h.text_content() for h in doc.xpath("//details//h2")]
    assert HOSTILE in titles
    assert doc.xpath("//h1")[0].text_content() == "영어 한 문장 <i>"


def test_missing_side_files_do_not_break_the_page(site, tmp_path):
    _, m = site
    doc = lhtml.fromstring(page.render(m, tmp_path))  # no chapters there
    assert len(doc.xpath(f"//div[{has_class('player')}]")) == 3 and not doc.xpath(f"//nav[{has_class('chapters')}]//button")


# --- the front end in its own files ---------------------------------------------------------------

FRONT_END = Path(page.__file__).parent / "page_files"


def test_the_page_inlines_its_own_files_with_their_hashes(doc):
    """What the page runs and styles itself with is the packaged page.js and page.css, allowed by hash."""
    assert page.SCRIPT == (FRONT_END / "page.js").read_text(encoding="utf-8")
    assert page.STYLE == (FRONT_END / "page.css").read_text(encoding="utf-8")
    assert doc.xpath("//style")[0].text == page.STYLE
    (csp,) = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert f"script-src {page._csp_hash(page.SCRIPT)};" in csp and f"style-src {page._csp_hash(page.STYLE)};" in csp


def test_the_page_script_parses_as_javascript():
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("no node on this machine: page.js is checked with `node --check` only where node is installed")
    result = subprocess.run([node, "--check", str(FRONT_END / "page.js")], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_page_py_holds_no_javascript_or_css():
    """The front end stays in page_files/, where editors and linters see it: none of it creeps back into Python."""
    source = Path(page.__file__).read_text(encoding="utf-8")
    code = re.compile(r"\bfunction\s*\(|addEventListener|\bvar\s|=>|[\w.#:\]-]\s*\{\s*[\w-]+\s*:[^{}]*;")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            assert not code.search(node.value), node.value[:80]
    # and the probe itself finds both kinds in the real files
    assert code.search(page.SCRIPT) and code.search(page.STYLE)
