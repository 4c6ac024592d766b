"""Who speaks what: engines found through entry points, one engine and voice per language,
`auto` choosing per language from what answers (both services faked, see tests/fakes.py)."""

from __future__ import annotations

from importlib.metadata import EntryPoint

import pytest

from audiogen.config import VoiceSettings
from audiogen.errors import AudiogenError
from audiogen.model import Line
from audiogen.tts import all_engines, choose, registry
from audiogen.tts.espeak import EspeakEngine
from fakes import edge, google, mp3  # noqa: F401


def cast_of(requested=None, default="auto", **voices):
    said: list[str] = []
    cast = choose(requested, default, VoiceSettings(**voices), 3.0, say=said.append)
    return cast, said


@pytest.mark.parametrize("edge_up, google_up, expected, en2, why", [
    (True, True, "edge", "edge:en-US-GuyNeural", "auto: edge answered"),
    (True, False, "edge", "edge:en-US-GuyNeural", "auto: edge answered; gtts did not answer"),
    (False, True, "gtts", "gtts:co.uk", "auto: gtts answered; edge did not answer"),
    (False, False, "ko=espeak,en=piper", None, "auto: offline; edge and gtts did not answer"),
])
def test_auto_picks_per_language_from_what_answers(edge, google, monkeypatch, edge_up, google_up, expected, en2, why):
    if not edge_up:
        edge.down(monkeypatch)
    google.down = not google_up
    cast, said = cast_of()
    assert cast.label == expected
    assert cast.report().get("en2") == en2
    assert said == [f"engine: {expected} ({why})"]
    assert google.probes == 1  # each service is asked once, however many languages


def test_auto_honours_a_voice_of_one_engine_only(edge, google):
    """A bare voice auto's first choice does not know makes auto look further."""
    cast, _ = cast_of(en="co.uk")
    assert cast.report()["en"] == "gtts:co.uk" and cast.report()["ko"] == "edge:ko-KR-SunHiNeural"


def test_voices_name_engine_and_voice_per_language_without_probing(edge, google):
    cast, said = cast_of(ko="edge:ko-KR-InJoonNeural", en="piper")
    assert cast.report() == {"ko": "edge:ko-KR-InJoonNeural", "en": "piper:en_US-joe-medium"}
    assert cast.label == "ko=edge,en=piper"
    assert said == [] and google.sent == [] and edge.voice_lists == 0


def test_engine_flag_means_every_language_the_engine_speaks(edge, google):
    cast, _ = cast_of("espeak", ko="edge:ko-KR-InJoonNeural", en="en-gb")
    assert cast.report() == {"ko": "espeak:ko", "en": "espeak:en-gb"}
    cast, _ = cast_of("piper")
    assert cast.report() == {"ko": "espeak:ko", "en": "piper:en_US-joe-medium"}
    cast, _ = cast_of(None, "gtts", tld="com.au")
    assert cast.report() == {"ko": "gtts:com", "en": "gtts:com.au", "en2": "gtts:co.uk"}
    assert google.sent == [] and edge.voice_lists == 0


def test_second_english_voice_speaks_the_model_sentences(edge, google):
    cast, _ = cast_of("edge")
    assert cast.report()["en2"] == "edge:en-US-GuyNeural"
    cast, _ = cast_of(None, "auto", ko="espeak", en="piper", en2="edge:en-US-AriaNeural")
    assert cast.report()["en2"] == "edge:en-US-AriaNeural" and cast.label == "ko=espeak,en=piper,en2=edge"
    roles = {kind: cast.voice_for(Line(kind, "en", "Hello.")).label for kind in ("quote", "slow", "chunk", "term")}
    assert roles == {"quote": "edge:en-US-AriaNeural", "slow": "edge:en-US-AriaNeural",
                     "chunk": "edge:en-US-AriaNeural", "term": "piper:en_US-joe-medium"}
    assert cast.voice_for(Line("narration", "ko", "안녕")).label == "espeak:ko"
    cast, _ = cast_of("espeak")  # eSpeak has no second voice: one English voice, no en2
    assert "en2" not in cast.report()


def test_bad_names_are_one_clear_error():
    with pytest.raises(AudiogenError, match="unknown engine 'festival'; choose auto, edge, espeak, gtts or piper"):
        cast_of("festival")
    with pytest.raises(AudiogenError, match="unknown engine 'festival'"):
        cast_of(None, "espeak", ko="festival:x")
    with pytest.raises(AudiogenError, match="piper has no ko voice"):
        cast_of(None, "espeak", ko="piper")
    with pytest.raises(AudiogenError, match="unknown voice 'nope' for espeak"):
        cast_of("espeak", en="nope")


def test_our_engines_come_from_entry_points_and_build_without_the_network(google):
    assert list(registry.engines()) == ["edge", "espeak", "gtts", "piper"]
    engines = all_engines(VoiceSettings(tld="com.au"), 5.0)
    assert [e.name for e in engines] == ["edge", "espeak", "gtts", "piper"]
    assert engines[2].tld == "com.au" and engines[0].timeout == 5.0 and google.sent == []


class LoudEspeak(EspeakEngine):
    """A third party's engine: only an Engine subclass and an entry point."""

    name = "loud"
    languages = ("en",)


def test_a_third_party_engine_is_one_entry_point_away(monkeypatch):
    ours = registry.entry_points(group=registry.GROUP)
    theirs = EntryPoint(name="loud", value=f"{__name__}:LoudEspeak", group=registry.GROUP)
    broken = EntryPoint(name="broken", value="no_such_module_here:Engine", group=registry.GROUP)
    monkeypatch.setattr(registry, "entry_points", lambda group: [*ours, theirs, broken])
    registry.engines.cache_clear()
    try:
        cast, _ = cast_of("loud")
        assert cast.report() == {"ko": "espeak:ko", "en": "loud:en-us"}
        clip = cast.voices["en"].engine.synthesize("Loud and clear.", "en", "en-us", 1.0)
        assert clip.seconds > 0.5
        assert "broken" not in registry.engines()
    finally:
        registry.engines.cache_clear()
