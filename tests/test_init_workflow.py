"""`audiogen init --github-actions`: the CI workflow, checked against GitHub's own workflow schema
(vendored in check-jsonschema) and read for what it must do."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from audiogen import cli
from audiogen.deploy import github_actions

WORKFLOW = Path(".github/workflows/podcast.yml")


def schema_check(path: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or "check-jsonschema"
    return subprocess.run([exe, "--builtin-schema", "vendor.github-workflows", str(path)],
                          capture_output=True, text=True)


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    subprocess.run(["git", "init", "-q", "-b", "trunk", str(tmp_path)], check=True)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_workflow_is_valid_and_builds_caches_and_deploys_to_pages(repo, capsys):
    assert cli.main(["init", "--github-actions"]) == 0
    path = repo / WORKFLOW
    proc = schema_check(path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    flow = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert flow[True]["push"]["branches"] == ["trunk"]  # YAML 1.1 reads the key `on` as true
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    steps = flow["jobs"]["build"]["steps"]
    uses = [s.get("uses", "").split("@")[0] for s in steps]
    assert uses.index("actions/checkout") < uses.index("actions/cache") < uses.index("actions/upload-pages-artifact")
    assert "actions/setup-python" in uses and "actions/configure-pages" in uses
    cache = steps[uses.index("actions/cache")]["with"]
    assert cache["key"] == "audiogen-${{ hashFiles('seeds/**', 'podcast.toml') }}"
    assert ".audiogen/cache" in cache["path"].split()
    runs = [s["run"] for s in steps if "run" in s]
    assert any(r.startswith("python -m pip install ") for r in runs)
    build = next(r for r in runs if r.startswith("audiogen build"))
    assert "--out public" in build and "steps.pages.outputs.base_url" in build
    assert steps[uses.index("actions/upload-pages-artifact")]["with"]["path"] == "public"
    deploy = flow["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert [s["uses"].split("@")[0] for s in deploy["steps"]] == ["actions/deploy-pages"]
    assert "wrote .github/workflows/podcast.yml" in capsys.readouterr().out


def test_the_schema_check_does_catch_a_broken_workflow(repo):
    assert cli.main(["init", "--github-actions"]) == 0
    flow = yaml.safe_load((repo / WORKFLOW).read_text(encoding="utf-8"))
    del flow["jobs"]["build"]["runs-on"]
    flow["jobs"]["build"]["steps"][0]["uses"] = 42
    broken = repo / "broken.yml"
    broken.write_text(json.dumps(flow), encoding="utf-8")
    assert schema_check(broken).returncode != 0


def test_a_checkout_of_audiogen_installs_itself_and_an_existing_workflow_is_kept(repo, capsys):
    (repo / "pyproject.toml").write_text('[project]\nname = "audiogen"\nversion = "0.1.0"\n', encoding="utf-8")
    assert cli.main(["init", "--github-actions"]) == 0
    text = (repo / WORKFLOW).read_text(encoding="utf-8")
    assert "python -m pip install .\n" in text
    assert "note:" not in capsys.readouterr().out  # nothing for the user to fix
    (repo / WORKFLOW).write_text("mine\n", encoding="utf-8")
    assert cli.main(["init", "--github-actions"]) == 1
    assert "already exists" in capsys.readouterr().err
    assert (repo / WORKFLOW).read_text(encoding="utf-8") == "mine\n"


def test_an_audiogen_installed_from_git_is_what_ci_installs(repo, monkeypatch):
    class Installed:
        def read_text(self, name):
            assert name == "direct_url.json"
            return json.dumps({"url": "https://github.com/kim/audiogen",
                               "vcs_info": {"vcs": "git", "commit_id": "0123456789abcdef0123456789abcdef01234567"}})

    monkeypatch.setattr(github_actions.metadata, "distribution", lambda name: Installed())
    made = github_actions.workflow(repo)
    assert made.reachable
    assert made.package == "'audiogen @ git+https://github.com/kim/audiogen@0123456789abcdef0123456789abcdef01234567'"
    assert f"pip install {made.package}\n" in made.text
    assert schema_check_text(repo, made.text).returncode == 0


def test_the_init_settings_file_has_a_publish_table_that_loads(tmp_path):
    from audiogen import config

    assert cli.main(["init", str(tmp_path / "podcast.toml")]) == 0
    text = (tmp_path / "podcast.toml").read_text(encoding="utf-8")
    assert "[publish]" in text
    assert config.load(tmp_path / "podcast.toml").publish.to == ""
    (tmp_path / "podcast.toml").write_text(text.replace('to = ""', 'to = "s3://show/pod"'), encoding="utf-8")
    assert config.load(tmp_path / "podcast.toml").publish.to == "s3://show/pod"
    (tmp_path / "podcast.toml").write_text(text.replace('to = ""', 'to = "ftp://x"'), encoding="utf-8")
    with pytest.raises(Exception, match=r"\[publish\] to must be"):
        config.load(tmp_path / "podcast.toml")


def schema_check_text(folder: Path, text: str) -> subprocess.CompletedProcess:
    path = folder / "candidate.yml"
    path.write_text(text, encoding="utf-8")
    return schema_check(path)
