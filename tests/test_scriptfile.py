"""Editable script files: exact round trip, readable YAML, errors with lines."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audiogen import seed
from audiogen.lesson import scriptfile
from audiogen.lesson import course
from audiogen.lesson import writer as script
from audiogen.config import LessonSettings
from audiogen.errors import AudiogenError
from audiogen.model import Line, Script

ROOT = Path(__file__).parents[1]
ARTICLE = Path(__file__).resolve().parent / "fixtures" / "seeds" / "small-giant-article.txt"


def all_scripts():
    paths = dict.fromkeys([ARTICLE, *seed.find([ROOT / "seeds"]), *seed.find([ROOT / "tests/fixtures/seeds"])])
    lessons = list({les.seed_id: les for les in map(seed.read, paths)}.values())
    digests = {les.seed_id: les.digest for les in lessons}
    scripts = course.write_scripts(lessons, LessonSettings(review_every=2), lambda les: dt.date(2025, 3, 4), {})
    return [(s, digests[s.seed_id] if s.episode_type != "bonus" else "") for s in scripts]


def test_round_trip_is_exact():
    for original, digest in all_scripts():
        text = scriptfile.dump(original, digest)
        loaded, recorded = scriptfile.load(text, "edits/x.yaml")
        assert recorded == digest
        assert loaded.edited is True
        assert scriptfile.same(loaded, original), original.slug
        assert scriptfile.dump(loaded, recorded) == text


def test_tricky_text_round_trips():
    tricky = ["", "null", "yes", "1.0", "- item", "a: b", "# not a comment", "  leading", "trailing  ",
              "'single' \"double\"", "line\nbreak", "{braces} [brackets]", "emoji 🚀", "탭\t문자", "~", "@at", "100%"]
    lines = [Line("narration", "ko", t or "x") for t in tricky] + [Line("pause", None, "", pause=2.5, part="sentences")]
    s = Script(slug="a-01", guid="g", title="제목: \"quoted\"", episode_type="bonus", seed_id="a", section_key="01",
               description="", lines=lines, number=None, date=None, order=3)
    loaded, digest = scriptfile.load(scriptfile.dump(s, "abc"), "x.yaml")
    assert scriptfile.same(loaded, s) and digest == "abc"


def test_readable_one_entry_per_line():
    lesson = seed.read(ARTICLE)
    s = script.write(lesson, LessonSettings())[1]
    text = scriptfile.dump(s, lesson.digest)
    assert text.startswith("# audiogen script")
    assert "속도가 아니라 안심을" in text and "\\u" not in text
    entries = [line for line in text.splitlines() if line.startswith("- {")]
    assert len(entries) == len(s.lines)
    assert all("kind:" in e and "lang:" in e and "part:" in e for e in entries)
    assert f"seed_digest: {lesson.digest}" in text and "date: 2025-10-07" in text


def _edited(old: str, new: str) -> str:
    s = Script(slug="demo-01", guid="g-1", title="데모", episode_type="full", seed_id="demo", section_key="1",
               description="설명", number=1, date=dt.date(2025, 3, 4), order=1,
               lines=[Line("sting", None, "", part="opening"), Line("narration", "ko", "안녕하세요."),
                      Line("quote", "en", "Hello there.", part="sentences"),
                      Line("pause", None, "", pause=2.0, part="sentences")])
    text = scriptfile.dump(s, "d")
    assert old in text
    return text.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if needle in line)


@pytest.mark.parametrize("old, new, message", [
    ("lang: en", "lang: fr", "lang must be ko, en or null"),
    ("speed: 1.0, pause: 2.0", "speed: fast, pause: 2.0", "speed must be a number"),
    ("pause: 2.0", "pause: -1", "pause must be between"),
    ("part: sentences}", "part: sentence}", "did you mean 'sentences'"),
    ("kind: quote", "knd: quote", "unknown field 'knd'"),
    ("lang: en, text: Hello there.", "lang: en, text: ''", "needs text"),
])
def test_bad_line_names_its_line(old, new, message):
    text = _edited(old, new)
    with pytest.raises(AudiogenError, match=message) as e:
        scriptfile.load(text, "edits/demo-01.yaml")
    assert str(e.value).startswith(f"edits/demo-01.yaml:{line_of(text, new)}: ")


def test_broken_yaml_names_its_line():
    text = _edited("- {kind: quote", "- {kind: quote, [oops")
    with pytest.raises(AudiogenError) as e:
        scriptfile.load(text, "edits/demo-01.yaml")
    assert str(e.value).startswith(f"edits/demo-01.yaml:{line_of(text, 'oops')}: ")


@pytest.mark.parametrize("old, new, message", [
    ("episode_type: full", "episode_type: fool", "episode_type must be"),
    ("slug: demo-01", "slug: Demo 01!", "slug must be"),
    ("order: 1", "order: first", "order must be"),
    ("title: 데모", "titel: 데모", "did you mean 'title'"),
    ("number: 1", "number: -2", "number must be"),
])
def test_bad_field_names_its_line(old, new, message):
    text = _edited(old, new)
    with pytest.raises(AudiogenError, match=message) as e:
        scriptfile.load(text, "x.yaml")
    assert str(e.value).startswith(f"x.yaml:{line_of(text, new)}: ")


def test_not_a_script():
    for text in ("", "just text", "- a\n- b\n", "slug: a\n"):
        with pytest.raises(AudiogenError, match=r"^x\.yaml:\d+: "):
            scriptfile.load(text, "x.yaml")


@settings(max_examples=300, deadline=None)
@given(texts=st.lists(st.text(min_size=1).filter(str.strip), max_size=5),
       title=st.text(min_size=1).filter(str.strip), description=st.text(), key=st.text(min_size=1).filter(str.strip))
def test_any_unicode_round_trips(texts, title, description, key):
    lines = [Line("narration", "ko", t) for t in texts]
    s = Script(slug="a-1", guid="g", title=title, episode_type="full", seed_id="a", section_key=key,
               description=description, lines=lines)
    text = scriptfile.dump(s, "d")
    assert sum(line.startswith("- {") for line in text.split("\n")) == len(lines)  # one entry per line
    loaded, _ = scriptfile.load(text, "x.yaml")
    assert scriptfile.same(loaded, s)


def test_meaning_sources_travel_from_seed_to_script_json():
    """Every meaning and gloss says where its Korean came from: the author's seed says "author", an
    edited script may mark a machine's meaning, and the script JSON (a contract) carries it."""
    import json
    from audiogen import transcript
    from audiogen.model import Span
    lesson = seed.read(ROOT / "seeds" / "remote-meetings.md")
    s = script.write(lesson, LessonSettings())[1]
    marked = [line for line in s.lines if line.kind in ("meaning", "gloss")]
    assert marked and all(line.source == "author" for line in marked)
    assert all(line.source is None for line in s.lines if line.kind not in ("meaning", "gloss"))
    s.lines[s.lines.index(marked[0])].source = "teacher"
    loaded, _ = scriptfile.load(scriptfile.dump(s, "d"), "x.yaml")
    assert scriptfile.same(loaded, s)
    doc = json.loads(transcript.script_json(loaded, [Span(0, 0)] * len(loaded.lines)))
    sources = [seg.get("source") for seg in doc["segments"] if seg["kind"] in ("meaning", "gloss")]
    assert sources[0] == "teacher" and set(sources[1:]) == {"author"}
    assert all("source" not in seg for seg in doc["segments"] if seg["kind"] not in ("meaning", "gloss"))
    terms, _ = script.review_items(loaded)
    assert any(t.source == "teacher" for t in terms)


@pytest.mark.parametrize("old, new, message", [
    ("kind: quote, lang: en", "kind: quote, source: author, lang: en", "only a meaning or a gloss has a source"),
])
def test_source_only_on_meanings(old, new, message):
    text = _edited(old, new)
    with pytest.raises(AudiogenError, match=message):
        scriptfile.load(text, "x.yaml")
