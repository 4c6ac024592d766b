"""Publication dates that never move.

A podcast app sorts and de-duplicates by pubDate and GUID, so both must be
the same on every build, on every machine. A seed's own date (its `by ...
DATE` line or front matter) dates its episodes. A seed without one gets the
date of its first build, recorded in `published.json` next to the seeds;
that file is meant to be committed with them. It is written before the output
changes (so no crash can publish an episode whose date is not recorded), and
the output's manifest proves it too: a seed the file does not know but the
show has published keeps the day it was published on.

"Next to the seeds" means in the folder that holds the seed as it was named,
never beside the file a symlinked seed points to: a build writes only in its
output, its cache and its own seed folders.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import time
from pathlib import Path

from .errors import AudiogenError
from .files import read_state, write_atomically

STATE_NAME = "published.json"
STATE_VERSION = 1  # {"version": 1, "dates": {seed id: "YYYY-MM-DD"}}; a bare object of dates is read too
EARLIEST, LATEST = 1900, 2100
MAX_BYTES = 16 << 20  # a date per seed: a larger file is not a dates file
UTC = dt.timezone.utc


def now() -> dt.datetime:
    """The build time: SOURCE_DATE_EPOCH when set (reproducible builds), else the clock."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is not None:
        try:
            return dt.datetime.fromtimestamp(int(epoch), UTC)
        except (ValueError, OverflowError, OSError):
            raise AudiogenError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, got {epoch!r}") from None
    return dt.datetime.fromtimestamp(int(time.time()), UTC)


class DateBook:
    """First-publication dates of undated seeds, one state file per seed folder.

    `published`: each seed's day as the output already shows it (`manifest.first_days`), the
    answer for a seed the state file does not know (lost, or never written)."""

    def __init__(self, say=print, published: dict[str, dt.date] | None = None):
        self._books: dict[Path, dict[str, str]] = {}
        self._dirty: set[Path] = set()
        self.say = say
        self.published = published or {}

    def _book(self, folder: Path) -> dict[str, str]:
        path = folder / STATE_NAME
        if path not in self._books:
            self._books[path] = read_dates(path) if os.path.lexists(path) else {}
        return self._books[path]

    def date_of(self, seed_path: Path, seed_id: str, seed_date: dt.date | None) -> dt.date:
        if seed_date is not None:
            return seed_date
        folder = Path(os.path.abspath(seed_path)).parent  # the link's folder, not its target's
        book = self._book(folder)
        if seed_id not in book:
            book[seed_id] = (self.published.get(seed_id) or now().date()).isoformat()
            self._dirty.add(folder / STATE_NAME)
        return dt.date.fromisoformat(book[seed_id])

    def save(self) -> None:
        """Record new first-publication dates; a read-only seed folder only warns (the output's
        manifest still proves the dates of what it publishes)."""
        for path in sorted(self._dirty):
            data = {"version": STATE_VERSION, "dates": dict(sorted(self._books[path].items()))}
            try:  # a published.json that is a symlink is replaced, not written through
                write_atomically(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
            except OSError as e:
                self.say(f"warning: cannot record publication dates in {path} ({e.strerror}); "
                         "the output's manifest keeps those of published episodes")
        self._dirty.clear()


def read_dates(path: Path) -> dict[str, str]:
    """A dates file's seed ids and ISO dates, each checked; anything else is refused in one line."""
    try:
        data = json.loads(read_state(path, MAX_BYTES).decode("utf-8"))
        if isinstance(data, dict) and "version" in data:
            if data["version"] != STATE_VERSION or set(data) != {"version", "dates"}:
                raise ValueError(f"version {data['version']!r} with keys {sorted(data)} is not one this audiogen reads")
            data = data["dates"]
        if not isinstance(data, dict):
            raise ValueError("not an object of dates")
        for seed_id, day in data.items():
            if not isinstance(day, str) or not EARLIEST <= dt.date.fromisoformat(day).year <= LATEST:
                raise ValueError(f"{seed_id!r} has {day!r}, not a date from {EARLIEST} to {LATEST}")
    except (OSError, ValueError, TypeError, UnicodeDecodeError) as e:
        why = e.strerror if isinstance(e, OSError) else e
        raise AudiogenError(f"{path}: not a valid dates file ({why}); fix or delete it") from None
    return data


def pub_datetime(day: dt.date, order: int, after: bool = False) -> dt.datetime:
    """Episodes of one seed a minute apart, in lesson order, at 09:00 KST (00:00 UTC);
    `after` puts an episode half a minute behind the lesson it follows (a review)."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + dt.timedelta(minutes=order, seconds=30 if after else 0)
