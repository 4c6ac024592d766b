"""What the teacher (a language model) is asked, and the shape of each answer.

Answers are cached under PROMPT_VERSION: change a prompt or a schema and bump it, so
the next build asks again instead of reusing answers to another question.
"""

from __future__ import annotations

from .base import Task

PROMPT_VERSION = "2"

SYSTEM = (
    "You help write audio lessons of English for Korean speakers. A Korean voice reads every Korean "
    "answer aloud, so a Korean meaning is in Hangul only: no English words, no romanization, no Hanja. "
    "Never spell an English word in Hangul instead of saying what it means (not 레드팀 for red team: "
    "공격자 역할을 맡는 팀). Say only what the text says. Answer with the JSON object asked for, nothing else."
)


def _object(field: str, kind: dict) -> dict:
    return {"type": "object", "properties": {field: kind}, "required": [field], "additionalProperties": False}


SCHEMAS: dict[str, dict] = {
    "sentence": _object("korean", {"type": "string"}),
    "term": _object("korean", {"type": "string"}),
    "quote": _object("english", {"type": "string"}),
    "retell": _object("sentences", {"type": "array", "items": {"type": "string"}}),
}


def user_prompt(task: Task) -> str:
    if task.kind == "sentence":
        return ("Translate the English key sentence into natural Korean, one or two sentences, so that a "
                "learner who hears the Korean can then say the English.\n"
                f"The paragraph it comes from: {task.context}\n"
                f"The sentence: {task.text}")
    if task.kind == "term":
        return (f"Give the meaning of the English expression \"{task.text}\" in Korean, as it is used in this "
                f"sentence: {task.context}\n"
                "A short Korean phrase (at most about 15 syllables) that cues the learner to recall the "
                "expression without naming another English word; in dictionary form for a verb.")
    if task.kind == "quote":
        return ("This is spoken English from a transcript. Write it as one clean sentence for a learner to "
                "repeat: drop stutters, repeated words, false starts and fillers, and join a run-on into a "
                "sentence; keep the speaker's own words and meaning and add nothing.\n"
                f"At most {task.limit} characters.\nThe transcript: {task.text}")
    if task.kind == "retell":
        return ("Retell this section of an article in Korean for a listener, as whole sentences that follow "
                "from one another (no sentence may point at one you left out). Keep the article's own "
                "sentences where they fit. Add no name, number or fact the article does not give. English "
                "words the article writes in English stay in English, as written (an English voice says them; "
                "never translate \"이를 영어로 take it offline이라고 합니다\").\n"
                f"At most {task.limit} characters in all.\nThe heading: {task.context}\nThe section: {task.text}")
    raise ValueError(task.kind)
