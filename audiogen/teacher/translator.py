"""The translator: Google Translate through deep-translator, without a key.

It translates key sentences and terms (a term alone: it cannot see the sentence), and
cleans or retells nothing. deep-translator sets no timeout of its own, so every call runs
under `base.within`.
"""

from __future__ import annotations

from .base import Task, TaskKind, Unanswered, within


class Translator:
    source = "translator"
    model = "google"
    where = "translate.google.com"

    def __init__(self):
        from deep_translator import GoogleTranslator

        self._google = GoogleTranslator(source="en", target="ko")

    def can(self, kind: TaskKind) -> bool:
        return kind in ("sentence", "term")

    def ask(self, task: Task, timeout: float) -> dict:
        return {"korean": within(timeout, self._translate, task.text)}

    def _translate(self, text: str) -> str:
        import requests

        try:
            korean = self._google.translate(text)
        except requests.RequestException as e:
            raise Unanswered(f"cannot reach it ({type(e).__name__})", fatal=True) from None
        except Exception as e:  # deep-translator's errors share no base class (RequestError, TooManyRequests...)
            fatal = type(e).__name__ in ("TooManyRequests", "RequestError")
            raise Unanswered(f"{type(e).__name__}", fatal=fatal) from None
        if not isinstance(korean, str):
            raise Unanswered("no text in its answer")
        return korean
