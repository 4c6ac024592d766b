"""`audiogen add`: any source into a reviewable Markdown seed that builds the same lessons as
the source itself, round-trips, never overwrites unless told, and marks machine translations."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from pages import PAGES, Route, Site

from audiogen import build, cli, config, seed
from audiogen.progress import Reporter

FIXTURE_SEEDS = Path(__file__).parent / "fixtures" / "seeds"
PLATFORMS = ["tistory.html", "brunch.html", "medium.html", "wordpress.html", "velog.html", "news.html"]


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with Site() as s:
        yield s


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def add(*args: str) -> int:
    return cli.main(["add", *args, "-q"])


def scripts(source: Path | str) -> list[dict]:
    """Every episode's script as the build would make it from `source` (the user's edits aside)."""
    cfg = config.load(None)
    course = build.read_course(cfg, build.BuildRequest(seeds=[source]), Reporter(quiet=True), "https://example.com/podcast/", edits=False)
    return [dataclasses.asdict(s) for s in course.scripts]


def only_file(folder: Path) -> Path:
    files = sorted(folder.iterdir())
    assert len(files) == 1, files
    return files[0]


def test_add_a_url_writes_a_seed_to_review(site, work):
    url = site.page("/48", "tistory.html")
    assert add(url, "--to", "seeds") == 0
    text = (work / "seeds" / "oneline-english-tistory-com-48.md").read_text(encoding="utf-8")
    head = text.split("---")[1]
    for line in ("title: 회의를 짧게 끝내는 세 가지 습관", "author: 윤서진", "date: 2025-05-14",
                 "id: oneline-english-tistory-com-48", "source: https://oneline-english.tistory.com/48"):
        assert line in head.splitlines(), head
    assert "## 1. 안건을 먼저 보낸다" in text and "## 3. 다음 단계로 닫는다" in text
    assert '> "Please review the agenda before we meet."\n> 만나기 전에 안건을 검토해 주세요.' in text
    assert '> "Who makes the final call on this?"\n> 번역: ?' in text  # no meaning on the page: marked
    assert "- follow up = 후속 조치를 하다" in text and "- agenda = 안건" in text
    assert "agenda = [" not in text and "공유하기" not in text  # no code, no page noise


@pytest.mark.parametrize("fixture", PLATFORMS)
def test_add_then_build_gives_the_lessons_of_the_page_and_round_trips(site, work, fixture):
    url = site.page("/post/7", fixture)
    assert add(url, "--to", "seeds") == 0
    written = only_file(work / "seeds")
    assert scripts(written) == scripts(url)  # the same episodes, GUIDs and lines, without the network
    assert add(str(written), "--to", "again") == 0
    assert only_file(work / "again").read_bytes() == written.read_bytes()


def test_naver_post_through_its_frame(site, work):
    site.page("/PostView.naver?blogId=careerkim&logNo=223001&redirect=Dlog", "naver-postview.html")
    url = site.page("/careerkim/223001", "naver-outer.html")
    assert add(url, "--to", "seeds") == 0
    written = work / "seeds" / "blog-naver-com-careerkim-223001.md"
    assert "source: https://blog.naver.com/careerkim/223001" in written.read_text(encoding="utf-8")
    assert scripts(written) == scripts(url)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURE_SEEDS.iterdir()) + ["page.html"])
def test_files_add_and_build_the_same_and_round_trip(work, name):
    source = work / name
    source.write_bytes((PAGES / "wordpress.html" if name == "page.html" else FIXTURE_SEEDS / name).read_bytes())
    assert add(str(source), "--to", "seeds") == 0
    written = only_file(work / "seeds")
    assert written.name == f"{seed.read(source).seed_id}.md"
    assert scripts(written) == scripts(source)
    assert add(str(written), "--to", "again") == 0
    assert only_file(work / "again").read_bytes() == written.read_bytes()


def test_never_overwrites_without_force(work, capsys):
    source = work / "talk.txt"
    source.write_bytes((FIXTURE_SEEDS / "small-talk.txt").read_bytes())
    assert add(str(source)) == 0
    target = only_file(work / "seeds")
    target.write_text(target.read_text(encoding="utf-8") + "\nNote: 내가 고친 줄\n", encoding="utf-8")
    edited = target.read_bytes()
    capsys.readouterr()
    assert add(str(source)) == 1
    err = capsys.readouterr().err
    assert err.startswith("audiogen: error: ") and err.count("\n") == 1 and "--force" in err
    assert target.read_bytes() == edited
    assert add(str(source), "--force") == 0
    assert target.read_bytes() != edited and "내가 고친 줄" not in target.read_text(encoding="utf-8")


def test_one_bad_source_writes_nothing(site, work, capsys):
    good = site.page("/good", "brunch.html")
    site.routes["/bad"] = Route(404, b"gone")
    assert add(good, site.base + "/bad", "--to", "seeds") == 1
    err = capsys.readouterr().err
    assert "HTTP 404" in err and err.count("\n") == 1
    assert not (work / "seeds").exists()


class FakeTranslator:
    """deep-translator's GoogleTranslator without the network: a Korean sentence per English one."""

    asked: list[str] = []

    def translate(self, text: str) -> str:
        FakeTranslator.asked.append(text)
        return f"기계가 옮긴 문장 {len(FakeTranslator.asked)}"


def test_translate_fills_missing_meanings_marked_as_machine_translation(site, work, monkeypatch, capsys):
    import deep_translator

    FakeTranslator.asked = []
    monkeypatch.setattr(deep_translator.GoogleTranslator, "translate", FakeTranslator.translate)
    url = site.page("/48", "tistory.html")
    assert cli.main(["add", url, "--translate"]) == 0
    assert FakeTranslator.asked == ["Who makes the final call on this?"]  # only the sentence without a meaning
    err = capsys.readouterr().err
    assert "4 sections, 2 key sentences, 5 terms" in err and "1 meanings by a machine translator" in err and "without a meaning" not in err
    written = only_file(work / "seeds")
    text = written.read_text(encoding="utf-8")
    assert '> "Who makes the final call on this?"\n> 기계 번역: 기계가 옮긴 문장 1' in text
    assert "번역: ?" not in text
    lesson = seed.read(written)
    meanings = {q.english: q.korean for s in lesson.sections for q in s.quotes}
    assert meanings["Who makes the final call on this?"] == "기계가 옮긴 문장 1"
    assert add(str(written), "--to", "again") == 0  # the mark survives a round trip
    assert only_file(work / "again").read_bytes() == written.read_bytes()


def test_a_failing_translator_writes_nothing(site, work, monkeypatch, capsys):
    import deep_translator
    from deep_translator.exceptions import RequestError

    def fail(self, text):
        raise RequestError()

    monkeypatch.setattr(deep_translator.GoogleTranslator, "translate", fail)
    assert add(site.page("/48", "tistory.html"), "--translate") == 1
    err = capsys.readouterr().err
    assert err.startswith("audiogen: error: the translator failed") and err.count("\n") == 1
    assert not (work / "seeds").exists()


def test_build_from_a_url_publishes_what_the_added_seed_publishes(site, work):
    """One real build each way (espeak, ffmpeg): the same episodes and the same spoken lines."""
    url = site.page("/post/7", "medium.html")
    assert cli.main(["build", url, "--out", "web", "--engine", "espeak", "--cache", "cache",
                     "--report", "web.json", "-q"]) == 0
    assert add(url) == 0
    assert cli.main(["build", "seeds", "--out", "md", "--engine", "espeak", "--cache", "cache",
                     "--report", "md.json", "-q"]) == 0
    web, md = (json.loads((work / f"{name}.json").read_text(encoding="utf-8")) for name in ("web", "md"))
    assert [(e["slug"], e["guid"], e["title"]) for e in web["episodes"]] == \
        [(e["slug"], e["guid"], e["title"]) for e in md["episodes"]]
    assert md["segments_synthesized"] == 0  # every clip came from the URL build's cache
    for e in web["episodes"]:
        a = json.loads((work / "web" / e["script"]).read_text(encoding="utf-8"))
        b = json.loads((work / "md" / e["script"]).read_text(encoding="utf-8"))
        assert [(s["kind"], s["text"]) for s in a["segments"]] == [(s["kind"], s["text"]) for s in b["segments"]]


def test_a_folder_of_seeds_is_added_whole(work):
    old = work / "old"
    old.mkdir()
    for name in ("small-talk.txt", "business-trip.txt"):
        (old / name).write_bytes((FIXTURE_SEEDS / name).read_bytes())
    assert add(str(old)) == 0
    assert sorted(p.name for p in (work / "seeds").iterdir()) == ["business-trip.md", "small-talk.md"]


def test_add_keeps_what_the_build_would_cut(work):
    """A sentence longer than a build narrates in one clip stays whole in the added seed (the
    user may split it); the build cuts it the same way from either."""
    long = "이 문장은 " + "아주 길게 이어지는 설명이며 " * 30 + "끝납니다."
    source = work / "long.txt"
    source.write_text(f"긴 문장 연습\n\n1. 첫 부분\n\n{long}\n\n\"Keep it short.\" — 짧게 하세요.\n", encoding="utf-8")
    assert add(str(source)) == 0
    written = only_file(work / "seeds")
    assert long in written.read_text(encoding="utf-8")
    assert seed.read(written).trimmed and seed.read(source).trimmed
    assert scripts(written) == scripts(source)
