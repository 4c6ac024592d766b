"""The teacher: any OpenAI-compatible chat endpoint (Ollama, llama.cpp's server, vLLM, a hosted API).

One POST to `<url>/chat/completions` per question, asking for a structured answer
(`response_format` of type `json_schema`); the answer is the JSON string in
`choices[0].message.content`. The key comes only from AUDIOGEN_API_KEY and only goes
into the Authorization header: never into a message, a cache entry or a file.
"""

from __future__ import annotations

import json
import os
from urllib.parse import urlsplit

import requests

from .base import Task, TaskKind, Unanswered, within
from .prompts import SCHEMAS, SYSTEM, user_prompt

KEY_VARIABLE = "AUDIOGEN_API_KEY"


class LlmTeacher:
    source = "teacher"

    def __init__(self, url: str, model: str, session: requests.Session | None = None):
        self.url = url.rstrip("/") + "/chat/completions"
        self.model = model
        self.where = urlsplit(url).netloc or url
        self.session = session or requests.Session()
        if urlsplit(url).hostname in ("127.0.0.1", "::1", "localhost"):
            self.session.trust_env = False  # a model on this machine: never through a proxy
        self._key = os.environ.get(KEY_VARIABLE, "").strip()

    def can(self, kind: TaskKind) -> bool:
        return True

    def ask(self, task: Task, timeout: float) -> dict:
        body = {
            "model": self.model,
            "messages": [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user_prompt(task)}],
            "temperature": 0,
            "stream": False,
            "response_format": {"type": "json_schema",
                                "json_schema": {"name": task.kind, "schema": SCHEMAS[task.kind], "strict": True}},
        }
        headers = {"Authorization": f"Bearer {self._key}"} if self._key else {}
        # the thread's deadline bounds a server that trickles bytes; requests' own timeout ends the thread
        rsp = within(timeout + 0.5, self._post, body, headers, timeout)
        if rsp.status_code != 200:
            raise Unanswered(f"HTTP {rsp.status_code}", fatal=True)
        try:
            content = rsp.json()["choices"][0]["message"]["content"]
            answer = json.loads(content)
        except (ValueError, KeyError, IndexError, TypeError):
            raise Unanswered("an answer that is not the JSON asked for") from None
        if not isinstance(answer, dict):
            raise Unanswered("an answer that is not the JSON asked for")
        return answer

    def _post(self, body: dict, headers: dict, timeout: float) -> requests.Response:
        try:
            return self.session.post(self.url, json=body, headers=headers, timeout=(timeout, timeout))
        except requests.Timeout:
            raise Unanswered(f"no answer within {timeout:g} s", fatal=True) from None
        except requests.RequestException as e:
            raise Unanswered(f"cannot reach it ({type(e).__name__})", fatal=True) from None
