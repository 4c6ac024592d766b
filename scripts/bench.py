"""Benchmark: ratios from one run on this machine, never absolute targets in tests.

`scripts/bench voices` measures the voices instead (see bench_voices.py; needs the `bench` extra).

Measures, on the offline engine, through the real command line:
  - cold build: audio seconds produced per second of build (real-time factor)
  - no-op rebuild and one-sentence edit, as fractions of the cold build
  - linearity: a 32-section seed against an 8-section seed (4.0 is linear)
  - our stitching + export against a plain pydub loop (`+` per segment, then export)
Seeds are generated here, in the kind of article the user reads.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TOPICS = ["신뢰", "속도", "고객", "투명성", "인프라", "안전", "시장", "전략"]
QUOTES = [
    "Trust is the currency that lasts longer than hype",
    "We chose the slow road because it leads somewhere",
    "Reliable customers pay for predictable behaviour",
    "Showing your failures is how you earn belief",
    "Compute is the new oil and everyone is drilling",
    "A good product makes its safety invisible to the user",
    "Enterprise contracts reward patience more than noise",
    "The best strategy is the one you can explain in a sentence",
]


def article(sections: int, tag: str = "") -> str:
    """A Korean article with an English quote and a glossed term per section."""
    out = ["벤치마크용 기사: 역설적 전략들", "", "by Bench 2026. 2. 1.", "", "서론: 시작하며", "",
           "이 글은 성능 측정을 위해 만들어졌습니다. 여러 전략을 차례로 살펴봅니다.", ""]
    for i in range(1, sections + 1):
        topic = TOPICS[i % len(TOPICS)]
        out += [f"{i}. {topic}에 관한 {i}번째 전략", "",
                f"{i}번째 전략은 {topic}을 중심에 둡니다. 많은 회사들이 이 점을 놓쳤지만, 이 회사는 달랐습니다.",
                f"그들은 {topic}이 비용이 아니라 경쟁력(competitive edge)이라고 보았고, 이 판단은 {i}년 동안 이어졌습니다.",
                "", f'"{QUOTES[i % len(QUOTES)]} number {i}{tag}"', ""]
    out += ["결론: 마치며", "", "결국 모든 전략은 신뢰로 이어집니다.", ""]
    return "\n".join(out)


def build(work: Path, seed_dir: str, out: str, cache: str) -> tuple[float, dict]:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "audiogen", "build", seed_dir, "--out", out, "--engine", "espeak",
                    "--cache", cache, "--report", "report.json", "--quiet"], cwd=work, check=True)
    elapsed = time.perf_counter() - started
    return elapsed, json.loads((work / "report.json").read_text(encoding="utf-8"))


def stitching(segments: int) -> tuple[float, float]:
    """Seconds for our assemble+export and for a plain pydub `+` loop + export, same clips."""
    import imageio_ffmpeg
    from pydub import AudioSegment

    from audiogen.audio import mix
    from audiogen.config import AudioSettings
    from audiogen.model import Line
    from audiogen.tts.espeak import EspeakEngine

    engine = EspeakEngine()
    texts = [(q, "en") for q in QUOTES] + [(f"{t}에 대한 문장입니다.", "ko") for t in TOPICS]
    pool = [engine.synthesize(text, lang, "en-us" if lang == "en" else "ko", 1.0) for text, lang in texts]
    clips = [pool[i % len(pool)] for i in range(segments)]
    lines = [Line(kind="narration", lang=texts[i % len(texts)][1], text=texts[i % len(texts)][0])
             for i in range(segments)]
    audio = AudioSettings()
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        mixed = mix.assemble(lines, clips, audio)
        mix.export_mp3(mixed, Path(tmp) / "ours.mp3", audio)
        ours = time.perf_counter() - t0

        AudioSegment.converter = imageio_ffmpeg.get_ffmpeg_exe()
        t0 = time.perf_counter()
        gap = AudioSegment.silent(duration=int(audio.gap * 1000), frame_rate=audio.sample_rate)
        total = AudioSegment.empty()
        for clip in clips:
            seg = AudioSegment(data=clip.samples, sample_width=2, frame_rate=clip.rate, channels=1)
            total = total + seg.set_frame_rate(audio.sample_rate) + gap
        total.export(Path(tmp) / "plain.mp3", format="mp3", bitrate=audio.bitrate)
        plain = time.perf_counter() - t0
    return ours, plain


def main() -> int:
    if sys.argv[1:2] == ["voices"]:
        import bench_voices

        return bench_voices.main(sys.argv[2:])
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sections", type=int, default=8)
    p.add_argument("--segments", type=int, default=500)
    args = p.parse_args()
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1767225600")
    work = Path(tempfile.mkdtemp(prefix="audiogen-bench-"))
    try:
        small, large = args.sections, args.sections * 4
        for name, n in (("small", small), ("large", large)):
            (work / name).mkdir()
            (work / name / "bench.txt").write_text(article(n), encoding="utf-8")

        cold, report = build(work, "small", "out-small", "cache-small")
        audio_s = sum(e["duration_s"] for e in report["episodes"])
        noop, again = build(work, "small", "out-small", "cache-small")
        seed = work / "small" / "bench.txt"
        seed.write_text(seed.read_text(encoding="utf-8").replace("number 3\"", "number three\""), encoding="utf-8")
        edit, edited = build(work, "small", "out-small", "cache-small")
        cold_large, report_large = build(work, "large", "out-large", "cache-large")
        ours, plain = stitching(args.segments)

        print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}")
        print(f"cold build, {small} sections: {cold:.2f} s for {audio_s / 60:.1f} min of audio "
              f"-> {audio_s / cold:.0f}x real time (goal >= 50x)")
        print(f"no-op rebuild: {noop:.2f} s = {noop / cold:.1%} of cold (goal < 10%); "
              f"synthesized {again['segments_synthesized']}")
        remade = sum(1 for e in edited["episodes"] if e["mp3"] not in {x["mp3"] for x in again["episodes"]})
        print(f"one-sentence edit: {edit:.2f} s = {edit / cold:.1%} of cold (goal <= 30%); "
              f"synthesized {edited['segments_synthesized']}, re-rendered {remade} of {len(edited['episodes'])} episodes")
        print(f"linearity: {large} sections {cold_large:.2f} s / {small} sections {cold:.2f} s = "
              f"{cold_large / cold:.2f} (4.00 is linear)")
        print(f"stitching {args.segments} segments: ours {ours:.2f} s, plain pydub loop {plain:.2f} s "
              f"-> {plain / ours:.1f}x faster (goal >= 10x)")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
