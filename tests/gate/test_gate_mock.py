"""The gate against the embedded mock: clean over several seeds, and each fault caught by name."""

from __future__ import annotations

import pytest

from phone_contract.mock import FAULTS
from .support import GateResult, run_many

SEEDS = (1, 20261126, 987654321)
EXAMPLES = "15"
# fault -> the check that must name it; other checks may fail too (a missing field also breaks
# the generated client), but this one is the rule the fault breaks.
EXPECTED_CHECK = {
    "wrong-status": "status_code_conformance",
    "wrong-content-type": "content_type_conformance",
    "field-wrong-type": "response_schema_conformance",
    "field-missing": "response_schema_conformance",
    "enum-out-of-range": "response_schema_conformance",
    "bad-datetime": "timestamps_rfc3339_ordered",
    "broken-envelope": "response_schema_conformance",
    "undocumented-field": "no_undocumented_fields",
    "ignore-auth": "ignored_auth",
    "accept-invalid": "negative_data_rejection",
    "reject-valid": "positive_data_acceptance",
    "server-error-edge": "not_a_server_error",
    "drop-sent-field": "echoes_sent_fields",
    "accept-duplicate": "duplicate_conflicts",
    "slow": "max_response_time",
    "echo-token": "token_not_leaked",
}
# The slow fault answers in 0.3 s against a 0.15 s limit: caught without slowing the suite.
EXTRA = {"slow": ["--mock-slow-seconds", "0.3", "--max-response-time", "0.15"]}


@pytest.fixture(scope="module")
def results() -> dict[str, GateResult]:
    runs = {f"seed {seed}": ["--seed", str(seed), "--max-examples", EXAMPLES] for seed in SEEDS}
    runs |= {
        f"fault {fault}": ["--fault", fault, "--max-examples", EXAMPLES, *EXTRA.get(fault, [])]
        for fault in FAULTS
    }
    return run_many(runs)


def test_every_fault_of_the_mock_has_the_check_that_catches_it() -> None:
    assert set(EXPECTED_CHECK) == set(FAULTS)


@pytest.mark.parametrize("seed", SEEDS)
def test_the_clean_mock_passes(results: dict[str, GateResult], seed: int) -> None:
    result = results[f"seed {seed}"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert "result: no check failed" in result.stdout
    assert f"seed: {seed}" in result.stdout


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_fails_the_gate_naming_its_check(results: dict[str, GateResult], fault: str) -> None:
    result = results[f"fault {fault}"]
    check = EXPECTED_CHECK[fault]
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    assert check in result.failed_checks, result.stdout[-4000:]
    # The failure report itself names the check and shows how to reproduce it.
    assert f"- check {check}" in result.stdout
    assert "curl --request POST" in result.stdout


def test_a_drift_can_be_allowed_but_is_still_reported() -> None:
    (result,) = run_many(
        {"drift": ["--fault", "undocumented-field", "--allow-undocumented", "--max-examples", "5"]}
    ).values()
    assert result.status == 0, result.stdout[-4000:]
    assert "drift (allowed by --allow-undocumented): the API has grown" in result.stdout
    assert "$.data.result.phoneNumber.carrier" in result.stdout


def test_undocumented_fields_are_reported_as_drift() -> None:
    (result,) = run_many({"drift": ["--fault", "undocumented-field", "--max-examples", "5"]}).values()
    assert "the API has grown: update the spec and regenerate" in result.stdout
    assert "$.data.result.phoneNumber.carrier" in result.stdout
