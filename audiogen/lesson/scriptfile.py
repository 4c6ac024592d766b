"""Scripts as hand-editable YAML files.

A generated script can be saved, corrected by hand (a word the voice says
badly, a pause that is too short, a line that should go) and rendered
again. The file keeps one line of the lesson per line of text, so a diff
reads like the lesson itself, and it records the digest of the seed it came
from, so the build can tell when the seed has moved on since the edit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import re
import unicodedata
from typing import get_args

import yaml

from ..errors import AudiogenError
from ..model import MEANING_SOURCES, PARTS, Kind, Line, Script

KINDS: tuple[str, ...] = get_args(Kind)  # the contract's segment kinds

HEADER = """\
# audiogen script: one episode of a lesson, editable by hand.
#
# Each entry under `lines:` is one step of the episode, in order:
#   kind   what it is: {kinds}
#          (a drill is cue, pause, answer; framing is sting, announce, lead, outro)
#   lang   ko or en for speech; null for pauses and stings
#   text   what the voice says ('' for pauses and stings)
#   speed  1.0 is natural speed; the slow pass is e.g. 0.85
#   pause  seconds of silence, for kind: pause
#   part   the chapter the line belongs to: {parts}
#   source for a meaning or a gloss, where the Korean came from: author,
#          teacher or translator (machine-made: check it), article
# Fix a word, change a pause, delete or add lines, then build again: this
# file is used instead of the generated script for as long as it exists.
# Keep `guid` as it is (podcast apps know the episode by it). `seed_digest`
# records the seed this was made from; the build warns when the seed changed.
"""

_TOP_FIELDS = ("seed_digest", "slug", "guid", "title", "episode_type", "seed_id", "section_key",
               "description", "number", "date", "order", "lines")
_LINE_FIELDS = ("kind", "lang", "text", "speed", "pause", "part", "source")
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Line breaks, NEL, BOM and other invisible characters are written as
    # escapes in double quotes: the entry stays on one line and round-trips.
    invisible = any(ch != " " and unicodedata.category(ch)[0] in "CZ" for ch in value)
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"' if invisible else None)


_Dumper.add_representer(str, _str)


def _yaml(value) -> str:
    return yaml.dump(value, Dumper=_Dumper, allow_unicode=True, default_flow_style=True,
                     sort_keys=False, width=1_000_000).strip()


def dump(script: Script, seed_digest: str) -> str:
    """The script as YAML text, with a header that explains how to edit it."""
    out = [HEADER.format(parts=", ".join(PARTS), kinds=", ".join(KINDS))]
    meta = {
        "seed_digest": seed_digest,
        "slug": script.slug,
        "guid": script.guid,
        "title": script.title,
        "episode_type": script.episode_type,
        "seed_id": script.seed_id,
        "section_key": script.section_key,
        "description": script.description,
        "number": script.number,
        "date": script.date,
        "order": script.order,
    }
    out.append(yaml.dump(meta, Dumper=_Dumper, allow_unicode=True, default_flow_style=False,
                         sort_keys=False, width=1_000_000).rstrip("\n"))
    out.append("lines:" if script.lines else "lines: []")
    for line in script.lines:
        entry = {f: getattr(line, f) for f in _LINE_FIELDS}
        if entry["source"] is None:
            del entry["source"]
        entry["speed"] = float(entry["speed"])
        entry["pause"] = float(entry["pause"])
        out.append(f"- {_yaml(entry)}")
    return "\n".join(out) + "\n"


def load(text: str, where: str) -> tuple[Script, str]:
    """Parse an edited script; any problem names the file and line (`where:12: ...`)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        line = mark.line + 1 if mark else 1
        problem = getattr(e, "problem", None) or str(e).splitlines()[0]
        raise AudiogenError(f"{where}:{line}: not valid YAML: {problem}") from None
    if not isinstance(data, dict) or node is None or not isinstance(node, yaml.MappingNode):
        raise AudiogenError(f"{where}:1: expected 'key: value' lines (slug, guid, title, ..., lines)")
    marks = {k.value: (k.start_mark.line + 1, v) for k, v in node.value if isinstance(k, yaml.ScalarNode)}

    def at(key: str) -> int:
        return marks.get(key, (1, None))[0]

    def fail(key: str, message: str) -> AudiogenError:
        return AudiogenError(f"{where}:{at(key)}: {message}")

    for key in data:
        if key not in _TOP_FIELDS:
            raise fail(str(key), f"unknown field '{key}'{_suggest(str(key), _TOP_FIELDS)}")
    for key in ("slug", "guid", "title", "episode_type", "seed_id", "section_key", "lines"):
        if key not in data:
            raise AudiogenError(f"{where}:1: missing field '{key}'")

    def text_field(key: str, allow_empty: bool = False) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise fail(key, f"'{key}' must be text, got {value!r}")
        return value

    slug = text_field("slug")
    if not _SLUG.match(slug):
        raise fail("slug", f"slug must be lowercase letters, digits and dashes, got {slug!r}")
    episode_type = text_field("episode_type")
    if episode_type not in ("full", "trailer", "bonus"):
        raise fail("episode_type", f"episode_type must be full, trailer or bonus, got {episode_type!r}")
    number = data.get("number")
    if number is not None and (isinstance(number, bool) or not isinstance(number, int) or number < 0):
        raise fail("number", f"number must be a whole number or null, got {number!r}")
    date = data.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    if date is not None and not isinstance(date, dt.date):
        raise fail("date", f"date must look like 2025-03-04 or be null, got {date!r}")
    order = data.get("order", 0)
    if isinstance(order, bool) or not isinstance(order, int):
        raise fail("order", f"order must be a whole number, got {order!r}")

    lines_node = marks.get("lines", (1, None))[1]
    if data["lines"] is None:  # every line deleted
        data["lines"], lines_node = [], yaml.SequenceNode("tag:yaml.org,2002:seq", [])
    if not isinstance(data["lines"], list) or not isinstance(lines_node, yaml.SequenceNode):
        raise fail("lines", "'lines' must be a list of entries like '- {kind: ..., lang: ..., text: ...}'")
    lines = [
        _line(entry, f"{where}:{item.start_mark.line + 1}")
        for entry, item in zip(data["lines"], lines_node.value)
    ]
    script = Script(
        slug=slug,
        guid=text_field("guid"),
        title=text_field("title"),
        episode_type=episode_type,  # type: ignore[arg-type]
        seed_id=text_field("seed_id"),
        section_key=text_field("section_key"),
        description=text_field("description", allow_empty=True),
        lines=lines,
        number=number,
        date=date,
        order=order,
        edited=True,
    )
    digest = data.get("seed_digest") or ""
    if not isinstance(digest, str):
        raise fail("seed_digest", f"seed_digest must be text, got {digest!r}")
    return script, digest


def _line(entry, where: str) -> Line:
    if not isinstance(entry, dict):
        raise AudiogenError(f"{where}: expected an entry like {{kind: narration, lang: ko, text: ...}}, got {entry!r}")
    for key in entry:
        if key not in _LINE_FIELDS:
            raise AudiogenError(f"{where}: unknown field '{key}'{_suggest(str(key), _LINE_FIELDS)}")
    kind = entry.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise AudiogenError(f"{where}: kind must be one of {', '.join(KINDS)}, got {kind!r}"
                            f"{_suggest(str(kind), KINDS)}")
    lang = entry.get("lang")
    if lang not in ("ko", "en", None):
        raise AudiogenError(f"{where}: lang must be ko, en or null, got {lang!r}")
    text = entry.get("text", "")
    if text is None:
        text = ""
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        text = str(text)
    if not isinstance(text, str):
        raise AudiogenError(f"{where}: text must be text, got {text!r}")
    if lang is not None and not text.strip():
        raise AudiogenError(f"{where}: a spoken line (lang {lang}) needs text; use lang: null for silence")
    speed = _number(entry.get("speed", 1.0), "speed", where)
    if not 0.25 <= speed <= 4.0:
        raise AudiogenError(f"{where}: speed must be between 0.25 and 4.0, got {speed}")
    pause = _number(entry.get("pause", 0.0), "pause", where)
    if not 0 <= pause <= 600:
        raise AudiogenError(f"{where}: pause must be between 0 and 600 seconds, got {pause}")
    part = entry.get("part", "narration")
    if part not in PARTS:
        raise AudiogenError(f"{where}: part must be one of {', '.join(PARTS)}, got {part!r}{_suggest(str(part), PARTS)}")
    source = entry.get("source")
    if source is not None and source not in MEANING_SOURCES:
        raise AudiogenError(f"{where}: source must be one of {', '.join(MEANING_SOURCES)}, got {source!r}"
                            f"{_suggest(str(source), MEANING_SOURCES)}")
    if source is not None and kind not in ("meaning", "gloss"):
        raise AudiogenError(f"{where}: only a meaning or a gloss has a source, not a {kind}")
    return Line(kind=kind, lang=lang, text=text, speed=speed, pause=pause, part=part, source=source)


def _number(value, name: str, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise AudiogenError(f"{where}: {name} must be a number, got {value!r}")
    return float(value)


def _suggest(word: str, choices) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def same(a: Script, b: Script) -> bool:
    """Equal scripts, ignoring whether one was loaded from an edited file."""
    return dataclasses.replace(a, edited=False) == dataclasses.replace(b, edited=False)
