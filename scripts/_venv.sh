# Sourced by scripts/demo, scripts/test and scripts/bench: make .venv from pyproject.toml with pip alone.
# Re-installs only when pyproject.toml (or the extras asked for) changed since the last time.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
extras="${1:-}"
py="${PYTHON:-python3}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "audiogen needs Python 3.11 or newer (found: $("$py" --version 2>&1))" >&2
  exit 1
fi
venv="$root/.venv"
stamp="$venv/.installed"
want="$(cat "$root/pyproject.toml" | sha256sum | cut -c1-16)-$extras"
if [[ ! -x "$venv/bin/python" ]]; then
  "$py" -m venv "$venv"
fi
if [[ ! -f "$stamp" ]] || ! grep -qx -- "$want" "$stamp" 2>/dev/null; then
  echo "setting up $venv (pip install -e .${extras:+[$extras]}) ..." >&2
  log="$venv/pip-install.log"
  "$venv/bin/python" -m pip install --disable-pip-version-check --upgrade pip >"$log" 2>&1 || true
  if ! "$venv/bin/python" -m pip install --disable-pip-version-check -e "$root${extras:+[$extras]}" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    echo "pip could not install audiogen's dependencies (full log: $log)" >&2
    exit 1
  fi
  echo "$want" > "$stamp"
fi
export PATH="$venv/bin:$PATH"
