"""Corrections: which edits are an episode's own (a new GUID under "republish"), which are not
(a neighbour, a machine-made meaning, a reader's improvement), and how the revision is kept.
Seeds are read by the real reader; the manifest and settings by their real loaders."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from audiogen import config, corrections, seed
from audiogen.errors import AudiogenError
from audiogen.feed import manifest
from audiogen.lesson import writer
from audiogen.lesson.writer import guid_for
from audiogen.config import LessonSettings
from audiogen.model import Episode, Line, Quote, Script, Term

SEED = """---
title: 회의 영어
date: 2026-03-02
---

## 들어가며

회의 영어를 배웁니다.

## 1. 회의를 여는 말

회의를 시작할 때 쓰는 말입니다. 이것을 연습(practice)이라고 부릅니다.

> "Let's get started with the agenda"
> 안건부터 시작합시다

- agenda = 안건

## 2. 회의를 맺는 말

회의를 끝낼 때 쓰는 말입니다.

> "Thanks everyone for your time"
"""


def contents(tmp_path, text: str) -> dict[str, str]:
    path = tmp_path / "meet.md"
    path.write_text(text, encoding="utf-8")
    return corrections.lesson_contents(seed.read(path))


def changed(tmp_path, old: str, new: str) -> set[str]:
    """The episodes (section keys) whose own content differs between two versions of the seed."""
    a, b = contents(tmp_path, SEED), contents(tmp_path, SEED.replace(old, new))
    assert set(a) == set(b)
    return {key for key in a if a[key] != b[key]}


def test_each_episode_has_its_own_content(tmp_path):
    assert set(contents(tmp_path, SEED)) == {"1", "2", "trailer"}


@pytest.mark.parametrize("old, new, owner", [
    ("Let's get started with the agenda", "Let's begin with the agenda", "1"),  # a key sentence
    ("안건부터 시작합시다", "안건으로 시작합시다", "1"),  # the author's meaning of it
    ("agenda = 안건", "agenda = 의제", "1"),  # declared vocabulary
    ("연습(practice)", "준비(preparation)", "1"),  # an inline gloss, in its paragraph
    ("회의를 끝낼 때", "회의를 마칠 때", "2"),  # narration
    ("회의 영어를 배웁니다.", "회의 영어를 함께 배웁니다.", "trailer"),  # the intro is the trailer's
])
def test_an_edit_belongs_to_one_episode(tmp_path, old, new, owner):
    assert changed(tmp_path, old, new) == {owner}


def test_the_articles_title_and_date_and_a_heading_are_no_episodes_own_content(tmp_path):
    assert changed(tmp_path, "2. 회의를 맺는 말", "2. 회의를 마치는 말") == set()  # a typo fix: the title updates in place
    assert changed(tmp_path, "title: 회의 영어", "title: 회의의 영어") == set()
    assert changed(tmp_path, "date: 2026-03-02", "date: 2026-03-09") == set()


def test_machine_meanings_and_how_the_reader_picks_terms_are_not_the_authors_words(tmp_path):
    path = tmp_path / "meet.md"
    path.write_text(SEED, encoding="utf-8")
    lesson = seed.read(path)
    before = corrections.lesson_contents(lesson)
    second = next(s for s in lesson.sections if s.key == "2")
    # a teacher fills the meaning the author left out: not an edit of the lesson
    second.quotes = [Quote(q.english, "여러분 시간 내 주셔서 감사합니다", source="teacher") for q in second.quotes]
    first = next(s for s in lesson.sections if s.key == "1")
    # a smarter reader takes fewer words before an inline gloss: the paragraph is what the author wrote
    first.terms = [Term(t.english, t.korean[-2:]) if t.english == "practice" else t for t in first.terms]
    assert corrections.lesson_contents(lesson) == before


def test_an_article_of_only_an_intro_and_outro_is_one_lesson(tmp_path):
    text = "---\ntitle: 짧은 글\n---\n\n## 들어가며\n\n짧게 배웁니다.\n\n> \"Keep it short\"\n\n## 마치며\n\n끝입니다.\n"
    assert set(contents(tmp_path, text)) == {"1"}


def script(key: str = "1", title: str = "회의를 여는 말") -> Script:
    return Script(slug=f"meet-0{key}", guid=guid_for("meet", key), title=title, episode_type="full",
                  seed_id="meet", section_key=key, description="")


def published(s: Script, content: str, revision: int = 0, guid: str | None = None, title: str | None = None) -> Episode:
    return Episode(slug=s.slug, guid=guid or s.guid, title=title or s.title, episode_type="full", description="",
                   pub_date=dt.datetime(2026, 3, 2, 6, tzinfo=dt.timezone.utc), mp3=f"episodes/{s.slug}-a.mp3",
                   script=f"episodes/{s.slug}-a.json", transcript=f"episodes/{s.slug}-a.vtt",
                   chapters=f"episodes/{s.slug}-a.chapters.json", duration_s=60.0, bytes=1000,
                   seed_id="meet", revision=revision, content=content)


@pytest.mark.parametrize("policy", ["update", "republish"])
def test_a_first_publication_and_an_unedited_episode_keep_their_guid(policy):
    s = script()
    assert corrections.identity(s, "c1", None, policy) == corrections.Identity(s.guid, s.title, 0, "c1")
    again = corrections.identity(s, "c1", published(s, "c1"), policy)
    assert again == corrections.Identity(s.guid, s.title, 0, "c1")


def test_republish_gives_an_edited_episode_a_new_guid_and_a_corrected_title():
    s = script()
    first = corrections.identity(s, "c2", published(s, "c1"), "republish")
    assert first.guid != s.guid and first.revision == 1 and first.content == "c2"
    assert first.guid == corrections.revised_guid("meet", "1", 1)
    assert first.title == "회의를 여는 말 (수정본)"
    # the next build, nothing edited: the same corrected item
    kept = corrections.identity(s, "c2", published(s, "c2", 1, first.guid, first.title), "republish")
    assert kept == first
    # a second edit: yet another GUID, never one used before
    second = corrections.identity(s, "c3", published(s, "c2", 1, first.guid, first.title), "republish")
    assert second.revision == 2 and second.guid not in (s.guid, first.guid)
    assert second.title == "회의를 여는 말 (수정본)"


def test_update_keeps_the_guid_and_counts_the_revision():
    s = script()
    edited = corrections.identity(s, "c2", published(s, "c1"), "update")
    assert edited == corrections.Identity(s.guid, s.title, 1, "c2")
    # switching to republish later: the next edit is revision 2, a GUID never published
    later = corrections.identity(s, "c3", published(s, "c2", 1), "republish")
    assert later.revision == 2 and later.guid == corrections.revised_guid("meet", "1", 2)


def test_switching_back_to_update_keeps_the_corrected_item_as_listeners_have_it():
    s = script()
    guid = corrections.revised_guid("meet", "1", 1)
    after = corrections.identity(s, "c3", published(s, "c2", 1, guid, "회의를 여는 말 (수정본)"), "update")
    assert after == corrections.Identity(guid, "회의를 여는 말 (수정본)", 2, "c3")


def test_a_manifest_from_before_revisions_takes_todays_content_as_its_baseline():
    s = script()
    assert corrections.identity(s, "c9", published(s, ""), "republish") == corrections.Identity(s.guid, s.title, 0, "c9")


def test_revision_zero_is_the_guid_the_writer_gives():
    assert corrections.revised_guid("meet", "1", 0) == guid_for("meet", "1")
    assert len({corrections.revised_guid("meet", "1", n) for n in range(5)}) == 5
    assert corrections.revised_guid("meet", "1", 1) != corrections.revised_guid("meet", "2", 1)


def test_apply_leaves_neighbours_alone(tmp_path):
    path = tmp_path / "meet.md"
    path.write_text(SEED, encoding="utf-8")
    lesson = seed.read(path)
    scripts = writer.write(lesson, LessonSettings())
    digests = {("meet", k): v for k, v in corrections.lesson_contents(lesson).items()}
    first, ids = corrections.apply(scripts, digests, {}, {}, "republish")
    before = {s.slug: published(s, ids[s.slug].content) for s in first}
    # lesson 2's script changes (as a recall of another lesson's sentence would change it), its seed does not
    recalled = [dataclasses.replace(s, lines=s.lines[:-1]) if s.section_key == "2" else s for s in scripts]
    again, ids = corrections.apply(recalled, digests, {}, before, "republish")
    assert [s.guid for s in again] == [s.guid for s in first]
    assert all(ids[s.slug].revision == 0 for s in again)


def corrected_keys(scripts: list[Script]) -> set[str]:
    return {s.section_key for s in scripts if s.guid != guid_for("meet", s.section_key)}


def test_a_hand_edited_script_is_a_correction_only_when_it_says_something_else(tmp_path):
    """`audiogen script` writes every lesson of an article; only the one then changed is republished,
    and deleting an unchanged copy republishes nothing."""
    path = tmp_path / "meet.md"
    path.write_text(SEED, encoding="utf-8")
    lesson = seed.read(path)
    scripts = writer.write(lesson, LessonSettings())
    digests = {("meet", k): v for k, v in corrections.lesson_contents(lesson).items()}
    said = {s.slug: corrections.script_content(s.lines) for s in scripts}
    generated, ids = corrections.apply(scripts, digests, {}, {}, "republish")
    published_now = lambda out, ids: {s.slug: published(s, ids[s.slug].content, ids[s.slug].revision, s.guid,  # noqa: E731
                                                        s.title) for s in out}
    before = published_now(generated, ids)
    # every lesson copied to an edited script as it is, lesson 2's then changed by hand
    copies = [dataclasses.replace(s, edited=True) for s in scripts]
    copies = [dataclasses.replace(s, lines=s.lines[:-1]) if s.section_key == "2" else s for s in copies]
    edited, ids = corrections.apply(copies, digests, said, before, "republish")
    assert corrected_keys(edited) == {"2"}
    # built again: nothing new
    pinned = published_now(edited, ids)
    again, ids = corrections.apply(copies, digests, said, pinned, "republish")
    assert [s.guid for s in again] == [s.guid for s in edited]
    # lesson 2 edited once more: a second revision
    twice = [dataclasses.replace(s, lines=s.lines[:-2]) if s.section_key == "2" else s for s in copies]
    second, ids = corrections.apply(twice, digests, said, published_now(again, ids), "republish")
    assert ids["meet-02"].revision == 2 and corrected_keys(second) == {"2"}
    # the edited scripts deleted: lesson 2 goes back to the seed's words (an edit), the copies do not
    back, ids = corrections.apply(scripts, digests, {}, published_now(second, ids), "republish")
    assert ids["meet-02"].revision == 3 and ids["meet-01"].revision == 0 and ids["meet-trailer"].revision == 0


def test_a_digest_by_another_definition_of_own_content_is_a_baseline_not_an_edit():
    """A later audiogen that defines "own content" differently (another tag) republishes nothing."""
    assert not corrections.is_edit("seed-0:aaaa", "seed-1:bbbb", "script-1:cccc")
    assert not corrections.is_edit("script-0:aaaa", "script-1:bbbb", "script-1:bbbb")
    assert not corrections.is_edit("script-0:aaaa", "seed-1:bbbb", "script-1:cccc")
    assert corrections.is_edit("seed-1:aaaa", "seed-1:bbbb", "script-1:cccc")


def test_is_edit_between_kinds_of_content():
    s1, s2, e1, e2 = "seed-1:1", "seed-1:2", "script-1:1", "script-1:2"
    assert not corrections.is_edit("", s1, "") and not corrections.is_edit("", e1, e1)
    assert not corrections.is_edit(s1, s1, e1) and corrections.is_edit(s1, s2, e1)
    assert corrections.is_edit(e1, e2, e1)
    assert not corrections.is_edit(s1, e1, e1) and corrections.is_edit(s1, e2, e1)  # a copy, a changed copy
    assert not corrections.is_edit(e1, s2, e1) and corrections.is_edit(e2, s2, e1)  # deleted: was it a copy?


def test_the_manifest_keeps_revision_and_content_and_reads_old_manifests(tmp_path):
    s = script()
    m = manifest.Manifest(show=manifest.Show(title="t", description="d", author="a", email="e@example.com",
                                             base_url="https://example.com/p/", cover="cover.jpg"),
                          episodes=[published(s, "c2", 3, corrections.revised_guid("meet", "1", 3))])
    text = manifest.dumps(m)
    assert manifest.loads(text) == m
    data = json.loads(text)
    assert data["episodes"][0]["revision"] == 3 and data["episodes"][0]["content"] == "c2"
    for field in ("revision", "content"):  # a manifest written before corrections existed
        del data["episodes"][0][field]
    old = manifest.loads(json.dumps(data)).episodes[0]
    assert (old.revision, old.content) == (0, "")
    data["episodes"][0]["revision"] = -1
    with pytest.raises(AudiogenError, match="revision"):
        manifest.loads(json.dumps(data))


def test_the_setting_defaults_to_republish_and_refuses_anything_else():
    assert config.Config().feed.corrections == "republish"
    assert config.from_dict({"feed": {"corrections": "update"}}).feed.corrections == "update"
    with pytest.raises(AudiogenError, match=r"\[feed\] corrections must be one of 'update', 'republish'"):
        config.from_dict({"feed": {"corrections": "replace"}})


def test_recall_in_the_recap_is_not_the_scripts_own_content():
    """The course places some recall inside the recap (a drill of an earlier item, the item heard
    again): a hand-edited copy that still recalls the old wording is not a correction of its own."""
    own = [Line("quote", "en", "We ship on Fridays.", part="sentences"),
           Line("cue", "ko", "금요일에 출시합니다.", part="recap"), Line("pause", None, pause=3.0, part="recap"),
           Line("answer", "en", "We ship on Fridays.", part="recap")]

    def recalling(sentence: str) -> list[Line]:
        return own + [Line("cue", "ko", "안건부터.", part="recap"), Line("pause", None, pause=3.0, part="recap"),
                      Line("answer", "en", sentence, part="recap"), Line("recap", "en", sentence, part="recap")]

    assert corrections.script_content(recalling("Let's start.")) == corrections.script_content(recalling("Let us begin."))
    changed = [own[0], dataclasses.replace(own[1], text="금요일마다 출시합니다."), *own[2:]]
    assert corrections.script_content(changed) != corrections.script_content(own)
