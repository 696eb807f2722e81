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

# The generated client is installed as a regular (not editable) package, as its users install it;
# its inputs' hashes are part of the stamp, so a regeneration reinstalls it.
stamp="$(cat "$ROOT/pyproject.toml" "$ROOT/generated/inputs.sha256" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.phone-contract-stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "setting up $VENV (first run, or the project's dependencies changed)..." >&2
    log="$VENV/pip-install.log"
    if ! { "$PY" -m pip install --disable-pip-version-check --upgrade pip \
        && "$PY" -m pip install --disable-pip-version-check --force-reinstall --no-deps \
            "$ROOT/generated/freya-phone-numbers-client" \
        && "$PY" -m pip install --disable-pip-version-check \
            "$ROOT/generated/freya-phone-numbers-client" -e "$ROOT[dev]"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "error: installing the toolkit into $VENV failed (full log: $log)" >&2
        exit 2
    fi
    echo "$stamp" > "$VENV/.phone-contract-stamp"
fi
export PATH="$VENV/bin:$PATH"
