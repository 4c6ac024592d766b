"""scripts/: their arguments are their own, one install serves them all, and the lock is checked.
The scripts run for real in a scratch copy of the repository whose .venv is the suite's own,
stamped as scripts/_venv.sh stamps it; scripts/_pins.py's logic is tested directly."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from helpers import REPO, scratch_clone

sys.path.insert(0, str(REPO / "scripts"))
import _pins  # noqa: E402


def script(clone: Path, name: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(clone / "scripts" / name), *args], cwd=clone, capture_output=True, text=True,
                          timeout=600)


def test_scripts_take_their_own_arguments_and_share_one_install(tmp_path):
    clone = scratch_clone(tmp_path)
    stamp = (clone / ".venv" / ".installed").read_text(encoding="utf-8")
    tested = script(clone, "test", "--version")
    assert tested.returncode == 0 and "pytest" in tested.stdout + tested.stderr, tested.stderr
    benched = script(clone, "bench", "--help")
    assert benched.returncode == 0 and "usage:" in benched.stdout, benched.stderr
    for done in (tested, benched):
        assert "setting up" not in done.stderr and "pip" not in done.stderr  # the one install was enough
    assert (clone / ".venv" / ".installed").read_text(encoding="utf-8") == stamp
    # the stamp is for every extra pyproject.toml declares, and for the lock
    assert stamp.strip().endswith("-" + ",".join(_pins.extras(clone / "pyproject.toml")))
    assert "test" in _pins.extras() and "bench" in _pins.extras()


def test_a_changed_lock_or_pyproject_is_a_new_install(tmp_path):
    clone = scratch_clone(tmp_path)
    before = subprocess.run([sys.executable, str(clone / "scripts" / "_pins.py"), "stamp"], capture_output=True,
                            text=True, check=True).stdout
    (clone / "constraints.txt").write_text("# pyproject.toml dependencies sha256 0\nrich==13.0.0\n", encoding="utf-8")
    after = subprocess.run([sys.executable, str(clone / "scripts" / "_pins.py"), "stamp"], capture_output=True,
                           text=True, check=True).stdout
    assert before != after


PYPROJECT = """\
[build-system]
requires = ["setuptools>=77"]

[project]
name = "x"
requires-python = ">=3.11"
dependencies = ["rich>=13"]

[project.optional-dependencies]
test = ["pytest>=8"]
"""


def test_the_lock_follows_the_dependencies_not_the_layout(tmp_path):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT, encoding="utf-8")
    digest = _pins.pyproject_hash(pyproject)
    pyproject.write_text(PYPROJECT.replace('name = "x"', 'name = "x"  # a comment\ndescription = "y"')
                         + '\n[tool.pytest.ini_options]\naddopts = "-q"\n', encoding="utf-8")
    assert _pins.pyproject_hash(pyproject) == digest  # no new lock for an edit that installs nothing new
    lock = tmp_path / "constraints.txt"
    lock.write_text(_pins.lock_text(digest, ["rich==13.9.4"]), encoding="utf-8")
    assert _pins.lock_problem(pyproject, lock) is None
    pyproject.write_text(PYPROJECT.replace('["rich>=13"]', '["rich>=13", "boto3>=1.34"]'), encoding="utf-8")
    assert "made for another pyproject.toml" in _pins.lock_problem(pyproject, lock)
    lock.write_text("rich==13.9.4\n", encoding="utf-8")
    assert "no '# pyproject.toml dependencies sha256' first line" in _pins.lock_problem(pyproject, lock)
    assert "missing" in _pins.lock_problem(pyproject, tmp_path / "nothing.txt")


def test_pins_are_exact_sorted_and_leave_out_the_tools_and_ourselves():
    found = [("Rich", "13.9.4"), ("pip", "25.0"), ("audiogen", "0.1.0"), ("lxml_html_clean", "0.4.1"),
             ("aiohttp", "3.11.0"), ("setuptools", "80.0"), ("rich", "12.0")]
    assert _pins.pins(found) == ["aiohttp==3.11.0", "lxml_html_clean==0.4.1", "Rich==13.9.4"]


@pytest.mark.skipif(not (REPO / "constraints.txt").is_file(), reason="no constraints.txt yet")
def test_the_committed_lock_is_pyproject_s_and_pins_what_we_import_by_name():
    """What .ci/run checks first; and lxml_html_clean, which old pips miss through an extra's name."""
    check = subprocess.run([sys.executable, str(REPO / "scripts" / "_pins.py"), "check"], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stderr
    pinned = {line.split("==")[0].lower() for line in (REPO / "constraints.txt").read_text().splitlines()
              if "==" in line}
    assert {"lxml", "lxml_html_clean", "trafilatura", "pytest", "pydub"} <= pinned


def test_ci_fails_in_one_line_when_pyproject_changed_without_the_lock(tmp_path):
    clone = scratch_clone(tmp_path)
    (clone / ".ci").mkdir()
    (clone / ".ci" / "run").write_bytes((REPO / ".ci" / "run").read_bytes())
    (clone / ".ci" / "run").chmod(0o755)
    pyproject = clone / "pyproject.toml"
    pyproject.write_text(pyproject.read_text(encoding="utf-8").replace(
        "dependencies = [\n", 'dependencies = [\n    "boto3>=1.34",\n', 1), encoding="utf-8")
    done = subprocess.run(["bash", str(clone / ".ci" / "run")], cwd=clone, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "audiogen: error: constraints.txt was made for another pyproject.toml: run scripts/lock and commit it"]


def test_every_package_is_declared_for_a_plain_install():
    """`pip install .` ships only the packages pyproject.toml lists: a new room left off the list
    works in the editable checkout and fails in a user's install (audiogen.teacher once did)."""
    import tomllib

    root = Path(__file__).resolve().parent.parent
    declared = set(tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {"audiogen." + ".".join(p.parent.relative_to(root / "audiogen").parts) if p.parent != root / "audiogen"
             else "audiogen" for p in (root / "audiogen").rglob("__init__.py") if "__pycache__" not in p.parts}
    found |= {"audiogen.feed" + "".join("." + part for part in p.parent.relative_to(root / "feed").parts)
              for p in (root / "feed").rglob("__init__.py")}
    assert found <= declared, sorted(found - declared)
