"""The README's commands, run as written: every fenced shell block, line by line, in a scratch folder,
with the repository's .venv as the reader's, and a machine without the internet.

A command that needs the network or a server cannot run here: it goes in NOT_RUN with the reason,
and NOT_RUN is checked against the README both ways (a new command runs unless listed; a listed
command must still be in the README). Every fence must name its language, so a block of commands
cannot hide in an unnamed one.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers import MEETING_SEED, REPO, VENV_BIN, scratch_clone

README = REPO / "README.md"
OFFLINE = Path(__file__).parent / "offline"  # sitecustomize.py: only loopback answers
SHELL = {"sh", "bash", "shell", "console"}
# Not shell: the fences the README uses for other things.
OTHER = {"text", "toml", "markdown", "json", "yaml", "html", "xml", "python"}

# Commands the README shows that a test on loopback cannot run, with why. Keyed by the command as
# written (without its # comment).
NOT_RUN: dict[str, str] = {
    "scripts/test": "it is the test suite itself (.ci/run runs it)",
    "audiogen build https://myblog.tistory.com/48": "needs the network: an article's address",
    "audiogen add https://brunch.co.kr/@writer/27": "needs the network: an article's address",
    "audiogen add https://... --translate": "needs the network: an article's address and a translator",
    "audiogen add https://... --teacher": "needs the network: an article's address and a teacher (an LLM service)",
}


@dataclass(frozen=True)
class Block:
    line: int  # where its fence opens in the README, for messages
    language: str
    commands: tuple[str, ...]


def fenced_blocks(text: str) -> list[Block]:
    """Every fenced block (``` or ~~~) with its language and its commands: a command is a line
    without its `# comment` (a `\\` at the end joins the next line; a `$ ` prompt is dropped)."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = re.match(r"^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)", lines[i])
        if not opening:
            i += 1
            continue
        fence, language, start = opening.group(1), opening.group(2).lower(), i + 1
        body: list[str] = []
        i += 1
        while i < len(lines) and not re.match(rf"^ {{0,3}}{fence[0]}{{{len(fence)},}}\s*$", lines[i]):
            body.append(lines[i])
            i += 1
        i += 1
        commands: list[str] = []
        pending = ""
        for raw in body:
            line = pending + raw.lstrip() if pending else re.sub(r"^\s*\$ ", "", raw)
            if line.rstrip().endswith("\\"):
                pending = line.rstrip()[:-1].rstrip() + " "
                continue
            pending = ""
            command = re.sub(r"(^|\s)#.*$", "", line).strip()
            if command:
                commands.append(command)
        blocks.append(Block(start, language, tuple(commands)))
    return blocks


def shell_blocks() -> list[Block]:
    return [b for b in fenced_blocks(README.read_text(encoding="utf-8")) if b.language in SHELL]


def test_the_extractor_reads_fences_as_markdown_does():
    text = ("# t\n\n```sh\nscripts/demo    # makes .venv\n$ audiogen build \\\n  --quiet\n\n# only a comment\n```\n"
            "~~~bash\naudiogen add x.txt\n~~~\n````text\n```sh\nnot a fence\n````\n")
    blocks = fenced_blocks(text)
    assert [(b.language, b.commands) for b in blocks] == [
        ("sh", ("scripts/demo", "audiogen build --quiet")), ("bash", ("audiogen add x.txt",)),
        ("text", ("```sh", "not a fence"))]


def test_every_fence_names_its_language():
    unnamed = [b.line for b in fenced_blocks(README.read_text(encoding="utf-8")) if b.language not in SHELL | OTHER]
    assert not unnamed, f"README.md: name the language of the fences opened at lines {unnamed} (```sh for commands)"


def test_what_is_not_run_is_still_in_the_readme():
    shown = {c for b in shell_blocks() for c in b.commands}
    assert not set(NOT_RUN) - shown, "NOT_RUN names commands the README no longer shows"


# --- running them ---------------------------------------------------------------------------------


def reader_environment(home: Path) -> dict[str, str]:
    """A reader's shell: no venv on PATH (the README says how to get one), no internet, a home of its own."""
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p) != VENV_BIN]
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH")}
    env.update(PATH=os.pathsep.join(path), PYTHONPATH=str(OFFLINE), HOME=str(home), SOURCE_DATE_EPOCH="1767225600",
               PYTHONDONTWRITEBYTECODE="1")
    return env


def reader_files(folder: Path) -> None:
    """The files the README's commands take as the reader's own."""
    (folder / "my-article.txt").write_text(MEETING_SEED, encoding="utf-8")
    (folder / "notes.txt").write_text(MEETING_SEED.replace("회의 영어", "메모 영어"), encoding="utf-8")
    (folder / "saved-page.html").write_text(
        "<html><head><title>회의를 여는 말</title></head><body><article><h1>회의를 여는 말</h1>"
        "<h2>1. 목적부터</h2><p>회의를 시작할 때는 목적(purpose)을 먼저 말합니다. 짧게 말할수록 좋습니다.</p>"
        "<blockquote>\"Let's start with the one decision we need today.\"</blockquote>"
        "<p>이 문장 하나로 회의의 방향이 정해집니다. 모두가 같은 결정을 바라보게 됩니다.</p>"
        "</article></body></html>", encoding="utf-8")
    (folder / "old-seeds").mkdir()
    (folder / "old-seeds" / "remote.md").write_text(
        "# 원격 회의\n\n## 1. 화면 공유\n\n화면을 공유(share)하기 전에 말합니다.\n\n"
        "> \"Let me share my screen.\"\n> 화면을 공유할게요.\n", encoding="utf-8")


def runnable(block: Block) -> list[str]:
    return [c for c in block.commands if c not in NOT_RUN]


BLOCKS = [b for b in shell_blocks() if runnable(b)]


@pytest.mark.parametrize("block", BLOCKS, ids=[f"README.md:{b.line}" for b in BLOCKS])
def test_the_readme_commands_run(block, tmp_path):
    """One block as one shell script, in the clone when it uses scripts/, else in a folder of the reader's."""
    clone = scratch_clone(tmp_path)
    reader_files(tmp_path)
    uses_scripts = any(c.startswith("scripts/") for c in runnable(block))
    activates = any("/bin/activate" in c or c.startswith("pip install") for c in runnable(block))
    script = ["set -euo pipefail"]
    if not uses_scripts and not activates:  # the README's later commands assume `audiogen` on PATH
        script.append(f'source "{clone}/.venv/bin/activate"')
    script += [c.replace("/path/to/audiogen", str(clone)) for c in runnable(block)]
    done = subprocess.run(["bash", "-c", "\n".join(script)], cwd=clone if uses_scripts else tmp_path,
                          env=reader_environment(tmp_path / "home"), capture_output=True, text=True, timeout=1200)
    assert done.returncode == 0, f"README.md:{block.line}\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    assert "Traceback" not in done.stderr
    for command in runnable(block):
        expect_result(command, clone if uses_scripts else tmp_path, done)


def expect_result(command: str, folder: Path, done: subprocess.CompletedProcess) -> None:
    """What the README says a command makes is there (a command not named here only has to succeed)."""
    if command.startswith("scripts/demo"):
        assert (folder / "public" / "feed.xml").is_file() and (folder / "public" / "index.html").is_file()
        assert "Your podcast is in public/" in done.stdout
    if command == "scripts/demo --engine espeak":
        assert '"engine": "espeak"' in (folder / "public-report.json").read_text(encoding="utf-8")
    if command.startswith("audiogen init"):
        assert any(folder.rglob("podcast.toml"))
    if command.startswith("audiogen build --base-url https://example.com/podcast/"):
        (feed,) = [p for p in folder.rglob("public/feed.xml") if "audiogen" not in p.parts]
        assert "https://example.com/podcast/" in feed.read_text(encoding="utf-8")
    if command.startswith("audiogen add saved-page.html"):
        assert len(list((folder / "seeds").glob("*.md"))) == 3
