"""Staging and publishing: the output folder only ever changes all at once, feed last."""

import os

import pytest

from audiogen.errors import AudiogenError
from audiogen.publish import Stage, locked


def test_staged_files_reach_the_output_feed_last(tmp_path, monkeypatch):
    out = tmp_path / "public"
    moved = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (moved.append(os.path.basename(b)), real_replace(a, b)))
    with Stage(out) as stage:
        stage.write_if_changed("feed.xml", b"<rss/>")
        stage.write_if_changed("episodes/a-1.mp3", b"mp3")
        stage.write_if_changed("index.html", b"<html>")
        assert not out.exists(), "nothing may reach the output before publish"
        changed = stage.publish({"feed.xml", "episodes/a-1.mp3", "index.html"})
    assert moved[-1] == "feed.xml"
    assert set(changed) == {"feed.xml", "episodes/a-1.mp3", "index.html"}
    assert (out / "episodes/a-1.mp3").read_bytes() == b"mp3"
    assert not stage.root.exists()


def test_unchanged_files_are_left_alone_and_stale_episodes_removed(tmp_path):
    out = tmp_path / "public"
    (out / "episodes").mkdir(parents=True)
    (out / "feed.xml").write_bytes(b"same")
    (out / "episodes/old-1.mp3").write_bytes(b"old")
    (out / "notes.txt").write_bytes(b"the user's own file")
    before = (out / "feed.xml").stat().st_mtime_ns
    with Stage(out) as stage:
        assert stage.write_if_changed("feed.xml", b"same") is False
        stage.write_if_changed("episodes/new-2.mp3", b"new")
        changed = stage.publish({"feed.xml", "episodes/new-2.mp3"})
    assert (out / "feed.xml").stat().st_mtime_ns == before
    assert not (out / "episodes/old-1.mp3").exists()
    assert (out / "notes.txt").exists(), "files a build never makes are never removed"
    assert set(changed) == {"episodes/new-2.mp3", "episodes/old-1.mp3"}


def test_a_failed_build_leaves_nothing_in_the_output(tmp_path):
    out = tmp_path / "public"
    out.mkdir()
    (out / "feed.xml").write_bytes(b"published")
    with pytest.raises(RuntimeError):
        with Stage(out) as stage:
            stage.write_if_changed("feed.xml", b"half")
            raise RuntimeError("synthesis failed")
    assert (out / "feed.xml").read_bytes() == b"published"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_staging_refuses_paths_outside_the_output(tmp_path):
    with Stage(tmp_path / "public") as stage, pytest.raises(AudiogenError):
        stage.path("../escape.mp3")


def test_a_second_build_on_the_same_output_is_refused(tmp_path):
    out = tmp_path / "public"
    with locked(out):
        with pytest.raises(AudiogenError, match="another audiogen build is writing"):
            with locked(out):
                pass
    with locked(out):  # released after the first
        pass


def test_read_only_output_parent_is_one_clear_error(tmp_path):
    if os.geteuid() == 0:
        # root ignores permission bits; a read-only bind is not available here, so use a file as the parent
        parent = tmp_path / "file"
        parent.write_text("x")
        with pytest.raises(AudiogenError, match="cannot write"):
            with Stage(parent / "public"):
                pass
    else:
        tmp_path.chmod(0o500)
        try:
            with pytest.raises(AudiogenError, match="cannot write"):
                with Stage(tmp_path / "public"):
                    pass
        finally:
            tmp_path.chmod(0o700)
