"""With ``--har``, the gate's summary says how much of the spec the run exercised, as ``learn`` does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .support import run_gate

pytestmark = pytest.mark.e2e


def test_the_summary_reports_coverage_of_the_spec_from_what_was_recorded(tmp_path: Path) -> None:
    result = run_gate(["--har", str(tmp_path / "gate.har"), "-q"])
    assert result.status == 0, result.stderr[-2000:]
    heading = r"^  Coverage of POST /phone-numbers by \d+ exchange\(s\):$"
    assert re.search(heading, result.stdout, re.MULTILINE)
    statuses = re.search(r"documented statuses: (\d+) of (\d+)", result.stdout)
    assert statuses, result.stdout[-2000:]
    seen, documented = map(int, statuses.groups())
    # The run sees created, refused and conflicting answers; the 413 of a body over 1 MiB it never sends.
    assert 3 <= seen < documented
    never = re.search(r"documented statuses: .*; never seen: ([^\n]+)", result.stdout)
    assert never, result.stdout[-2000:]
    assert "413" in never.group(1).split(", ")


def test_without_a_recording_no_coverage_is_claimed() -> None:
    result = run_gate(["-q"])
    assert result.status == 0, result.stderr[-2000:]
    assert "Coverage of" not in result.stdout
