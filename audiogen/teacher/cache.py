"""Answers are data: each valid answer is kept as one small JSON file beside the clip cache,
named by a hash of (source, model, prompt version, question), so a rebuild asks nothing and
an offline rebuild makes the same lesson. The file holds the question too, for review."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..files import write_atomically
from .base import Task
from .prompts import PROMPT_VERSION

FOLDER = "teacher"  # under the cache root, apart from the clips (`??/<key>.wav`)


class AnswerCache:
    def __init__(self, root: Path):
        self.root = Path(root) / FOLDER

    @staticmethod
    def key(source: str, model: str, task: Task) -> str:
        fields = [source, model, PROMPT_VERSION, task.digest_input()]
        return hashlib.sha256(json.dumps(fields, ensure_ascii=False).encode("utf-8")).hexdigest()

    def path(self, key: str) -> Path:
        return self.root / key[:2] / f"{key}.json"

    def get(self, source: str, model: str, task: Task) -> dict | None:
        """The answer kept for this question; None when there is none or it is damaged."""
        key = self.key(source, model, task)
        try:
            entry = json.loads(self.path(key).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError):
            return None
        if not isinstance(entry, dict) or entry.get("key") != key or not isinstance(entry.get("answer"), dict):
            return None  # not the entry this name stands for
        return entry["answer"]

    def put(self, source: str, model: str, task: Task, answer: dict) -> None:
        """Kept for the next build; a cache that cannot be written only costs a question next time."""
        key = self.key(source, model, task)
        entry = {"key": key, "source": source, "model": model, "prompt": PROMPT_VERSION,
                 "task": json.loads(task.digest_input()), "answer": answer}
        path = self.path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(path, json.dumps(entry, ensure_ascii=False, indent=1) + "\n")
        except OSError:
            pass
