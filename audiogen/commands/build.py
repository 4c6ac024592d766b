"""`audiogen build`: seeds in, a published podcast folder out."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import build, config
from ..errors import AudiogenError
from ..files import move_into_place, temp_beside
from . import reporter


def run(args) -> int:
    ui = reporter(args)
    cfg = config.load(args.config)
    if args.base_url is not None:
        config.check_base_url(args.base_url)
    target = None
    if getattr(args, "publish", False):  # a target that cannot be used fails before the build
        from .publish import target_from

        if not cfg.publish.to:
            raise AudiogenError("build --publish needs [publish] to in podcast.toml (or run audiogen publish --to ...)")
        target = target_from(cfg, None, None)
    # every check that can fail comes before the output changes: the report file is opened
    # now, and the build calls `report.ready` once everything is staged, before publishing
    report = ReportFile(args.report) if args.report else None
    try:
        req = build.BuildRequest(seeds=args.seeds, out=args.out, cache=args.cache, engine=args.engine,
                                 base_url=args.base_url, strict=args.strict,
                                 before_publish=report.ready if report else None)
        result = build.build(cfg, req, ui)
        if report:
            report.commit(result.report())
    finally:
        if report:
            report.discard()
    minutes = sum(e.duration_s for e in result.episodes) / 60
    ui.info(f"built {len(result.episodes)} episodes ({len(result.rendered)} rendered, "
            f"{len(result.episodes) - len(result.rendered)} unchanged), spoken lines: {result.synthesized} "
            f"synthesized, {result.cached} from the cache or unchanged episodes, "
            f"{minutes:.1f} min of audio in {result.elapsed_s:.1f} s")
    if target is not None:
        from .publish import publish

        publish(cfg, target, args.out, ui)
        return 0
    ui.info(f"feed: {args.out / 'feed.xml'}   listen: audiogen serve {args.out}")
    return 0


class ReportFile:
    """The --report file: a temporary file beside it is created up front (so a folder that
    cannot be written fails the build before anything is published), filled and renamed
    into place at the end."""

    def __init__(self, path: Path):
        self.path = path
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
            raise AudiogenError(f"cannot write the report {self.path}: {e.strerror} "
                                "(the build itself was published)") from None

    def discard(self) -> None:
        if self.tmp is not None:
            self.tmp.unlink(missing_ok=True)
            self.tmp = None

