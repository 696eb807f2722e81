# Sourced by the other scripts: make .venv hold the pinned toolkit, its dev tools and the
# generated client, installing only when pyproject.toml (or the generated one) changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PHONE_CONTRACT_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: python3 3.11 or newer is needed (found: $(python3 --version 2>&1))" >&2
    exit 2
fi
[ -x "$PY" ] || python3 -m venv "$VENV"

stamp="$(cat "$ROOT/pyproject.toml" "$ROOT/generated/freya-phone-numbers-client/pyproject.toml" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.phone-contract-stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "setting up $VENV (first run, or pyproject.toml changed)..." >&2
    "$PY" -m pip install --quiet --disable-pip-version-check --upgrade pip >&2
    "$PY" -m pip install --quiet --disable-pip-version-check \
        -e "$ROOT/generated/freya-phone-numbers-client" -e "$ROOT[dev]" >&2
    echo "$stamp" > "$VENV/.phone-contract-stamp"
fi
export PATH="$VENV/bin:$PATH"
