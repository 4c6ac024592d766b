"""The venv's install and its lock, for scripts/_venv.sh, scripts/lock and .ci/run (standard library only).

constraints.txt pins the exact versions the suite last passed with. Its first line holds a hash
of what pyproject.toml declares to install (requires-python, dependencies, extras, the build
backend's requirements), so CI can tell a lock that no longer matches, while an edit elsewhere in
the file (an entry point, a pytest option) needs no new lock.

    python scripts/_pins.py extras     every extra pyproject.toml declares, comma-separated
    python scripts/_pins.py stamp      what the installed venv is for (pyproject, lock, extras)
    python scripts/_pins.py check      exit 1 with one line when constraints.txt is not pyproject's
    python scripts/_pins.py write      write constraints.txt from the distributions of *this* Python
"""

from __future__ import annotations

import hashlib
import json
import sys
import tomllib
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = ROOT / "pyproject.toml"
LOCK = ROOT / "constraints.txt"
HEADER = "# pyproject.toml dependencies sha256 "
# Installed by pip or venv itself, or ourselves: never pinned.
UNPINNED = {"audiogen", "pip", "setuptools", "wheel"}


def pyproject_hash(pyproject: Path = PYPROJECT) -> str:
    """A hash of the declarations a lock is resolved from, independent of layout and comments."""
    with pyproject.open("rb") as f:
        data = tomllib.load(f)
    project = data.get("project", {})
    declared = {
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
        "build-system": data.get("build-system", {}).get("requires", []),
    }
    return hashlib.sha256(json.dumps(declared, sort_keys=True).encode("utf-8")).hexdigest()


def extras(pyproject: Path = PYPROJECT) -> list[str]:
    """The venv gets every extra, so no script ever installs again for its own."""
    with pyproject.open("rb") as f:
        return sorted(tomllib.load(f)["project"].get("optional-dependencies", {}))


def locked_hash(lock: Path = LOCK) -> str | None:
    """The pyproject.toml hash a lock was made for; None without a lock or a header."""
    try:
        first = lock.read_text(encoding="utf-8").splitlines()[0]
    except (OSError, IndexError):
        return None
    return first[len(HEADER):].strip() if first.startswith(HEADER) else None


def lock_problem(pyproject: Path = PYPROJECT, lock: Path = LOCK) -> str | None:
    """Why the lock does not match pyproject.toml, in one line; None when it does."""
    recorded = locked_hash(lock)
    if not lock.is_file():
        return f"{lock.name} is missing: run scripts/lock and commit it"
    if recorded is None:
        return f"{lock.name} has no '{HEADER.strip()}' first line: run scripts/lock and commit it"
    if recorded != pyproject_hash(pyproject):
        return f"{lock.name} was made for another pyproject.toml: run scripts/lock and commit it"
    return None


def pins(distributions: list[tuple[str, str]]) -> list[str]:
    """`name==version` lines, one per distribution (the first of a name wins), sorted by name."""
    seen: dict[str, str] = {}
    for name, version in distributions:
        key = name.lower().replace("_", "-").replace(".", "-")
        if key not in UNPINNED and key not in seen:
            seen[key] = f"{name}=={version}"
    return [seen[key] for key in sorted(seen)]


def lock_text(pyproject_digest: str, lines: list[str]) -> str:
    return (f"{HEADER}{pyproject_digest}\n"
            "# The exact versions the suite last passed with: refresh with scripts/lock (needs the network).\n"
            "# scripts/demo, scripts/test and .ci/run install with `-c constraints.txt`; `pip install .` uses\n"
            "# pyproject.toml's ranges alone.\n" + "".join(line + "\n" for line in lines))


def main(argv: list[str]) -> int:
    command = argv[0] if argv else ""
    if command == "extras":
        print(",".join(extras()))
    elif command == "stamp":
        lock = LOCK.read_bytes() if LOCK.is_file() else b""
        print(hashlib.sha256(PYPROJECT.read_bytes() + b"\0" + lock).hexdigest()[:16] + "-" + ",".join(extras()))
    elif command == "check":
        problem = lock_problem()
        if problem:
            print(f"audiogen: error: {problem}", file=sys.stderr)
            return 1
    elif command == "write":
        found = [(d.metadata["Name"], d.version) for d in metadata.distributions() if d.metadata["Name"]]
        LOCK.write_text(lock_text(pyproject_hash(), pins(found)), encoding="utf-8")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
