"""`audiogen build`: seeds in, a published podcast folder out."""

from __future__ import annotations

from .. import build, config
from ..errors import AudiogenError
from . import reporter
from .report_file import ReportFile


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
                                 base_url=args.base_url, strict=args.strict, teacher=args.teacher,
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
    ui.info(meanings_line(result.meanings))
    if target is not None:
        from .publish import publish

        publish(cfg, target, args.out, ui)
        return 0
    ui.info(f"feed: {args.out / 'feed.xml'}   listen: audiogen serve {args.out}")
    return 0


def meanings_line(counts: dict[str, int]) -> str:
    """`meanings: 12 author, 30 teacher, 4 article, 2 none`: where the Korean each item is taught with came from."""
    said = [f"{n} {source}" for source, n in counts.items() if n]
    return "meanings: " + (", ".join(said) if said else "none taught")
