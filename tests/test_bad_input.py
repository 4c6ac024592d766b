"""Bad input, table-driven: one clear line on stderr, a non-zero exit, no traceback, and the
published output folder exactly as it was (digest of every file, names and bytes)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import time
import sys
from pathlib import Path

import pytest
from helpers import MEETING_SEED

DEAD_PROXY = "http://127.0.0.1:9"  # nothing listens on the discard port: requests fail at once


def run(args: list[str], cwd: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiogen", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600", **(env or {})}, timeout=300)


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        h.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """A work folder with one good seed, already built into public/."""
    work = tmp_path_factory.mktemp("published")
    (work / "seeds").mkdir()
    (work / "seeds" / "meeting.txt").write_text(MEETING_SEED, encoding="utf-8")
    proc = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache"], work)
    assert proc.returncode == 0, proc.stderr
    return work


@pytest.fixture
def work(published, tmp_path):
    copy = tmp_path / "w"
    shutil.copytree(published, copy)
    return copy


def write(path: Path, data: bytes | str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)


# 9 levels of 9 aliases: a few hundred bytes that a YAML loader with aliases expands to 9**9 strings
ALIAS_BOMB = "---\na: &a [x,x,x,x,x,x,x,x,x]\n" + "".join(
    f"{b}: &{b} [{','.join([f'*{a}'] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi")) + "---\n# 폭탄\n\n본문.\n"


# Each case: how to spoil the work folder, the build arguments, and words the one line must hold.
CASES = {
    "empty seed": (lambda w: write(w / "bad/empty.txt", ""), ["bad/empty.txt"], "empty"),
    "binary seed": (lambda w: write(w / "bad/blob.txt", b"\x00\x01\x02PNG\x00" * 50), ["bad/blob.txt"], "binary"),
    "noise only": (lambda w: write(w / "bad/noise.txt", "본문 바로가기\n\n728x90\n"), ["bad/noise.txt"], "no"),
    "cp949 seed": (lambda w: write(w / "bad/kr.txt", MEETING_SEED.encode("cp949")), ["bad/kr.txt"], "UTF-8"),
    "too large": (lambda w: write(w / "bad/big.txt", "가" * 1_000_000), ["bad/big.txt"], "limit"),
    "missing path": (lambda w: None, ["nowhere.txt"], "nowhere.txt"),
    "empty folder": (lambda w: (w / "bad").mkdir(), ["bad"], "no seeds"),
    "unknown config key": (lambda w: write(w / "podcast.toml", "[show]\ntitel = 'x'\n"), ["seeds"], "title"),
    "wrong config type": (lambda w: write(w / "podcast.toml", "[audio]\ngap = 'long'\n"), ["seeds"], "gap"),
    "broken toml": (lambda w: write(w / "podcast.toml", "[show\n"), ["seeds"], "TOML"),
    "bad base url": (lambda w: None, ["seeds", "--base-url", "not a url"], "base-url"),
    "unknown engine": (lambda w: None, ["seeds", "--engine", "festival"], "festival"),
    "unknown voice": (lambda w: write(w / "podcast.toml", "[voices]\nen = 'xx-nope'\n"), ["seeds"], "xx-nope"),
    "broken edited script": (lambda w: write(w / "edits/meeting-01.yaml", "lines: [\n  - {kind: quote\n"),
                             ["seeds"], "meeting-01.yaml"),
    "missing cover": (lambda w: write(w / "podcast.toml", "[show]\ncover = 'art/cover.jpg'\n"), ["seeds"], "cover"),
    "cover not an image": (lambda w: (write(w / "podcast.toml", "[show]\ncover = 'cover.jpg'\n"),
                                      write(w / "cover.jpg", "not a picture")), ["seeds"], "cover.jpg"),
    "missing music": (lambda w: write(w / "podcast.toml", "[audio]\nmusic = 'bed.mp3'\n"), ["seeds"], "bed.mp3"),
    "music not audio": (lambda w: (write(w / "podcast.toml", "[audio]\nintro = 'intro.wav'\n"),
                                   write(w / "intro.wav", "RIFF but not really")), ["seeds"], "intro.wav"),
    # a check that can only fail at the end fails before the output changes (a new seed: work to publish)
    "report path unwritable": (lambda w: write(w / "seeds/more.txt", MEETING_SEED.replace("회의", "미팅")),
                               ["seeds", "--report", "/proc/nope/r.json"], "report"),
    "report path is a folder": (lambda w: (write(w / "seeds/more.txt", MEETING_SEED.replace("회의", "미팅")),
                                           (w / "r.json").mkdir()), ["seeds", "--report", "r.json"], "report"),
    "credentials in base url": (lambda w: None, ["seeds", "--base-url", "https://me:secret@example.com/pod/"],
                                "password"),
    "credentials in config base url": (lambda w: write(w / "podcast.toml",
                                                       "[show]\nbase_url = 'https://me@example.com/'\n"),
                                       ["seeds"], "password"),
    "too many sections": (lambda w: write(w / "bad/huge.txt", "큰 글\n\n" + "\n\n".join(
        f"{i}. 주제 {i}\n\n{i}번째 이야기입니다." for i in range(1, 302))), ["bad/huge.txt"], "at most 300"),
    "broken state file": (lambda w: (write(w / "seeds/undated.txt", MEETING_SEED.replace("by Tester 2026. 3. 2.\n", "")),
                                     write(w / "seeds/published.json", "{not json")), ["seeds"], "published.json"),
    "online engine unreachable": (lambda w: write(w / "podcast.toml", "[build]\nretries = 1\n"),
                                  ["seeds", "--engine", "gtts", "--cache", "fresh-cache"], "gtts"),
    # hostile settings: every number within its range, named with it (they were internal errors)
    "negative gap": (lambda w: write(w / "podcast.toml", "[audio]\ngap = -5\n"), ["seeds"],
                     "[audio] gap must be between 0.0 and 5.0, got -5.0"),
    "huge part gap": (lambda w: write(w / "podcast.toml", "[audio]\npart_gap = 1e5\n"), ["seeds"],
                      "[audio] part_gap must be between"),
    "nan pause factor": (lambda w: write(w / "podcast.toml", "[lesson]\npause_factor = nan\n"), ["seeds"],
                         "[lesson] pause_factor must be between 0.0 and 5.0, got nan"),
    "infinite timeout": (lambda w: write(w / "podcast.toml", "[build]\ntimeout = inf\n"), ["seeds"],
                         "[build] timeout must be between"),
    "music is a device": (lambda w: write(w / "podcast.toml", "[audio]\nmusic = '/dev/zero'\n"), ["seeds"],
                          "[audio] music: /dev/zero is not a regular file"),
    "intro is a fifo": (lambda w: (write(w / "podcast.toml", "[audio]\nintro = 'pipe.wav'\n"),
                                   os.mkfifo(w / "pipe.wav")), ["seeds"], "pipe.wav is not a regular file"),
    "music too large": (lambda w: (write(w / "podcast.toml", "[audio]\nmusic = 'bed.mp3'\n"),
                                   write(w / "bed.mp3", b""), os.truncate(w / "bed.mp3", 17_000_000)), ["seeds"],
                        "bed.mp3 is too large"),
    # hostile seed fields (the only seed named, so an error, not a skip)
    "date that does not exist": (lambda w: write(w / "bad/feb30.md", "---\ndate: 2025-02-30\n---\n# 글\n\n본문입니다.\n"),
                                 ["bad/feb30.md"], "'2025-02-30' is not a date"),
    "date past 9999": (lambda w: write(w / "bad/far.md", "---\ndate: 99999-01-01\n---\n# 글\n\n본문입니다.\n"),
                       ["bad/far.md"], "1900-2100"),
    "yaml alias bomb": (lambda w: write(w / "bad/bomb.md", ALIAS_BOMB), ["bad/bomb.md"], "aliases"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_clear_line_and_changes_nothing(work, name):
    spoil, args, words = CASES[name]
    spoil(work)
    before = digest(work / "public")
    proc = run(["build", *args, "--out", "public", "--cache", "cache", *(["--engine", "espeak"]
               if "--engine" not in args else [])], work,
               env={"HTTPS_PROXY": DEAD_PROXY, "HTTP_PROXY": DEAD_PROXY, "https_proxy": DEAD_PROXY})
    assert proc.returncode != 0, f"{name}: exit 0\n{proc.stderr}"
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert "Traceback" not in proc.stderr
    errors = [line for line in lines if line.startswith("audiogen: error:")]
    assert len(errors) == 1, proc.stderr
    assert words.lower() in errors[0].lower(), errors[0]
    assert digest(work / "public") == before, f"{name}: the published output changed"


def test_a_bad_seed_among_good_ones_is_skipped_unless_strict(work):
    write(work / "seeds" / "broken.txt", b"\x00\x00binary")
    before = digest(work / "public")
    strict = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", "--strict"], work)
    assert strict.returncode != 0 and "broken.txt" in strict.stderr
    assert digest(work / "public") == before
    lenient = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
                   "--report", "r.json"], work)
    assert lenient.returncode == 0, lenient.stderr
    assert "broken.txt" in lenient.stderr
    assert [e["slug"] for e in json.loads((work / "r.json").read_text())["episodes"]] == ["meeting-01"]


def test_a_seed_with_an_impossible_date_among_good_ones_is_skipped_unless_strict(work):
    write(work / "seeds" / "feb30.md", "---\ndate: 2025-02-30\n---\n# 글\n\n본문입니다. 회의(meeting)입니다.\n")
    before = digest(work / "public")
    strict = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", "--strict"], work)
    assert strict.returncode == 1 and "Traceback" not in strict.stderr
    assert [line for line in strict.stderr.splitlines() if line.startswith("audiogen: error:")] == [
        f"audiogen: error: {Path('seeds') / 'feb30.md'}: front matter date '2025-02-30' is not a date like "
        "2025-03-04 (a day that exists, in the years 1900-2100)"]
    assert digest(work / "public") == before
    lenient = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
                   "--report", "r.json"], work)
    assert lenient.returncode == 0, lenient.stderr
    assert "skipped" in lenient.stderr and "2025-02-30" in lenient.stderr
    assert [e["slug"] for e in json.loads((work / "r.json").read_text())["episodes"]] == ["meeting-01"]
    assert digest(work / "public") == before  # the good seed's episode as it was


def test_an_output_folder_of_the_users_own_files_is_refused_and_kept(work):
    site = work / "mysite"
    write(site / "index.html", "<html>my site</html>")
    write(site / "episodes" / "my-own.mp3", b"ID3 mine")
    before = digest(site)
    proc = run(["build", "seeds", "--out", "mysite", "--engine", "espeak", "--cache", "cache"], work)
    assert proc.returncode != 0 and "did not make" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert digest(site) == before


def test_usage_errors_are_one_line(work):
    proc = run(["build", "--no-such-flag"], work)
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1


def test_a_half_good_seed_builds_its_good_sections_unless_strict(work):
    good = MEETING_SEED + "\n2. 두 번째 주제\n\n이 섹션은 읽을 수 있습니다. 결정(decision)을 내립니다.\n\n\"We made a decision\"\n"
    damaged = good.encode("utf-8").replace("두 번째 주제".encode("utf-8"), b"\xff\xfe\xfa broken \xc3")
    write(work / "seeds" / "meeting.txt", damaged)
    before = digest(work / "public")
    strict = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache", "--strict"], work)
    assert strict.returncode != 0 and "section 2" in strict.stderr and "--strict" in strict.stderr
    assert len(strict.stderr.strip().splitlines()) == 1
    assert digest(work / "public") == before
    lenient = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache",
                   "--report", "r.json"], work)
    assert lenient.returncode == 0, lenient.stderr
    assert "section 2" in lenient.stderr and "left out" in lenient.stderr
    assert [e["slug"] for e in json.loads((work / "r.json").read_text())["episodes"]] == ["meeting-01"]


def test_unsupported_files_in_a_seeds_folder_are_named(work):
    write(work / "seeds" / "notes.docx", b"PK\x03\x04 not really")
    proc = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache"], work)
    assert proc.returncode == 0, proc.stderr
    assert "notes.docx" in proc.stderr and "skipped" in proc.stderr


def test_a_seed_symlinked_elsewhere_never_causes_writes_there(work, tmp_path):
    """The dates of an undated seed are kept beside the link, in the seeds folder given, never
    beside the file it points to."""
    elsewhere = tmp_path / "elsewhere"
    write(elsewhere / "article.txt", MEETING_SEED.replace("by Tester 2026. 3. 2.\n", ""))  # undated
    os.symlink(elsewhere / "article.txt", work / "seeds" / "linked.txt")
    before = sorted(p.name for p in elsewhere.iterdir())
    proc = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache"], work)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == before
    assert "linked" in json.loads((work / "seeds" / "published.json").read_text(encoding="utf-8"))["dates"]


def test_a_state_file_that_is_a_symlink_is_replaced_not_written_through(work, tmp_path):
    target = tmp_path / "not-ours.json"
    target.write_text("{}", encoding="utf-8")
    os.symlink(target, work / "seeds" / "published.json")
    write(work / "seeds" / "undated.txt", MEETING_SEED.replace("by Tester 2026. 3. 2.\n", ""))
    proc = run(["build", "seeds", "--out", "public", "--engine", "espeak", "--cache", "cache"], work)
    assert proc.returncode == 0, proc.stderr
    assert target.read_text(encoding="utf-8") == "{}"
    assert not (work / "seeds" / "published.json").is_symlink()


def test_cache_prune_takes_its_options_anywhere(work):
    for args in (["cache", "prune", "--cache", "cache", "seeds"], ["cache", "prune", "seeds", "--cache", "cache"],
                 ["cache", "--cache", "cache", "prune", "seeds"]):
        proc = run(args, work)
        assert proc.returncode == 0, (args, proc.stderr)
        assert "clips left in" in proc.stdout


def test_sigterm_ends_a_build_like_ctrl_c(work):
    """SIGTERM mid-build: one line, exit 143, no staging folder left, the output as it was."""
    write(work / "seeds" / "long.txt", "긴 글\n\nby Tester 2026. 3. 2.\n\n" + "\n\n".join(
        f"{i}. 주제 {i}\n\n{i}번째 이야기입니다. 회의(meeting)를 준비합니다.\n\n\"We prepare meeting number {i}\""
        for i in range(1, 9)))
    before = digest(work / "public")
    staging = work / ".public.audiogen-staging"
    proc = subprocess.Popen([sys.executable, "-m", "audiogen", "build", "seeds", "--out", "public", "--engine",
                             "espeak", "--cache", "cache"], cwd=work, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        for _ in range(3000):  # until the build is staging (bounded: at most ~5 min)
            if staging.exists() or proc.poll() is not None:
                break
            time.sleep(0.1)
        assert proc.poll() is None, "the build ended before it could be interrupted"
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, stderr
    lines = [line for line in stderr.splitlines() if line.strip() and not line.startswith(("[", "warning"))]
    assert lines[-1] == "audiogen: terminated; the published output is unchanged", stderr
    assert "Traceback" not in stderr
    assert not staging.exists()
    assert not list(work.glob(".public.audiogen-*"))  # nor a lock file
    assert digest(work / "public") == before


def test_a_build_through_a_symlink_waits_for_the_lock_on_the_real_folder(work):
    """Two builds, one through a symlink to the output: one writer, the other refused with one line."""
    from audiogen.staging import locked

    os.symlink(work / "public", work / "alias")
    write(work / "seeds" / "more.txt", MEETING_SEED.replace("회의", "미팅"))
    before = digest(work / "public")
    with locked(work / "public"):  # a build holding the real folder
        proc = run(["build", "seeds", "--out", "alias", "--engine", "espeak", "--cache", "cache"], work)
    assert proc.returncode == 1 and "another audiogen build" in proc.stderr
    assert digest(work / "public") == before
    assert sorted(p.name for p in work.iterdir() if p.name.startswith(".")) == []
