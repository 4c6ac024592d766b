"""`audiogen publish --to gh-pages / git+URL#BRANCH` against bare git repositories on disk, through
the real command line and real git; plus the inputs publish refuses, for every target."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from audiogen import __version__, cli
from audiogen.deploy.gh_pages import pages_url
from deploy_site import BASE_URL, files_of, run_audiogen


def git(*args: str, cwd: Path | None = None) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def bare(tmp_path: Path, name: str = "site.git") -> Path:
    remote = tmp_path / name
    git("init", "-q", "--bare", str(remote))
    return remote


def branch_files(remote: Path, branch: str = "gh-pages") -> dict[str, bytes]:
    """Every file on the branch, with its bytes, read back through git."""
    names = git("--git-dir", str(remote), "ls-tree", "-r", "--name-only", "-z", branch).split("\0")
    return {name: subprocess.run(["git", "--git-dir", str(remote), "show", f"{branch}:{name}"],
                                 capture_output=True, check=True).stdout for name in names if name}


def head(remote: Path, branch: str = "gh-pages") -> str:
    return git("--git-dir", str(remote), "rev-parse", f"refs/heads/{branch}").strip()


def publish(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(["publish", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_branch_holds_exactly_the_output_and_a_second_publish_commits_nothing(shows, tmp_path, capsys):
    remote = bare(tmp_path)
    report = tmp_path / "report.json"
    code, out, err = publish(capsys, str(shows.v1), "--to", f"git+{remote}#gh-pages", "--report", str(report))
    assert code == 0, err
    assert branch_files(remote) == {**files_of(shows.v1), ".nojekyll": b""}
    assert out.strip().splitlines()[-1] == f"subscribe: {BASE_URL}feed.xml"
    assert "uploaded 9, kept 0, deleted 0" in err
    assert json.loads(report.read_text()) == {"target": f"git+{remote}#gh-pages",
                                              "uploaded": _ordered(files_of(shows.v1)), "kept": 0, "deleted": []}
    assert f"audiogen {__version__}" in git("--git-dir", str(remote), "log", "-1", "--format=%B", "gh-pages")
    first = head(remote)

    code, out, err = publish(capsys, str(shows.v1), "--to", f"git+{remote}#gh-pages", "--report", str(report))
    assert code == 0, err
    assert head(remote) == first  # no commit, no push
    assert json.loads(report.read_text())["uploaded"] == []
    assert "uploaded 0, kept 9, deleted 0" in err


def test_an_edit_is_one_commit_on_top_naming_what_changed(shows, tmp_path, capsys):
    remote = bare(tmp_path)
    assert publish(capsys, str(shows.v1), "--to", f"git+{remote}#pages")[0] == 0
    first = head(remote, "pages")
    report = tmp_path / "report.json"
    code, _, err = publish(capsys, str(shows.v2), "--to", f"git+{remote}#pages", "--report", str(report))
    assert code == 0, err
    assert branch_files(remote, "pages") == {**files_of(shows.v2), ".nojekyll": b""}
    assert git("--git-dir", str(remote), "rev-parse", "pages^").strip() == first  # history kept, as ghp-import does
    old, new = files_of(shows.v1), files_of(shows.v2)
    got = json.loads(report.read_text())
    assert sorted(got["uploaded"]) == sorted(p for p in new if old.get(p) != new[p])
    assert got["deleted"] == sorted(set(old) - set(new))
    assert any(p.endswith(".mp3") for p in got["deleted"])  # the edited episode's old audio is gone
    assert got["kept"] == len([p for p in new if old.get(p) == new[p]])


def test_gh_pages_is_the_origin_of_the_repository_and_the_commit_names_the_seeds(shows, tmp_path):
    remote = bare(tmp_path)
    repo = tmp_path / "show"
    repo.mkdir()
    git("init", "-q", cwd=repo)
    git("remote", "add", "origin", str(remote), cwd=repo)
    (repo / "seeds").mkdir()
    (repo / "seeds" / "note.md").write_text("# x\n", encoding="utf-8")
    git("add", ".", cwd=repo)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "seeds", cwd=repo)
    shutil.copytree(shows.v1, repo / "public")
    proc = run_audiogen("publish", "--to", "gh-pages", cwd=repo)  # DIR defaults to public/
    assert proc.returncode == 0, proc.stderr
    seeds_commit = git("rev-parse", "HEAD", cwd=repo).strip()
    assert seeds_commit in git("--git-dir", str(remote), "log", "-1", "--format=%B", "gh-pages")
    assert branch_files(remote) == {**files_of(shows.v1), ".nojekyll": b""}
    assert git("branch", "--list", cwd=repo).split() == ["*", git("branch", "--show-current", cwd=repo).strip()]


def test_a_rejected_push_is_one_line_and_leaves_the_branch_as_it_was(shows, tmp_path, capsys):
    remote = bare(tmp_path)
    assert publish(capsys, str(shows.v1), "--to", f"git+{remote}")[0] == 0
    first = head(remote)
    hook = remote / "hooks" / "pre-receive"
    hook.write_text("#!/bin/sh\necho 'site is frozen' >&2\nexit 1\n")
    hook.chmod(0o755)
    code, out, err = publish(capsys, str(shows.v2), "--to", f"git+{remote}")
    assert code == 1
    assert err.count("audiogen: error:") == 1 and "Traceback" not in err
    assert "rejected" in err.splitlines()[-1]
    assert head(remote) == first
    assert "subscribe:" not in out


def test_a_branch_from_a_newer_audiogen_or_of_other_files_is_refused_unless_forced(shows, tmp_path, capsys):
    remote = bare(tmp_path)
    work = tmp_path / "clone"
    git("init", "-q", str(work))
    (work / "manifest.json").write_text("{}", encoding="utf-8")
    git("add", ".", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m",
        "Publish the podcast: audiogen 99.0.0", cwd=work)
    git("push", "-q", str(remote), "HEAD:refs/heads/gh-pages", cwd=work)
    code, _, err = publish(capsys, str(shows.v1), "--to", f"git+{remote}")
    assert code == 1 and "newer" in err and "99.0.0" in err
    code, _, err = publish(capsys, str(shows.v1), "--to", f"git+{remote}", "--force")
    assert code == 0, err
    assert branch_files(remote) == {**files_of(shows.v1), ".nojekyll": b""}

    other = bare(tmp_path, "docs.git")
    (work / "manifest.json").unlink()
    (work / "index.html").write_text("<p>my docs</p>", encoding="utf-8")
    git("add", "-A", ".", cwd=work)
    git("-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-q", "-m", "docs", cwd=work)
    git("push", "-q", str(other), "HEAD:refs/heads/gh-pages", cwd=work)
    code, _, err = publish(capsys, str(shows.v1), "--to", f"git+{other}")
    assert code == 1 and "no audiogen show" in err
    assert branch_files(other) == {"index.html": b"<p>my docs</p>"}


def test_dry_run_pushes_nothing(shows, tmp_path, capsys):
    remote = bare(tmp_path)
    code, _, err = publish(capsys, str(shows.v1), "--to", f"git+{remote}", "--dry-run")
    assert code == 0, err
    assert "would have uploaded 9" in err
    assert git("--git-dir", str(remote), "for-each-ref").strip() == ""


def test_publish_and_build_publish_use_the_target_in_podcast_toml(shows, tmp_path):
    remote = bare(tmp_path)
    work = tmp_path / "work"
    shutil.copytree(shows.work, work)
    (work / "podcast.toml").write_text(f'[show]\nbase_url = "{BASE_URL}"\n\n[publish]\nto = "git+{remote}"\n',
                                       encoding="utf-8")
    proc = run_audiogen("build", "seeds", "--engine", "espeak", "--teacher", "off", "--cache", "cache", "--publish",
                        cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == f"subscribe: {BASE_URL}feed.xml"
    assert branch_files(remote) == {**files_of(work / "public"), ".nojekyll": b""}
    first = head(remote)
    proc = run_audiogen("publish", cwd=work)
    assert proc.returncode == 0, proc.stderr
    assert head(remote) == first


@pytest.mark.parametrize("args, says", [
    (["--to", "ftp://example.org/x"], "unknown publish target"),
    (["--to", "git+"], "names no repository"),
    (["--to", "git+/tmp/x.git#bad..branch"], "not a valid branch name"),
    (["--to", "s3://No_Such!/x"], "not a bucket name"),
    (["--to", "s3://bucket/../up"], "plain path"),
    (["--to", "git+/tmp/x.git", "--endpoint-url", "http://127.0.0.1:9"], "for s3:// targets only"),
    ([], "where to?"),
])
def test_bad_targets_are_one_line(shows, args, says, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = publish(capsys, str(shows.v1), *args)
    assert code == 1 and err.startswith("audiogen: error:") and says in err and len(err.splitlines()) == 1, err


def test_a_missing_folder_or_one_that_is_no_build_is_one_line(tmp_path, capsys):
    remote = bare(tmp_path)
    code, _, err = publish(capsys, str(tmp_path / "nowhere"), "--to", f"git+{remote}")
    assert code == 1 and "is not a folder" in err and len(err.splitlines()) == 1
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "index.html").write_text("hi", encoding="utf-8")
    code, _, err = publish(capsys, str(tmp_path / "notes"), "--to", f"git+{remote}")
    assert code == 1 and "not the output of audiogen build" in err and len(err.splitlines()) == 1
    assert git("--git-dir", str(remote), "for-each-ref").strip() == ""


def test_a_build_missing_a_file_its_manifest_names_is_refused(shows, tmp_path, capsys):
    broken = tmp_path / "public"
    shutil.copytree(shows.v1, broken)
    next(broken.glob("episodes/*.mp3")).unlink()
    code, _, err = publish(capsys, str(broken), "--to", f"git+{bare(tmp_path)}")
    assert code == 1 and "incomplete" in err


@pytest.mark.parametrize("remote, url", [
    ("https://github.com/Kim/lessons.git", "https://kim.github.io/lessons/"),
    ("git@github.com:kim/lessons", "https://kim.github.io/lessons/"),
    ("ssh://git@github.com/kim/kim.github.io.git", "https://kim.github.io/"),
    ("/srv/git/lessons.git", None),
    ("https://gitlab.com/kim/lessons.git", None),
])
def test_the_pages_address_a_remote_implies(remote, url):
    assert pages_url(remote) == url


def _ordered(files: dict[str, bytes]) -> list[str]:
    last = ["manifest.json", "index.html", "feed.xml"]
    return sorted(p for p in files if p not in last) + last


def test_a_show_built_for_this_machine_only_is_warned_about(shows, tmp_path, capsys):
    local = tmp_path / "public"
    shutil.copytree(shows.v1, local)
    manifest = local / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace(BASE_URL, "http://127.0.0.1:8000/"),
                        encoding="utf-8")
    code, out, err = publish(capsys, str(local), "--to", f"git+{bare(tmp_path)}", "--dry-run")
    assert code == 0 and "only this machine reaches" in err
    assert out.strip() == "subscribe: http://127.0.0.1:8000/feed.xml"


def test_gh_pages_reaches_origin_as_the_repository_itself_does(shows, tmp_path):
    """The repository's own remote settings (here a pushInsteadOf; in GitHub Actions the token
    header actions/checkout leaves in http.<url>.extraheader) apply to the push."""
    origin, mirror = bare(tmp_path, "origin.git"), bare(tmp_path, "push-here.git")
    repo = tmp_path / "show"
    git("init", "-q", str(repo))
    git("remote", "add", "origin", str(origin), cwd=repo)
    git("config", f"url.{mirror}.pushInsteadOf", str(origin), cwd=repo)
    shutil.copytree(shows.v1, repo / "public")
    proc = run_audiogen("publish", "--to", "gh-pages", cwd=repo)
    assert proc.returncode == 0, proc.stderr
    assert branch_files(mirror) == {**files_of(shows.v1), ".nojekyll": b""}
    assert git("--git-dir", str(origin), "for-each-ref").strip() == ""
