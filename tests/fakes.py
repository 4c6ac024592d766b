"""The only fakes: the two online voice services, each faked once, at its library's boundary.

- Google (gTTS): `requests.Session.send` answers the way translate.google.com's batchexecute
  does, with real MP3 speech inside.
- Microsoft (edge-tts): a real websocket server on 127.0.0.1 speaking the read-aloud service's
  protocol (text frames with headers, binary audio frames, turn.end), with edge-tts's two URLs
  pointed at it; plus its voice list over HTTP, which is what the engine's probe asks.

Test modules use them as fixtures: `from fakes import google, edge, mp3  # noqa: F401`.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import socket
import threading
from dataclasses import dataclass, field

import pytest
import requests

from audiogen.audio import ffmpeg
from audiogen.tts.espeak import EspeakEngine

SPOKEN = "Let's get started with the agenda"


@pytest.fixture(scope="session")
def mp3() -> bytes:
    """Real speech encoded the way both services send it: MP3, 24 kHz mono."""
    clip = EspeakEngine().synthesize(SPOKEN, "en", "en-us", 1.0)
    return ffmpeg.run(["-f", "s16le", "-ar", str(clip.rate), "-ac", "1", "-i", "pipe:0", "-ar", "24000",
                       "-b:a", "48k", "-f", "mp3", "pipe:1"], input=clip.samples).stdout


# --- Google ---------------------------------------------------------------------------------------


def batchexecute(audio: bytes) -> bytes:
    """Google's reply to gTTS: a length-prefixed JSON envelope with the MP3 in base64."""
    payload = json.dumps([["wrb.fr", "jQ1olc", json.dumps([base64.b64encode(audio).decode()]), None, None, None,
                           "generic"]], separators=(",", ":"))
    return f")]}}'\n\n{len(payload)}\n{payload}\n".encode()


REASONS = {200: "OK", 403: "Forbidden", 404: "Not Found", 429: "Too Many Requests", 503: "Service Unavailable"}


def response(status: int, body: bytes = b"", reason: str | None = None) -> requests.Response:
    r = requests.Response()
    r.status_code, r.raw = status, io.BytesIO(body)
    r.reason = REASONS.get(status, "") if reason is None else reason
    r.url = "https://translate.google.com/_/TranslateWebserverUi/data/batchexecute"
    return r


@dataclass
class FakeGoogle:
    """`status` is what speech requests get, `audio` the MP3 they carry; `down` refuses every
    connection; `answer(request)`, when set, replaces all of that. Every request is kept in `sent`."""

    audio: bytes
    status: int = 200
    down: bool = False
    answer: object = None
    sent: list[requests.PreparedRequest] = field(default_factory=list)

    @property
    def probes(self) -> int:
        return sum(r.method == "HEAD" for r in self.sent)

    @property
    def speech(self) -> int:
        return sum(r.method == "POST" for r in self.sent)

    def reply(self, request: requests.PreparedRequest) -> requests.Response:
        self.sent.append(request)
        if self.answer is not None:
            return self.answer(request)
        if self.down:
            raise requests.exceptions.ConnectionError("no route to host")
        if request.method == "HEAD":
            return response(200)
        return response(self.status, batchexecute(self.audio) if self.status == 200 else b"")


@pytest.fixture
def google(monkeypatch, mp3) -> FakeGoogle:
    fake = FakeGoogle(audio=mp3)

    def send(session, request, **kwargs):
        rsp = fake.reply(request)
        rsp.request = request
        return rsp

    monkeypatch.setattr(requests.Session, "send", send)
    return fake


# --- Microsoft (Edge read-aloud) ------------------------------------------------------------------


@dataclass
class FakeEdge:
    """A loopback read-aloud service. `status` answers the websocket handshake (200 = accept);
    `silent` ends each turn without audio; `down()` closes the port. `ssml` keeps each request."""

    audio: bytes
    port: int = 0
    status: int = 200
    silent: bool = False
    ssml: list[str] = field(default_factory=list)
    voice_lists: int = 0
    chunk: int = 4096  # bytes of MP3 per binary frame, as the service streams it

    async def handle_ws(self, request):
        from aiohttp import WSMsgType, web

        if self.status != 200:
            return web.Response(status=self.status, text="refused")
        ws = web.WebSocketResponse()
        await ws.prepare(request)
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            head, _, body = msg.data.partition("\r\n\r\n")
            if "Path:ssml" not in head:
                continue  # speech.config
            self.ssml.append(body)
            rid = "X-RequestId:fake\r\n"
            await ws.send_str(f"{rid}Content-Type:application/json; charset=utf-8\r\nPath:turn.start\r\n\r\n{{}}")
            if not self.silent:
                meta = {"Metadata": [{"Type": "WordBoundary", "Data": {
                    "Offset": 1_000_000, "Duration": 3_000_000, "text": {"Text": "Let's", "Length": 5}}}]}
                await ws.send_str(f"{rid}Content-Type:application/json; charset=utf-8\r\nPath:audio.metadata"
                                  f"\r\n\r\n{json.dumps(meta)}")
                header = f"{rid}Content-Type:audio/mpeg\r\nPath:audio\r\n".encode()
                for i in range(0, len(self.audio), self.chunk):
                    await ws.send_bytes(len(header).to_bytes(2, "big") + header + self.audio[i:i + self.chunk])
            await ws.send_str(f"{rid}Path:turn.end\r\n\r\n{{}}")
            break
        await ws.close()
        return ws

    async def handle_voices(self, request):
        from aiohttp import web

        self.voice_lists += 1
        if self.status != 200:
            return web.Response(status=self.status)
        return web.json_response([{"ShortName": v, "Locale": v[:5]} for v in
                                  ("ko-KR-SunHiNeural", "ko-KR-InJoonNeural", "en-US-JennyNeural", "en-US-GuyNeural")])

    def down(self, monkeypatch) -> None:
        """Point edge-tts at a port nobody listens on: connections are refused, as offline."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            closed = s.getsockname()[1]
        _point(monkeypatch, closed)


def _point(monkeypatch, port: int) -> None:
    import edge_tts.communicate
    import edge_tts.voices

    monkeypatch.setattr(edge_tts.communicate, "WSS_URL", f"ws://127.0.0.1:{port}/edge/v1?TrustedClientToken=t")
    monkeypatch.setattr(edge_tts.voices, "VOICE_LIST", f"http://127.0.0.1:{port}/voices/list?trustedclienttoken=t")


@pytest.fixture
def edge(monkeypatch, mp3):
    from aiohttp import web

    fake = FakeEdge(audio=mp3)
    app = web.Application()
    app.router.add_get("/edge/v1", fake.handle_ws)
    app.router.add_get("/voices/list", fake.handle_voices)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app)
    loop.run_until_complete(runner.setup())
    site = web.TCPSite(runner, "127.0.0.1", 0)
    loop.run_until_complete(site.start())
    fake.port = site._server.sockets[0].getsockname()[1]
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    _point(monkeypatch, fake.port)
    try:
        yield fake
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)
        loop.close()
