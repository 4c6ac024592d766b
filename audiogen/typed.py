"""Plain data (TOML settings, the JSON manifest) checked against a dataclass's type hints.

Both arrive as plain values that a person or another program wrote; one checker
turns them into the types the code expects, or says in one line what was wanted.
"""

from __future__ import annotations

import datetime as dt
import types
import typing
from typing import Any, Literal

from .errors import AudiogenError


def hints(cls: type) -> dict[str, Any]:
    """The resolved type hints of a dataclass's fields."""
    return typing.get_type_hints(cls)


def coerce(hint: Any, value: Any, where: str) -> Any:
    """`value` as `hint` wants it (a whole number where a float is wanted becomes a float)."""
    try:
        return _coerce(hint, value)
    except _Mismatch:
        raise AudiogenError(f"{where}: expected {describe(hint)}, got {type(value).__name__} {value!r}") from None


class _Mismatch(Exception):
    pass


def _coerce(hint: Any, value: Any) -> Any:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        for option in typing.get_args(hint):
            try:
                return _coerce(option, value)
            except _Mismatch:
                continue
        raise _Mismatch
    if origin is Literal:
        if value in typing.get_args(hint):
            return value
        raise _Mismatch
    if origin is list:
        (item,) = typing.get_args(hint)
        if not isinstance(value, list):
            raise _Mismatch
        return [_coerce(item, v) for v in value]
    if hint is type(None) and value is None:
        return None
    if hint is dt.datetime and isinstance(value, str):
        try:
            t = dt.datetime.fromisoformat(value)
        except ValueError:
            raise _Mismatch from None
        return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
    if hint is bool and isinstance(value, bool):
        return value
    if hint is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if hint is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if hint is str and isinstance(value, str):
        return value
    raise _Mismatch


def describe(hint: Any) -> str:
    """What a person should have written, in words."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return " or ".join(describe(option) for option in typing.get_args(hint))
    if origin is Literal:
        return "one of " + ", ".join(repr(v) for v in typing.get_args(hint))
    if origin is list:
        (item,) = typing.get_args(hint)
        return f"a list of {_PLURAL.get(item, describe(item))}"
    return _WORDS.get(hint, getattr(hint, "__name__", str(hint)))


_WORDS = {bool: "true or false", int: "a whole number", float: "a number", str: "str (text in quotes)",
          type(None): "null", dt.datetime: "an ISO 8601 time"}
_PLURAL = {str: "strings", int: "whole numbers", float: "numbers"}
