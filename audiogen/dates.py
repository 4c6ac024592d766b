"""Publication dates that never move.

A podcast app sorts and de-duplicates by pubDate and GUID, so both must be
the same on every build, on every machine. A seed's own date (its `by ...
DATE` line or front matter) dates its episodes. A seed without one gets the
date of its first build, recorded in `published.json` next to the seeds;
that file is meant to be committed with them.

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
from .files import write_atomically

STATE_NAME = "published.json"
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
    """First-publication dates of undated seeds, one state file per seed folder."""

    def __init__(self, say=print):
        self._books: dict[Path, dict[str, str]] = {}
        self._dirty: set[Path] = set()
        self.say = say

    def _book(self, folder: Path) -> dict[str, str]:
        path = folder / STATE_NAME
        if path not in self._books:
            data: dict[str, str] = {}
            if path.is_file():
                try:
                    data = json.loads(path.read_text(encoding="utf-8"))
                    if not isinstance(data, dict) or not all(isinstance(v, str) for v in data.values()):
                        raise ValueError("not an object of dates")
                except (ValueError, UnicodeDecodeError) as e:
                    raise AudiogenError(f"{path}: not a valid dates file ({e}); fix or delete it") from None
            self._books[path] = data
        return self._books[path]

    def date_of(self, seed_path: Path, seed_id: str, seed_date: dt.date | None) -> dt.date:
        if seed_date is not None:
            return seed_date
        folder = Path(os.path.abspath(seed_path)).parent  # the link's folder, not its target's
        book = self._book(folder)
        if seed_id not in book:
            book[seed_id] = now().date().isoformat()
            self._dirty.add(folder / STATE_NAME)
        try:
            return dt.date.fromisoformat(book[seed_id])
        except ValueError:
            raise AudiogenError(f"{folder / STATE_NAME}: '{seed_id}' has a bad date {book[seed_id]!r}") from None

    def save(self) -> None:
        """Record new first-publication dates; a read-only seed folder only warns."""
        for path in sorted(self._dirty):
            data = json.dumps(self._books[path], indent=2, sort_keys=True, ensure_ascii=False) + "\n"
            try:  # a published.json that is a symlink is replaced, not written through
                write_atomically(path, data)
            except OSError as e:
                self.say(f"warning: cannot record publication dates in {path} ({e.strerror}); "
                         "undated seeds will be dated again on the next build")
        self._dirty.clear()


def pub_datetime(day: dt.date, order: int, after: bool = False) -> dt.datetime:
    """Episodes of one seed a minute apart, in lesson order, at 09:00 KST (00:00 UTC);
    `after` puts an episode half a minute behind the lesson it follows (a review)."""
    start = dt.datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + dt.timedelta(minutes=order, seconds=30 if after else 0)
