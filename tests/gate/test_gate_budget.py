"""At the default live settings, the write budget spends creations, not the negative cases.

The budget counts what the API created; valid creates may use all but its last tenth, which is kept
for the writes the contract says must be refused. So a live run at default settings sends every
negative case of the ci profile, and an API that accepts invalid bodies is caught.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from phone_contract.gate.settings import DEFAULT_WRITE_BUDGET

from .support import GateResult, run_gate, served_mock

pytestmark = pytest.mark.e2e


def _gate_at_defaults(tmp_path: Path, *mock_args: str) -> tuple[GateResult, int]:
    with served_mock(tmp_path, *mock_args) as mock:
        result = run_gate(["--base-url", mock.base_url])
    return result, mock.creations()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[GateResult, int]]:
    plans = {"clean": (), "accept-invalid": ("--fault", "accept-invalid")}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(_gate_at_defaults, tmp_path_factory.mktemp("budget"), *args)
            for name, args in plans.items()
        }
        return {name: future.result() for name, future in futures.items()}


def test_a_default_live_run_sends_every_negative_case(results: dict[str, tuple[GateResult, int]]) -> None:
    result, created = results["clean"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert created <= DEFAULT_WRITE_BUDGET
    summary = result.stdout[result.stdout.index("phone-contract gate summary") :]
    left = DEFAULT_WRITE_BUDGET - created
    assert f"creations: {created} used, {left} left of --write-budget {DEFAULT_WRITE_BUDGET}" in summary
    # No budget stopped the run (before, the default budget ended it after 46 POSTs, refused ones
    # included, and the negative cases of the coverage and fuzzing phases were never sent).
    writes = re.search(r"^  requests: \d+ sent \((\d+) writes\)", summary, re.MULTILINE)
    assert writes, summary
    assert int(writes.group(1)) > 5 * DEFAULT_WRITE_BUDGET, summary
    assert "write budget reached" not in summary
    assert "--max-requests" not in summary.replace("of --max-requests", "")
    assert not result.not_run, result.not_run


def test_an_api_that_accepts_invalid_bodies_is_caught_at_the_default_budget(
    results: dict[str, tuple[GateResult, int]],
) -> None:
    result, created = results["accept-invalid"]
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    assert "negative_data_rejection" in result.failed_checks
    assert created <= DEFAULT_WRITE_BUDGET
