"""Staging and publishing: the output folder only ever changes all at once, feed last."""

import os
import subprocess
import time

import pytest

from audiogen.errors import AudiogenError
from audiogen import staging
from audiogen.staging import Stage, check_output, locked


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
        changed = stage.commit({"feed.xml", "episodes/a-1.mp3", "index.html"}, previous=set())
    assert moved[-1] == "feed.xml"
    assert set(changed) == {"feed.xml", "episodes/a-1.mp3", "index.html"}
    assert (out / "episodes/a-1.mp3").read_bytes() == b"mp3"
    assert not stage.root.exists()


def test_unchanged_files_are_left_alone_and_stale_episodes_removed(tmp_path):
    out = tmp_path / "public"
    (out / "episodes").mkdir(parents=True)
    (out / "feed.xml").write_bytes(b"same")
    (out / "episodes/old-1.mp3").write_bytes(b"old")
    (out / "episodes/mine.mp3").write_bytes(b"the user's own file, never published by a build")
    (out / "notes.txt").write_bytes(b"the user's own file")
    before = (out / "feed.xml").stat().st_mtime_ns
    with Stage(out) as stage:
        assert stage.write_if_changed("feed.xml", b"same") is False
        stage.write_if_changed("episodes/new-2.mp3", b"new")
        changed = stage.commit({"feed.xml", "episodes/new-2.mp3"}, previous={"feed.xml", "episodes/old-1.mp3"})
    assert (out / "feed.xml").stat().st_mtime_ns == before
    assert not (out / "episodes/old-1.mp3").exists()
    assert (out / "notes.txt").exists() and (out / "episodes/mine.mp3").exists(), \
        "only files an earlier build published are ever removed"
    assert (out / "episodes/new-2.mp3").stat().st_mode & 0o777 == 0o644
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


def test_an_output_folder_of_someone_elses_files_is_refused(tmp_path):
    theirs = tmp_path / "site"
    theirs.mkdir()
    (theirs / "index.html").write_text("<html>my site</html>")
    with pytest.raises(AudiogenError, match="did not make"):
        check_output(theirs, "manifest.json")
    (theirs / "manifest.json").write_text("{}")
    check_output(theirs, "manifest.json")  # one of ours
    check_output(tmp_path / "new", "manifest.json")  # not there yet
    (tmp_path / "file").write_text("x")
    with pytest.raises(AudiogenError, match="is a file"):
        check_output(tmp_path / "file", "manifest.json")


def test_a_mounted_output_folder_stages_inside_itself(tmp_path, monkeypatch):
    out = tmp_path / "volume"
    out.mkdir()
    # a rename from beside the mount point into it fails with EXDEV, as over a bind mount
    monkeypatch.setattr(staging, "_mount_point", lambda o: True)
    with locked(out), Stage(out) as stage:
        assert stage.root.parent == out and stage.root.name.startswith(".")
        stage.write_if_changed("feed.xml", b"<rss/>")
        stage.commit({"feed.xml"}, previous=set())
    assert (out / "feed.xml").read_bytes() == b"<rss/>"
    assert sorted(p.name for p in out.iterdir()) == ["feed.xml"]
    assert not any("staging" in p.name for p in tmp_path.iterdir())


def test_a_real_bind_mount_is_detected_and_published_into(tmp_path):
    src, mnt = tmp_path / "src", tmp_path / "mnt"
    src.mkdir(), mnt.mkdir()
    done = subprocess.run(["mount", "--bind", str(src), str(mnt)], capture_output=True, text=True)
    assert done.returncode == 0, f"this test needs root and mount --bind: {done.stderr}"
    try:
        assert staging._mount_point(mnt) is True
        assert staging._mount_point(src) is False
        with Stage(mnt) as stage:
            stage.write_if_changed("episodes/a.mp3", b"mp3")
            stage.commit({"episodes/a.mp3"}, previous=set())
        assert (src / "episodes/a.mp3").read_bytes() == b"mp3"
    finally:
        subprocess.run(["umount", str(mnt)], check=True)


def test_the_lock_holds_through_a_symlink_to_the_output(tmp_path):
    real = tmp_path / "real" / "public"
    real.mkdir(parents=True)
    link = tmp_path / "link"
    os.symlink(real, link)
    with locked(link):
        with pytest.raises(AudiogenError, match="another audiogen build is writing"):
            with locked(real):
                pass
    with locked(real):
        with pytest.raises(AudiogenError, match="another audiogen build is writing"):
            with locked(link):
                pass


def test_no_lock_file_is_left_beside_the_output(tmp_path):
    out = tmp_path / "public"
    with locked(out):
        assert (tmp_path / ".public.audiogen-lock").exists()
    assert not (tmp_path / ".public.audiogen-lock").exists()
    # a lock file a killed build left behind is not a lock: the next build takes it and removes it
    (tmp_path / ".public.audiogen-lock").write_text("")
    with locked(out):
        pass
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_lock_removed_by_the_build_before_is_not_a_lock(tmp_path, monkeypatch):
    """A build that opened the lock file just before the previous build removed it must not
    lock that orphan: it opens the lock afresh, so two builds never both hold it."""
    out = tmp_path / "public"
    lock = tmp_path / ".public.audiogen-lock"
    opened = []
    original = staging._open_lock

    def racing_open(o):
        fd, path = original(o)
        opened.append(fd)
        if len(opened) == 1:  # the previous holder removes the file right after we opened it
            path.unlink()
        return fd, path

    monkeypatch.setattr(staging, "_open_lock", racing_open)
    with locked(out):
        assert len(opened) == 2 and lock.exists()
        with pytest.raises(AudiogenError, match="another audiogen build"):
            with locked(out):
                pass


def test_a_build_through_a_symlinked_output_stages_beside_the_real_folder(tmp_path):
    real = tmp_path / "site" / "public"
    real.mkdir(parents=True)
    (tmp_path / "work").mkdir()
    link = tmp_path / "work" / "public"
    os.symlink(real, link)
    with locked(link), Stage(link) as stage:
        assert stage.root.parent == real.parent
        stage.write_if_changed("feed.xml", b"<rss/>")
        stage.commit({"feed.xml"}, previous=set())
    assert (real / "feed.xml").read_bytes() == b"<rss/>"
    assert sorted(p.name for p in (tmp_path / "work").iterdir()) == ["public"]
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["public"]


# --- one transaction (issue 22, case 2) ---------------------------------------------------------


def published_show(out):
    (out / "episodes").mkdir(parents=True)
    for rel, data in {"episodes/a-old.mp3": b"old audio", "episodes/a-old.json": b"{}", "cover-1.jpg": b"jpg",
                      "manifest.json": b'{"old": 1}', "index.html": b"<p>old</p>", "feed.xml": b"<rss>old</rss>"}.items():
        (out / rel).write_bytes(data)
    return {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()}


def stage_new_build(stage):
    for rel, data in {"episodes/a-new.mp3": b"new audio", "episodes/a-new.json": b"{}", "cover-2.jpg": b"jpg2",
                      "deck-1.apkg": b"deck", "manifest.json": b'{"new": 1}', "index.html": b"<p>new</p>",
                      "feed.xml": b"<rss>new</rss>"}.items():
        stage.write_if_changed(rel, data)


KEEP = {"episodes/a-new.mp3", "episodes/a-new.json", "cover-2.jpg", "deck-1.apkg", "manifest.json", "index.html",
        "feed.xml"}
PREVIOUS = {"episodes/a-old.mp3", "episodes/a-old.json", "cover-1.jpg", "manifest.json", "index.html", "feed.xml"}


def test_content_named_files_move_first_then_manifest_page_and_feed(tmp_path, monkeypatch):
    out = tmp_path / "public"
    published_show(out)
    moved = []
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (moved.append(os.path.relpath(b, out)), real_replace(a, b)))
    with Stage(out) as stage:
        stage_new_build(stage)
        stage.commit(KEEP, PREVIOUS)
    assert moved[-3:] == ["manifest.json", "index.html", "feed.xml"]
    assert set(moved[:-3]) == KEEP - {"manifest.json", "index.html", "feed.xml"}
    assert not (out / "episodes/a-old.mp3").exists() and (out / "feed.xml").read_bytes() == b"<rss>new</rss>"


@pytest.mark.parametrize("failing", range(7))
def test_a_failure_at_any_move_puts_every_file_back(tmp_path, monkeypatch, failing):
    out = tmp_path / "public"
    before = published_show(out)
    calls = []
    real_replace = os.replace

    def replace(a, b):
        calls.append(b)
        if len(calls) == failing + 1:
            raise PermissionError(13, "Permission denied")
        real_replace(a, b)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(AudiogenError, match=r"permission denied; the published output is unchanged$"):
        with Stage(out) as stage:
            stage_new_build(stage)
            stage.commit(KEEP, PREVIOUS)
    assert {str(p.relative_to(out)): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["public"]


def test_a_first_build_that_fails_at_its_last_move_leaves_no_output_folder(tmp_path, monkeypatch):
    out = tmp_path / "new" / "public"
    real_replace = os.replace
    monkeypatch.setattr(os, "replace", lambda a, b: (_ for _ in ()).throw(OSError(28, "No space left on device"))
                        if os.path.basename(b) == "feed.xml" else real_replace(a, b))
    with pytest.raises(AudiogenError, match="the disk is full; the published output is unchanged"):
        with Stage(out) as stage:
            stage_new_build(stage)
            stage.commit(KEEP, set())
    assert not out.exists()


def test_a_stale_file_that_cannot_be_removed_only_warns(tmp_path, monkeypatch):
    out = tmp_path / "public"
    published_show(out)
    real_unlink = os.unlink
    monkeypatch.setattr(os, "unlink", lambda p, *a, **k: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if str(p).endswith("a-old.mp3") else real_unlink(p, *a, **k))
    warned = []
    with Stage(out) as stage:
        stage_new_build(stage)
        changed = stage.commit(KEEP, PREVIOUS, warn=warned.append)
    assert (out / "feed.xml").read_bytes() == b"<rss>new</rss>"
    assert len(warned) == 1 and "a-old.mp3" in warned[0] and "episodes/a-old.mp3" not in changed


def test_a_signal_from_another_thread_waits_for_the_moves(tmp_path, monkeypatch):
    """The kernel may give SIGTERM to any thread that does not block it; Python then ran the handler
    in the main thread between two moves. Now every move happens, then the signal is delivered,
    and the exception it raises says the output changed."""
    import signal
    import threading

    class Stopped(Exception):
        pass

    def stop(signum, frame):
        raise Stopped()

    out = tmp_path / "public"
    published_show(out)
    real_replace = os.replace
    moved = []

    go, sent = threading.Event(), threading.Event()

    def send():  # a thread started before the moves, so it blocks nothing: the kernel gives it the signal
        go.wait()
        os.kill(os.getpid(), signal.SIGTERM)
        sent.set()

    sender = threading.Thread(target=send)
    sender.start()

    def replace(a, b):
        if not moved:  # at the first move
            go.set()
            sent.wait()
            time.sleep(0.1)  # the main thread goes on; Python would run a handler now
        real_replace(a, b)
        moved.append(os.path.basename(b))

    monkeypatch.setattr(os, "replace", replace)
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        with pytest.raises(Stopped) as stopped:
            with Stage(out) as stage:
                stage_new_build(stage)
                stage.commit(KEEP, PREVIOUS)
    finally:
        signal.signal(signal.SIGTERM, previous)
        go.set()
        sender.join()
    assert moved[-1] == "feed.xml" and len(moved) == 7
    assert stopped.value.output_changed is True
    assert (out / "feed.xml").read_bytes() == b"<rss>new</rss>" and not (out / "episodes/a-old.mp3").exists()
