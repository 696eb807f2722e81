"""The gate against a live server: the served mock on a loopback port, reached through --base-url."""

from __future__ import annotations

from pathlib import Path

import pytest

from .support import run_gate, served_mock

# Against a live API each write may create a real number: the gate must stop at the budget.
BUDGET = 60


def test_the_served_mock_passes_and_the_budget_holds(tmp_path: Path) -> None:
    with served_mock(tmp_path) as mock:
        result = run_gate(["--base-url", mock.base_url, "--write-budget", str(BUDGET)])
        received = mock.posts_received()
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    # A live run says where it goes and how much it may write before anything is sent.
    first = result.stdout.splitlines()[0]
    assert f"target {mock.base_url}" in first
    assert f"write budget {BUDGET}" in first
    assert received <= BUDGET
    assert f"write budget reached: the run stopped after {received} writes" in result.stdout


def test_a_small_budget_stops_the_run_early(tmp_path: Path) -> None:
    with served_mock(tmp_path) as mock:
        result = run_gate(["--base-url", mock.base_url, "--write-budget", "4"])
        received = mock.posts_received()
    assert result.status == 0, result.stdout[-4000:]
    assert received == 4
    assert "write budget reached: the run stopped after 4 writes (--write-budget 4)" in result.stdout


@pytest.mark.parametrize(
    ("fault", "check"),
    [
        ("wrong-status", "status_code_conformance"),
        ("ignore-auth", "ignored_auth"),
        ("echo-token", "token_not_leaked"),
        ("accept-duplicate", "duplicate_conflicts"),
        ("server-error-edge", "not_a_server_error"),
    ],
)
def test_faults_of_the_served_mock_fail_the_gate(tmp_path: Path, fault: str, check: str) -> None:
    with served_mock(tmp_path, "--fault", fault) as mock:
        result = run_gate(["--base-url", mock.base_url, "--write-budget", str(BUDGET)])
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    assert check in result.failed_checks
    # The reproduction points at the live target, not at the gate's in-process plumbing.
    assert f"--url {mock.base_url}/phone-numbers" in result.stdout
