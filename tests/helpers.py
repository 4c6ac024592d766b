"""Small helpers several test modules share (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

# A one-lesson article of the user's kind, small enough to build in a second.
MEETING_SEED = """\
회의 영어: 짧은 연습

by Tester 2026. 3. 2.

1. 회의를 시작하는 말

회의를 시작할 때는 목적을 먼저 말합니다. 이것을 안건(agenda)이라고 부릅니다.

"Let's get started with the agenda"
"""


def make_mp3(path: Path, seconds: float, freq: int) -> None:
    """A real MP3 of a sine tone, made by the bundled ffmpeg."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi",
         "-i", f"sine=frequency={freq}:duration={seconds}", "-ac", "1", "-ar", "44100",
         "-c:a", "libmp3lame", "-b:a", "64k", str(path)],
        check=True,
    )
