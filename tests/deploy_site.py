"""Two versions of one small built show, for the publish tests: `v1`, and `v2` after an edit of
its key sentence (a new MP3 and transcript under new names, the old ones gone, a new feed).
Built once per session with the offline engine and copied, so every test publishes real output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import MEETING_SEED

BASE_URL = "https://lessons.example.com/pod/"
EDITED_SEED = MEETING_SEED.replace('"Let\'s get started with the agenda"', '"Let\'s begin with the first item"')


@dataclass(frozen=True)
class Shows:
    work: Path  # seeds/, cache/, public/ (as v2), podcast-free: a folder a user would build in
    v1: Path
    v2: Path


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def run_audiogen(*args: str, cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiogen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600", **(env or {})})


def _build(work: Path) -> None:
    # offline through and through: the espeak voice, no teacher (a translator would go online)
    proc = run_audiogen("build", "seeds", "--out", "public", "--engine", "espeak", "--teacher", "off",
                        "--cache", "cache", "--base-url", BASE_URL, "--quiet", cwd=work)
    assert proc.returncode == 0, proc.stderr


@pytest.fixture(scope="session")
def shows(tmp_path_factory) -> Shows:
    root = tmp_path_factory.mktemp("shows")
    work = root / "work"
    (work / "seeds").mkdir(parents=True)
    seed = work / "seeds" / "meeting.txt"
    seed.write_text(MEETING_SEED, encoding="utf-8")
    _build(work)
    shutil.copytree(work / "public", root / "v1")
    seed.write_text(EDITED_SEED, encoding="utf-8")
    _build(work)
    shutil.copytree(work / "public", root / "v2")
    return Shows(work=work, v1=root / "v1", v2=root / "v2")
