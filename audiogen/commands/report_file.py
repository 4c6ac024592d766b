"""The --report file of a command, written so that a report that cannot be written fails the
command before it changes anything."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import AudiogenError
from ..files import move_into_place, temp_beside


class ReportFile:
    """A --report file (build's, publish's): a temporary file beside it is created up front (so a
    folder that cannot be written fails the command before anything is published), filled and
    renamed into place at the end."""

    def __init__(self, path: Path, after: str = "the build itself was published"):
        self.path, self.after = path, after
        self.tmp: Path | None = None
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            if path.is_dir():
                raise IsADirectoryError(21, "it is a folder")
            self.tmp = temp_beside(path)
        except OSError as e:
            raise AudiogenError(f"cannot write the report {path}: {e.strerror}") from None

    def ready(self) -> None:
        """Still writable just before publishing?"""
        if self.tmp is None or not self.tmp.is_file() or not os.access(self.tmp, os.W_OK):
            raise AudiogenError(f"cannot write the report {self.path}: its temporary file is gone")

    def commit(self, data: dict) -> None:
        assert self.tmp is not None
        try:
            self.tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            move_into_place(self.tmp, self.path)
            self.tmp = None
        except OSError as e:
            raise AudiogenError(f"cannot write the report {self.path}: {e.strerror} ({self.after})") from None

    def discard(self) -> None:
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None
