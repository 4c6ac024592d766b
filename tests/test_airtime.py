"""The figures a lesson must reach, measured as an outside check would: a real build (the default
offline voices, real ffmpeg) of a series of our own articles, read back from each episode's script
JSON (segment times in the final MP3) and the --report JSON: in every episode, trailers and reviews
too, English >= 30% of airtime, pauses for the learner >= 20%, framing <= 12%."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from audiogen.lesson.writer import cue_for
from audiogen.model import Term
from test_build import audiogen

LESSONS = Path(__file__).resolve().parent / "fixtures" / "lessons"
FRAMING = {"sting", "announce", "lead", "outro"}


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    work = tmp_path_factory.mktemp("series")
    shutil.copytree(LESSONS, work / "seeds")
    # the offline voices a user gets by default: Piper for English, eSpeak NG for Korean (the slowest)
    audiogen("build", "seeds", "--out", "public", "--engine", "piper", "--cache", "cache",
             "--base-url", "https://lessons.example.com/", "--report", "report.json", cwd=work)
    report = json.loads((work / "report.json").read_text(encoding="utf-8"))
    scripts = {e["slug"]: json.loads((work / "public" / e["script"]).read_text(encoding="utf-8"))
               for e in report["episodes"]}
    return report, scripts


def shares(script: dict, duration: float) -> dict[str, float]:
    seconds = {"english": 0.0, "learner": 0.0, "framing": 0.0}
    for seg in script["segments"]:
        length = seg["end"] - seg["start"]
        if seg["kind"] == "pause":
            seconds["learner"] += length
        elif seg["kind"] in FRAMING:
            seconds["framing"] += length
        elif seg["lang"] == "en":
            seconds["english"] += length
    return {k: v / duration for k, v in seconds.items()}


def drills(segments: list[dict]) -> list[tuple[list[dict], dict, dict]]:
    out, i = [], 0
    while i < len(segments):
        if segments[i]["kind"] != "cue":
            i += 1
            continue
        j = i
        while segments[j]["kind"] == "cue":
            j += 1
        assert segments[j]["kind"] == "pause" and segments[j + 1]["kind"] == "answer"
        out.append((segments[i:j], segments[j], segments[j + 1]))
        i = j + 2
    return out


def test_the_report_carries_the_airtime_the_audio_has(series):
    report, scripts = series
    for e in report["episodes"]:
        measured = shares(scripts[e["slug"]], e["duration_s"])
        for key, value in measured.items():
            assert e["airtime"][key] == pytest.approx(value, abs=0.002), (e["slug"], key)


def test_english_learner_and_framing_shares(series):
    report, _ = series
    total = sum(e["duration_s"] for e in report["episodes"])
    overall = {k: sum(e["airtime"][k] * e["duration_s"] for e in report["episodes"]) / total
               for k in ("english", "learner", "framing")}
    assert overall["english"] >= 0.30, overall
    assert overall["learner"] >= 0.20, overall
    assert overall["framing"] <= 0.12, overall
    for e in report["episodes"]:  # in every episode, trailers and reviews too
        assert e["airtime"]["english"] >= 0.30, (e["slug"], e["airtime"])
        assert e["airtime"]["learner"] >= 0.20, (e["slug"], e["airtime"])
        assert e["airtime"]["framing"] <= 0.12, (e["slug"], e["airtime"])


def meant_and_unmeant(segments: list[dict]) -> tuple[set[str], set[str]]:
    """The terms and key sentences an episode teaches with a Korean meaning (a term's `meaning` right
    after it, one that does not give the answer away; a sentence's `gloss` right before it), and those without."""
    meant, unmeant = set(), set()
    for k, seg in enumerate(segments):
        if seg["kind"] == "term" and k + 1 < len(segments) and segments[k + 1]["kind"] == "meaning":
            giveaway = not cue_for(Term(seg["text"], segments[k + 1]["text"]))  # 사이닝 보너스: spelled in Hangul
            (unmeant if giveaway else meant).add(seg["text"])
        elif seg["kind"] == "quote" and seg["text"] not in meant:
            glossed = k and segments[k - 1]["kind"] == "gloss"
            (meant if glossed else unmeant).add(seg["text"])
    return meant, unmeant - meant


def test_every_item_is_drilled_or_shadowed_and_pauses_fit_the_answer(series):
    """Told its meaning, an item is drilled (cue, pause, answer); a sentence without one is shadowed (the
    model, then a pause to say it after), never cued."""
    report, scripts = series
    for e in report["episodes"]:
        segments = scripts[e["slug"]]["segments"]
        meant, unmeant = meant_and_unmeant(segments)
        found = drills(segments)
        drilled = {answer["text"] for _, _, answer in found}
        assert meant <= drilled, e["slug"]
        sentences = {text for text in unmeant if len(text.split()) > 3}
        shadowed = {seg["text"] for k, seg in enumerate(segments[:-1]) if seg["kind"] == "answer"
                    and segments[k - 1]["kind"] != "pause" and segments[k + 1]["kind"] == "pause"
                    and segments[k + 1]["end"] - segments[k + 1]["start"] >= 1.0 + seg["end"] - seg["start"] - 0.03}
        if e["type"] != "bonus":
            assert sentences <= shadowed and not unmeant & drilled, (e["slug"], sentences - shadowed)
        for _, pause, answer in found:
            said = answer["end"] - answer["start"]
            assert pause["end"] - pause["start"] >= 1.0 + 1.3 * said - 0.03, (e["slug"], answer["text"])
        for k, seg in enumerate(segments):
            if seg["kind"] == "slow":
                after = segments[k + 1]
                assert after["kind"] == "pause"
                assert after["end"] - after["start"] >= 1.0 + 1.3 * (seg["end"] - seg["start"]) - 0.03


def test_every_lesson_after_the_first_recalls_an_earlier_one(series):
    """From the second lesson of the show on, once anything was taught; a trailer counts as a lesson,
    so the first lesson after one recalls what it taught."""
    report, scripts = series
    fulls = [e["slug"] for e in report["episodes"] if e["type"] in ("full", "trailer")]
    assert scripts[fulls[0]]["slug"].endswith("-trailer")
    taught: set[str] = set()
    for n, slug in enumerate(fulls):
        segments = scripts[slug]["segments"]
        if slug.endswith("-trailer"):
            taught |= {s["text"] for s in segments if s["kind"] in ("term", "quote")}
            continue
        first_drill = next(i for i, s in enumerate(segments) if s["kind"] == "cue")
        recalled = [a["text"] for _, _, a in drills(segments[:next(
            i for i, s in enumerate(segments) if s["kind"] in ("narration", "term", "quote", "gloss"))])]
        if n and taught:  # something was taught before (a trailer whose introduction glosses nothing teaches nothing)
            assert recalled and set(recalled) <= taught, slug
            assert first_drill < len(segments) // 3, slug  # early in the lesson
        taught |= {s["text"] for s in segments if s["kind"] in ("term", "quote")}


def test_every_article_of_three_lessons_is_closed_by_a_review(series):
    report, _ = series
    types = [(e["slug"], e["type"]) for e in report["episodes"]]
    for article in ("offer-talk", "meeting-notes", "standup"):
        last = max(i for i, (slug, kind) in enumerate(types) if slug.startswith(article) and kind == "full")
        assert types[last + 1] == (f"{article}-review", "bonus")
