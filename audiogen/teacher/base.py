"""What every pen (a source of machine-made meanings) shares: the tasks it is asked, the
way it says it could not answer, and a hard deadline on every call.

A pen is one class per source (`llm.LlmTeacher`, `translator.Translator`). It answers a
`Task` with a small JSON object (`{"korean": ...}`, `{"english": ...}`, `{"sentences": [...]}`),
or raises `Unanswered`; whether the answer is any good is `validate`'s business, not the pen's.
"""

from __future__ import annotations

import json
import threading
from dataclasses import asdict, dataclass
from typing import Literal, Protocol

TaskKind = Literal["sentence", "term", "quote", "retell"]


@dataclass(frozen=True)
class Task:
    """One question. `text`: the English (for "retell", the section's Korean);
    `context`: the paragraph a sentence stands in, or the sentence a term stands in
    (for "retell", the heading); `limit`: the most characters an answer may have."""

    kind: TaskKind
    text: str
    context: str = ""
    limit: int = 0

    def digest_input(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)


class Unanswered(Exception):
    """No usable answer. `fatal`: the pen is down (unreachable, slow, broken) and is not
    asked again in this build."""

    def __init__(self, reason: str, fatal: bool = False):
        super().__init__(reason)
        self.reason, self.fatal = reason, fatal


class Pen(Protocol):
    source: Literal["teacher", "translator"]  # the MeaningSource its answers carry
    model: str  # part of every cache key: another model's answers are other answers
    where: str  # for messages: the host it asks (never a key)

    def can(self, kind: TaskKind) -> bool: ...

    def ask(self, task: Task, timeout: float) -> dict: ...


def within(seconds: float, call, *args):
    """`call(*args)`, or Unanswered(fatal) once `seconds` have passed. The call runs in a daemon
    thread, so a library that sets no timeout of its own (deep-translator) or a server that
    trickles bytes cannot hold the build; an abandoned call ends with the process."""
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = call(*args)
        except BaseException as e:  # handed to the caller's thread
            box["error"] = e

    worker = threading.Thread(target=run, name="audiogen-teacher", daemon=True)
    worker.start()
    worker.join(max(0.0, seconds))
    if worker.is_alive():
        raise Unanswered(f"no answer within {seconds:g} s", fatal=True)
    if "error" in box:
        raise box["error"]
    return box["value"]
