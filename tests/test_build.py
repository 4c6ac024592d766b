"""End to end: the user's article through the real command line, offline engine, real ffmpeg, real
feed parsers. One cold build is shared by the module; the incremental tests copy its output."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import feedparser
import podcastparser
import pytest
from imageio_ffmpeg import get_ffmpeg_exe

ARTICLE = Path(__file__).resolve().parent / "fixtures" / "seeds" / "small-giant-article.txt"
NOISE = ("본문 바로가기", "728x90", "배움: MBA", "by Heedong-Kim", "Heedong-Kim")


def audiogen(*args: str, cwd: Path, check: bool = True) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "audiogen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**__import__("os").environ, "SOURCE_DATE_EPOCH": "1767225600"})
    if check and proc.returncode != 0:
        raise AssertionError(f"audiogen {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def decoded_seconds(mp3: Path) -> float:
    pcm = subprocess.run([get_ffmpeg_exe(), "-v", "error", "-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", "8000",
                          "pipe:1"], capture_output=True, check=True).stdout
    return len(pcm) / 2 / 8000


def snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(folder).as_posix(): (p.stat().st_mtime_ns, p.stat().st_size)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("build")
    seeds = work / "seeds"
    seeds.mkdir()
    shutil.copy(ARTICLE, seeds / ARTICLE.name)
    audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
             "--base-url", "https://lessons.example.com/pod/", "--report", "report.json", cwd=work)
    return work, json.loads((work / "report.json").read_text(encoding="utf-8"))


def test_user_article_gives_four_lessons_a_trailer_and_a_review(built):
    work, report = built
    types = [e["type"] for e in report["episodes"]]
    assert types == ["trailer", "full", "full", "full", "full", "bonus"]  # a review closes an article of 3+ lessons
    for e in report["episodes"]:
        mp3 = work / "public" / e["mp3"]
        assert mp3.stat().st_size == e["bytes"]
        seconds = decoded_seconds(mp3)
        assert seconds >= 20, (e["slug"], seconds)
        assert abs(seconds - e["duration_s"]) < 0.5


def test_no_page_noise_is_spoken(built):
    work, report = built
    for e in report["episodes"]:
        script = json.loads((work / "public" / e["script"]).read_text(encoding="utf-8"))
        spoken = " ".join(seg["text"] for seg in script["segments"])
        for noise in NOISE:
            assert noise not in spoken, (e["slug"], noise)


def test_report_follows_the_contract(built):
    work, report = built
    assert report["engine"] == "espeak"
    # every spoken segment of every episode was either synthesized or taken from the cache (a line
    # said twice, e.g. a sentence repeated at the same speed, is synthesized once)
    spoken = [(seg["lang"], seg["text"], seg["speed"]) for e in report["episodes"]
              for seg in json.loads((work / "public" / e["script"]).read_text(encoding="utf-8"))["segments"]
              if seg["lang"] is not None]
    assert report["segments_synthesized"] + report["segments_cached"] == len(spoken)
    assert report["segments_synthesized"] == len(set(spoken)), "a cold build synthesizes each distinct line once"
    assert isinstance(report["elapsed_s"], float)
    keys = {"slug", "title", "type", "guid", "mp3", "script", "transcript", "chapters", "duration_s", "bytes", "airtime"}
    for e in report["episodes"]:
        assert set(e) == keys
        assert set(e["airtime"]) == {"english", "learner", "framing"}
        assert all(0 < share < 1 for share in e["airtime"].values()) and sum(e["airtime"].values()) < 1
        assert e["mp3"].startswith("episodes/") and e["mp3"].endswith(".mp3")
        assert e["transcript"].endswith(".vtt") and e["chapters"].endswith(".json")


def test_script_json_follows_the_contract(built):
    work, report = built
    for e in report["episodes"]:
        script = json.loads((work / "public" / e["script"]).read_text(encoding="utf-8"))
        assert set(script) >= {"slug", "title", "segments"} and script["slug"] == e["slug"]
        last_end = 0.0
        for seg in script["segments"]:
            meaning = seg["kind"] in ("meaning", "gloss")
            assert set(seg) == {"kind", "lang", "text", "speed", "start", "end"} | ({"source"} if meaning else set())
            if meaning:
                assert seg["source"] in ("author", "teacher", "translator", "article")
            assert seg["lang"] in ("ko", "en", None)
            assert seg["start"] >= last_end - 1e-6 and seg["end"] >= seg["start"]
            last_end = seg["end"]
            if seg["lang"] is None:
                assert seg["text"] == ""
        assert last_end <= e["duration_s"] + 1e-3
        assert any(seg["lang"] == "en" for seg in script["segments"]), "a lesson speaks English"
        assert any(seg["lang"] == "ko" for seg in script["segments"]), "a lesson speaks Korean"


def test_real_podcast_clients_read_the_feed(built):
    work, report = built
    feed_path = work / "public" / "feed.xml"
    url = "https://lessons.example.com/pod/feed.xml"
    with feed_path.open("rb") as f:
        parsed = podcastparser.parse(url, f)
    assert len(parsed["episodes"]) == 6
    sizes = {e["mp3"]: e["bytes"] for e in report["episodes"]}
    for item in parsed["episodes"]:
        enclosure = item["enclosures"][0]
        rel = enclosure["url"].removeprefix("https://lessons.example.com/pod/")
        assert enclosure["file_size"] == sizes[rel] == (work / "public" / rel).stat().st_size
        assert enclosure["mime_type"] == "audio/mpeg"
    assert len({item["guid"] for item in parsed["episodes"]}) == 6
    fp = feedparser.parse(feed_path.read_bytes())
    assert not fp.bozo, fp.get("bozo_exception")
    assert len(fp.entries) == 6
    assert {entry.id for entry in fp.entries} == {e["guid"] for e in report["episodes"]}


def test_no_op_rebuild_touches_nothing(built, tmp_path):
    work, _ = built
    copy = tmp_path / "w"
    shutil.copytree(work, copy, symlinks=True)
    before = snapshot(copy / "public")
    audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
             "--base-url", "https://lessons.example.com/pod/", "--report", "again.json", cwd=copy)
    report = json.loads((copy / "again.json").read_text(encoding="utf-8"))
    assert report["segments_synthesized"] == 0
    assert snapshot(copy / "public") == before


def test_one_edit_rerenders_only_the_episodes_that_say_it(built, tmp_path):
    work, first = built
    copy = tmp_path / "w"
    shutil.copytree(work, copy, symlinks=True)
    seed = copy / "seeds" / ARTICLE.name
    text = seed.read_text(encoding="utf-8")
    old = "Most companies hide their outages. We publish ours."
    assert old in text
    seed.write_text(text.replace(old, "Most companies hide their outages. We never do."),
                    encoding="utf-8")
    before = snapshot(copy / "public")
    audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
             "--base-url", "https://lessons.example.com/pod/", "--report", "edit.json", cwd=copy)
    report = json.loads((copy / "edit.json").read_text(encoding="utf-8"))
    after = snapshot(copy / "public")
    changed = {rel for rel in set(before) | set(after) if before.get(rel) != after.get(rel)}
    changed_episodes = {rel for rel in changed if rel.startswith("episodes/")}
    old_by_slug = {e["slug"]: e for e in first["episodes"]}
    new_by_slug = {e["slug"]: e for e in report["episodes"]}
    moved = [slug for slug in new_by_slug if new_by_slug[slug]["mp3"] != old_by_slug[slug]["mp3"]]
    # exactly the episodes that said it: the lesson that teaches the sentence, those that let it be heard first
    # (the trailer's list, the outro before it), the later lessons that recall it, the review that drills it
    said = [e["slug"] for e in first["episodes"]
            if "We publish ours" in (work / "public" / e["script"]).read_text(encoding="utf-8")]
    assert moved == said and "small-giant-article-review" in moved, (moved, said)
    assert len(moved) <= 1 + 2 + 5 + 1  # taught, previewed twice, at most five recalls, the review
    assert all(slug_of(rel) in moved for rel in changed_episodes), changed_episodes
    # the lesson that teaches it is republished as a corrected episode (the default); the others only preview,
    # list or recall its sentence, so they keep their GUIDs
    corrected = [slug for slug in moved if new_by_slug[slug]["guid"] != old_by_slug[slug]["guid"]]
    assert corrected == ["small-giant-article-03"], corrected
    assert new_by_slug["small-giant-article-03"]["title"] == old_by_slug["small-giant-article-03"]["title"] + " (수정본)"
    assert 0 < report["segments_synthesized"] <= 6, "only the edited sentence's lines are synthesized"
    assert not any((copy / "public" / old_by_slug[slug]["mp3"]).exists() for slug in moved)


def slug_of(rel: str) -> str:
    return rel.split("/")[1].rsplit("-", 1)[0]


def test_rebuild_into_an_empty_folder_is_identical(built, tmp_path):
    work, first = built
    copy = tmp_path / "w"
    shutil.copytree(work / "seeds", copy / "seeds")
    audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", str(work / "cache"),
             "--base-url", "https://lessons.example.com/pod/", "--report", "r.json", cwd=copy)
    second = json.loads((copy / "r.json").read_text(encoding="utf-8"))
    strip = lambda r: [{k: v for k, v in e.items()} for e in r["episodes"]]  # noqa: E731
    assert strip(second) == strip(first)
    assert (copy / "public/feed.xml").read_bytes() == (work / "public/feed.xml").read_bytes()
    for e in first["episodes"]:
        assert (copy / "public" / e["mp3"]).read_bytes() == (work / "public" / e["mp3"]).read_bytes()


def test_episodes_meet_the_loudness_target_measured_by_ffmpeg(built):
    work, report = built
    for e in report["episodes"]:
        proc = subprocess.run([get_ffmpeg_exe(), "-nostats", "-i", str(work / "public" / e["mp3"]),
                               "-filter_complex", "ebur128=peak=true", "-f", "null", "-"],
                              capture_output=True, check=True)
        stderr = proc.stderr.decode("utf-8", errors="replace")
        summary = stderr[stderr.rindex("Summary:"):]
        integrated = float(summary.split("I:")[1].split("LUFS")[0])
        true_peak = float(summary.split("Peak:")[1].split("dBFS")[0])
        assert -17.0 <= integrated <= -15.0, (e["slug"], integrated)
        assert true_peak <= -1.0, (e["slug"], true_peak)


def test_episodes_carry_tags_chapters_and_cover(built):
    from mutagen.id3 import ID3
    from mutagen.mp3 import MP3

    work, report = built
    for e in report["episodes"]:
        path = work / "public" / e["mp3"]
        info = MP3(path).info
        assert info.channels == 1 and info.sample_rate == 44100 and info.bitrate >= 96000
        tags = ID3(path)
        assert tags.version[1] == 4
        assert str(tags["TIT2"]) == e["title"]
        assert tags.getall("APIC") and tags.getall("USLT") and tags.getall("CTOC")
        chapters = json.loads((work / "public" / e["chapters"]).read_text(encoding="utf-8"))["chapters"]
        assert len(tags.getall("CHAP")) == len(chapters) >= 3


def test_adding_a_seed_keeps_the_old_items_identical(built, tmp_path):
    from lxml import etree

    work, first = built
    copy = tmp_path / "w"
    shutil.copytree(work, copy, symlinks=True)
    (copy / "seeds" / "later.md").write_text(
        "---\ndate: 2026-02-01\n---\n# 나중 기사\n\n## 1. 새 주제\n\n새로운 문단입니다(new paragraph).\n\n"
        '> "A new sentence to learn"\n', encoding="utf-8")
    audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
             "--base-url", "https://lessons.example.com/pod/", "--report", "more.json", cwd=copy)
    items = lambda path: {i.findtext("guid"): etree.tostring(i, with_tail=False) for i in etree.parse(str(path)).iter("item")}  # noqa: E731
    old, new = items(work / "public/feed.xml"), items(copy / "public/feed.xml")
    assert len(new) == len(old) + 1  # the new lesson (the first article's review was there already)
    types = [i.findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}episodeType")
             for i in etree.parse(str(copy / "public/feed.xml")).iter("item")]
    assert types.count("bonus") == 1 and types.index("bonus") == len(old) - 1
    seasons = [i.findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}season")
               for i in etree.parse(str(copy / "public/feed.xml")).iter("item")]
    assert seasons == ["1"] * len(old) + ["2"], "each article is a season; its lessons restart at 1"
    for guid, xml in old.items():
        assert new[guid] == xml


THIN = """가격표 읽는 법

by Tester 2025. 9. 2.

1. 가치에서 출발하라

많은 창업자는 원가에 마진을 붙여 가격을 정합니다. 이를 원가 가산 가격 책정(cost-plus pricing)이라고 부릅니다.

"Your price is the first thing a customer learns about your product."

> 가격은 고객이 제품에 대해 가장 먼저 알게 되는 것이다.

2. 세 개의 요금제

많은 회사의 가격 페이지에는 요금제가 세 개 있습니다. 아무도 사지 않지만 옆 상품을 돋보이게 하는 미끼를 디코이(decoy)라고 부릅니다. 사람은 가격을 절대적으로 판단하지 못하고 옆에 놓인 선택지와 비교해서 판단합니다. 그래서 가운데 요금제가 가장 많이 팔립니다.
"""


def test_a_build_names_the_episodes_that_miss_a_lessons_airtime(tmp_path):
    """Measured, not guessed: the build's one warning line names exactly the episodes its report shows
    under a lesson's shares (a section whose only English is one loanword makes a thin lesson)."""
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "pricing.txt").write_text(THIN, encoding="utf-8")
    proc = audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
                    "--report", "report.json", cwd=tmp_path)
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    missing = {e["slug"] for e in report["episodes"] if e["airtime"]["english"] < 0.30
               or e["airtime"]["learner"] < 0.20 or e["airtime"]["framing"] > 0.12}
    assert "pricing-02" in missing, report["episodes"]
    line = next(x for x in proc.stderr.splitlines() if "miss a lesson's airtime" in x)
    named = set(re.findall(r"([a-z0-9-]+) \((?:English|pauses|framing) \d", line.split("): ", 1)[1]))
    assert named == missing, (line, missing)
    again = audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", cwd=tmp_path)
    assert "miss a lesson's airtime" not in again.stderr  # said when made, not in every build after
