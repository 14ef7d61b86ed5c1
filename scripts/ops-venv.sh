# Sourced by scripts/schema-test.sh and scripts/chart-test.sh: make sure .venv exists at the
# repository root with scripts/requirements-ops.txt installed, then export VENV_PY.
# Idempotent and fast on re-run: pip runs only when the requirements file changed
# (a stamp with its sha256 is kept in .venv/).
set -euo pipefail
OPS_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OPS_VENV="$OPS_ROOT/.venv"
OPS_REQ="$OPS_ROOT/scripts/requirements-ops.txt"
OPS_STAMP="$OPS_VENV/.ops-requirements.sha256"

ops_python() {
  if command -v python3 >/dev/null 2>&1; then command -v python3; return; fi
  echo "python3 not found; install it (apt-get install python3)" >&2; return 1
}

ops_venv() {
  local py want
  py="$(ops_python)"
  if [ ! -x "$OPS_VENV/bin/python" ] || ! "$OPS_VENV/bin/python" -c 'import sys' >/dev/null 2>&1; then
    rm -rf "$OPS_VENV"
    if ! "$py" -m venv "$OPS_VENV" >/dev/null 2>&1; then
      rm -rf "$OPS_VENV"
      echo "python3 -m venv failed; installing python3-venv with apt-get" >&2
      if [ "$(id -u)" != 0 ]; then echo "need root for apt-get install python3-venv" >&2; return 1; fi
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >&2
      apt-get install -y -qq python3-venv python3-pip >&2
      "$py" -m venv "$OPS_VENV"
    fi
  fi
  want="$(sha256sum "$OPS_REQ" | cut -d' ' -f1)"
  if [ "$(cat "$OPS_STAMP" 2>/dev/null || true)" != "$want" ]; then
    echo "installing $(basename "$OPS_REQ") into .venv" >&2
    "$OPS_VENV/bin/python" -m pip install -q --disable-pip-version-check -r "$OPS_REQ" >&2
    echo "$want" >"$OPS_STAMP"
  fi
  VENV_PY="$OPS_VENV/bin/python"
  export VENV_PY PATH="$OPS_VENV/bin:$PATH"
}
