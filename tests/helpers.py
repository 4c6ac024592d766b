"""Small helpers several test modules share (importable because pytest puts tests/ on sys.path)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg


def make_mp3(path: Path, seconds: float, freq: int) -> None:
    """A real MP3 of a sine tone, made by the bundled ffmpeg."""
    path.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [imageio_ffmpeg.get_ffmpeg_exe(), "-v", "error", "-y", "-f", "lavfi",
         "-i", f"sine=frequency={freq}:duration={seconds}", "-ac", "1", "-ar", "44100",
         "-c:a", "libmp3lame", "-b:a", "64k", str(path)],
        check=True,
    )
