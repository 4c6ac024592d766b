"""Engines are found through the ``audiogen.engines`` entry-point group.

Ours are declared in pyproject.toml like anyone else's, so a third-party
engine is one installed package away: a subclass of `audiogen.tts.base.Engine`
and, in its own pyproject.toml,

    [project.entry-points."audiogen.engines"]
    mine = "my_package.module:MyEngine"

after which ``--engine mine`` and ``[voices] en = "mine:some-voice"`` work.
"""

from __future__ import annotations

import functools
from importlib.metadata import entry_points

from ..config import VoiceSettings
from ..errors import AudiogenError
from .base import Engine

GROUP = "audiogen.engines"


@functools.cache
def engines() -> dict[str, type[Engine]]:
    """Every installed engine class by name, sorted; one that fails to import is left out."""
    found: dict[str, type[Engine]] = {}
    for ep in entry_points(group=GROUP):
        try:
            cls = ep.load()
        except Exception:  # noqa: BLE001 - a broken plug-in must not stop the built-in engines
            continue
        if isinstance(cls, type) and issubclass(cls, Engine):
            found[ep.name] = cls
    return dict(sorted(found.items()))


def engine_class(name: str) -> type[Engine]:
    """The engine class called `name`; an unknown name lists the choices."""
    known = engines()
    if name not in known:
        *most, last = ["auto", *known]
        raise AudiogenError(f"unknown engine '{name}'; choose {', '.join(most)} or {last}")
    return known[name]


def make(cls: type[Engine], voices: VoiceSettings, timeout: float) -> Engine:
    return cls.from_settings(voices, timeout)
