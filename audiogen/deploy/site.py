"""What every target shares: the built show read from its folder, the order its files go up
in, what to upload, keep and delete, and the HTTP headers a static host should send.

Pure logic apart from reading the folder, so the rules are tested without a server.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable

from ..errors import AudiogenError
from ..feed import manifest

FEED, PAGE, MANIFEST = manifest.FEED_FILE, manifest.PAGE_FILE, manifest.MANIFEST_FILE
# the files that name others go up after everything they name, the feed last of all
_LAST = (MANIFEST, PAGE, FEED)

SHORT_CACHE = "public, max-age=300"  # the feed, the page, the manifest: a new episode shows within minutes
LONG_CACHE = "public, max-age=31536000, immutable"  # content-addressed: a changed file gets a new name
_TYPES = {
    ".mp3": "audio/mpeg",
    ".xml": "application/rss+xml",
    ".html": "text/html; charset=utf-8",
    ".vtt": "text/vtt; charset=utf-8",
    ".json": "application/json",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".apkg": "application/apkg",  # what AnkiDroid and Anki's file associations answer to
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}


@dataclass(frozen=True)
class Site:
    """A built show: its folder, every file in it (relative POSIX path -> file) and where the
    build said it would be served."""

    root: Path
    files: dict[str, Path]
    base_url: str

    @property
    def feed_url(self) -> str:
        return self.base_url + FEED


def read(folder: Path) -> Site:
    """The output folder of a build, or one clear error saying why it is not one."""
    if not folder.is_dir():
        raise AudiogenError(f"{folder} is not a folder; build first: audiogen build --out {folder}")
    manifest_file = folder / MANIFEST
    if not manifest_file.is_file() or not (folder / FEED).is_file():
        raise AudiogenError(f"{folder} is not the output of audiogen build (no {MANIFEST} and {FEED} in it)")
    try:
        show = manifest.loads(manifest_file.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise AudiogenError(f"{manifest_file} is not UTF-8 text") from None
    except AudiogenError as e:
        raise AudiogenError(f"{manifest_file}: {e}") from None
    files: dict[str, Path] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        # hidden entries are the build's own (a staging folder, a lock), never the show's
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_symlink():
            raise AudiogenError(f"{path} is a symbolic link; audiogen build never makes one, so this "
                                "folder was changed by hand: build again into a clean folder")
        if path.is_file():
            files[rel.as_posix()] = path
    named = [e.mp3 for e in show.episodes] + [show.show.cover] + ([show.deck.file] if show.deck else [])
    missing = [rel for rel in named if rel not in files]
    if missing:
        raise AudiogenError(f"{folder} is incomplete: {missing[0]} is named in {MANIFEST} but missing; "
                            "build again before publishing")
    return Site(root=folder, files=files, base_url=show.show.base_url)


def upload_order(paths) -> list[str]:
    """Media and everything else first (sorted), then the manifest, the page and the feed last:
    at every moment the files already up name only files that are up too."""
    rest = sorted(p for p in paths if p not in _LAST)
    return rest + [p for p in _LAST if p in paths]


@dataclass(frozen=True)
class Plan:
    upload: list[str]  # in upload order
    keep: list[str]
    delete: list[str]  # only once the feed is up

    @property
    def changes(self) -> bool:
        return bool(self.upload or self.delete)


def plan(local: dict[str, str], remote: dict[str, str]) -> Plan:
    """Compare digests (relative path -> digest of the same kind on both sides)."""
    changed = {p for p, digest in local.items() if remote.get(p) != digest}
    return Plan(upload=upload_order(changed), keep=sorted(set(local) - changed),
                delete=sorted(set(remote) - set(local)))


def content_type(rel: str) -> str:
    suffix = PurePosixPath(rel).suffix.lower()
    return _TYPES.get(suffix) or mimetypes.guess_type(rel)[0] or "application/octet-stream"


def cache_control(rel: str) -> str:
    """Long and immutable for the files whose names change with their bytes (the MP3s, the cover,
    the deck); short for everything else, so a correction reaches listeners within minutes."""
    name = PurePosixPath(rel).name
    if rel.endswith(".mp3") or name.startswith(("cover-", "deck-")):
        return LONG_CACHE
    return SHORT_CACHE


def file_digest(path: Path, new: Callable[[], "hashlib._Hash"], header: Callable[[int], bytes] = lambda n: b"") -> str:
    """A hex digest of a file read in blocks (`header` sees its size first, as git's blob ids need)."""
    h = new()
    h.update(header(path.stat().st_size))
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def md5_of(path: Path) -> str:
    return file_digest(path, hashlib.md5)


def git_blob_id(path: Path) -> str:
    """The id git gives the file's bytes as a blob (SHA-1 of "blob <size>\\0" and the bytes)."""
    return file_digest(path, hashlib.sha1, lambda n: b"blob %d\0" % n)
