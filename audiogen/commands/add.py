"""`audiogen add`: an article (.txt, .md, .html file or http(s) address) in, an editable
Markdown seed out, holding everything the reader found, for the user to review and commit."""

from __future__ import annotations

from pathlib import Path

from .. import config, seed, teacher
from ..config import CACHE_DIR
from ..seed import adding, web
from . import reporter


def run(args) -> int:
    ui = reporter(args)
    # a folder stands for the seeds in it, as for build
    sources = seed.find([s if web.is_url(s) else Path(s) for s in args.sources])
    teach = None
    if args.teacher:
        cfg = config.load(args.config)
        cache = cfg.path(CACHE_DIR)

        def teach(lesson):  # meanings only: a retelling or a cleaned quote is not part of a seed
            teacher.teach([lesson], cfg.teacher, cfg.lesson, cache, ui, meanings_only=True)
    added = adding.prepare(sources, args.to, translate=args.translate, force=args.force, teach=teach)
    adding.write(added)
    for a in added:
        ui.info(f"wrote {a.target}: {a.summary()}")
        if isinstance(a.source, Path) and a.source.parent.resolve() == a.target.parent.resolve() \
                and a.source.resolve() != a.target.resolve():
            ui.warn(f"{a.source} is in {args.to} too, so builds would read it beside {a.target.name}; "
                    "move it out of the folder")
    ui.info("review and edit them, then run audiogen build: builds read the Markdown, never the web")
    return 0
