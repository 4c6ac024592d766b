"""`audiogen build`: seeds in, a published podcast folder out."""

from __future__ import annotations

import json
import os
from pathlib import Path

from .. import build, config
from ..errors import AudiogenError
from . import reporter


def run(args) -> int:
    ui = reporter(args)
    cfg = config.load(args.config)
    if args.base_url is not None:
        config.check_base_url(args.base_url)
    req = build.BuildRequest(seeds=args.seeds, out=args.out, cache=args.cache, engine=args.engine,
                             base_url=args.base_url, strict=args.strict)
    result = build.build(cfg, req, ui)
    if args.report:
        write_json(args.report, result.report())
    minutes = sum(e.duration_s for e in result.episodes) / 60
    ui.info(f"built {len(result.episodes)} episodes ({len(result.rendered)} rendered, "
            f"{len(result.episodes) - len(result.rendered)} unchanged), spoken lines: {result.synthesized} "
            f"synthesized, {result.cached} from the cache or unchanged episodes, "
            f"{minutes:.1f} min of audio in {result.elapsed_s:.1f} s")
    ui.info(f"feed: {args.out / 'feed.xml'}   listen: audiogen serve {args.out}")
    return 0


def write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)
    except OSError as e:
        raise AudiogenError(f"cannot write the report {path}: {e.strerror}") from None
