"""Redocly CLI's ``recommended`` lint of a spec file, pinned, through ``npx``; its JSON report.

The project's own spec is linted by ``tox -e speclint``; the tests lint the specs the toolkit writes
(``learn``'s proposals), which must lint as clean as the project's.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
REDOCLY = "@redocly/cli@2.77.0"  # pinned here and in tox.ini


def redocly_lint(spec: Path) -> dict[str, Any]:
    npx = shutil.which("npx")
    if npx is None:
        # CI machines have Node.js, so there the lint must run; a laptop with only python3 may skip it.
        if os.environ.get("CI"):
            pytest.fail("npx (Node.js) is not installed, and CI must lint specs with Redocly CLI")
        pytest.skip("npx (Node.js) is not installed: Redocly CLI cannot run; tox -e speclint needs it too")
    command = [
        npx,
        "--yes",
        REDOCLY,
        "lint",
        "--config",
        str(ROOT / "redocly.yaml"),
        str(spec),
        "--format=json",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"Redocly printed no JSON report (exit {result.returncode}):\n{result.stderr[-2000:]}")
    assert isinstance(report, dict)
    return report
