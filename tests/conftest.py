"""Shared fixtures: real offline speech from the project's eSpeak NG engine, default audio settings."""

from __future__ import annotations

import os

import pytest

from audiogen.config import AudioSettings
from audiogen.model import Clip
from audiogen.tts.espeak import EspeakEngine

# Every Python process a test starts (an `audiogen build` through the command line, gpo) gets
# tests/offline/sitecustomize.py: only loopback resolves or connects there, so a build's `auto`
# voice or teacher can never send traffic off the machine. A test that must reach the package
# index (tests/test_install.py) gives its pip an environment without it.
OFFLINE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "offline")
if OFFLINE not in os.environ.get("PYTHONPATH", "").split(os.pathsep):
    os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (OFFLINE, os.environ.get("PYTHONPATH", "")) if p)
import offline.sitecustomize  # noqa: E402,F401 - and so does the test process itself

SENTENCES = {
    "ko": "안녕하세요. 오늘은 인공지능의 안전에 대해 이야기합니다.",
    "en": "Safety has to be engineered in from the start.",
    "ko2": "핵심 표현을 함께 연습해 봅시다.",
    "en2": "Let's practise the key expressions together.",
}


def speak(text: str, lang: str, speed: float = 1.0) -> Clip:
    """Real speech, synthesized offline."""
    engine = EspeakEngine()
    return engine.synthesize(text, lang, engine.voice(lang), speed)


@pytest.fixture(scope="session")
def speech() -> dict[str, Clip]:
    """A few real eSpeak clips: keys "ko", "en", "ko2", "en2" (language = first two letters)."""
    return {key: speak(text, key[:2]) for key, text in SENTENCES.items()}


@pytest.fixture
def audio() -> AudioSettings:
    return AudioSettings()


@pytest.fixture(scope="session")
def lesson(speech):
    """A small bilingual episode: (lines, clips) with stings, parts, pauses and real speech."""
    from audiogen.model import Line

    plan = [
        (Line("sting", None, part="opening"), None),
        (Line("title", "ko", SENTENCES["ko"], part="opening"), speech["ko"]),
        (Line("narration", "ko", SENTENCES["ko2"], part="narration"), speech["ko2"]),
        (Line("narration", "en", SENTENCES["en"], part="narration"), speech["en"]),
        (Line("term", "en", SENTENCES["en2"], part="expressions"), speech["en2"]),
        (Line("pause", None, pause=1.75, part="expressions"), None),
        (Line("meaning", "ko", SENTENCES["ko2"], part="expressions"), speech["ko2"]),
        (Line("quote", "en", SENTENCES["en"], part="sentences"), speech["en"]),
        (Line("slow", "en", SENTENCES["en"], speed=0.85, part="sentences"), speak(SENTENCES["en"], "en", 0.85)),
        (Line("pause", None, pause=2.5, part="sentences"), None),
        (Line("recap", "ko", SENTENCES["ko"], part="recap"), speech["ko"]),
        (Line("sting", None, part="outro"), None),
    ]
    return [line for line, _ in plan], [clip for _, clip in plan]


@pytest.fixture(autouse=True)
def loopback_only(monkeypatch):
    """Tests send traffic only to 127.0.0.1 / ::1: a request through `requests` to anywhere else
    fails as it would offline (a build's `auto` teacher tries the translator once). A test that
    fakes a service patches `requests.Session.send` itself, over this."""
    import requests
    from urllib.parse import urlsplit

    real_send = requests.Session.send

    def send(session, request, **kwargs):
        if urlsplit(request.url).hostname not in ("127.0.0.1", "::1", "localhost"):
            raise requests.ConnectionError(f"tests stay on loopback: {urlsplit(request.url).hostname}")
        return real_send(session, request, **kwargs)

    monkeypatch.setattr(requests.Session, "send", send)


def pytest_collection_modifyitems(config, items):
    """`network` tests reach PyPI and take minutes: they run under CI (or AUDIOGEN_NETWORK_TESTS=1)."""
    if os.environ.get("CI") or os.environ.get("AUDIOGEN_NETWORK_TESTS"):
        return
    skip = pytest.mark.skip(reason="reaches the package index and takes minutes: runs under CI or AUDIOGEN_NETWORK_TESTS=1")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


from deploy_site import shows  # noqa: E402,F401  (the built shows the publish tests share, once a session)
