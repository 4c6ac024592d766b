"""Published means fixed: once an item is in the feed, its GUID, enclosure, season and episode
number, and the show's title and cover stay as they were when another article is added (even one
dated before the others), removed, or re-dated. Only an edit of an item's own seed gives it new
audio: as a new, corrected item under `[feed] corrections = "republish"` (the default), under the
same GUID under "update" (and removing an article or editing it, the lesson that recalled its items,
under its own GUID). Real builds through the command line, offline engine, item XML
compared byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest
from lxml import etree

ITUNES = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"


def article(title: str, date: str, topic: str, english: str) -> str:
    """A one-lesson article (one lesson each: no review episode comes or goes with the others)."""
    return (f"---\ntitle: {title}\nauthor: {title} 작가\ndate: {date}\n---\n\n"
            f"## 1. {topic}\n\n{topic}에 대해 이야기합니다. 이것을 연습(practice)이라고 부릅니다.\n\n"
            f'> "{english}"\n')


SEEDS = {
    "march.md": article("삼월의 회의 영어", "2026-03-02", "회의를 여는 말", "Let's get started with the agenda"),
    "april.md": article("사월의 이메일 영어", "2026-04-06", "메일을 맺는 말", "Looking forward to hearing from you"),
}
OLDER = ("older.md", article("일월의 인사 영어", "2026-01-05", "처음 만나는 인사", "It is a pleasure to meet you"))


def audiogen(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "audiogen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}, timeout=600)
    assert proc.returncode == 0, proc.stderr
    return proc


def build(work: Path) -> None:
    audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
             "--base-url", "https://lessons.example.com/pod/", cwd=work)


def items(work: Path) -> dict[str, bytes]:
    """Every item of the feed as XML bytes, by GUID."""
    root = etree.parse(str(work / "public" / "feed.xml"))
    return {i.findtext("guid"): etree.tostring(i, with_tail=False) for i in root.iter("item")}


def channel(work: Path) -> dict[str, str | None]:
    root = etree.parse(str(work / "public" / "feed.xml")).getroot().find("channel")
    return {"title": root.findtext("title"), "author": root.findtext(f"{ITUNES}author"),
            "cover": root.find(f"{ITUNES}image").get("href"), "image": root.findtext("image/url")}


def seasons(work: Path) -> dict[str, str]:
    root = etree.parse(str(work / "public" / "feed.xml"))
    return {i.findtext("guid"): i.findtext(f"{ITUNES}season") for i in root.iter("item")}


@pytest.fixture(scope="module", params=["without podcast.toml", "with podcast.toml"])
def published(request, tmp_path_factory):
    work = tmp_path_factory.mktemp("stable")
    (work / "seeds").mkdir()
    for name, text in SEEDS.items():
        (work / "seeds" / name).write_text(text, encoding="utf-8")
    if request.param == "with podcast.toml":
        (work / "podcast.toml").write_text('[show]\ntitle = "출근길 영어"\n', encoding="utf-8")
    build(work)
    return work


@pytest.fixture
def work(published, tmp_path):
    copy = tmp_path / "w"
    shutil.copytree(published, copy)
    return copy


def test_adding_an_older_article_changes_no_published_item(published, work):
    old, show = items(published), channel(published)
    name, text = OLDER
    (work / "seeds" / name).write_text(text, encoding="utf-8")
    proc = audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
                    "--base-url", "https://lessons.example.com/pod/", cwd=work)
    new = items(work)
    assert len(new) == len(old) + 1
    for guid, xml in old.items():
        assert new[guid] == xml, f"item {guid} changed"
    assert channel(work) == show, "the show's title or cover changed"
    assert "1 to render" in proc.stderr + proc.stdout  # only the new article's lesson
    added = next(g for g in new if g not in old)
    assert int(seasons(work)[added]) == 3  # the next season, though it is the oldest article


def identity(xml: bytes) -> dict[str, str | None]:
    """What names an item in a podcast app: everything but its audio."""
    item = etree.fromstring(xml)
    return {"guid": item.findtext("guid"), "title": item.findtext("title"),
            "season": item.findtext(f"{ITUNES}season"), "episode": item.findtext(f"{ITUNES}episode")}


def test_removing_an_article_changes_no_other_item(published, work):
    """The one exception, by design: the lesson that recalled the removed article's items recalls
    others now, so it gets new audio, under the same GUID, title, season and number."""
    old = items(published)
    (work / "seeds" / "march.md").unlink()
    build(work)
    new = items(work)
    assert len(new) == len(old) - 1
    recalling = next(guid for guid, xml in new.items() if "메일을 맺는 말" in identity(xml)["title"])
    for guid, xml in new.items():
        if guid == recalling:
            assert identity(old[guid]) == identity(xml)
        else:
            assert old[guid] == xml, f"item {guid} changed"
    # and the article, back again, takes its own season back
    (work / "seeds" / "march.md").write_text(SEEDS["march.md"], encoding="utf-8")
    build(work)
    assert seasons(work) == seasons(published)


def test_redating_an_article_earlier_moves_no_other_item(published, work):
    old = items(published)
    (work / "seeds" / "april.md").write_text(SEEDS["april.md"].replace("2026-04-06", "2025-11-03"), encoding="utf-8")
    build(work)
    new = items(work)
    assert set(new) == set(old)
    march = [g for g in old if old[g] == new[g]]
    assert len(march) == 1  # april's own item has a new date; march's is untouched
    assert seasons(work) == seasons(published)
    assert channel(work) == channel(published)


def test_an_edit_of_its_own_content_is_republished_and_its_neighbour_keeps_its_guid(published, work):
    """The default, `[feed] corrections = "republish"`: the edited lesson is a new item (new GUID, a
    title saying it was corrected, the old item gone), so apps that downloaded it get the correction;
    the next lesson, re-rendered only because it recalls the edited term, keeps its GUID and title."""
    old = items(published)
    (work / "seeds" / "march.md").write_text(SEEDS["march.md"].replace("연습(practice)", "준비(preparation)"),
                                             encoding="utf-8")
    build(work)
    new = items(work)
    assert len(new) == len(old)
    gone, added = set(old) - set(new), set(new) - set(old)
    assert len(gone) == 1 and len(added) == 1
    (was,), (corrected,) = gone, added
    assert identity(new[corrected])["title"] == identity(old[was])["title"] + " (수정본)"
    assert seasons(work)[corrected] == seasons(published)[was]
    enclosure = lambda xml: etree.fromstring(xml).find("enclosure").get("url")  # noqa: E731
    assert enclosure(new[corrected]) != enclosure(old[was])
    recalling = [g for g in set(old) & set(new) if old[g] != new[g]]
    assert len(recalling) == 1 and "메일을 맺는 말" in identity(new[recalling[0]])["title"]
    assert identity(new[recalling[0]]) == identity(old[recalling[0]])
    assert enclosure(new[recalling[0]]) != enclosure(old[recalling[0]])
    manifest = json.loads((work / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["revision"] for e in manifest["episodes"]) == [0, 1]
    # podcast clients' parsers (gPodder's, feedparser) see one item per lesson, the corrected one among them
    with (work / "public" / "feed.xml").open("rb") as f:
        parsed = podcastparser.parse("https://lessons.example.com/pod/feed.xml", f)
    assert sorted(e["guid"] for e in parsed["episodes"]) == sorted(new)
    assert sorted(e.id for e in feedparser.parse(str(work / "public" / "feed.xml")).entries) == sorted(new)
    # built again with nothing edited: the corrected item stays exactly as it is
    build(work)
    assert items(work) == new


def test_under_update_an_edit_is_new_audio_under_the_same_guid(published, work):
    """`[feed] corrections = "update"`: the same items, the edited one and its recalling neighbour
    with new audio (apps that stream hear it; downloads keep the old file)."""
    config = work / "podcast.toml"
    config.write_text((config.read_text(encoding="utf-8") if config.exists() else "")
                      + '\n[feed]\ncorrections = "update"\n', encoding="utf-8")
    if "title" not in config.read_text(encoding="utf-8"):  # the show keeps the name it was published under
        config.write_text(f'[show]\ntitle = "{channel(published)["title"]}"\nauthor = "삼월의 회의 영어 작가"\n'
                          + config.read_text(encoding="utf-8"), encoding="utf-8")
    old = items(published)
    (work / "seeds" / "march.md").write_text(SEEDS["march.md"].replace("연습(practice)", "준비(preparation)"),
                                             encoding="utf-8")
    build(work)
    new = items(work)
    assert set(new) == set(old)
    changed = {identity(old[g])["title"] for g in old if old[g] != new[g]}
    # the edited lesson, and the next one, which recalls the edited term
    assert len(changed) == 2 and any("회의를 여는 말" in t for t in changed) and any("메일을 맺는 말" in t for t in changed)
    enclosure = lambda xml: etree.fromstring(xml).find("enclosure").get("url")  # noqa: E731
    for g in old:
        if old[g] != new[g]:
            assert enclosure(new[g]) != enclosure(old[g]) and identity(new[g]) == identity(old[g])
    assert seasons(work) == seasons(published)
    manifest = json.loads((work / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(e["revision"] for e in manifest["episodes"]) == [0, 1]  # the edit is counted all the same


def test_the_manifest_keeps_every_season_it_gave(published, work):
    manifest = json.loads((published / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["seasons"] == {"april": 2, "march": 1}


def plain_article(*sections: tuple[str, str]) -> str:
    """An article of plain `##` headings (no numbers), each with its own text and key sentence."""
    body = "".join(f"## {heading}\n\n{text}\n\n> \"{english}\"\n\n" for heading, (text, english) in sections)
    return "---\ntitle: 말 모음\ndate: 2026-03-02\n---\n\n" + body


PLAIN = {
    "회의를 여는 말": ("회의를 시작할 때는 안건(agenda)을 먼저 말합니다.", "Let's start with the agenda"),
    "메일을 맺는 말": ("메일의 끝에는 다음 단계를 적고 답장을 기다린다고 씁니다.", "Looking forward to hearing from you"),
    "전화를 거는 말": ("전화를 걸면 먼저 이름과 용건(purpose)을 밝힙니다.", "I'm calling about the invoice"),
}


def test_plain_headings_keep_their_guids_when_sections_are_inserted_fixed_or_reordered(tmp_path):
    """The issue's case: a section inserted at the top moved every GUID down onto the wrong
    section. Each section keeps its GUID and season; a heading's typo fix keeps it too."""
    work = tmp_path / "w"
    (work / "seeds").mkdir(parents=True)
    seed = work / "seeds" / "phrases.md"

    def by_title() -> dict[str, tuple[str, str | None]]:
        root = etree.parse(str(work / "public" / "feed.xml"))
        return {i.findtext("title"): (i.findtext("guid"), i.findtext(f"{ITUNES}season")) for i in root.iter("item")
                if i.findtext(f"{ITUNES}episodeType") == "full"}

    typo = {"회의를 여는 맗": PLAIN["회의를 여는 말"], "메일을 맺는 말": PLAIN["메일을 맺는 말"]}
    seed.write_text(plain_article(*typo.items()), encoding="utf-8")
    build(work)
    first = by_title()
    assert set(first) == {"회의를 여는 맗", "메일을 맺는 말"}

    # a section at the top, and the typo fixed
    seed.write_text(plain_article(("전화를 거는 말", PLAIN["전화를 거는 말"]), ("회의를 여는 말", PLAIN["회의를 여는 말"]),
                                  ("메일을 맺는 말", PLAIN["메일을 맺는 말"])), encoding="utf-8")
    build(work)
    second = by_title()
    assert second["회의를 여는 말"] == first["회의를 여는 맗"]
    assert second["메일을 맺는 말"] == first["메일을 맺는 말"]
    assert second["전화를 거는 말"][0] not in {guid for guid, _ in first.values()}

    # reordered, one removed: the rest keep theirs
    seed.write_text(plain_article(("메일을 맺는 말", PLAIN["메일을 맺는 말"]), ("전화를 거는 말", PLAIN["전화를 거는 말"])),
                    encoding="utf-8")
    build(work)
    third = by_title()
    assert third == {k: second[k] for k in ("메일을 맺는 말", "전화를 거는 말")}
