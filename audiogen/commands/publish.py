"""`audiogen publish`: a built output folder to where listeners fetch it (GitHub Pages, a git
branch, an S3 bucket). The targets live in `audiogen.deploy`; this only picks one and reports."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from urllib.parse import urlsplit

from .. import config, deploy
from ..deploy import site as built_site
from ..errors import AudiogenError
from ..progress import Reporter
from . import reporter
from .report_file import ReportFile


def run(args) -> int:
    ui = reporter(args)
    cfg = config.load(args.config)
    target = target_from(cfg, args.to, args.endpoint_url)
    report = ReportFile(args.report, after="the show itself was published") if args.report else None
    try:
        outcome = publish(cfg, target, args.dir, ui, dry_run=args.dry_run, force=args.force)
        if report:
            report.commit(outcome.report())
    finally:
        if report:
            report.discard()
    return 0


def target_from(cfg: config.Config, to: str | None, endpoint_url: str | None) -> deploy.Target:
    """--to, else [publish] to; --endpoint-url, else [publish] endpoint_url (for s3:// targets)."""
    text = to or cfg.publish.to
    if not text:
        raise AudiogenError("where to? say --to gh-pages, --to git+URL#BRANCH or --to s3://BUCKET/PREFIX, "
                            "or set [publish] to in podcast.toml")
    endpoint = endpoint_url or (cfg.publish.endpoint_url if text.startswith("s3://") else None) or None
    return deploy.target_for(text, endpoint, cwd=Path.cwd())


def publish(cfg: config.Config, target: deploy.Target, folder: Path, ui: Reporter,
            dry_run: bool = False, force: bool = False) -> deploy.Outcome:
    """Publish `folder` and say what happened; the last line is the feed to subscribe to."""
    show = built_site.read(folder)
    served = target.served_at()
    if served and served.lower() != show.base_url.lower():
        ui.warn(f"{target.text} is served at {served}, but the show was built for {show.base_url}: its feed's "
                f"links will not resolve there unless a custom domain points at it; "
                f"build with --base-url {served} (or set [show] base_url)")
    elif _local(show.base_url):
        ui.warn(f"the show was built for {show.base_url}, which only this machine reaches: listeners elsewhere "
                "cannot fetch its episodes; build with --base-url set to where the target serves the files")
    options = deploy.Options(dry_run=dry_run, force=force, seeds_commit=deploy.seeds_commit(cfg.root))
    outcome = target.publish(show, options, ui)
    ui.info(outcome.summary(dry_run))
    print(f"subscribe: {show.feed_url}", flush=True)  # stdout, even with --quiet: what a script wants
    return outcome


def _local(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
