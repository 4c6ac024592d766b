"""Publication dates: from the seed, else recorded once; build time honours SOURCE_DATE_EPOCH."""

import datetime as dt
import json

import pytest

from audiogen import dates
from audiogen.errors import AudiogenError


def test_seed_date_wins(tmp_path):
    book = dates.DateBook()
    assert book.date_of(tmp_path / "a.txt", "a", dt.date(2026, 1, 13)) == dt.date(2026, 1, 13)
    book.save()
    assert not (tmp_path / dates.STATE_NAME).exists()


def test_undated_seed_is_recorded_once(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    book = dates.DateBook()
    assert book.date_of(tmp_path / "a.md", "a", None) == dt.date(2026, 1, 1)
    book.save()
    assert json.loads((tmp_path / dates.STATE_NAME).read_text()) == {"a": "2026-01-01"}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a later build keeps the first date
    assert dates.DateBook().date_of(tmp_path / "a.md", "a", None) == dt.date(2026, 1, 1)


def test_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert dates.now() == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(AudiogenError, match="SOURCE_DATE_EPOCH"):
        dates.now()


def test_broken_state_file_is_named(tmp_path):
    (tmp_path / dates.STATE_NAME).write_text("[1, 2]")
    with pytest.raises(AudiogenError, match="not a valid dates file"):
        dates.DateBook().date_of(tmp_path / "a.md", "a", None)


def test_episodes_of_a_seed_are_spread_in_order():
    day = dt.date(2026, 1, 13)
    times = [dates.pub_datetime(day, i) for i in range(5)]
    assert times == sorted(times) and len(set(times)) == 5
    assert times[0].tzinfo is dt.timezone.utc


def test_a_review_follows_its_lesson_and_precedes_the_next():
    day = dt.date(2026, 1, 13)
    assert dates.pub_datetime(day, 2) < dates.pub_datetime(day, 2, after=True) < dates.pub_datetime(day, 3)
