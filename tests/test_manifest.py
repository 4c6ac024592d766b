"""manifest.json: the one file through which the feed and the page learn what a build made."""

from __future__ import annotations

import json

import pytest

from audiogen.errors import AudiogenError
from audiogen.feed import manifest
from feed_site import BASE, BUILD, HOSTILE, NS, make_episode, make_show, site, xml  # noqa: F401 (fixtures)

def test_manifest_round_trip(site):
    _, m = site
    text = manifest.dumps(m)
    assert manifest.dumps(manifest.loads(text)) == text
    assert manifest.loads(text) == m
    data = json.loads(text)
    assert data["episodes"][0]["pub_date"] == "2024-01-01T06:00:00Z"
    assert "영어" in text  # ensure_ascii=False
    assert m.show.link == BASE


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        "[]",
        '{"version": 1}',
        '{"version": 99, "show": {}, "episodes": []}',
    ],
)
def test_manifest_rejects_garbage(text):
    with pytest.raises(AudiogenError):
        manifest.loads(text)


def test_manifest_rejects_bad_fields(site):
    _, m = site
    good = json.loads(manifest.dumps(m))
    for mutate in [
        lambda d: d["episodes"][0].__setitem__("bytes", "None"),
        lambda d: d["episodes"][0].__setitem__("episode_type", "movie"),
        lambda d: d["episodes"][0].__setitem__("pub_date", "yesterday"),
        lambda d: d["episodes"][0].pop("guid"),
        lambda d: d["episodes"][0].__setitem__("surprise", 1),
        lambda d: d["show"].__setitem__("base_url", "relative/"),
        lambda d: d["show"].__setitem__("base_url", "https://no-slash.example"),
        lambda d: d["episodes"][1].__setitem__("guid", d["episodes"][0]["guid"]),
    ]:
        data = json.loads(json.dumps(good))
        mutate(data)
        with pytest.raises(AudiogenError):
            manifest.loads(json.dumps(data))
