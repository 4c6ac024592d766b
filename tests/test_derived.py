"""What every rendering build used to make again (the stings, the cover's small copy for the
MP3 tags) is kept beside the clips under a hash of what it is made from, checked on read."""

from __future__ import annotations

from pathlib import Path

import pytest

from audiogen import build
from audiogen.audio import stings
from audiogen.config import Config
from audiogen.feed import cover as covers
from audiogen.feed import manifest


def assets(tmp_path: Path) -> build.Assets:
    show = manifest.Show(title="Kept things", description="", author="A", email="", base_url="https://x.test/", cover="")
    return build.Assets(Config(), show, tmp_path / "out", kept=tmp_path / "cache" / build.DERIVED_DIR)


def test_stings_and_cover_copy_are_made_once_and_are_the_same_bytes(tmp_path, monkeypatch):
    rate = Config().audio.sample_rate
    first = assets(tmp_path)
    made = (first.clip("intro"), first.clip("outro"), first.embedded_cover)
    assert made == (stings.intro(rate), stings.outro(rate), covers.for_embedding(first.cover))
    assert first.clip("music") is None

    def never(*_):
        raise AssertionError("made again")

    monkeypatch.setattr(stings, "intro", never)
    monkeypatch.setattr(stings, "outro", never)
    monkeypatch.setattr(covers, "for_embedding", never)
    again = assets(tmp_path)
    assert (again.clip("intro"), again.clip("outro"), again.embedded_cover) == made


@pytest.mark.parametrize("damage", [b"", b"\0" * 1000])
def test_a_damaged_entry_is_made_again(tmp_path, damage):
    want = assets(tmp_path).embedded_cover
    [entry] = (tmp_path / "cache" / build.DERIVED_DIR / "cover").iterdir()
    entry.write_bytes(damage)
    assert assets(tmp_path).embedded_cover == want
    assert [p.read_bytes() for p in (tmp_path / "cache" / build.DERIVED_DIR / "cover").iterdir()] == [want]


def test_a_new_cover_replaces_the_kept_copy(tmp_path):
    first = assets(tmp_path)
    first.embedded_cover
    other = assets(tmp_path)
    other.show.title = "Another show"
    other._cover = covers.cover_bytes("Another show", "")
    assert other.embedded_cover == covers.for_embedding(other._cover)
    assert len(list((tmp_path / "cache" / build.DERIVED_DIR / "cover").iterdir())) == 1
