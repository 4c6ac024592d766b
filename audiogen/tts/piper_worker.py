"""The Piper worker: the child process that runs the voice (``python -m audiogen.tts.piper_worker``).

A VITS voice holds every intermediate tensor of a sentence at once, so
onnxruntime's memory follows the longest sentence: about 150 MB for the
voice and 1.1 MB more per phoneme (a 280-character English sentence without
a full stop takes it to 500 MB, and the memory stays taken). Two things bound
that. The voice lives in this process, which the build can end and restart at
will (`audiogen.tts.piper`); and no single run of the model gets more than
`PHONEMES_PER_RUN` phonemes (scaled by the pace): a longer sentence is spoken
in pieces cut at a comma, else between words. Sentences within the bound are
spoken exactly as Piper's own ``synthesize`` speaks them.

The protocol, one request at a time: the build writes one JSON line
``{"text", "voice", "wheel", "speed"}``; the worker answers with one JSON line,
``{"rate", "bytes", "rss_kb"}`` followed by that many bytes of 16-bit mono PCM,
or ``{"error", "unavailable"}``. It ends when its stdin ends, so it never
outlives the build, however the build ends. Ctrl-C at the terminal is the
build's to handle: the worker ignores SIGINT and finishes its line.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from typing import Any

# Phonemes in one run of the model at the voice's own pace (a slower pace takes fewer): about 6 s of
# speech, so the worker stays near 300 MB whatever the text (measured: 150 MB + ~1.1 MB per phoneme).
PHONEMES_PER_RUN = 120
_BREAKS = (",", ";", ":", "—", "–")  # phonemes after which a cut sounds like a pause the writer meant
_MAX_WAV_VALUE = 32767.0  # piper's own scale from float to 16-bit samples


def pieces(phonemes: list[str], limit: int) -> list[list[str]]:
    """One sentence's phonemes in runs of at most `limit`: whole when it fits; else cut after the
    last clause mark in the second half of a run, else at the last word boundary, else anywhere."""
    limit = max(limit, 8)
    out: list[list[str]] = []
    rest = phonemes
    while len(rest) > limit:
        window = rest[:limit]
        cut = next((i + 1 for i in range(limit - 1, limit // 2 - 1, -1) if window[i] in _BREAKS), 0)
        if not cut:
            cut = next((i for i in range(limit - 1, limit // 4, -1) if window[i] == " "), 0)
        cut = cut or limit
        out.append(rest[:cut])
        rest = rest[cut:]
        while rest and rest[0] == " ":  # a piece never starts with a pause
            rest = rest[1:]
    if rest:
        out.append(rest)
    return out


class Speaker:
    """The voices this worker has loaded (each once), and the synthesis itself."""

    def __init__(self) -> None:
        self.voices: dict[str, Any] = {}

    def voice(self, name: str, wheel: str):
        if name not in self.voices:
            import importlib

            from piper import PiperVoice

            module = importlib.import_module(wheel)
            self.voices[name] = PiperVoice.load(module.model_path(), config_path=module.config_path())
        return self.voices[name]

    def speak(self, model, text: str, speed: float) -> bytes:
        """`text` as 16-bit PCM: Piper's sentences, each in bounded runs, each run normalized as
        Piper normalizes a sentence."""
        import numpy as np
        from piper import SynthesisConfig

        length_scale = model.config.length_scale / max(speed, 0.1)
        config = SynthesisConfig(length_scale=length_scale)
        limit = int(PHONEMES_PER_RUN / max(length_scale, 0.1))
        runs: list[bytes] = []
        for sentence in model.phonemize(text):
            for run in pieces(sentence, limit) if sentence else []:
                audio = model.phoneme_ids_to_audio(model.phonemes_to_ids(run), config)
                peak = float(np.max(np.abs(audio))) if audio.size else 0.0
                audio = audio / peak if peak >= 1e-8 else np.zeros_like(audio)
                audio = np.clip(audio, -1.0, 1.0).astype(np.float32)
                runs.append(np.clip(audio * _MAX_WAV_VALUE, -_MAX_WAV_VALUE, _MAX_WAV_VALUE)
                            .astype("<i2").tobytes())
        return b"".join(runs)


def rss_kb() -> int:
    """This process's resident size now, in kB (0 where /proc is not there)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return next((int(line.split()[1]) for line in status if line.startswith("VmRSS:")), 0)
    except OSError:
        return 0


def answer(request: dict, speaker: Speaker) -> tuple[dict, bytes]:
    """The header and the PCM for one request; an error header when it cannot be spoken."""
    name, wheel = request.get("voice", ""), request.get("wheel", "")
    try:
        model = speaker.voice(name, wheel)
    except Exception as e:  # noqa: BLE001 - import, file and onnxruntime errors alike: the voice is not there
        return {"error": f"the Piper voice {name} could not be loaded: {e}", "unavailable": True}, b""
    try:
        pcm = speaker.speak(model, str(request.get("text", "")), float(request.get("speed", 1.0)))
    except Exception as e:  # noqa: BLE001 - onnxruntime and the phonemizer raise their own types
        return {"error": f"piper could not speak the text ({type(e).__name__}: {e})", "unavailable": False}, b""
    return {"rate": model.config.sample_rate, "bytes": len(pcm), "rss_kb": rss_kb()}, pcm


def serve() -> None:
    """Answer requests on stdin until it ends. The answers go to the stdout this process started
    with; anything a library prints goes to stderr instead, so it cannot garble them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    speaker = Speaker()
    for line in sys.stdin.buffer:
        try:
            request = json.loads(line)
            header, pcm = answer(request if isinstance(request, dict) else {}, speaker)
        except ValueError as e:
            header, pcm = {"error": f"a request the Piper worker cannot read ({e})", "unavailable": False}, b""
        try:
            replies.write(json.dumps(header).encode() + b"\n" + pcm)
            replies.flush()
        except BrokenPipeError:  # the build is gone
            return


if __name__ == "__main__":
    serve()
