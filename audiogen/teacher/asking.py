"""Asking the pens in order, within the build's time: the cache first, then each pen that
can answer, the first valid answer wins; a pen that is down, slow or broken is asked no
more, and everything that went wrong becomes ONE line for the build."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from .base import Pen, Task, Unanswered
from .cache import AnswerCache

T = TypeVar("T")
BAD_IN_A_ROW = 3  # unusable answers in a row after which a pen is asked no more


@dataclass
class Tally:
    """What the asking came to, for the build's messages."""

    asked: int = 0  # questions sent
    answered: int = 0  # usable answers to them (kept in the cache)
    cached: int = 0  # answers taken from the cache
    missed: int = 0  # questions no pen answered usably
    problems: dict[str, Counter] = field(default_factory=dict)  # pen -> reason -> how often
    silent: set[str] = field(default_factory=set)  # pens `auto` tried that never answered (not a warning)

    def problem(self, pen: Pen, reason: str) -> None:
        self.problems.setdefault(f"the {pen.source} ({pen.where})", Counter())[reason] += 1


class Asker:
    def __init__(self, pens: list[Pen], cache: AnswerCache, timeout: float, budget: float,
                 may_be_absent: frozenset[str] = frozenset(), clock: Callable[[], float] = time.monotonic):
        self.pens, self.cache, self.timeout = pens, cache, timeout
        self.clock = clock
        self.deadline = clock() + budget
        # sources `auto` chose unasked (the translator): one that never answers is just absent
        self.may_be_absent = may_be_absent
        self.down: set[int] = set()
        self.answered: set[int] = set()
        self.bad: Counter = Counter()
        self.tally = Tally()

    def answer(self, task: Task, check: Callable[[dict], T | None]) -> tuple[T, str] | None:
        """(the checked answer, its source) from the first pen that gives a usable one."""
        for n, pen in enumerate(self.pens):
            if not pen.can(task.kind):
                continue
            kept = self.cache.get(pen.source, pen.model, task)
            if kept is not None and (value := check(kept)) is not None:
                self.tally.cached += 1
                return value, pen.source
            if n in self.down:
                continue
            left = self.deadline - self.clock()
            if left <= 0:
                self.tally.problem(pen, "the build's time for the teacher ran out")
                self.down.add(n)
                continue
            self.tally.asked += 1
            try:
                raw = pen.ask(task, min(self.timeout, left))
            except Unanswered as e:
                self._failed(n, pen, e.reason, e.fatal)
                continue
            value = check(raw)
            if value is None:
                self._failed(n, pen, "answers that failed the checks (empty, English, too long, or a "
                                     "Hangul spelling of the English)", False)
                continue
            self.bad[n] = 0
            self.answered.add(n)
            self.tally.answered += 1
            self.cache.put(pen.source, pen.model, task, raw)
            return value, pen.source
        self.tally.missed += 1
        return None

    def _failed(self, n: int, pen: Pen, reason: str, fatal: bool) -> None:
        self.bad[n] += 1
        if fatal or self.bad[n] >= BAD_IN_A_ROW:
            self.down.add(n)
        if fatal and pen.source in self.may_be_absent and n not in self.answered:
            self.tally.silent.add(pen.where)  # auto's guess that it might answer was wrong: no warning
            return
        self.tally.problem(pen, reason)
