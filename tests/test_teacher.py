"""The teacher's pen: machine-made meanings from a language model (a fake OpenAI-compatible server
on loopback) or Google's translator (faked at its HTTP boundary), checked, cached, marked, and never
a reason for a build to fail or hang."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import requests
import yaml

from fake_teacher import RETOLD, TERM_MEANINGS, FakeTeacher, cleaned, meaning_of_sentence
from fakes import response
from audiogen import build, config
from audiogen.model import Quote, Term
from audiogen.progress import Reporter
from audiogen.seed import markdown, to_markdown
from audiogen.teacher import looks_spoken, validate

KEY = "sk-test-7f3a9c1e5b2d4f60"  # stands for a real key: it must never reach a file or a log
TRANSCRIPT = ("We actually had this this sort of at the time it sounded very novel this belief "
              "that those two things were correlated.")
SEED = f"""\
---
title: 라인을 멈추는 팀
author: Tester
date: 2026-03-02
id: line
---
# 라인을 멈추는 팀

## 1. 문제가 보이면 라인을 멈춰라

도요타의 공장에서는 문제가 보이면 누구나 라인을 멈출 수 있습니다. 이것이 품질을 지키는 첫 번째 원칙입니다. 작업자는 불량을 발견하면 줄을 당겨 라인 전체를 멈춥니다. 그리고 문제가 생긴 자리에서 바로 고칩니다.

관리자는 작업자를 탓하지 않고 함께 원인을 찾습니다. 이런 문화가 있어야 작은 문제가 큰 사고로 번지지 않습니다. 회의에서는 누가 후속 조치를 맡을지 정합니다. 외부의 시선으로 약점을 찾는 팀도 따로 둡니다.

> "Stop the line the moment something goes wrong, and fix it where it happened."
> 번역: ?

- red team = 레드팀
- follow up = ?

## 2. 말로 남은 믿음

인터뷰에서 그는 당시의 믿음을 이렇게 설명했습니다. 그 믿음은 나중에 틀린 것으로 드러났습니다.

> "{TRANSCRIPT}"
> 번역: ?

> "Safety has to be engineered in from the start."
> 안전은 처음부터 설계에 들어 있어야 합니다.
"""
QUOTES = ["Stop the line the moment something goes wrong, and fix it where it happened.", TRANSCRIPT,
          "Safety has to be engineered in from the start."]


@pytest.fixture
def teacher():
    fake = FakeTeacher().start()
    yield fake
    fake.down()


def work_folder(tmp_path: Path, teacher_table: str) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "line.md").write_text(SEED, encoding="utf-8")
    (tmp_path / "podcast.toml").write_text(f"[teacher]\n{teacher_table}\n", encoding="utf-8")
    return tmp_path


def llm_table(fake: FakeTeacher, timeout: float = 2.0) -> str:
    return f'engine = "llm"\nurl = "{fake.url}"\nmodel = "fake-7b"\ntimeout = {timeout}\nbudget = 20'


def read_course(work: Path, teacher: str | None = None) -> tuple[build.Course, list[str]]:
    """The pipeline up to the scripts (the teacher's step included), and what it said on stderr."""
    cfg = config.load(work / "podcast.toml")
    said = io.StringIO()
    course = build.read_course(cfg, build.BuildRequest(seeds=[work / "seeds"], cache=work / "cache", teacher=teacher),
                               Reporter(stream=said), cfg.show.base_url)
    return course, said.getvalue().splitlines()


def taught(course: build.Course) -> list[tuple[str, str, str | None]]:
    """(kind, English, source) of every term and key sentence the full lessons teach."""
    from audiogen.lesson.writer import review_items

    items = []
    for s in course.scripts:
        if s.episode_type == "full":
            terms, quotes = review_items(s)
            items += [("term", t.english, t.source if t.korean else None) for t in terms]
            items += [("quote", q.english, q.source if q.korean else None) for q in quotes]
    return items


def audiogen(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiogen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600", **(env or {})}, timeout=600)


# --- checks on answers (pure) -------------------------------------------------------------------


def test_a_meaning_is_short_korean_and_not_the_english_spelled_in_hangul():
    assert validate.meaning({"korean": "공격자 역할을 맡는 팀"}, "red team", term=True) == "공격자 역할을 맡는 팀"
    assert validate.meaning({"korean": "레드팀"}, "red team", term=True) is None
    assert validate.meaning({"korean": "the team that attacks"}, "red team", term=True) is None
    assert validate.meaning({"korean": "레드 team 역할"}, "red team", term=True) is None  # English the voice would say
    assert validate.meaning({"korean": ""}, "follow up", term=True) is None
    assert validate.meaning({"korean": 3}, "follow up", term=True) is None
    assert validate.meaning({}, "follow up", term=True) is None
    assert validate.meaning({"korean": "가" * 40}, "follow up", term=True) is None  # an explanation, not a cue
    assert validate.meaning({"korean": "문제가 생기면 바로 라인을 멈추세요."}, QUOTES[0], term=False)
    assert validate.meaning({"korean": "문제가 " * 200}, QUOTES[0], term=False) is None


def test_a_cleaned_quote_keeps_the_speakers_words():
    clean = cleaned(TRANSCRIPT)
    assert validate.cleaned_quote({"english": clean}, TRANSCRIPT, len(TRANSCRIPT)) == clean
    assert "this this" not in clean
    made_up = "At the time everyone at Google believed those two things were correlated."
    assert validate.cleaned_quote({"english": made_up}, TRANSCRIPT, len(TRANSCRIPT)) is None
    assert validate.cleaned_quote({"english": "It was novel."}, TRANSCRIPT, len(TRANSCRIPT)) is None  # too little left
    assert validate.cleaned_quote({"english": "당시에는 새로웠다."}, TRANSCRIPT, len(TRANSCRIPT)) is None
    assert looks_spoken(TRANSCRIPT) and not looks_spoken(QUOTES[0])


def test_a_retelling_adds_no_name_or_number_and_is_whole_sentences():
    article = "도요타의 공장에서는 누구나 라인을 멈출 수 있습니다. 작업자는 줄을 당깁니다."
    good = ["도요타 공장에서는 누구나 라인을 멈출 수 있습니다.", "작업자가 줄을 당깁니다."]
    assert validate.retelling({"sentences": good}, article, 200) == good
    assert validate.retelling({"sentences": ["1937년에 도요타가 세운 공장입니다."]}, article, 200) is None
    assert validate.retelling({"sentences": ["Toyota 공장에서는 라인을 멈춥니다."]}, article, 200) is None
    assert validate.retelling({"sentences": ["라인을 멈추는"]}, article, 200) is None  # not a whole sentence
    assert validate.retelling({"sentences": good}, article, 20) is None  # beyond the narration's room
    assert validate.retelling({"sentences": []}, article, 200) is None
    # a sentence about an English expression says it in English (issue 19), not its meaning
    english = "결론이 나지 않는 주제는 뒤로 미룹니다. 이를 영어로 take it offline이라고 합니다."
    assert validate.retelling({"sentences": ["이를 영어로 따로 이야기하다라고 합니다."]}, english, 200) is None
    kept = ["이를 영어로 take it offline이라고 합니다."]
    assert validate.retelling({"sentences": kept}, english, 200) == kept


# --- machine meanings in a Markdown seed ------------------------------------------------------------


def test_machine_meanings_in_a_seed_are_read_back_as_machine_made(tmp_path):
    text = """# 제목

## 1. 하나

설명입니다.

> "Stop the line."
> 기계 번역: 라인을 멈추세요.

> "Fix it where it happened."
> 기계 번역 (teacher): 문제가 생긴 자리에서 고치세요.

> "Ask why five times."
> 다섯 번 왜냐고 물으세요.

- follow up = 후속으로 챙기다 (기계, teacher)
- red team = 공격 팀 (기계)
- bolt on = 덧붙이다
"""
    lesson = markdown.parse(text, tmp_path / "s.md")
    (section,) = lesson.sections
    assert [(q.korean, q.source) for q in section.quotes] == [
        ("라인을 멈추세요.", "translator"), ("문제가 생긴 자리에서 고치세요.", "teacher"),
        ("다섯 번 왜냐고 물으세요.", "author")]
    assert [(t.english, t.korean, t.source) for t in section.terms] == [
        ("follow up", "후속으로 챙기다", "teacher"), ("red team", "공격 팀", "translator"), ("bolt on", "덧붙이다", "author")]
    again = to_markdown.dump(lesson)
    assert "> 기계 번역: 라인을 멈추세요." in again and "> 기계 번역 (teacher): 문제가" in again
    assert "- follow up = 후속으로 챙기다 (기계, teacher)" in again and "- red team = 공격 팀 (기계)" in again
    assert markdown.parse(again, tmp_path / "s.md").sections[0].terms == section.terms


# --- the teacher's step in the pipeline ----------------------------------------------------------------


def test_a_teacher_gives_every_key_sentence_and_term_a_meaning_marked_teacher(tmp_path, teacher):
    work = work_folder(tmp_path, llm_table(teacher))
    course, said = read_course(work)
    items = taught(course)
    assert {english for _, english, _ in items} >= {"red team", "follow up", QUOTES[0], QUOTES[2]}
    # the author's one meaning stays the author's; everything else is the teacher's
    assert [(k, e, s) for k, e, s in items if s != "teacher"] == [("quote", QUOTES[2], "author")]
    lines = [line for s in course.scripts for line in s.lines]
    assert any(line.kind == "meaning" and line.text == TERM_MEANINGS["red team"] for line in lines)
    assert any(line.kind == "gloss" and line.text == meaning_of_sentence(QUOTES[0]) for line in lines)
    # the transcript is taught as cleaned, and with its meaning
    assert cleaned(TRANSCRIPT) in {q for k, q, _ in items if k == "quote"}
    assert not any(line.text == TRANSCRIPT for line in lines)
    assert all(r["body"]["model"] == "fake-7b" and r["body"]["response_format"]["type"] == "json_schema"
               for r in teacher.requests)
    assert not [line for line in said if line.startswith("warning")]
    # a second reading asks nothing: every answer is in the cache
    asked = len(teacher.requests)
    again, _ = read_course(work)
    assert len(teacher.requests) == asked
    assert [s.lines for s in again.scripts] == [s.lines for s in course.scripts]
    # and so does an offline one: the same lessons with the teacher gone
    teacher.down()
    offline, said = read_course(work)
    assert [s.lines for s in offline.scripts] == [s.lines for s in course.scripts]
    assert not [line for line in said if line.startswith("warning")]


def test_a_teacher_retells_narration_the_lesson_would_cut(tmp_path, teacher):
    work = work_folder(tmp_path, llm_table(teacher))
    course, _ = read_course(work)
    (retell,) = teacher.asked("retell")  # only section 1's narration is cut
    prompt = retell["body"]["messages"][-1]["content"]
    assert "도요타의 공장에서는" in prompt and "문제가 보이면 라인을 멈춰라" in prompt
    told = [line.text for line in course.scripts[0].lines if line.kind == "narration"]
    limit = int(prompt.split("At most ")[1].split(" ")[0])
    assert told and told[0].startswith(RETOLD) and sum(len(t) for t in told) <= limit


@pytest.mark.parametrize("mode", ["down", "slow", "500", "nonjson", "english", "empty"])
def test_a_teacher_that_fails_costs_one_warning_and_the_offline_meanings(tmp_path, teacher, mode):
    work = work_folder(tmp_path, llm_table(teacher, timeout=1.0))
    if mode == "down":
        teacher.down()
    teacher.mode = mode
    course, said = read_course(work)
    offline, _ = read_course(work, teacher="off")
    assert [s.lines for s in course.scripts] == [s.lines for s in offline.scripts]
    assert all(source in ("author", "article", None) for _, _, source in taught(course))
    warnings = [line for line in said if line.startswith("warning")]
    assert len(warnings) == 1 and "machine meanings" in warnings[0] and "127.0.0.1" in warnings[0]
    # bounded: a server that is down, slow or broken is asked once; bad answers at most three times
    assert len(teacher.requests) <= (3 if mode in ("nonjson", "english", "empty") else 1)
    assert not (work / "cache" / "teacher").exists()  # a bad answer is never kept


def test_the_translator_fills_sentences_and_terms_marked_translator(tmp_path, monkeypatch):
    """deep-translator's GET to translate.google.com/m answered as Google's mobile page does."""
    sent: list[str] = []
    words = {"red team": "공격 팀", "follow up": "후속 조치"}

    def send(session, request, **kwargs):
        from urllib.parse import parse_qs, urlsplit

        assert urlsplit(request.url).hostname == "translate.google.com"
        english = parse_qs(urlsplit(request.url).query)["q"][0]
        sent.append(english)
        korean = words.get(english, meaning_of_sentence(english))
        rsp = response(200, f'<html><body><div class="result-container">{korean}</div></body></html>'.encode())
        rsp.request, rsp.encoding = request, "utf-8"
        return rsp

    monkeypatch.setattr(requests.Session, "send", send)
    work = work_folder(tmp_path, 'engine = "auto"')
    course, said = read_course(work)
    items = taught(course)
    assert [(k, e, s) for k, e, s in items if s != "translator"] == [("quote", QUOTES[2], "author")]
    assert {"red team", "follow up", QUOTES[0]} <= set(sent)
    assert not [line for line in said if line.startswith("warning")]


def test_auto_without_a_model_or_a_reachable_translator_is_quietly_offline(tmp_path):
    work = work_folder(tmp_path, 'engine = "auto"')
    course, said = read_course(work)  # the translator's address is refused, as offline
    assert not [line for line in said if line.startswith("warning")]
    assert any("did not answer" in line for line in said)
    assert all(source in ("author", "article", None) for _, _, source in taught(course))


# --- through the command line --------------------------------------------------------------------------


def test_a_build_with_a_teacher_marks_its_meanings_and_never_writes_the_key(tmp_path, teacher):
    work = work_folder(tmp_path, llm_table(teacher))
    args = ("build", "--engine", "espeak", "--cache", "cache", "--report", "report.json")
    first = audiogen(*args, cwd=work, env={"AUDIOGEN_API_KEY": KEY})
    assert first.returncode == 0, first.stderr
    assert all(r["headers"].get("Authorization") == f"Bearer {KEY}" for r in teacher.requests)
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    assert report["meanings"]["teacher"] >= 4 and report["meanings"]["none"] == 0
    assert f"meanings: {report['meanings']['author']} author, {report['meanings']['teacher']} teacher" in first.stderr
    segments = [seg for e in report["episodes"] if e["type"] == "full"
                for seg in json.loads((work / "public" / e["script"]).read_text(encoding="utf-8"))["segments"]]
    assert {seg["source"] for seg in segments if seg["kind"] in ("meaning", "gloss")} == {"teacher", "author"}
    # a second build asks nothing and renders nothing
    asked = len(teacher.requests)
    second = audiogen(*args, cwd=work, env={"AUDIOGEN_API_KEY": KEY})
    assert second.returncode == 0, second.stderr
    assert len(teacher.requests) == asked
    assert json.loads((work / "report.json").read_text(encoding="utf-8"))["segments_synthesized"] == 0
    # the key is in no file the builds wrote and in nothing they said
    for path in work.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes(), path
    assert KEY not in first.stderr + first.stdout + second.stderr + second.stdout


def test_a_build_whose_teacher_answers_500_finishes_with_one_warning(tmp_path, teacher):
    teacher.mode = "500"
    work = work_folder(tmp_path, llm_table(teacher, timeout=1.0))
    proc = audiogen("build", "--engine", "espeak", "--cache", "cache", "--report", "report.json", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert [line for line in proc.stderr.splitlines() if "machine meanings" in line] == [
        next(line for line in proc.stderr.splitlines() if line.startswith("warning: machine meanings"))]
    assert json.loads((work / "report.json").read_text(encoding="utf-8"))["meanings"]["teacher"] == 0
    off = audiogen("build", "--engine", "espeak", "--cache", "cache", "--teacher", "off", cwd=work)
    assert off.returncode == 0 and "machine meanings" not in off.stderr and len(teacher.requests) == 1


def test_add_teacher_writes_machine_meanings_into_the_seed_for_review(tmp_path, teacher):
    work = work_folder(tmp_path, llm_table(teacher))
    (work / "article.md").write_text(SEED, encoding="utf-8")
    proc = audiogen("add", "article.md", "--to", "reviewed", "--teacher", cwd=work)
    assert proc.returncode == 0, proc.stderr
    text = (work / "reviewed" / "line.md").read_text(encoding="utf-8")
    assert f"> 기계 번역 (teacher): {meaning_of_sentence(QUOTES[0])}" in text
    assert f"- red team = {TERM_MEANINGS['red team']} (기계, teacher)" in text
    assert "> 안전은 처음부터 설계에 들어 있어야 합니다." in text  # the author's stays the author's
    assert not teacher.asked("retell") and not teacher.asked("quote")  # a seed holds meanings only
    lesson = markdown.parse(text, work / "reviewed" / "line.md")
    sources = {q.english: q.source for s in lesson.sections for q in s.quotes}
    assert sources[QUOTES[0]] == "teacher" and sources[QUOTES[2]] == "author"
    # `audiogen script` shows them, marked
    proc = audiogen("script", "reviewed/line.md", "--out", "edits", cwd=work)
    assert proc.returncode == 0, proc.stderr
    script = yaml.safe_load((work / "edits" / "line-01.yaml").read_text(encoding="utf-8"))
    assert any(entry.get("source") == "teacher" for entry in script["lines"])


def test_the_builds_time_for_questions_is_bounded_by_its_budget(tmp_path, teacher):
    """A clock that moves 10 s per look: with a 25 s budget, the questions stop being sent once it
    has passed, and what is left falls back (one problem for the build's warning)."""
    from audiogen.teacher.asking import Asker
    from audiogen.teacher.base import Task
    from audiogen.teacher.cache import AnswerCache
    from audiogen.teacher.llm import LlmTeacher

    ticks = iter(range(0, 10_000, 10))
    asker = Asker([LlmTeacher(teacher.url, "fake-7b")], AnswerCache(tmp_path), timeout=2.0, budget=25.0,
                  clock=lambda: next(ticks))
    got = [asker.answer(Task("term", english, f"We {english} it."), lambda a, e=english: validate.meaning(a, e, True))
           for english in ("red team", "follow up", "bolted on", "hand off")]
    assert [g[1] if g else None for g in got] == ["teacher", "teacher", None, None]
    assert len(teacher.requests) == 2 and asker.tally.missed == 2
    assert list(asker.tally.problems.values())[0] == {"the build's time for the teacher ran out": 1}


def test_the_study_deck_tags_machine_made_meanings_for_review(tmp_path):
    from audiogen.config import LessonSettings
    from audiogen.feed import deck
    from audiogen.lesson import writer

    lesson = markdown.parse(SEED, tmp_path / "line.md")
    section = lesson.sections[0]
    section.terms[1] = Term("follow up", "후속으로 챙기다", "teacher")
    section.quotes[0] = Quote(QUOTES[0], "문제가 생기면 바로 라인을 멈추고 그 자리에서 고치세요.", "translator")
    items = {i.english: i for i in deck.study_items(writer.write(lesson, LessonSettings()), {"line": "t"})}
    assert "audiogen::machine::teacher" in deck._tags(items["follow up"])
    assert "audiogen::machine::translator" in deck._tags(items[QUOTES[0]])
    assert not [t for t in deck._tags(items[QUOTES[2]]) if "machine" in t]  # the author's own
