"""`audiogen cache stats|prune`: look after the clip cache."""

from __future__ import annotations

from .. import build, config
from ..tts.cache import ClipCache
from . import reporter


def run(args) -> int:
    ui = reporter(args)
    cfg = config.load(args.config)
    cache = ClipCache(args.cache or cfg.path(config.CACHE_DIR))
    if args.action == "stats":
        st = cache.stats()
        print(f"{st.entries} clips, {st.bytes / 1e6:.1f} MB in {cache.root}")
        return 0
    keep = build.clip_keys_in_use(cfg, build.BuildRequest(seeds=args.seeds), ui)
    removed = cache.prune(keep)
    print(f"removed {removed} clips no current script uses; {cache.stats().entries} clips left in {cache.root}")
    return 0
