"""The course on its own, without audio: show order, seasons that never move, and the scripts
of every article woven into one show (recall follows the seasons, not the dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from audiogen.config import LessonSettings
from audiogen.lesson import course, reviews, writer
from audiogen.lesson.lines import estimate_seconds
from audiogen.model import Lesson, Quote, Section, Term
from audiogen.text import spoken_seconds

from test_writer import drills


COURSE_DIR = Path(__file__).resolve().parent / "fixtures" / "course"


def article(seed_id: str, day: dt.date, size: int = 1) -> Lesson:
    sections = [Section(str(k), "section", f"{seed_id} 주제 {k}", paragraphs=[f"{seed_id}의 {k}번째 본문입니다."],
                        quotes=[Quote(f"The {seed_id} sentence number {k} is here.", f"{seed_id} {k}번 문장입니다.")],
                        terms=[Term(f"{seed_id} term {k}", f"{seed_id} 용어 {k}")])
                for k in range(1, size + 1)]
    return Lesson(seed_id=seed_id, source=Path(f"{seed_id}.md"), title=f"{seed_id} 기사", date=day, sections=sections)


def dated(lesson: Lesson) -> dt.date:
    assert lesson.date is not None
    return lesson.date


def test_show_order_is_oldest_first_then_by_id():
    b = article("b", dt.date(2026, 1, 1))
    a = article("a", dt.date(2026, 1, 1))
    old = article("z", dt.date(2025, 1, 1))
    assert [les.seed_id for les in course.in_show_order([b, a, old], dated)] == ["z", "a", "b"]


def test_a_new_article_takes_the_next_season_and_the_old_ones_keep_theirs():
    older = article("older", dt.date(2020, 1, 1))
    march = article("march", dt.date(2026, 3, 1))
    assert course.seasons_for([march], {}) == {"march": 1}
    # added later, though dated earlier: the next season; a removed article keeps its number
    assert course.seasons_for([older, march], {"march": 1, "gone": 2}) == {"gone": 2, "march": 1, "older": 3}


def test_recall_follows_the_seasons_not_the_dates():
    """An article added later but dated earlier is shown first, yet recalls the published one,
    and the published one's scripts are the same as before it came."""
    from audiogen import seed

    settings = LessonSettings()
    salary = seed.read(COURSE_DIR / "salary-review.txt")  # April
    kickoff = seed.read(COURSE_DIR / "project-kickoff.txt")  # March, added later
    alone = course.write_scripts([salary], settings, dated, {})
    both = course.write_scripts(course.in_show_order([salary, kickoff], dated), settings, dated,
                                {"salary-review": 1})
    assert both[0].slug == "project-kickoff-trailer"  # the feed's order: by date
    assert {s.slug: s.lines for s in both if s.seed_id == "salary-review"} == {s.slug: s.lines for s in alone}
    trailer = both[0]
    salary_items = {it.answer for s in alone for it in reviews.items_of(s)}
    recalled = set(reviews.recalled_in(trailer))
    assert recalled and recalled <= salary_items


def test_the_edited_script_replaces_the_generated_one_but_keeps_its_date():
    settings = LessonSettings()
    march = article("march", dt.date(2026, 3, 1))
    seen = []

    def edited(generated, lesson):
        seen.append((generated.slug, lesson.seed_id if lesson else None))
        generated.title = "손본 제목"
        return generated

    scripts = course.write_scripts([march], settings, dated, {}, edited)
    assert seen == [("march-01", "march")]
    assert scripts[0].title == "손본 제목" and scripts[0].date == dt.date(2026, 3, 1)


# --- the schedule over a show of four articles nobody tuned to (tests/fixtures/course) -------------

COURSE = sorted(COURSE_DIR.iterdir())


def show(paths=COURSE, known: dict[str, int] | None = None):
    from audiogen import seed

    lessons = course.in_show_order([seed.read(p) for p in paths], dated)
    return lessons, course.write_scripts(lessons, LessonSettings(), dated, known or {})


@pytest.fixture(scope="module")
def fixture_show():
    return show()


def steps_of(scripts):
    return [s for s in scripts if s.episode_type != "bonus"]


def taught_at(scripts) -> dict[str, int]:
    out: dict[str, int] = {}
    for n, s in enumerate(steps_of(scripts)):
        for it in reviews.items_of(s):
            out.setdefault(writer.item_key(it.answer), n)
    return out


def test_the_fixture_show_is_long_enough(fixture_show):
    lessons, scripts = fixture_show
    assert len(lessons) >= 4 and sum(s.episode_type == "full" for s in scripts) >= 15


def test_no_item_is_introduced_twice(fixture_show):
    _, scripts = fixture_show
    seen: dict[str, str] = {}
    for s in steps_of(scripts):
        for it in reviews.items_of(s):
            key = writer.item_key(it.answer)
            assert key not in seen, f"{it.answer!r} taught in {seen.get(key)} and again in {s.slug}"
            seen[key] = s.slug
    # "Deadlines" (customer-call) and "deadline" (project-kickoff, salary-review) are one item
    assert sum(1 for k in seen if k == "deadline") == 1


def test_every_item_comes_back_at_widening_gaps(fixture_show):
    """Taught in step n: recalled in at least three later episodes when that many follow (reviews
    count as episodes), and its recalls in lesson steps come at gaps that never shrink."""
    _, scripts = fixture_show
    steps = steps_of(scripts)
    taught = taught_at(scripts)
    in_lessons: dict[str, list[int]] = {k: [] for k in taught}
    episodes: dict[str, int] = {k: 0 for k in taught}
    position = {id(s): i for i, s in enumerate(scripts)}
    for n, s in enumerate(steps):
        for answer in reviews.recalled_in(s):
            in_lessons[writer.item_key(answer)].append(n)
    for s in scripts:
        for answer in reviews.recalled_in(s):
            episodes[writer.item_key(answer)] += 1
    for key, n in taught.items():
        first = next(i for i, s in enumerate(scripts) if s is steps[n])
        following = len(scripts) - first - 1
        assert episodes[key] >= min(3, following), (key, n, in_lessons[key], following)
        times = [n] + in_lessons[key]
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert gaps == sorted(gaps) and all(g >= 1 for g in gaps), (key, times)
        assert len(in_lessons[key]) <= len(course.RECALL_STEPS)  # the ceiling
    assert position  # scripts were indexed


def test_a_recall_asks_with_the_meaning_the_item_was_taught_with(fixture_show):
    _, scripts = fixture_show
    first_cue: dict[str, tuple[str, ...]] = {}
    for s in steps_of(scripts):
        for it in reviews.items_of(s):
            first_cue.setdefault(it.answer, tuple(line.text for line in it.cue))
    asked = 0
    for s in scripts:
        own = {it.answer for it in reviews.items_of(s)}
        for cue, _, answer in drills(s.lines):
            if answer.text not in own and answer.text in first_cue:
                assert tuple(line.text for line in cue) == first_cue[answer.text], (s.slug, answer.text)
                asked += 1
    assert asked > 50


def test_no_lesson_spends_more_than_its_recall_budget_before_new_material(fixture_show):
    _, scripts = fixture_show
    for s in steps_of(scripts):
        before = [line for line in s.lines if line.part == "review"]
        assert len(drills(before)) <= course.OPENING_ITEMS, s.slug
        assert estimate_seconds(before) <= course.OPENING_SECONDS + 2, s.slug  # + the lead "복습."
        recap = [line for line in s.lines if line.part == "recap"]
        own = {it.answer for it in reviews.items_of(s)}
        # a trailer has nothing before its story: both blocks come in its recap
        limit = course.RECAP_ITEMS + (course.OPENING_ITEMS if s.episode_type == "trailer" else 0)
        assert len([d for d in drills(recap) if d[2].text not in own]) <= limit, s.slug


def test_every_recall_pause_leaves_time_to_retrieve(fixture_show):
    _, scripts = fixture_show
    for s in scripts:
        for _, pause, answer in drills(s.lines):
            assert pause.pause >= 2.5 + spoken_seconds(answer.text, "en") - 1e-6, (s.slug, answer.text)


def test_the_trailer_introduces_and_the_review_closes(fixture_show):
    lessons, scripts = fixture_show
    for lesson in lessons:
        own = [s for s in scripts if s.seed_id == lesson.seed_id]
        trailer, review = own[0], own[-1]
        fulls = [s for s in own if s.episode_type == "full"]
        assert trailer.episode_type == "trailer" and review.episode_type == "bonus"
        intro = next(sec for sec in lesson.sections if sec.kind == "intro")
        outro = next(sec for sec in lesson.sections if sec.kind == "outro")
        trailer_items = {it.answer for it in reviews.items_of(trailer)}
        # a new series opens with its own story: what the show has due is recalled in its recap
        assert not any(line.part == "review" for line in trailer.lines), trailer.slug
        # only the introduction's items; the conclusion's are taught in the last lesson
        assert trailer_items and trailer_items <= {q.english for q in intro.quotes} | {t.english for t in intro.terms}
        conclusion = {q.english for q in outro.quotes}
        for s in [trailer] + fulls[:-1]:
            assert not conclusion & {line.text for line in s.lines}, s.slug
        assert conclusion <= {it.answer for it in reviews.items_of(fulls[-1])}
        # every trailer item is recalled in a later lesson, and the review drills every item of the article
        later = {a for s in fulls for a in reviews.recalled_in(s)}
        assert trailer_items <= later
        article_items = {it.answer for s in [trailer] + fulls for it in reviews.items_of(s)}
        assert article_items <= {answer.text for _, _, answer in drills(review.lines)}
        # the long title is said once, in the trailer; how the drills work too
        title = lesson.title.split(":")[0]
        said = [s.slug for s in own if any(title in line.text for line in s.lines if line.part == "opening")]
        assert said == [trailer.slug]
        # the trailer's list: each lesson by its Korean heading, English only after a Korean meaning
        listed = [line for line in trailer.lines if line.part == "narration" and line.kind == "heading"]
        for k, line in enumerate(listed):
            if line.lang == "en" and (k == 0 or listed[k - 1].lang != "en"):
                assert listed[k - 1].lang == "ko" and "레슨" not in listed[k - 1].text, (trailer.slug, line.text)


def test_adding_an_article_changes_no_published_script(fixture_show):
    _, scripts = fixture_show
    _, fewer = show(COURSE[:3])
    seasons = {les_id: n for n, les_id in enumerate(dict.fromkeys(s.seed_id for s in fewer), start=1)}
    _, more = show(COURSE, known=seasons)
    by_slug = {s.slug: s for s in more}
    for s in fewer:
        assert by_slug[s.slug].lines == s.lines and by_slug[s.slug].description == s.description, s.slug
    assert len(more) > len(fewer)


def test_an_item_past_its_ceiling_is_not_recalled_again():
    m = course.Memory("x", reviews.Item((), "x"), "seed", taught=0, recalls=[1, 2, 4, 8, 16])
    assert m.due() is None
    late = course.Memory("y", reviews.Item((), "y"), "seed", taught=0, recalls=[1, 5])
    assert late.due() == (9, 4)  # the gap after a late recall never shrinks (5 - 1 = 4 > the step's 2)


def test_pauses_are_sized_from_the_real_clips_recall_longer_than_repeat():
    """`fit_pauses` (run on the clips the voice made): a recall pause is 2.5 s + the answer's length
    (never under 2.5 s, nor under a repeat pause), a repeat-after pause 1 s + 1.3 x the slow English."""
    from audiogen.lesson.lines import drill, fit_pauses, repeat
    from audiogen.model import Clip

    settings = LessonSettings()
    lines = drill("계약 보너스.", "signing bonus", "recap", settings) + repeat("slow", "signing bonus", "sentences",
                                                                           settings, speed=0.8)

    def clip(seconds: float) -> Clip:
        return Clip(b"\0\0" * int(16000 * seconds), 16000)

    clips = [clip(1.0) if line.spoken else None for line in lines]
    fitted = fit_pauses(lines, clips, 1.0)
    recall = next(line for k, line in enumerate(fitted) if line.kind == "pause" and fitted[k - 1].kind == "cue")
    assert recall.pause == pytest.approx(2.5 + 1.0)
    after_slow = next(line for k, line in enumerate(fitted) if line.kind == "pause" and fitted[k - 1].kind == "slow")
    assert after_slow.pause == pytest.approx(1.0 + 1.3 * 1.0)
    long_answer = fit_pauses(lines, [clip(6.0) if line.spoken else None for line in lines], 1.0)
    assert next(line.pause for k, line in enumerate(long_answer)
                if line.kind == "pause" and long_answer[k - 1].kind == "cue") == pytest.approx(1.0 + 1.3 * 6.0)
    short = fit_pauses(lines, clips, 0.5)  # a short pause_factor never takes recall under 2.5 s
    assert min(line.pause for k, line in enumerate(short) if line.kind == "pause" and short[k - 1].kind == "cue") >= 2.5


def test_the_page_lists_what_each_lesson_recalls(fixture_show, tmp_path):
    """The page gets, per lesson, the earlier items it asks for again (from the episode's script JSON)."""
    from audiogen import transcript
    from audiogen.feed import page
    from audiogen.model import Span

    _, scripts = fixture_show
    lesson = next(s for s in scripts if s.episode_type == "full" and reviews.recalled_in(s))
    doc = transcript.script_json(lesson, [Span(0.0, 0.0)] * len(lesson.lines))
    listed = page.recalled_items(doc)
    assert listed == reviews.recalled_in(lesson)
    assert not set(listed) & {it.answer for it in reviews.items_of(lesson)}
    assert page.recalled_items("not json") == [] and page.recalled_items('{"segments": 3}') == []


def thin_article(seed_id: str, day: dt.date) -> Lesson:
    """Two lessons whose only English is one loanword each: short of a third English whatever they
    hear again of their own."""
    sections = [Section(str(k), "section", f"미끼 상품 이야기 {k}",
                        paragraphs=[f"많은 회사의 가격 페이지에는 요금제가 세 개 있고, 그중 하나는 {k}번째 미끼입니다."],
                        terms=[Term(word, meaning)])
                for k, (word, meaning) in enumerate([("decoy", "미끼 상품"), ("anchor", "기준점")], start=1)]
    return Lesson(seed_id=seed_id, source=Path(f"{seed_id}.md"), title=f"{seed_id} 기사", date=day, sections=sections)


def heard_earlier(script) -> list[str]:
    """What an episode hears again of earlier lessons: English heard at the end that it says nowhere else."""
    elsewhere = {line.text for line in script.lines if line.kind != "recap"}
    return [line.text for line in script.lines if line.kind == "recap" and line.lang == "en" and line.text not in elsewhere]


def test_a_thin_lesson_hears_sentences_taught_earlier_and_they_are_not_recalls(monkeypatch):
    """A lesson whose only English is one loanword ends by hearing sentences the show taught earlier
    with a meaning, sentences first, never one it drills itself, until it is a third English; a
    lesson of the first article has nothing earlier to hear. Hearing is not a recall: the schedule
    (every drill of every episode) is the same as without it."""
    from audiogen.lesson import phrases
    from audiogen.lesson.lines import ENGLISH_SHARE, airtime_estimate

    settings = LessonSettings()
    lessons = [article("first", dt.date(2026, 1, 1), size=3), thin_article("thin", dt.date(2026, 2, 1))]
    scripts = course.write_scripts(lessons, settings, dated, {})
    meant = {q.english: q.korean for sec in lessons[0].sections for q in sec.quotes}
    assert not any(heard_earlier(s) for s in scripts if s.seed_id == "first")
    thin = [s for s in scripts if s.seed_id == "thin" and s.episode_type == "full"]
    for s in thin:
        heard = heard_earlier(s)
        assert heard, s.slug
        assert set(heard) <= set(meant), heard  # what the first article taught with a meaning
        assert heard[0] in meant  # a whole sentence first
        assert not set(heard) & {answer.text for _, _, answer in drills(s.lines)}, s.slug
        english, total = airtime_estimate(s.lines)
        before = airtime_estimate([x for x in s.lines if not (x.kind == "recap" and x.text in heard)])
        assert english / total > before[0] / before[1]
        # one lead for what it hears again, its own and the earlier: «다시 들어 보세요.» or «앞서 배운 …»
        leads = [x.text for x in s.lines if x.kind == "lead" and x.part == "recap"]
        assert len([t for t in leads if t == phrases.LISTEN_AGAIN or t.startswith("앞서 배운 ")]) == 1, leads
        # until the share is reached, or every earlier item it does not say otherwise has been heard
        taught = {it.answer for x in scripts if x.seed_id == "first" for it in reviews.items_of(x) if not it.shadowed}
        elsewhere = {line.text for line in s.lines if line.lang == "en"} - set(heard)
        assert english / total >= ENGLISH_SHARE or len(heard) == writer.EARLIER_HEARD_MAX \
            or set(heard) == taught - elsewhere, (s.slug, heard)
    monkeypatch.setattr(writer, "EARLIER_HEARD_MAX", 0)
    unheard = course.write_scripts(lessons, settings, dated, {})
    assert not any(heard_earlier(s) for s in unheard)
    assert [[a.text for _, _, a in drills(s.lines)] for s in unheard] == [[a.text for _, _, a in drills(s.lines)]
                                                                          for s in scripts]


@pytest.mark.parametrize("heard, said", [
    (["We need fewer goals that everyone actually understands."], "앞서 배운 문장."),
    (["key results", "to-do list"], "앞서 배운 표현."),
    (["Saying no early saved us, twice over.", "anchor"], "앞서 배운 문장과 표현."),
])
def test_the_lead_names_what_is_heard_again(heard, said):
    from audiogen.lesson import phrases

    assert phrases.earlier(heard) == said


WORDS = [("deadline", "마감"), ("scope", "범위"), ("budget", "예산"), ("follow-up", "후속 조치"),
         ("headcount", "인원"), ("kickoff", "착수 회의"), ("milestone", "중간 목표"), ("trade-off", "맞바꿈")]


def unmeant(seed_id: str, day: dt.date, size: int) -> Lesson:
    """An article whose key sentences have no Korean meaning (shadowed, never drilled) and whose terms
    have one (drilled)."""
    sections = []
    for k in range(1, size + 1):
        english, korean = WORDS[(k - 1 + (seed_id == "b") * size) % len(WORDS)]
        sections.append(Section(str(k), "section", f"일하는 방식 {k}", paragraphs=[f"팀은 {korean}({english})을 먼저 정합니다."],
                                quotes=[Quote(f"We always agree on the {english} before anything else {seed_id} {k}.")],
                                terms=[Term(english, korean)]))
    return Lesson(seed_id=seed_id, source=Path(f"{seed_id}.md"), title=f"{seed_id} 기사", date=day, sections=sections)


def after_another_answer(scripts) -> list[tuple[str, str, str]]:
    return [(s.slug, s.lines[k - 1].text, line.text) for s in scripts for k, line in enumerate(s.lines[1:-1], start=1)
            if line.kind == "answer" and s.lines[k + 1].kind == "pause" and s.lines[k - 1].kind == "answer"
            and s.lines[k - 1].text != line.text]  # (a sentence's second try repeats its own answer)


def test_a_shadowed_sentence_never_follows_another_answer(monkeypatch):
    """Heard straight after a drill's answer, a sentence to say after the model sounds like part of that
    answer: in every episode it comes after a lead or a pause (shadows come first in a block)."""
    from audiogen.lesson import lines as lines_module

    lessons = [unmeant("a", dt.date(2026, 1, 1), 4), unmeant("b", dt.date(2026, 2, 1), 4)]
    scripts = course.write_scripts(lessons, LessonSettings(), dated, {})
    assert sum(it.shadowed for s in scripts for it in reviews.items_of(s)) >= 6
    assert sum(len(drills(s.lines)) for s in scripts) >= 10
    assert not after_another_answer(scripts)
    # the check can fail: blocks in the course's order, with nothing said between
    monkeypatch.setattr(writer, "_shadows_first", lambda block: block)
    monkeypatch.setattr(writer, "shadows_told", lambda lines, lead: lines)
    monkeypatch.setattr(lines_module, "shadows_told", lambda lines, lead: lines)
    monkeypatch.setattr(reviews, "shadows_told", lambda lines, lead: lines)
    monkeypatch.setattr(writer, "_recap", _recap_in_course_order)
    assert after_another_answer(course.write_scripts(lessons, LessonSettings(), dated, {}))


def _recap_in_course_order(m, settings, recalled=None):
    from audiogen.lesson import phrases
    from audiogen.lesson.lines import drill, say

    lines = [x for t in m.terms if (cue := writer.cue_for(t)) for x in drill(cue, t.english, "recap", settings)]
    lines += [x for q in m.quotes for x in writer.sentence_drill(q, "recap", settings)] + list(recalled or [])
    return say("recap", phrases.RECAP, "recap", lang="ko") + lines if lines else []


def test_a_shadow_after_an_answer_is_told_to_be_said_after():
    from audiogen.lesson import phrases
    from audiogen.lesson.lines import drill, shadow, shadows_told

    settings = LessonSettings()
    lines = drill("마감.", "deadline", "recap", settings) + shadow("I won't be able to make it.", "recap", settings)
    told = shadows_told(lines, phrases.SAY_AFTER)
    k = next(i for i, line in enumerate(told) if line.text == "I won't be able to make it.")
    assert told[k - 1].text == phrases.SAY_AFTER and told[k - 2].text == "deadline"
    again = shadow("Tell me more.", "recap", settings) + shadow("I won't be able to make it.", "recap", settings)
    assert shadows_told(again, phrases.SAY_AFTER) == again  # after a pause: nothing to add


def test_a_term_is_never_heard_twice_in_a_row_at_the_end():
    from audiogen.lesson.lines import say, top_up

    lines = say("recap", "정리.", "recap", lang="ko") + say("answer", "cold approach", "recap", lang="en")
    topped = top_up(lines, ["cold approach", "cold approach", "small talk"], 0.99, "recap")
    spoken = [line.text for line in topped]
    assert spoken == ["정리.", "cold approach", "small talk"]
    sentence = "It was great meeting you."  # a sentence heard again is listening, not a stutter
    assert [x.text for x in top_up(lines, [sentence, sentence], 0.99, "recap")].count(sentence) == 2


def test_with_nothing_earlier_a_short_lesson_hears_its_drilled_sentence_once_more_never_a_term():
    from audiogen.lesson.lines import ENGLISH_SHARE, airtime_estimate, drill, say

    settings = LessonSettings()
    sentence = "We need fewer goals that everyone actually understands."
    lines = (say("narration", "목표가 너무 많았습니다. " * 6, "narration", lang="ko") + say("recap", "정리.", "recap", lang="ko")
             + drill("할 일 목록.", "to-do list", "recap", settings)
             + drill("모두가 이해하는 소수의 목표에 집중하자.", sentence, "recap", settings))
    assert airtime_estimate(lines)[0] / airtime_estimate(lines)[1] < ENGLISH_SHARE
    heard = [line.text for line in writer.hear_earlier(lines, [])[len(lines):] if line.lang == "en"]
    assert heard == [sentence]  # the sentence once more; "to-do list" is never heard a third time
