# Sourced by scripts/demo, scripts/test and scripts/bench; it takes no arguments (theirs stay theirs).
# Makes .venv with pip alone: audiogen editable with every extra the scripts use (test, bench, any
# other pyproject.toml declares), at the versions pinned in constraints.txt, so running one script
# after another never installs again. Re-installs only when pyproject.toml or constraints.txt changed.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "audiogen needs Python 3.11 or newer (found: $("$py" --version 2>&1))" >&2
  exit 1
fi
venv="$root/.venv"
stamp="$venv/.installed"
want="$("$py" "$root/scripts/_pins.py" stamp)"
if [[ ! -x "$venv/bin/python" ]]; then
  "$py" -m venv "$venv"
fi
if [[ ! -f "$stamp" ]] || ! grep -qx -- "$want" "$stamp" 2>/dev/null; then
  extras="$("$py" "$root/scripts/_pins.py" extras)"
  pins=()
  shown="-e .[$extras]"
  if [[ -f "$root/constraints.txt" ]]; then
    pins=(-c "$root/constraints.txt")
    shown="-c constraints.txt $shown"
  fi
  echo "setting up $venv (pip install $shown; the first time takes a few minutes) ..." >&2
  log="$venv/pip-install.log"
  "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip >"$log" 2>&1 || true
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check ${pins[@]+"${pins[@]}"} -e "$root[$extras]" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "pip could not install audiogen's dependencies (full log: $log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
