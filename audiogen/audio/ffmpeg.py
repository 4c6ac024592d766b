"""The one place that finds and runs ffmpeg (the static binary imageio-ffmpeg ships).

There is no ffprobe beside it, so everything that needs to know about a file
asks ffmpeg itself. Arguments are always a list: no shell ever sees a path.
"""

from __future__ import annotations

import functools
import subprocess
from collections.abc import Sequence

from ..errors import AudiogenError


@functools.cache
def exe() -> str:
    """Path of the ffmpeg binary."""
    try:
        import imageio_ffmpeg
    except ImportError:  # pragma: no cover - a declared dependency
        raise AudiogenError("imageio-ffmpeg is not installed: pip install imageio-ffmpeg") from None
    try:
        return imageio_ffmpeg.get_ffmpeg_exe()
    except RuntimeError as e:  # pragma: no cover - no binary for this platform
        raise AudiogenError(f"ffmpeg not found: {e}") from None


def run(args: Sequence[str], *, input: bytes | None = None, what: str = "ffmpeg", check: bool = True) -> subprocess.CompletedProcess[bytes]:
    """Run ``ffmpeg <args>`` quietly and return the finished process.

    stdout and stderr are captured as bytes. With ``check`` a non-zero exit
    becomes an AudiogenError that names ``what`` and ffmpeg's last line.
    """
    cmd = [exe(), "-hide_banner", "-nostats", *args]
    if input is None:
        cmd.insert(1, "-nostdin")
    proc = subprocess.run(cmd, input=input, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    if check and proc.returncode != 0:
        raise AudiogenError(f"{what}: ffmpeg failed: {last_line(proc.stderr)}")
    return proc


def last_line(stderr: bytes) -> str:
    """ffmpeg's final complaint, which is usually the one that explains."""
    lines = [ln.strip() for ln in stderr.decode("utf-8", "replace").splitlines() if ln.strip()]
    return lines[-1] if lines else "no output"
