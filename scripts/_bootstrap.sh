# Sourced by the other scripts: make .venv hold the toolkit (editable) with its dev tools, at the
# versions of requirements/lock.txt, installing only when pyproject.toml, the lock or the generated
# client changed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${PHONE_CONTRACT_VENV:-$ROOT/.venv}"
PY="$VENV/bin/python"
LOCK="$ROOT/requirements/lock.txt"

if ! python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: python3 3.11 or newer is needed (found: $(python3 --version 2>&1))" >&2
    exit 2
fi
[ -x "$PY" ] || python3 -m venv "$VENV"

# The toolkit's editable install carries a copy of the generated client (pyproject's force-include),
# as its wheel does; the inputs' hashes are part of the stamp, so a regeneration reinstalls it.
stamp="$(cat "$ROOT/pyproject.toml" "$LOCK" "$ROOT/generated/inputs.sha256" | sha256sum | cut -d' ' -f1)"
if [ "$(cat "$VENV/.phone-contract-stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "setting up $VENV (first run, or the project's dependencies changed)..." >&2
    log="$VENV/pip-install.log"
    # The lock is a constraints file: it fixes the version of whatever is installed, installs nothing
    # by itself. A .venv from before the client shipped inside the toolkit has it as its own
    # distribution, owning the same files: it goes first. (pip reinstalls a local project every time.)
    if ! { "$PY" -m pip install --disable-pip-version-check --upgrade pip \
        && "$PY" -m pip uninstall --disable-pip-version-check --yes freya-phone-numbers-client \
        && "$PY" -m pip install --disable-pip-version-check --constraint "$LOCK" -e "$ROOT[dev]"; } \
        >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        echo "error: installing the toolkit into $VENV failed (full log: $log)" >&2
        echo "(a dependency changed in pyproject.toml? scripts/lock re-resolves requirements/lock.txt)" >&2
        exit 2
    fi
    echo "$stamp" > "$VENV/.phone-contract-stamp"
fi
export PATH="$VENV/bin:$PATH"
