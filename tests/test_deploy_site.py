"""The rules every publish target shares, as pure functions: upload order, the plan, headers."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from audiogen.deploy import Options, check_not_newer
from audiogen.deploy.site import LONG_CACHE, SHORT_CACHE, cache_control, content_type, plan, upload_order
from audiogen.errors import AudiogenError

NAMES = st.sampled_from(["feed.xml", "index.html", "manifest.json", "cover-1a2b.jpg", "deck-9f.apkg",
                         "episodes/a-1.mp3", "episodes/a-1.vtt", "episodes/a-1.json", "episodes/b-2.mp3"])


@given(st.sets(NAMES))
def test_files_that_name_others_go_up_after_them_the_feed_last(paths):
    order = upload_order(paths)
    assert sorted(order) == sorted(paths)
    named_last = [p for p in ("manifest.json", "index.html", "feed.xml") if p in paths]
    assert order[len(order) - len(named_last):] == named_last


@given(st.dictionaries(NAMES, st.sampled_from("abc")), st.dictionaries(NAMES, st.sampled_from("abc")))
def test_the_plan_uploads_what_differs_keeps_the_rest_and_deletes_what_is_gone(local, remote):
    steps = plan(local, remote)
    assert set(steps.upload) == {p for p in local if remote.get(p) != local[p]}
    assert set(steps.keep) == {p for p in local if remote.get(p) == local[p]}
    assert set(steps.delete) == set(remote) - set(local)
    assert steps.changes == bool(steps.upload or steps.delete)


def test_headers_for_each_kind_of_file():
    assert (content_type("episodes/a-1.mp3"), cache_control("episodes/a-1.mp3")) == ("audio/mpeg", LONG_CACHE)
    assert (content_type("feed.xml"), cache_control("feed.xml")) == ("application/rss+xml", SHORT_CACHE)
    assert (content_type("index.html"), cache_control("index.html")) == ("text/html; charset=utf-8", SHORT_CACHE)
    assert cache_control("cover-1a2b.png") == cache_control("deck-9f.apkg") == LONG_CACHE
    assert content_type("cover-1a2b.png") == "image/png"
    assert content_type("episodes/a-1.vtt").startswith("text/vtt")
    assert cache_control("episodes/a-1.vtt") == cache_control("manifest.json") == SHORT_CACHE
    assert content_type("notes.unknownext") == "application/octet-stream"


def test_only_a_newer_version_is_refused():
    check_not_newer("0.1.0", Options(version="0.1.0"), "x")
    check_not_newer("0.0.9", Options(version="0.1.0"), "x")
    check_not_newer(None, Options(version="0.1.0"), "x")
    check_not_newer("0.10.0", Options(version="0.9.0", force=True), "x")
    with pytest.raises(AudiogenError, match="newer"):
        check_not_newer("0.10.0", Options(version="0.9.0"), "x")
