"""manifest.json: the one file through which the feed and the page learn what a build made."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from audiogen.build import published_files, published_seasons
from audiogen.lesson.course import seasons_for
from audiogen.errors import AudiogenError
from audiogen.feed import manifest, page, rss
from audiogen.feed.manifest import MANIFEST_FILE
from show_facts import feed_facts, snapshot
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


# --- a damaged manifest (issue 22, case 1) --------------------------------------------------------


def article(title: str, day: str) -> str:
    return (f"{title}\n\nby Tester {day}\n\n1. 첫 주제\n\n회사는 고객의 신뢰(trust)를 얻으려고 노력했습니다.\n\n"
            f'"Trust grows slowly and breaks quickly, says {title}"\n')


def audiogen_build(work: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "audiogen", "build", "seeds", "--out", "public", "--engine", "espeak",
                           "--cache", "cache", "--base-url", BASE, "--quiet"], cwd=work, capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1767225600"})


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory) -> Path:
    """A show of one article, then an older-dated one added: seasons 1 and 2 against their dates."""
    work = tmp_path_factory.mktemp("garbled")
    (work / "seeds").mkdir()
    (work / "seeds" / "newer.txt").write_text(article("나중 기사", "2026. 4. 1."), encoding="utf-8")
    assert audiogen_build(work).returncode == 0
    (work / "seeds" / "older.txt").write_text(article("먼저 기사", "2026. 3. 1."), encoding="utf-8")
    assert audiogen_build(work).returncode == 0
    return work


@pytest.mark.parametrize("damage", ['{"garbage', "", '{"version": 1, "show": {}, "episodes": "x"}', "\udcff",
                                    "/dev/zero"])
def test_a_damaged_manifest_is_refused_in_one_line_and_the_show_is_untouched(two_articles, tmp_path, damage):
    """A garbled manifest.json once renumbered the show silently: seasons swapped, every MP3 a new URL."""
    work = tmp_path / "w"
    shutil.copytree(two_articles, work)
    out = work / "public"
    facts = feed_facts(out)
    assert sorted(season for _, season, _, _ in facts) == ["1", "2"]
    path = out / MANIFEST_FILE
    if damage == "/dev/zero":  # reading it would never end
        path.unlink()
        path.symlink_to("/dev/zero")
    else:
        path.write_bytes(damage.encode("utf-8", "surrogateescape"))
    before = snapshot(out)
    proc = audiogen_build(work)
    assert proc.returncode == 1
    (line,) = proc.stderr.strip().splitlines()
    assert line.startswith(f"audiogen: error: {path} is damaged (") and "put back the copy on your web host" in line
    assert f"delete {out.resolve()}" in line
    assert feed_facts(out) == facts and snapshot(out) == before


# --- no shape of a manifest is an internal error ------------------------------------------------------


NASTY = st.sampled_from([float("nan"), float("inf"), -1, -0.5, 2**70, "", ".", "../x", "/etc/passwd", "a\x00b",
                         "\x1b[2J", "episodes/../../x", "episodes/", "cover.jpg", "0001-01-01T00:00:00",
                         "9999-12-31T23:59:59-23:59", "2024-01-01T06:00:00Z", "full", "bonus", "https://x.example/",
                         True, None, 0, 1, [], {}])
LEAF = NASTY | st.none() | st.booleans() | st.integers(-2**63, 2**63) | st.floats() | st.text(max_size=12)
JSON = st.recursive(LEAF,
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
                    max_leaves=8)


def _paths(node, at=()):
    """Every place in a JSON tree: (path of keys/indexes, container)."""
    yield at
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, (*at, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, (*at, i))


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(data=st.data())
def test_any_mutation_of_a_manifest_is_refused_in_words_or_publishes(site, data):
    """Replace, drop or add any node of a real manifest: `loads` says what is wrong in one
    AudiogenError, or what it returns renders as the feed, the page and the build read it."""
    out, m = site
    tree = json.loads(manifest.dumps(dataclasses.replace(m, seasons={"a": 1}, deck=manifest.Deck("deck-1.apkg", 3))))
    for _ in range(data.draw(st.integers(1, 3))):
        places = list(_paths(tree))
        at = data.draw(st.sampled_from(places))
        if not at:
            tree = data.draw(JSON)
            continue
        parent = tree
        for k in at[:-1]:
            parent = parent[k]
        how = data.draw(st.sampled_from(["replace", "drop", "add"]))
        if how == "replace":
            parent[at[-1]] = data.draw(LEAF if data.draw(st.booleans()) else JSON)
        elif how == "drop":
            del parent[at[-1]]
        elif isinstance(parent, dict):
            parent[data.draw(st.text(max_size=8))] = data.draw(JSON)
        else:
            parent.append(data.draw(JSON))
    try:
        text = json.dumps(tree, ensure_ascii=False)
    except (ValueError, TypeError):
        return
    try:
        loaded = manifest.loads(text)
    except AudiogenError as e:
        assert str(e) and "\n" not in str(e)
        return
    rss.render(loaded, build_date=BUILD)
    page.render(loaded, out).encode("utf-8")  # as the build writes it
    published_files(loaded)
    seasons_for([], published_seasons(loaded))
    manifest.first_days(loaded)
    manifest.loads(manifest.dumps(loaded))


@pytest.mark.parametrize("email", ["", "\x1f", "kim@example.org\x00"])
def test_an_owner_email_edited_to_nothing_or_a_control_character_still_renders(site, email):
    """Two shapes hypothesis found: feedgen refuses an iTunes owner without an email, and lxml a control
    character in it. The feed leaves the owner out, or drops the character, as it does in seed text."""
    _, m = site
    edited = manifest.loads(manifest.dumps(dataclasses.replace(m, show=dataclasses.replace(m.show, email=email))))
    xml = rss.render(edited, build_date=BUILD).decode("utf-8")
    assert ("itunes:owner" in xml) == bool(email.strip("\x00\x1f"))
    assert "\x00" not in xml and "\x1f" not in xml


def test_a_publication_date_at_the_end_of_time_is_refused_in_words(site):
    """9999-12-31T23:59:59-23:59 overflowed once turned to UTC (found by the mutation test)."""
    _, m = site
    tree = json.loads(manifest.dumps(m))
    tree["episodes"][0]["pub_date"] = "9999-12-31T23:59:59-23:59"
    with pytest.raises(AudiogenError, match="not a publication date"):
        manifest.loads(json.dumps(tree))


def test_a_name_the_build_made_with_a_control_character_is_a_damaged_manifest(site):
    """A GUID with a NUL in it crashed the feed's XML writer (a hypothesis run found it): a name is
    never cleaned, since that would make it another name, so such a manifest is refused in words."""
    _, m = site
    tree = json.loads(manifest.dumps(m))
    tree["episodes"][0]["guid"] = "audiogen:seed\x00:1"
    with pytest.raises(AudiogenError, match=r"episodes\[0\]\.guid: holds a control character"):
        manifest.loads(json.dumps(tree))
