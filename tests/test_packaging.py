"""Both wheels carry what an installed copy needs: the client its py.typed, the toolkit its spec."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]


def build_wheel(project: Path, out: Path) -> set[str]:
    """Build ``project``'s wheel the way ``pip install`` would, and list the files in it."""
    command = [
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--quiet",
        "--wheel-dir",
        str(out),
        str(project),
    ]
    result = subprocess.run(command, capture_output=True, text=True, timeout=240, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    (wheel,) = out.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def test_the_generated_client_builds_a_typed_wheel(tmp_path: Path) -> None:
    files = build_wheel(ROOT / "generated" / "freya-phone-numbers-client", tmp_path)
    assert "freya_phone_numbers_client/py.typed" in files
    assert "freya_phone_numbers_client/api/phone_numbers/create_phone_number.py" in files
    assert "freya_phone_numbers_client/models/create_phone_number_request.py" in files
    # Strict mode: the module and the response schemas it reads as package data.
    assert {"freya_phone_numbers_client/strict.py", "freya_phone_numbers_client/contract.json"} <= files


def test_the_toolkit_wheel_carries_the_spec(tmp_path: Path) -> None:
    # Installed, phone_contract._spec finds the spec here (pyproject's force-include puts it there).
    files = build_wheel(ROOT, tmp_path)
    assert "phone_contract/_data/phone-numbers.openapi.yaml" in files
    assert {
        "phone_contract/py.typed",
        "phone_contract/responses.py",
        "phone_contract/strict_client.py",
    } <= files
