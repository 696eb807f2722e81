"""Type checks and lint as tests: generated code under mypy --strict, ours under pyproject's rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GENERATED_PROJECT = ROOT / "generated" / "freya-phone-numbers-client"


def run(*args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", *args], cwd=ROOT, capture_output=True, text=True, timeout=240, check=False
    )
    assert result.returncode == 0, f"{' '.join(args)} failed:\n{result.stdout}{result.stderr}"


def test_generated_client_passes_mypy_strict() -> None:
    # The generated project's own config, not ours: ours excludes generated/ (and ruff formats it).
    # The cache stays at the root, so no .mypy_cache appears inside generated/ to fail the drift gate.
    config = GENERATED_PROJECT / "pyproject.toml"
    run(
        "mypy",
        "--strict",
        "--config-file",
        str(config),
        str(GENERATED_PROJECT / "freya_phone_numbers_client"),
    )


def test_our_code_passes_mypy() -> None:
    run("mypy")  # strict, with the files and settings of [tool.mypy] in pyproject.toml


@pytest.mark.parametrize("command", [("check", "."), ("format", "--check", ".")], ids=["lint", "format"])
def test_ruff(command: tuple[str, ...]) -> None:
    run("ruff", *command)
