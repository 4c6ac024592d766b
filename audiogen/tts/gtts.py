"""Google Translate's voice through gTTS: natural speech, needs the network.

gTTS hands back MP3 (24 kHz mono, one stream per ~100-character chunk, simply
concatenated); we decode it to PCM with the bundled ffmpeg. gTTS's own slow
mode is far too slow for a slow pass, so speed is an ffmpeg ``atempo``
time-stretch in that same decode call. Google throttles heavy use with HTTP
429 and gTTS never retries: we turn its errors into SynthesisError with
``retryable`` set, and the synthesizer backs off.
"""

from __future__ import annotations

import functools
import io
from typing import ClassVar

import requests

from ..config import VoiceSettings
from ..errors import AudiogenError
from ..model import Clip, Lang
from .base import Engine, SynthesisError
from .mp3 import RATE
from .mp3 import decode as mp3_decode
# The Google host sets the accent of English; Korean sounds the same everywhere.
ACCENTS: dict[str, tuple[str, ...]] = {
    "en": ("com", "co.uk", "com.au", "co.in", "ca", "ie", "co.za"),
    "ko": ("com",),
}


class _either:
    """A method callable on the class (with default settings) or on an instance."""

    def __init__(self, fn):
        self.fn = fn
        functools.update_wrapper(self, fn)

    def __get__(self, obj, cls):
        return functools.partial(self.fn, obj if obj is not None else cls())


class GttsEngine(Engine):
    """Speech from Google Translate; `session` is used only for the `available` probe."""

    name: ClassVar[str] = "gtts"
    parallel: ClassVar[int] = 4
    online: ClassVar[bool] = True

    def __init__(self, tld: str = "com", timeout: float = 10.0, session: requests.Session | None = None):
        if tld not in ACCENTS["en"]:
            raise AudiogenError(f"unknown gTTS accent tld '{tld}'; try one of {', '.join(ACCENTS['en'])}")
        self.tld = tld
        self.timeout = timeout
        self.session = session

    @classmethod
    def from_settings(cls, voices: VoiceSettings, timeout: float) -> GttsEngine:
        return cls(tld=voices.tld, timeout=timeout)

    def version(self) -> str:
        import gtts

        return f"gtts-{gtts.__version__}"

    def voice(self, lang: Lang, wanted: str = "") -> str:
        choices = ACCENTS[lang]
        if not wanted:
            return self.tld if self.tld in choices else choices[0]
        if wanted in choices:
            return wanted
        raise AudiogenError(f"unknown voice '{wanted}' for gtts; try one of {', '.join(choices)}")

    def second_voice(self, lang: Lang) -> str | None:
        """Another accent for English (British against American, American against the rest)."""
        if lang != "en":
            return None
        return "co.uk" if self.voice("en") != "co.uk" else "com"

    @_either
    def available(self, timeout: float = 2.0) -> bool:
        """Does Google answer right now? One quick request, never raises."""
        session = self.session or requests.Session()
        try:
            rsp = session.head(f"https://translate.google.{self.tld}/", timeout=timeout, allow_redirects=False)
            return rsp.status_code < 400
        except Exception:  # noqa: BLE001 - any failure means "not now"
            return False
        finally:
            if self.session is None:
                session.close()

    def synthesize(self, text: str, lang: Lang, voice: str, speed: float) -> Clip:
        if not text.strip():
            return Clip(b"", RATE)
        mp3 = self._fetch(text, lang, voice)
        return Clip(decode(mp3, speed), RATE)

    def _fetch(self, text: str, lang: Lang, tld: str) -> bytes:
        from gtts import gTTS, gTTSError

        buf = io.BytesIO()
        try:
            gTTS(text, lang=lang, tld=tld, slow=False, timeout=self.timeout).write_to_fp(buf)
        except gTTSError as e:
            raise _synthesis_error(e, tld) from None
        if not buf.getvalue():
            raise SynthesisError("Google sent no audio", retryable=True)
        return buf.getvalue()


def _synthesis_error(e: Exception, tld: str) -> SynthesisError:
    """429, 5xx and network trouble may pass; other HTTP errors will not."""
    rsp = getattr(e, "rsp", None)
    if rsp is None:
        cause = type(e.__context__).__name__ if e.__context__ else "no answer"
        return SynthesisError(f"could not reach translate.google.{tld} ({cause})", retryable=True)
    status = rsp.status_code
    if status == 200:  # an answer without audio: usually a hiccup upstream
        return SynthesisError("Google answered without audio", retryable=True)
    return SynthesisError(f"HTTP {status} {rsp.reason or ''}".rstrip(), retryable=status == 429 or status >= 500)


def decode(mp3: bytes, speed: float = 1.0) -> bytes:
    """Google's MP3 → s16le mono PCM at RATE, time-stretched to `speed` (pitch kept)."""
    return mp3_decode(mp3, speed, source="Google")
