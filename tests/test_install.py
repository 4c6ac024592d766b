"""A user's own install: a fresh venv with an old pip (23.2, as Python 3.11's venv and Debian 12's
start with) and `pip install` of the clone, without our constraints, builds a show. It reaches
PyPI and takes minutes, so it is marked `network`: it runs under CI (or AUDIOGEN_NETWORK_TESTS=1)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import MEETING_SEED

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    done = subprocess.run(args, capture_output=True, text=True, timeout=1500, **kwargs)
    assert done.returncode == 0, f"{' '.join(map(str, args))}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    return done


@pytest.mark.network
def test_pip_install_of_the_clone_with_an_old_pip_builds_a_show(tmp_path):
    source = tmp_path / "clone"  # a copy, so the build leaves nothing in the repository
    source.mkdir()
    for name in ("audiogen", "feed"):
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, source / name)
    venv = tmp_path / "venv"
    # pip alone reaches the package index; the show is built as the rest of the suite builds, offline
    index = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run([sys.executable, "-m", "venv", str(venv)], env=index)
    python = venv / "bin" / "python"
    run([python, "-m", "pip", "install", "--disable-pip-version-check", "pip==23.2.1"], env=index)
    run([python, "-m", "pip", "install", "--disable-pip-version-check", str(source)], env=index)  # the ranges alone
    run([python, "-c", "import trafilatura, lxml.html.clean"])

    show = tmp_path / "show"
    (show / "seeds").mkdir(parents=True)
    (show / "seeds" / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}  # PYTHONPATH keeps tests/offline: loopback only
    run([venv / "bin" / "audiogen", "build", "--engine", "espeak", "--quiet"], cwd=show, env=env)
    page = (show / "public" / "index.html").read_text(encoding="utf-8")
    # the page's front end came with the package (page_files/ is package data)
    assert "Lesson.prototype.playLine" in page and ":root{--bg:" in page
    assert (show / "public" / "feed.xml").is_file()
