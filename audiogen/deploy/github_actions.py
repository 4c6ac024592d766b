"""`audiogen init --github-actions`: the CI recipe, a GitHub Actions workflow that builds the
show and deploys it with GitHub Pages on every push. The workflow is a package data file
(`podcast.yml` beside this module); only two words of it depend on the repository."""

from __future__ import annotations

import json
import subprocess
import tomllib
from dataclasses import dataclass
from importlib import metadata, resources
from pathlib import Path

WORKFLOW_PATH = Path(".github/workflows/podcast.yml")


@dataclass(frozen=True)
class Workflow:
    text: str
    package: str  # what the workflow's pip installs
    reachable: bool  # False: pip in CI cannot reach this audiogen; the user must edit that step


def workflow(repo: Path) -> Workflow:
    """The workflow for the repository at `repo`: its branch, and the audiogen CI should install."""
    package, reachable = _package(repo)
    template = resources.files(__package__).joinpath("podcast.yml").read_text(encoding="utf-8")
    return Workflow(template.replace("@BRANCH@", _branch(repo)).replace("@PACKAGE@", package), package, reachable)


def _package(repo: Path) -> tuple[str, bool]:
    """A checkout of audiogen itself installs from the checkout; otherwise the audiogen running
    now, when pip installed it from a git URL (PyPI's `audiogen` is another project)."""
    try:
        project = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "audiogen":
            return ".", True
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        pass
    try:
        direct = json.loads(metadata.distribution("audiogen").read_text("direct_url.json") or "{}")
    except (metadata.PackageNotFoundError, json.JSONDecodeError):
        direct = {}
    vcs = direct.get("vcs_info", {})
    if vcs.get("vcs") == "git" and direct.get("url", "").startswith(("https://", "ssh://", "git@")):
        return f"'audiogen @ git+{direct['url']}@{vcs.get('commit_id') or vcs.get('requested_revision', 'HEAD')}'", True
    return ".", False


def _branch(repo: Path) -> str:
    """The branch checked out in `repo` (pushes to it publish), else main."""
    try:
        proc = subprocess.run(["git", "-C", str(repo), "symbolic-ref", "--short", "-q", "HEAD"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "main"
    name = proc.stdout.strip()
    return name if proc.returncode == 0 and name and all(c.isalnum() or c in "-_./" for c in name) else "main"
