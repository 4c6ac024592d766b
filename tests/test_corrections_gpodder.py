"""A corrected lesson followed through a real podcast client: Debian's gPodder (`gpo`) subscribed to
a show served by `audiogen serve` on 127.0.0.1, real builds through the command line (offline
voices), and the feed read by gPodder's own parser (podcastparser) and by feedparser.

Under "republish" the edited lesson arrives as one new episode holding the corrected audio, and the
old item leaves the feed; under "update" gPodder sees the same GUID, downloads nothing and lists
no duplicate (which is why "republish" is the default). Without `gpo` the test is skipped, saying
why, unless CI is set: CI promises it (.ci/run installs gpodder)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import feedparser
import podcastparser
import pytest

from audiogen.feed import serve

SEED = """---
title: 회의 영어
author: 김작가
date: 2026-03-02
---

## 1. 회의를 여는 말

회의를 시작할 때 쓰는 말입니다.

> "Let's get started with the agenda"
> 안건부터 시작합시다

## 2. 회의를 맺는 말

회의를 끝낼 때 쓰는 말입니다.

> "Thanks everyone for your time"
> 시간 내 주셔서 감사합니다
"""
EDITED = SEED.replace("Let's get started with the agenda", "Let us begin with the first item")


def gpo_or_skip() -> str:
    gpo = shutil.which("gpo")
    if gpo is None:
        if os.environ.get("CI"):
            pytest.fail("gpo is not installed: .ci/run installs it (apt-get install -y gpodder python3-gi)")
        pytest.skip("no gpo (Debian's gpodder) on this machine: corrections are followed through a real "
                    "podcast client only where one is installed")
    return gpo


class Client:
    """gPodder's command line with its own home and download folder."""

    def __init__(self, gpo: str, home: Path):
        self.gpo = gpo
        self.home, self.downloads = home / "gpodder", home / "downloads"
        self.home.mkdir()
        self.downloads.mkdir()
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
        self.env.update(GPODDER_HOME=str(self.home), GPODDER_DOWNLOAD_DIR=str(self.downloads), HOME=str(home))

    def run(self, *args: str) -> str:
        proc = subprocess.run([self.gpo, *args], env=self.env, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    def episodes(self) -> dict[str, tuple[str, str | None]]:
        """gPodder's own record, by GUID: (title, the downloaded file's name or None)."""
        with sqlite3.connect(self.home / "Database") as db:
            rows = db.execute("SELECT guid, title, download_filename, state FROM episode").fetchall()
        return {guid: (title, name if state == 1 else None) for guid, title, name, state in rows}

    def file(self, name: str) -> bytes:
        (path,) = self.downloads.glob(f"*/{name}")
        return path.read_bytes()


def build(work: Path, base_url: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "audiogen", "build", "seeds", "--out", "public", "--engine",
                           "espeak", "--cache", str(work.parent / "cache"), "--base-url", base_url],
                          cwd=work, capture_output=True, text=True, timeout=900,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})
    assert proc.returncode == 0, proc.stderr


def feed_items(out: Path) -> list[dict]:
    """The items as gPodder's parser reads the served feed (guid, title, enclosure URL)."""
    with (out / "feed.xml").open("rb") as f:
        parsed = podcastparser.parse("http://127.0.0.1/feed.xml", f)
    return [{"guid": e["guid"], "title": e["title"], "url": e["enclosures"][0]["url"]} for e in parsed["episodes"]]


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=30) as answer:
        return answer.read()


@pytest.mark.parametrize("policy", ["republish", "update"])
def test_a_corrected_lesson_through_gpodder(tmp_path_factory, policy):
    gpo = gpo_or_skip()
    root = tmp_path_factory.mktemp(f"gpodder-{policy}")
    work = root / "show"
    (work / "seeds").mkdir(parents=True)
    (work / "public").mkdir()
    (work / "seeds" / "meet.md").write_text(SEED, encoding="utf-8")
    (work / "podcast.toml").write_text(f'[show]\ntitle = "회의 영어"\n\n[feed]\ncorrections = "{policy}"\n',
                                       encoding="utf-8")
    server = serve.make_server(work / "public", "127.0.0.1", 0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    client = Client(gpo, root)
    try:
        build(work, base_url)
        before = feed_items(work / "public")
        assert len(before) == 2
        client.run("subscribe", base_url + "feed.xml")
        client.run("update")
        client.run("download")
        first = client.episodes()
        assert set(first) == {item["guid"] for item in before}
        assert all(name for _, name in first.values()), "gpo did not download every episode"
        opening = next(item for item in before if item["title"] == "회의를 여는 말")
        old_audio = client.file(first[opening["guid"]][1])
        assert old_audio == fetch(opening["url"])

        (work / "seeds" / "meet.md").write_text(EDITED, encoding="utf-8")
        build(work, base_url)
        after = feed_items(work / "public")
        client.run("update")
        client.run("download")
        now = client.episodes()
        closing = next(item for item in before if item["title"] == "회의를 맺는 말")
        # the other lesson (new audio only because it recalls the edited sentence) is the same item
        assert (closing["guid"], closing["title"]) in {(item["guid"], item["title"]) for item in after}
        assert closing["guid"] in now and now[closing["guid"]] == first[closing["guid"]]
        assert len(after) == 2 and len({item["guid"] for item in after}) == 2

        if policy == "republish":
            (corrected,) = [item for item in after if item["guid"] not in first]
            assert corrected["title"] == "회의를 여는 말 (수정본)"
            assert opening["guid"] not in {item["guid"] for item in after}  # the old item left the feed
            assert set(now) - set(first) == {corrected["guid"]}  # one new episode in gPodder
            title, name = now[corrected["guid"]]
            assert title == corrected["title"] and name, "gpo did not download the corrected lesson"
            new_audio = client.file(name)
            assert new_audio == fetch(corrected["url"]) and new_audio != old_audio
            listed = client.run("episodes")
            assert listed.count("회의를 여는 말 (수정본)") == 1
        else:
            (same,) = [item for item in after if item["title"] == "회의를 여는 말"]
            assert same["guid"] == opening["guid"] and same["url"] != opening["url"]  # new audio, same item
            assert now == first  # no new episode, nothing downloaded again: the old audio stays
            assert client.file(first[opening["guid"]][1]) == old_audio
            assert client.run("episodes").count("회의를 여는 말") == 1

        # feedparser reads the same feed the same way
        parsed = feedparser.parse((work / "public" / "feed.xml").read_bytes())
        assert not parsed.bozo
        assert {(e.id, e.title) for e in parsed.entries} == {(i["guid"], i["title"]) for i in after}
        for entry in parsed.entries:  # every enclosure is served, with the bytes the feed promises
            (link,) = [link for link in entry.links if link.rel == "enclosure"]
            assert len(fetch(link.href)) == int(link.length)
    finally:
        server.shutdown()
        server.server_close()
