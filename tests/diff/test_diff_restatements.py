"""``phone-contract diff`` compares contracts, not layouts: run as a user runs it, on the project's spec
restated in every layout of ``tests/restatements.py``, and on every spec the toolkit cannot use."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from phone_contract import default_spec_path
from phone_contract.cli import main
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

PROJECT = str(default_spec_path())


def diff(old: str, new: str) -> subprocess.CompletedProcess[str]:
    """The real command, in its own process: what CI runs."""
    return subprocess.run(
        [sys.executable, "-m", "phone_contract.cli", "diff", old, new, "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_a_restatement_is_no_change(name: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    restated = str(write_restatement(name, tmp_path))
    result = diff(PROJECT, restated)
    assert (result.returncode, result.stderr) == (0, "")
    report = json.loads(result.stdout)
    assert report["changes"] == []
    assert not report["breaks_clients"]
    assert not report["breaks_servers"]
    # Prose a layout adds ("See PhoneNumber." beside a wrapped $ref) is at most a patch.
    assert report["version"]["required_bump"] in ("none", "patch")
    # The other way round, in this process (the command's entry point, without another start-up).
    assert main(["diff", restated, PROJECT, "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["changes"] == []


@pytest.mark.parametrize("side", ["OLD", "NEW"])
@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_side_is_one_line_and_exit_2(name: str, side: str, tmp_path: Path) -> None:
    path, words = write_unusable(name, tmp_path)
    old, new = (str(path), PROJECT) if side == "OLD" else (PROJECT, str(path))
    result = diff(old, new)
    assert result.returncode == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("phone-contract diff: error: ")
    assert words in line
    assert str(path) in line  # the side that is unusable is named
