"""English chunks: where a key sentence is cut for the learner to repeat, how it is built back
from its end, and how over-long text is cut into bounded pieces."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from audiogen.lesson.chunks import CHUNK_MAX_WORDS as WHOLE
from audiogen.lesson.chunks import MAX_CHUNKS, back_chain, bounded, chunk, without_stutter
from audiogen.lesson.writer import BACK_CHAIN_WORDS as PIECE  # the pieces a sentence is built back from
from audiogen.text import is_abbreviation

SPOKEN = [
    "we actually had this this sort of at the time it sounded very novel this belief that those two "
    "things actually were correlated and that they went together",
    "the real money the sticky reliable long-term money wasn't in viral moments it was in Fortune 500 contracts",
    "I think what we really need to do is to take a step back and look at the numbers before we commit to anything",
    "so the way I see it the customers who stay with us for more than a year are the ones who actually "
    "talk to our support team",
    "honestly the biggest lesson for me was that you have to build trust with the client long before you "
    "ask them for anything",
    "we decided to push the launch to next quarter because the vendor could not guarantee the delivery date",
]
# words a listener cannot stop on: the next word is what gives them meaning
NEVER_LAST = {"the", "a", "an", "this", "that", "my", "our", "their", "its", "your", "to", "of", "at", "in",
              "on", "for", "with", "from", "by", "about", "into", "as", "is", "are", "was", "were", "be", "will",
              "would", "can", "could", "should", "we", "i", "they", "he", "she", "and", "but", "or", "if",
              "because", "so", "when", "which", "who", "not", "very", "we're", "it's", "don't", "wasn't"}


@pytest.mark.parametrize("sentence", SPOKEN)
def test_chunks_of_transcribed_speech_end_on_a_whole_phrase(sentence):
    pieces = chunk(sentence)
    assert " ".join(pieces) == sentence
    assert len(pieces) >= 3
    for piece in pieces:
        words = piece.split()
        assert 2 <= len(words) <= 7, pieces
        assert words[-1].lower() not in NEVER_LAST or piece.endswith("sort of"), pieces
        assert words[0].lower() not in ("of", "'s"), pieces


def test_chunks_begin_with_the_preposition_or_the_conjunction():
    pieces = chunk(SPOKEN[0])
    assert "at the time" in [p[:11] for p in pieces]  # never "sort of at | the time"
    assert any(p.startswith("and that they went together") for p in pieces)
    assert chunk(SPOKEN[1])[-1] == "it was in Fortune 500 contracts"
    assert "the customers who stay with us" in chunk(SPOKEN[3])
    # "sort of" is a hedge that may close a phrase; "all of" and "going to" stay together
    joined = " | ".join(chunk("if Anthropic is able to make it work all of Gen AI is going to work "
                                     "and if not we're going to have some serious problems"))
    assert "all | of" not in joined and "going | to" not in joined and "Gen | AI" not in joined


@pytest.mark.parametrize("sentence, together", [
    ("In Q3, I grew our U.S. accounts by 40%, from $2M to $2.8M in annual revenue.", "our U.S. accounts"),
    ("The U.S. market for AI-powered bookkeeping is worth $1.2B today, and it's growing at 25% a year.",
     "The U.S. market"),
    ("Please call Mr. Kim before the meeting at 3 p.m. tomorrow about the contract.", "Mr. Kim"),
    ("Please call Mr. Kim before the meeting at 3 p.m. tomorrow about the contract.", "3 p.m. tomorrow"),
    ("Our product was ranked No. 1 in the category by analysts in the Q3 report this year.", "No. 1"),
    ("We offer a few perks, e.g. a home office budget and a learning stipend for everyone.", "e.g. a home"),
])
def test_abbreviations_are_not_sentence_ends(sentence, together):
    pieces = chunk(sentence)
    assert " ".join(pieces) == sentence
    assert any(together in p for p in pieces), pieces


@pytest.mark.parametrize("sentence, piece", [
    ("Thank you for working with me on this; I'm really excited to join the team.", "with me on this;"),
    ("A complaint is a gift: it's a customer telling you how to keep them.", "A complaint is a gift:"),
    ("I'm sorry this happened — I'd be frustrated too if I were in your shoes.", "I'm sorry this happened —"),
    ("Hype fades quickly in this market. Contracts renew every year for the teams that earn trust.",
     "Hype fades quickly in this market."),
])
def test_chunks_break_at_a_semicolon_a_colon_or_a_dash(sentence, piece):
    pieces = chunk(sentence)
    assert piece in pieces and " ".join(pieces) == sentence


def test_chunks_after_a_dash_without_spaces_and_phrases_that_stay_whole():
    pieces = chunk("I'm sorry this happened—I'd be frustrated too if I were in your shoes.")
    assert pieces == ["I'm sorry this happened—", "I'd be frustrated too", "if I were in your shoes."]
    assert "telling you how to keep them." in chunk(
        "A complaint is a gift: it's a customer telling you how to keep them.")
    assert any("looks like" in p for p in chunk(
        "Let's agree on what 'great' looks like for this role before we meet any candidates."))
    assert "the cloud costs were too high," in chunk(
        "the models weren't good enough, the cloud costs were too high, and small businesses didn't trust software")


# a phrase a learner would not say in halves stays in one piece (found in a learner's read of new articles)
@pytest.mark.parametrize("sentence, together", [
    ("We were never short of cash. We were short of the right cash in the right month.", "the right cash"),
    ("If you can answer it with a yes or a no, it is not a real interview question.", "a yes or a no"),
    ("The point is not to be liked. The point is to learn what they need.", "The point is not to be liked."),
    ("A line that cannot stop when something goes wrong isn't really safe at all.", "goes wrong"),  # and stays so
    ("One clear ticket saves the whole team a week of back and forth.", "back and forth."),
    ("We stopped asking who was late and started asking what made the handoff slow.", "asking what made"),
    ("We only want to be the simplest choice for small shops.", "the simplest choice"),  # a superlative and its noun
    ("Could you please walk me through how you reached these numbers?", "walk me through"),
    ("I would like to push back on that a little before we decide.", "push back on that"),
])
def test_a_short_phrase_is_never_cut_in_half(sentence, together):
    pieces = chunk(sentence, 6)
    assert " ".join(pieces) == sentence
    assert any(together in p for p in pieces), pieces


@pytest.mark.parametrize("word, abbreviation", [
    ("U.S.", True), ("e.g.", True), ("Mr.", True), ("p.m.", True), ("No.", True), ("(i.e.", True),
    ("team.", False), ("Q3", False), ("$1.2B", False), ("A.", False), ("U.S", False),
])
def test_is_abbreviation(word, abbreviation):
    assert is_abbreviation(word) == abbreviation


@given(st.lists(st.sampled_from(["the", "a", "to", "of", "we", "and", "money", "trust", "runs", "long,",
                                 "at", "it", "was", "team.", "is", "sort", "this"]), min_size=8, max_size=40))
def test_chunks_always_rejoin_and_never_leave_a_word_alone(words):
    sentence = " ".join(words)
    pieces = chunk(sentence)
    assert " ".join(pieces) == sentence
    assert all(len(p.split()) >= 2 for p in pieces)


# --- the cuts a learner must never hear -------------------------------------------------------------

@pytest.mark.parametrize("sentence, together, max_words", [
    # a phrasal verb and its particle
    ("I want to make sure that we collect all the data so that we can look at them together next week",
     "look at them", WHOLE),
    ("Tell me about a time when you had to deal with a difficult stakeholder on your team", "deal with", WHOLE),
    ("Could we take this offline and follow up by email tomorrow with the whole team?", "follow up", WHOLE),
    ("Today I'm going to pick up the login ticket and wrap up the payment page before lunch", "pick up", WHOLE),
    ("Today I'm going to pick up the login ticket and wrap up the payment page before lunch", "wrap up", WHOLE),
    # a number and what it counts, and a range
    ("We are looking at a base salary somewhere between ninety and a hundred thousand dollars for this role",
     "between ninety and a hundred thousand dollars", WHOLE),
    ("Our churn went down by about 30 percent after we moved every customer to annual plans", "30 percent", WHOLE),
    # a noun phrase an article opened
    ("Tell me about a time when you had to deal with a difficult stakeholder on your team",
     "a difficult stakeholder", WHOLE),
    ("We are looking at a base salary somewhere between ninety and a hundred thousand dollars for this role",
     "a base salary", WHOLE),
    # in the 5-word pieces the writer builds sentences back from, a subject pronoun stays with its verb
    ("the real money the sticky reliable long-term money wasn't in viral moments it was in Fortune 500 contracts",
     "it was", PIECE),
    ("we told you it was fine but it did not work", "it was fine", PIECE),
    # a name with its number
    ("the real money the sticky reliable long-term money wasn't in viral moments it was in Fortune 500 contracts",
     "Fortune 500", PIECE),
    ("In 2024 the team shipped Windows 11 support to every client", "Windows 11", PIECE),
    # a verb keeps its object; an object "you" may close a piece before a preposition
    ("I think you should make it work before Friday", "make it work", PIECE),
    ("I was telling you about the new pricing plan yesterday", "I was telling you", PIECE),
    # a phrasal or prepositional verb, a rate, a number and what it counts
    ("On March 3 we switched over the pediatric ward, and it took us about 90 days", "switched over", PIECE),
    ("We were charging for the thing our customers cared about the least, and giving away the rest",
     "cared about the least", PIECE),
    ("What saved us was giving our nurses back two hours a day so they could rest", "two hours a day", PIECE),
    ("so the big question was are the top ten accounts going to walk away", "the top ten accounts", PIECE),
    # an idiom's tail stays with its verb; a word keeps the "to" it takes
    ("Please keep me in mind for future opportunities when the next project starts.", "keep me in mind", PIECE),
    ("I'm fully committed to the Q2 launch, so I don't have the bandwidth to take this on.", "committed to", PIECE),
])
def test_chunks_keep_phrases_whole(sentence, together, max_words):
    pieces = chunk(sentence, max_words)
    assert " ".join(pieces) == sentence
    assert any(together in p for p in pieces), pieces


@pytest.mark.parametrize("spoken, meant", [
    ("we we kind of realized that this this sort of review saves us time",
     "we kind of realized that this sort of review saves us time"),
    ("I I think that's right", "I think that's right"),
    ("that that is fine", "that is fine"),  # a stutter even when the word could repeat: taught once
    ("We publish ours. Ours is public.", "We publish ours. Ours is public."),
])
def test_a_speakers_stutter_is_not_taught(spoken, meant):
    assert without_stutter(spoken) == meant


def test_back_chaining_builds_the_sentence_from_its_end():
    pieces = chunk("After a lot of thought, I decided that this role is my first choice.")
    steps = back_chain(pieces)
    assert steps[0] == pieces[-1] and steps[0].endswith("my first choice.")
    for shorter, longer in zip(steps, steps[1:]):
        assert longer.endswith(shorter) and len(longer) > len(shorter)
    assert " ".join(pieces) not in steps  # the whole sentence is the slow pass, said after
    many = chunk(" ".join(["we ship small changes, and we review them, then we measure them"] * 6))
    assert len(back_chain(many)) <= MAX_CHUNKS


def test_no_piece_runs_from_one_sentence_into_the_next():
    pieces = chunk("I would like to push back on that a little. I am not sure the timeline is realistic.", PIECE)
    assert " ".join(pieces).endswith("realistic.") and not any(". I" in p for p in pieces), pieces
    assert chunk("Over-communicate. In a remote team, nobody was ever fired for being too clear.", PIECE)[0].startswith(
        "Over-communicate. In")  # a lone word is not a piece of its own


def test_back_chaining_never_opens_on_the_tail_of_an_earlier_sentence():
    pieces = chunk("Security is not a side project for our team. It is part of what we sell.", PIECE)
    steps = back_chain(pieces)
    first, second = "Security is not a side project for our team.", "It is part of what we sell."
    for step in steps:  # each step is the end of one sentence, never "for our team. It is part of ..."
        assert first.endswith(step) or second.endswith(step), steps
    assert first in steps and second in steps and steps.index(first) < steps.index(second)
    assert back_chain(["Meet me at 6 p.m.", "in the lobby."]) == ["in the lobby."]  # p.m. ends no sentence
    assert back_chain(["See you at", "6 p.m.", "in the lobby."]) == ["in the lobby.", "6 p.m. in the lobby."]
    long = chunk("What convinced us was never the size of the market alone. It was the discipline of a team that "
                 "knew exactly what each new merchant costs and when it becomes profitable.", PIECE)
    assert len(back_chain(long)) <= MAX_CHUNKS and any(s.startswith("What convinced") for s in back_chain(long))


@pytest.mark.parametrize("text, limit", [
    ("가나다라 " * 5000, 240),  # 25,000 characters, no punctuation at all
    ("word " * 4000, 200),
    ("x" * 10_000, 300),  # no space either
    ("첫 번째 생각을 하고, 두 번째 생각을 하며 세 번째 생각을 했지만 결론이 없습니다. " * 40, 120),
])
def test_over_long_text_is_cut_into_bounded_pieces(text, limit):
    pieces = bounded(text, limit)
    assert all(0 < len(p) <= limit for p in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")


def test_bounded_cuts_at_the_strongest_boundary():
    text = "첫 번째 생각을 하고, 두 번째 생각을 하며 세 번째 생각을 했지만 결론이 없습니다"
    assert bounded(text, 40)[0] == "첫 번째 생각을 하고, 두 번째 생각을 하며 세 번째 생각을 했지만"  # a clause ends
    assert bounded(text, 24)[0] == "첫 번째 생각을 하고,"  # a comma beats a clause ending
    assert bounded("짧은 문장입니다.", 40) == ["짧은 문장입니다."]


@pytest.mark.parametrize("sentence, together", [
    ("If the base salary is fixed, could we talk about a signing bonus instead?", "a signing bonus"),
    ("Could I take a day or two to think it over and get back to you?", "think it over"),
    ("Could I take a day or two to think it over and get back to you?", "a day or two"),
    ("I had to deal with an angry client, so I listened first and then proposed a new timeline", "an angry client"),
    ("I'm confident I can bring in new enterprise clients within the first year", "new enterprise"),
])
def test_no_piece_starts_inside_a_noun_phrase_or_a_phrasal_verb(sentence, together):
    """Back-chaining teaches the tail of a sentence first, so where a piece starts matters as much as
    where it ends: never between an article and its noun, a verb and its particle, "a day" and "or two"."""
    pieces = chunk(sentence)
    assert " ".join(pieces) == sentence
    assert any(together in p for p in pieces), pieces
