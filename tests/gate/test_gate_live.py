"""The gate against a live server: the served mock on a loopback port, reached through --base-url.

The runs start together (each with its own served mock), as many at once as there are CPUs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from phone_contract.gate.lifecycle import LIFECYCLE_CHECKS

from .support import GateResult, run_gate, served_mock

pytestmark = pytest.mark.e2e

# Against a live API each write may create a real number: the gate must stop at the budget.
BUDGET = 60
# The documented least budget that runs every check at least once (README, Safety and determinism).
LEAST_FULL_BUDGET = 6
# Checks that only the property tests or the first created number exercise: a small budget must
# still reach them, and never report them passed when they did not run.
STATEFUL_CHECKS = (
    "duplicate_conflicts",
    "duplicate_in_other_scope_created",
    *sorted(LIFECYCLE_CHECKS),
    "echoes_sent_fields",
    "ignored_auth",
)
FAULTS = {
    "wrong-status": "status_code_conformance",
    "ignore-auth": "ignored_auth",
    "accept-duplicate": "duplicate_conflicts",
}


def _gate_served(tmp_path: Path, mock_args: Sequence[str], budget: int) -> tuple[GateResult, str, int]:
    with served_mock(tmp_path, *mock_args) as mock:
        result = run_gate(["--base-url", mock.base_url, "--write-budget", str(budget)])
    # Read once the server has stopped: its access log is complete then. The budget counts what
    # the API created (writes answered 2xx), never the writes it refused.
    return result, mock.base_url, mock.creations()


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[GateResult, str, int]]:
    plans: dict[str, tuple[list[str], int]] = {
        "clean": ([], BUDGET),
        "small budget": ([], 4),
        "least full budget": ([], LEAST_FULL_BUDGET),
    }
    plans |= {fault: (["--fault", fault], BUDGET) for fault in FAULTS}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(_gate_served, tmp_path_factory.mktemp("served"), args, budget)
            for name, (args, budget) in plans.items()
        }
        return {name: future.result() for name, future in futures.items()}


def test_the_served_mock_passes_and_the_budget_holds(results: dict[str, tuple[GateResult, str, int]]) -> None:
    result, base_url, received = results["clean"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    # A live run says where it goes and how much it may write before anything is sent.
    first = result.stdout.splitlines()[0]
    assert f"target {base_url}" in first
    assert f"write budget {BUDGET}" in first
    # Random IDs may be refused by a real API: the user is told how to pin them, the run goes on.
    assert result.stderr.startswith("phone-contract gate: warning: no --workspace-id or --user-id: ")
    assert len(result.stderr.splitlines()) == 1
    assert received <= BUDGET
    assert f"creations: {received} used, {BUDGET - received} left of --write-budget {BUDGET}" in result.stdout


def test_a_small_budget_stops_the_run_early(results: dict[str, tuple[GateResult, str, int]]) -> None:
    result, _, received = results["small budget"]
    assert result.status == 0, result.stdout[-4000:]
    assert received == 4
    assert "write budget reached: later writes were not sent (--write-budget 4)" in result.stdout
    # Both property tests got their first example. ignored_auth's two extra creates did not fit, but
    # its probes of an update of the run's own number cost no creation: it ran there.
    assert result.passed_checks["duplicate_conflicts"] >= 1
    assert result.passed_checks["echoes_sent_fields"] >= 1
    assert result.passed_checks["ignored_auth"] >= 1


def test_the_least_full_budget_runs_every_check(results: dict[str, tuple[GateResult, str, int]]) -> None:
    result, _, received = results["least full budget"]
    assert result.status == 0, result.stdout[-4000:]
    assert received <= LEAST_FULL_BUDGET
    assert result.not_run == {}, result.stdout[-3000:]
    for check in STATEFUL_CHECKS:
        assert result.passed_checks.get(check, 0) >= 1, (check, result.stdout[-3000:])


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_faults_of_the_served_mock_fail_the_gate(
    results: dict[str, tuple[GateResult, str, int]], fault: str
) -> None:
    result, base_url, received = results[fault]
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    assert FAULTS[fault] in result.failed_checks
    assert received <= BUDGET
    # The reproduction points at the live target, not at the gate's in-process plumbing.
    assert f" {base_url}/phone-numbers\n" in result.stdout
