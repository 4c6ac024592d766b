"""Publication dates: from the seed, else recorded once; build time honours SOURCE_DATE_EPOCH."""

import datetime as dt
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

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
    assert json.loads((tmp_path / dates.STATE_NAME).read_text()) == {"version": 1, "dates": {"a": "2026-01-01"}}
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # a later build keeps the first date
    assert dates.DateBook().date_of(tmp_path / "a.md", "a", None) == dt.date(2026, 1, 1)


def test_source_date_epoch(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert dates.now() == dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "soon")
    with pytest.raises(AudiogenError, match="SOURCE_DATE_EPOCH"):
        dates.now()


@pytest.mark.parametrize("text", ["[1, 2]", "{not json", '{"a": 5}', '{"a": "2025-02-30"}', '{"a": "99999-01-01"}',
                                  '{"a": "1066-10-14"}', '{"version": 2, "dates": {}}', '{"version": 1, "dates": []}',
                                  '{"version": 1, "dates": {"a": null}}', '{"version": 1}', "\udcff"])
def test_broken_state_file_is_named(tmp_path, text):
    (tmp_path / dates.STATE_NAME).write_bytes(text.encode("utf-8", "surrogateescape"))
    with pytest.raises(AudiogenError, match=r"published.json: not a valid dates file .*; fix or delete it"):
        dates.DateBook().date_of(tmp_path / "a.md", "a", None)


def test_a_dates_file_of_an_earlier_audiogen_is_read(tmp_path):
    (tmp_path / dates.STATE_NAME).write_text('{"a": "2025-03-04"}')
    assert dates.DateBook().date_of(tmp_path / "a.md", "a", None) == dt.date(2025, 3, 4)


def test_a_seed_the_dates_file_does_not_know_keeps_the_day_the_show_published_it(tmp_path, monkeypatch):
    """published.json lost (or never written: a kill after the feed, a read-only seed folder):
    the output's manifest proves the day, so a later build does not re-date a live episode."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    book = dates.DateBook(published={"a": dt.date(2026, 1, 1)})
    assert book.date_of(tmp_path / "a.md", "a", None) == dt.date(2026, 1, 1)
    assert book.date_of(tmp_path / "b.md", "b", None) == dt.date(2027, 1, 15)  # new: today
    book.save()
    assert json.loads((tmp_path / dates.STATE_NAME).read_text())["dates"] == {"a": "2026-01-01", "b": "2027-01-15"}
    # the dates file, once written, wins over what the output shows
    assert dates.DateBook(published={"a": dt.date(2020, 5, 5)}).date_of(tmp_path / "a.md", "a", None) == dt.date(2026, 1, 1)


def test_episodes_of_a_seed_are_spread_in_order():
    day = dt.date(2026, 1, 13)
    times = [dates.pub_datetime(day, i) for i in range(5)]
    assert times == sorted(times) and len(set(times)) == 5
    assert times[0].tzinfo is dt.timezone.utc


def test_a_review_follows_its_lesson_and_precedes_the_next():
    day = dt.date(2026, 1, 13)
    assert dates.pub_datetime(day, 2) < dates.pub_datetime(day, 2, after=True) < dates.pub_datetime(day, 3)


@pytest.mark.parametrize("kind", ["/dev/zero", "fifo"])
def test_a_dates_file_that_is_no_file_is_refused_without_reading_forever(tmp_path, kind):
    path = tmp_path / dates.STATE_NAME
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    with pytest.raises(AudiogenError, match="not a regular file"):
        dates.DateBook().date_of(tmp_path / "a.md", "a", None)


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=12)
                    | st.sampled_from(["2026-01-01", "2025-02-30", "0001-01-01", "20260101", "version", "dates"]),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
                        st.sampled_from(["a", "version", "dates"]) | st.text(max_size=4), inner, max_size=3),
                    max_leaves=10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=JSON)
def test_no_shape_of_a_dates_file_is_an_internal_error(tmp_path, data):
    (tmp_path / dates.STATE_NAME).write_text(json.dumps(data), encoding="utf-8")
    try:
        day = dates.DateBook().date_of(tmp_path / "a.md", "a", None)
    except AudiogenError as e:
        assert "fix or delete it" in str(e)
        return
    assert dates.EARLIEST <= day.year <= dates.LATEST
