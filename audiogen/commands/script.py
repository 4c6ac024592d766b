"""`audiogen script`: write each episode's script as YAML, for the user to edit."""

from __future__ import annotations

from .. import build, config
from ..errors import AudiogenError
from ..lesson import scriptfile
from . import reporter


def run(args) -> int:
    ui = reporter(args)
    cfg = config.load(args.config)
    folder = args.out or cfg.path(cfg.lesson.edits)
    # the generated scripts, announced as the build will announce them
    course = build.read_course(cfg, build.BuildRequest(seeds=args.seeds), ui, cfg.show.base_url, edits=False)
    digests = {lesson.seed_id: lesson.digest for lesson in course.lessons}
    for s in course.scripts:
        target = folder / f"{s.slug}.yaml"
        if target.exists() and not args.force:
            ui.warn(f"{target} exists; kept it (use --force to overwrite)")
            continue
        try:
            folder.mkdir(parents=True, exist_ok=True)
            target.write_text(scriptfile.dump(s, digests.get(s.seed_id, "") if s.episode_type != "bonus" else ""),
                              encoding="utf-8")
        except OSError as e:
            raise AudiogenError(f"cannot write {target}: {e.strerror}") from None
        ui.info(f"wrote {target}")
    edits = cfg.path(cfg.lesson.edits)
    if folder.resolve() != edits.resolve():
        ui.warn(f"audiogen build reads edited scripts from {edits}; move them there or set [lesson] edits")
    else:
        ui.info(f"edit them, then run audiogen build: it uses the scripts in {folder} instead of the seed's")
    return 0
