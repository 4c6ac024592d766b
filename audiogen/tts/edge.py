"""Microsoft's neural voices through ``edge-tts``: natural Korean and English, needs the network.

edge-tts speaks the websocket protocol of the Edge browser's read-aloud
service and hands back MP3 (24 kHz mono, 48 kbit/s). Unlike gTTS, the slow
pass is the service's own SSML prosody rate (``rate="-15%"``), so the voice
slows down the way a speaker does instead of being time-stretched. Like
gTTS it is unofficial and may throttle: network trouble, HTTP 429/5xx and
broken replies become a retryable SynthesisError and the synthesizer backs
off; a voice the service does not know is not retryable.

edge-tts is asyncio; each synthesis runs its own short event loop in the
synthesizer's worker thread.
"""

from __future__ import annotations

import asyncio
import re
from typing import ClassVar

from ..config import VoiceSettings
from ..errors import AudiogenError
from ..model import Clip, Lang
from .base import Engine, SynthesisError
from .mp3 import RATE, decode

HOST = "speech.platform.bing.com"
DEFAULT_VOICES: dict[str, str] = {"ko": "ko-KR-SunHiNeural", "en": "en-US-JennyNeural"}
SECOND_VOICES: dict[str, str] = {"ko": "ko-KR-InJoonNeural", "en": "en-US-GuyNeural"}
# edge-tts's own check of a voice's short name: language-REGION-NameNeural
_VOICE = re.compile(r"^([a-z]{2,})-([A-Z]{2,})-(\w+Neural)$")


def rate_for(speed: float) -> str:
    """The SSML prosody rate for `speed`: 0.85 -> "-15%", 1.0 -> "+0%"."""
    return f"{round((speed - 1.0) * 100):+d}%"


class EdgeEngine(Engine):
    """Speech from Microsoft's Edge read-aloud service."""

    name: ClassVar[str] = "edge"
    parallel: ClassVar[int] = 4
    online: ClassVar[bool] = True

    def __init__(self, timeout: float = 10.0):
        self.timeout = timeout

    @classmethod
    def from_settings(cls, voices: VoiceSettings, timeout: float) -> EdgeEngine:
        return cls(timeout=timeout)

    def version(self) -> str:
        from importlib.metadata import version

        return f"edge-tts-{version('edge-tts')}"

    def voice(self, lang: Lang, wanted: str = "") -> str:
        if not wanted:
            return DEFAULT_VOICES[lang]
        m = _VOICE.match(wanted)
        if m and m.group(1) == lang:
            return wanted
        raise AudiogenError(f"unknown voice '{wanted}' for edge; a {lang} voice looks like "
                            f"{DEFAULT_VOICES[lang]} or {SECOND_VOICES[lang]}")

    def second_voice(self, lang: Lang) -> str | None:
        return SECOND_VOICES[lang]

    def available(self, timeout: float = 2.0) -> bool:
        """Does the service answer right now? Asks for its voice list once; never raises."""
        import edge_tts

        try:
            return bool(asyncio.run(asyncio.wait_for(edge_tts.list_voices(), timeout)))
        except Exception:  # noqa: BLE001 - any failure means "not now"
            return False

    def synthesize(self, text: str, lang: Lang, voice: str, speed: float) -> Clip:
        if not text.strip():
            return Clip(b"", RATE)
        mp3 = asyncio.run(self._fetch(text, voice, speed))
        return Clip(decode(mp3, source="Microsoft"), RATE)

    async def _fetch(self, text: str, voice: str, speed: float) -> bytes:
        import aiohttp
        import edge_tts
        from edge_tts import exceptions

        seconds = max(1, round(self.timeout))
        talk = edge_tts.Communicate(text, voice, rate=rate_for(speed), connect_timeout=seconds,
                                    receive_timeout=seconds)
        audio: list[bytes] = []
        try:
            async with asyncio.timeout(self.timeout * 3):  # the whole answer, not just each read
                async for chunk in talk.stream():
                    if chunk["type"] == "audio":
                        audio.append(chunk["data"])
        except exceptions.NoAudioReceived:
            raise SynthesisError(f"Microsoft sent no audio for voice {voice} (is the name right?)") from None
        except aiohttp.ClientResponseError as e:
            retry = e.status == 429 or e.status >= 500
            raise SynthesisError(f"HTTP {e.status} {e.message or ''}".rstrip(), retryable=retry) from None
        except (aiohttp.ClientError, OSError, TimeoutError) as e:
            raise SynthesisError(f"could not reach {HOST} ({type(e).__name__})", retryable=True) from None
        except exceptions.EdgeTTSException as e:
            raise SynthesisError(f"Microsoft answered oddly ({type(e).__name__}: {e})", retryable=True) from None
        return b"".join(audio)
