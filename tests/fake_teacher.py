"""A fake OpenAI-compatible chat endpoint: a real HTTP server on 127.0.0.1, answering
`POST /v1/chat/completions` the way Ollama, llama.cpp's server and vLLM do (the structured
answer as a JSON string in `choices[0].message.content`), or failing as asked.

`mode`: "ok" answers every question; "500", "slow" (sleeps past any timeout), "nonjson",
"english" and "empty" fail each their way; `down()` closes the port. Every request's body
and headers are kept in `requests`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

# what the fake teacher says a term means, by the English (anything else: a made-up Korean phrase)
TERM_MEANINGS = {"red team": "공격자 역할을 맡는 팀", "follow up": "후속으로 챙기다", "bolted on": "나중에 덧붙인"}
RETOLD = "정리하면, "  # how the fake teacher's retelling begins (so a test can tell it from the article's)
FILLERS = re.compile(r"\b(?:um|uh|you know|sort of|kind of|actually)\b\s*", re.I)
STUTTER = re.compile(r"\b(\w+)(\s+\1\b)+", re.I)


def meaning_of_sentence(english: str) -> str:
    """A Korean sentence that stands for `english` (made up, but Korean and distinct per sentence)."""
    digits = "영일이삼사오육칠팔구"
    n = sum(map(ord, english)) % 1000
    return f"이 문장은 {''.join(digits[int(d)] for d in str(n))}번째 뜻을 말합니다."


def cleaned(transcript: str) -> str:
    text = STUTTER.sub(r"\1", FILLERS.sub("", transcript))
    text = " ".join(text.split()).rstrip(".") + "."
    return text[0].upper() + text[1:]


@dataclass
class FakeTeacher:
    mode: str = "ok"
    port: int = 0
    requests: list[dict] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def asked(self, kind: str) -> list[dict]:
        return [r for r in self.requests if r["body"]["response_format"]["json_schema"]["name"] == kind]

    def content(self, body: dict) -> str:
        kind = body["response_format"]["json_schema"]["name"]
        prompt = body["messages"][-1]["content"]
        if self.mode == "nonjson":
            return "Sure! Here is the meaning you asked for."
        if self.mode == "english":
            return json.dumps({"korean": "the meaning of it", "english": "the meaning", "sentences": ["It means."]})
        if self.mode == "empty":
            return json.dumps({"korean": "", "english": "", "sentences": []})
        if kind == "term":
            english = re.search(r'expression "(.+?)"', prompt).group(1)
            return json.dumps({"korean": TERM_MEANINGS.get(english.lower(), "핵심을 말하는 표현")}, ensure_ascii=False)
        if kind == "sentence":
            english = prompt.rsplit("The sentence: ", 1)[1]
            return json.dumps({"korean": meaning_of_sentence(english)}, ensure_ascii=False)
        if kind == "quote":
            return json.dumps({"english": cleaned(prompt.rsplit("The transcript: ", 1)[1])})
        if kind == "retell":
            section = prompt.rsplit("The section: ", 1)[1]
            limit = int(re.search(r"At most (\d+) characters", prompt).group(1))
            told, size = [], len(RETOLD)
            for sentence in re.findall(r"[^.!?]+[.!?]", section):
                sentence = sentence.strip()
                if size + len(sentence) > limit:
                    break
                told.append(sentence)
                size += len(sentence)
            first = re.findall(r"[^.!?]+[.!?]", section)[:1]
            if not told and first:  # not one whole sentence fits: shorten the first, as a model would
                words = first[0].split()
                while words and len(RETOLD) + len(" ".join(words)) > limit:
                    words.pop(0)
                told = [" ".join(words)] if words else []
            if told:
                told[0] = RETOLD + told[0]
            return json.dumps({"sentences": told}, ensure_ascii=False)
        raise AssertionError(kind)

    def start(self) -> FakeTeacher:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, "body": body, "headers": dict(self.headers)})
                if self.path != "/v1/chat/completions":
                    return self.reply(404, b"{}")
                if fake.mode == "500":
                    return self.reply(500, b'{"error": "model crashed"}')
                if fake.mode == "slow":
                    time.sleep(5)
                answer = {"id": "chatcmpl-1", "object": "chat.completion", "model": body["model"],
                          "choices": [{"index": 0, "finish_reason": "stop",
                                       "message": {"role": "assistant", "content": fake.content(body)}}]}
                self.reply(200, json.dumps(answer).encode())

            def reply(self, status: int, data: bytes) -> None:
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting (the slow mode)

        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def down(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
