"""Small helpers several test modules share (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

REPO = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent  # the suite's own venv

# A one-lesson article of the user's kind, small enough to build in a second.
MEETING_SEED = """\
회의 영어: 짧은 연습

by Tester 2026. 3. 2.

1. 회의를 시작하는 말

회의를 시작할 때는 목적을 먼저 말합니다. 이것을 안건(agenda)이라고 부릅니다.

"Let's get started with the agenda"
"""


def scratch_clone(folder: Path) -> Path:
    """What the scripts need of the repository, with one short seed, and a .venv that is the suite's
    own (its python and commands), stamped as scripts/_venv.sh stamps an install of these files."""
    clone = folder / "audiogen"
    clone.mkdir()
    for name in ("pyproject.toml", "constraints.txt", "podcast.toml"):
        if (REPO / name).exists():
            shutil.copy2(REPO / name, clone / name)
    shutil.copytree(REPO / "scripts", clone / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    (clone / "seeds").mkdir()
    (clone / "seeds" / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    bin_ = clone / ".venv" / "bin"
    bin_.mkdir(parents=True)
    for name in ("python", "python3", "audiogen"):  # the suite's, by its own path (so it finds its venv)
        (bin_ / name).write_text(f'#!/bin/sh\nexec "{VENV_BIN / name}" "$@"\n', encoding="utf-8")
        (bin_ / name).chmod(0o755)
    (bin_ / "activate").write_text(f'export PATH="{bin_}:$PATH"\n', encoding="utf-8")
    stamp = subprocess.run([sys.executable, str(clone / "scripts" / "_pins.py"), "stamp"], capture_output=True,
                           text=True, check=True).stdout.strip()
    (clone / ".venv" / ".installed").write_text(stamp + "\n", encoding="utf-8")
    return clone


def alive(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie nobody reaped has ended too)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def make_mp3(path: Path, seconds: float, freq: int) -> None:
    """A real MP3 of a sine tone, made by the bundled ffmpeg."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi",
         "-i", f"sine=frequency={freq}:duration={seconds}", "-ac", "1", "-ar", "44100",
         "-c:a", "libmp3lame", "-b:a", "64k", str(path)],
        check=True,
    )


# --- an independent loudness meter for finished files: ffmpeg's ebur128 ---------------


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float  # LU


_SUMMARY = {
    "integrated": re.compile(r"Integrated loudness:\s*I:\s*(-?[\d.]+|-inf)\s*LUFS", re.S),
    "lra": re.compile(r"Loudness range:\s*LRA:\s*(-?[\d.]+)\s*LU", re.S),
    "true_peak": re.compile(r"True peak:\s*Peak:\s*(-?[\d.]+|-inf)\s*dBFS", re.S),
}


def measure_file(path: Path) -> Loudness:
    """Integrated loudness, true peak and loudness range of an audio file, as ffmpeg measures them."""
    proc = subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-nostats", "-hide_banner", "-i", str(path),
                           "-af", "ebur128=peak=true", "-f", "null", "-"], capture_output=True, check=True)
    return parse_ebur128(proc.stderr.decode("utf-8", "replace"))


def parse_ebur128(stderr: str) -> Loudness:
    """The Summary block that ffmpeg's ebur128 filter prints at the end."""
    summary = stderr[stderr.rindex("Summary:"):]
    return Loudness(**{key: float(pattern.search(summary).group(1)) for key, pattern in _SUMMARY.items()})


def seed_file(folder: Path, name: str, text: str):
    """A seed of `text` written to `folder`/`name` and read as audiogen reads it."""
    from audiogen import seed

    path = folder / name
    path.write_text(text, encoding="utf-8")
    return seed.read(path)
