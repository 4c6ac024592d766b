"""The study deck: the .apkg opened as what it is (a zip holding an SQLite collection), built by the
real command line with the offline engine; and the deck module on its own."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import subprocess
import sys
import wave
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from imageio_ffmpeg import get_ffmpeg_exe
from lxml import html as lhtml

from audiogen.feed import deck
from audiogen.model import Line, Script
from show_facts import feed_facts

# Two lessons of one article: glossed terms, a key sentence with its Korean, one without.
SEED = """\
회의에서 살아남는 영어

by Tester 2026. 2. 3.

1. 안건을 먼저 꺼내라

회의를 시작할 때는 목적을 먼저 말합니다. 오늘 다룰 안건(agenda)을 짧게 정리하면 모두가 같은 곳을 봅니다.

"Let's start with the agenda" — 안건부터 시작합시다

2. 결론을 미루지 마라

논의가 길어지면 결정을 미루기 쉽습니다. 마지막에는 다음 할 일(action items)을 분명히 정해야 합니다.

"Who owns this next step"
"""
EDITED = SEED.replace("안건(agenda)", "의제(agenda)")  # only a Korean meaning changes


def audiogen(*args: str, cwd: Path) -> dict:
    proc = subprocess.run([sys.executable, "-m", "audiogen", *args, "--report", "report.json"], cwd=cwd,
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise AssertionError(f"audiogen {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return json.loads((cwd / "report.json").read_text(encoding="utf-8"))


def build(work: Path, seed: str = SEED) -> dict:
    (work / "seeds").mkdir(exist_ok=True)
    (work / "seeds" / "meeting.txt").write_text(seed, encoding="utf-8")
    return audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", cwd=work)


class Apkg:
    """An .apkg opened as Anki would: its collection, its media map, its media files."""

    def __init__(self, path: Path, tmp: Path):
        with zipfile.ZipFile(path) as z:
            self.names = set(z.namelist())
            self.media = json.loads(z.read("media"))
            self.files = {name: z.read(k) for k, name in self.media.items()}
            (tmp / "collection.anki2").write_bytes(z.read("collection.anki2"))
        db = sqlite3.connect(tmp / "collection.anki2")
        try:
            models = json.loads(db.execute("select models from col").fetchone()[0])
            self.model = next(iter(models.values()))
            fields = [f["name"] for f in self.model["flds"]]
            self.notes = {guid: {"fields": dict(zip(fields, flds.split("\x1f"))), "tags": tags.split(), "id": nid}
                          for nid, guid, flds, tags in db.execute("select id, guid, flds, tags from notes")}
            self.cards = db.execute("select nid, ord from cards").fetchall()
            self.decks = json.loads(db.execute("select decks from col").fetchone()[0])
        finally:
            db.close()


def decoded_seconds(data: bytes) -> float:
    pcm = subprocess.run([get_ffmpeg_exe(), "-v", "error", "-f", "mp3", "-i", "pipe:0", "-f", "s16le", "-ac", "1",
                          "-ar", "8000", "pipe:1"], input=data, capture_output=True, check=True).stdout
    return len(pcm) / 2 / 8000


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    work = tmp_path_factory.mktemp("deck")
    report = build(work)
    return work, report, Apkg(work / "public" / report["deck"], tmp_path_factory.mktemp("apkg"))


def test_report_and_manifest_name_the_deck_and_the_page_links_it(built):
    work, report, apkg = built
    assert report["deck"].startswith("deck-") and report["deck"].endswith(".apkg") and "/" not in report["deck"]
    assert report["deck_notes"] == len(apkg.notes) == 4  # two terms, two key sentences
    manifest = json.loads((work / "public" / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["deck"] == {"file": report["deck"], "notes": 4,
                                "sha256": hashlib.sha256((work / "public" / report["deck"]).read_bytes()).hexdigest()}
    doc = lhtml.fromstring((work / "public" / "index.html").read_bytes())
    assert doc.xpath(f'//a[@href="{report["deck"]}"]/@download') is not None
    assert len(doc.xpath(f'//a[@href="{report["deck"]}"]')) == 1


def test_one_note_per_term_and_key_sentence_with_meaning_english_lesson_and_audio(built):
    _, _, apkg = built
    assert {"collection.anki2", "media"} <= apkg.names
    by_english = {n["fields"]["English"]: n for n in apkg.notes.values()}
    assert set(by_english) == {"agenda", "Let's start with the agenda", "action items", "Who owns this next step"}
    agenda = by_english["agenda"]["fields"]
    assert agenda["Korean"] == "안건" and agenda["Number"] == "1" and agenda["Lesson"] == "안건을 먼저 꺼내라"
    assert agenda["Article"] == "회의에서 살아남는 영어"
    assert agenda["Audio"].startswith("[sound:") and agenda["AudioSlow"] == ""  # an episode says a term once, naturally
    quote = by_english["Let's start with the agenda"]["fields"]
    assert quote["Korean"] == "안건부터 시작합시다"
    assert quote["Audio"].startswith("[sound:") and quote["AudioSlow"].startswith("[sound:")  # natural and slow
    assert by_english["Who owns this next step"]["fields"]["Korean"] == ""
    assert by_english["action items"]["fields"]["Number"] == "2"
    for note in apkg.notes.values():
        assert "audiogen::meeting" in note["tags"]
        lesson = "lesson-01" if note["fields"]["Number"] == "1" else "lesson-02"
        assert f"audiogen::meeting::{lesson}" in note["tags"]
    assert "회의에서 살아남는 영어" in {d["name"] for d in apkg.decks.values()}  # the show's name (no podcast.toml)


def test_two_card_types_and_no_recall_card_without_a_korean_cue(built):
    _, _, apkg = built
    assert [t["name"].split(":")[0] for t in apkg.model["tmpls"]] == ["Recall", "Listening"]
    cards: dict[int, set[int]] = {}
    for nid, ord_ in apkg.cards:
        cards.setdefault(nid, set()).add(ord_)
    for note in apkg.notes.values():
        expected = {0, 1} if note["fields"]["Korean"] else {1}
        assert cards[note["id"]] == expected, note


def test_media_are_the_episodes_own_clips_as_playable_mp3(built):
    work, _, apkg = built
    named = {f.removeprefix("[sound:").removesuffix("]") for n in apkg.notes.values()
             for f in (n["fields"]["Audio"], n["fields"]["AudioSlow"]) if f}
    assert named == set(apkg.files)  # every sound a note plays is in the package, nothing else
    cached = {p.stem: p for p in (work / "cache").rglob("*.wav")}
    for name, data in apkg.files.items():
        assert data[:3] == b"ID3" or data[0] == 0xFF
        key = name.removeprefix("audiogen-").removesuffix(".mp3")
        (wav,) = [p for stem, p in cached.items() if stem.startswith(key)]  # the clip the episodes were mixed from
        with wave.open(str(wav)) as w:
            clip_seconds = w.getnframes() / w.getframerate()
        assert clip_seconds > 0.3 and abs(decoded_seconds(data) - clip_seconds) < 0.1, name


def test_a_rebuild_without_changes_writes_no_new_deck(built, tmp_path):
    work, report, _ = built
    deck_file = work / "public" / report["deck"]
    before = deck_file.stat().st_mtime_ns
    again = audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", cwd=work)
    assert again["deck"] == report["deck"] and deck_file.stat().st_mtime_ns == before
    assert sorted(p.name for p in (work / "public").glob("deck-*")) == [report["deck"]]


@pytest.fixture(scope="module")
def edited(built, tmp_path_factory):
    """The same work folder built again after one Korean meaning was edited."""
    work, _, _ = built
    copy = tmp_path_factory.mktemp("edited") / "work"
    subprocess.run(["cp", "-a", str(work), str(copy)], check=True)
    report = build(copy, EDITED)
    return copy, report, Apkg(copy / "public" / report["deck"], tmp_path_factory.mktemp("apkg"))


def test_guids_survive_a_rebuild_and_an_edited_meaning(built, edited):
    _, report, apkg = built
    copy, again, new = edited
    assert again["deck"] != report["deck"]  # a new deck, at a new URL ...
    assert sorted(p.name for p in (copy / "public").glob("deck-*")) == [again["deck"]]  # ... the old one gone
    assert set(new.notes) == set(apkg.notes)  # ... whose notes Anki updates in place
    agenda = next(n for n in new.notes.values() if n["fields"]["English"] == "agenda")
    assert agenda["fields"]["Korean"] == "의제"


def test_anki_imports_the_deck_and_a_rebuilt_one_updates_it_keeping_reviews(built, edited, tmp_path):
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    work, report, apkg = built
    copy, again, _ = edited
    col = Collection(str(tmp_path / "learner.anki2"))  # a fresh collection, as a new learner has
    try:
        first = col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(work / "public" / report["deck"]), options=ImportAnkiPackageOptions()))
        assert len(first.log.new) == 4 and col.note_count() == 4 and col.card_count() == len(apkg.cards)
        assert sorted(p.name for p in Path(col.media.dir()).iterdir()) == sorted(apkg.files)
        # the learner reviews a card
        (deck_id,) = [d.id for d in col.decks.all_names_and_ids() if d.name == "회의에서 살아남는 영어"]
        col.decks.select(deck_id)
        card = col.sched.getCard()
        col.sched.answerCard(card, 3)
        reviewed = col.get_card(card.id)
        # then imports the rebuilt deck: the edited note is updated, nothing is duplicated, the review stays
        second = col.import_anki_package(ImportAnkiPackageRequest(
            package_path=str(copy / "public" / again["deck"]), options=ImportAnkiPackageOptions()))
        assert len(second.log.new) == 0 and len(second.log.duplicate) == 0 and len(second.log.updated) >= 1
        assert col.note_count() == 4 and col.card_count() == len(apkg.cards)
        (agenda,) = [col.get_note(n) for n in col.find_notes("English:agenda")]
        assert agenda["Korean"] == "의제"
        after = col.get_card(card.id)
        assert after.reps == reviewed.reps == 1 and after.due == reviewed.due
        assert col.db.scalar("select count() from revlog") == 1
    finally:
        col.close()


def test_study_deck_false_turns_it_off_and_removes_a_published_one(built, tmp_path):
    work, report, _ = built
    copy = tmp_path / "work"
    subprocess.run(["cp", "-a", str(work), str(copy)], check=True)
    (copy / "podcast.toml").write_text("[study]\ndeck = false\n", encoding="utf-8")
    off = audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
                   "--config", "podcast.toml", cwd=copy)
    assert off["deck"] is None and off["deck_notes"] == 0
    assert not list((copy / "public").glob("*.apkg"))
    assert "apkg" not in (copy / "public" / "index.html").read_text(encoding="utf-8")


def damage_media_entry(apkg: Path) -> None:
    """Overwrite part of the compressed `media` entry inside the zip (its CRC no longer holds)."""
    with zipfile.ZipFile(apkg) as z:
        info = z.getinfo("media")
    data = bytearray(apkg.read_bytes())
    name_len, extra_len = int.from_bytes(data[info.header_offset + 26:info.header_offset + 28], "little"), \
        int.from_bytes(data[info.header_offset + 28:info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_len + extra_len
    for k in range(start, start + info.compress_size):
        data[k] ^= 0x5A
    apkg.write_bytes(bytes(data))


@pytest.mark.parametrize("damage, seed", [("truncated", SEED), ("corrupt media entry", EDITED)],
                         ids=["truncated-same-seeds", "corrupt-media-entry-edited-seed"])
def test_a_damaged_deck_is_made_again_and_nothing_else_moves(built, tmp_path, damage, seed):
    """Issue 22, case 3: a truncated deck was never rebuilt; a corrupt `media` entry failed every build (zlib)."""
    work, report, apkg = built
    copy = tmp_path / "work"
    subprocess.run(["cp", "-a", str(work), str(copy)], check=True)
    out = copy / "public"
    facts = feed_facts(out)
    published = out / report["deck"]
    if damage == "truncated":
        published.write_bytes(published.read_bytes()[: published.stat().st_size // 2])
    else:
        damage_media_entry(published)
    (copy / "seeds" / "meeting.txt").write_text(seed, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "audiogen", "build", "seeds", "--out", "public", "--engine", "espeak",
                           "--cache", "cache", "--verbose", "--report", "report.json"], cwd=copy,
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"study deck: {report['deck']} is not the one published" in proc.stderr
    again = json.loads((copy / "report.json").read_text(encoding="utf-8"))
    deck_file = out / again["deck"]
    with zipfile.ZipFile(deck_file) as z:
        assert z.testzip() is None
    rebuilt = Apkg(deck_file, tmp_path)
    assert set(rebuilt.notes) == set(apkg.notes) and set(rebuilt.files) == set(apkg.files)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["deck"]["sha256"] == hashlib.sha256(deck_file.read_bytes()).hexdigest()
    if seed == SEED:
        assert again["deck"] == report["deck"]  # the same deck, whole again, under its name
        assert feed_facts(out) == facts
    else:  # a meaning of the lesson changed: that lesson is republished as corrected, nothing else moves
        now = feed_facts(out)
        assert [f[1] for f in now] == [f[1] for f in facts]  # the same seasons, in the same order
        moved = [(a[0], b[0]) for a, b in zip(facts, now) if a[0] != b[0]]
        assert len(now) == len(facts) and len(moved) <= 1


# --- the module on its own ---------------------------------------------------------------


def script(meaning: str, quote: str = "<b>Bold</b> & \"quoted\" claims") -> Script:
    lines = [
        Line("term", "en", "engineered in", part="expressions"),
        Line("meaning", "ko", f"뜻은, {meaning}.", part="expressions"),
        Line("term", "en", "engineered in", part="expressions"),
        Line("quote", "en", quote, part="sentences"),
        Line("gloss", "ko", "<script>alert(1)</script> 번역", part="sentences"),
        Line("slow", "en", quote, speed=0.85, part="sentences"),
        Line("quote", "en", quote, part="sentences"),
    ]
    return Script(slug="s-01", guid="g", title="Lesson <one>", episode_type="full", seed_id="s", section_key="1",
                  description="", lines=lines, number=1)


def test_guids_come_from_seed_and_item_never_from_a_meaning_or_title():
    a = deck.study_items([script("내재되다")], {"s": "Article"})
    b = deck.study_items([script("처음부터 설계되다")], {"s": "Another title"})
    assert [i.guid for i in a] == [i.guid for i in b] and len({i.guid for i in a}) == 2
    assert [i.korean for i in a] == ["내재되다", "<script>alert(1)</script> 번역"]
    other_seed = deck.study_items([__import__("dataclasses").replace(script("내재되다"), seed_id="t")], {})
    assert not {i.guid for i in other_seed} & {i.guid for i in a}


def test_seed_text_is_escaped_in_every_field(tmp_path):
    items = deck.study_items([script("<i>내재</i>")], {"s": "<img src=x onerror=alert(1)>"})
    notes = deck.notes_for(items, lambda line: f"{line.kind}{line.speed}".ljust(40, "0"))
    media = {n: b"\xff\xfb" for note in notes for n in (note.audio, note.slow) if n}
    deck.write_apkg(tmp_path / "d.apkg", "Show <b>", notes, media)
    apkg = Apkg(tmp_path / "d.apkg", tmp_path)
    fields = [f for n in apkg.notes.values() for f in n["fields"].values()]
    assert len(apkg.notes) == 2 and not [f for f in fields if "<" in f or ">" in f]
    assert '&lt;b&gt;Bold&lt;/b&gt; &amp; "quoted" claims' in fields and "&lt;script&gt;alert(1)&lt;/script&gt; 번역" in fields
    assert "Show <b>" in {d["name"] for d in apkg.decks.values()}  # a deck name is plain text to Anki


def test_the_deck_key_follows_content_not_time():
    items = deck.study_items([script("내재되다")], {"s": "Article"})
    notes = deck.notes_for(items, lambda line: "a" * 64)
    assert deck.deck_key("Show", notes) == deck.deck_key("Show", notes)
    edited = deck.notes_for(deck.study_items([script("설계되다")], {"s": "Article"}), lambda line: "a" * 64)
    assert deck.deck_key("Show", edited) != deck.deck_key("Show", notes)
    assert deck.deck_key("Show", deck.notes_for(items, lambda line: "b" * 64)) != deck.deck_key("Show", notes)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cut=st.integers(min_value=0), flips=st.lists(st.tuples(st.integers(min_value=0), st.integers(1, 255)),
                                                      min_size=1, max_size=6))
def test_no_damage_to_a_published_deck_is_an_internal_error(built, tmp_path, cut, flips):
    """Any bytes where the deck was: reading its clips back gives only whole MP3 entries, or none."""
    work, report, apkg = built
    data = bytearray((work / "public" / report["deck"]).read_bytes())
    data = data[: cut % (len(data) + 1)]
    for at, bits in flips:
        if data:
            data[at % len(data)] ^= bits
    damaged = tmp_path / "damaged.apkg"
    damaged.write_bytes(bytes(data))
    assert deck.is_whole(damaged, hashlib.sha256((work / "public" / report["deck"]).read_bytes()).hexdigest()) is False
    deck.is_whole(damaged, "")
    for name, clip in deck.read_media(damaged).items():
        assert apkg.files[name] == clip
