"""The gate against the embedded mock: clean over several seeds, each fault caught by name,
seeds that repeat, drift, the summary and the thorough profile.

All runs start together in one module fixture (see support.run_many): each takes seconds.
"""

from __future__ import annotations

import re

import pytest

from phone_contract.gate.lifecycle import LIFECYCLE_CHECKS
from phone_contract.mock import FAULTS

from .support import GateResult, run_many

SEEDS = (1, 20261126, 987654321)
EXAMPLES = "10"
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
    # What an update does to what was stored: the lifecycle's properties.
    "reused-id": "own_id",
    "update-moves-created": "unchanging_kept",
    "update-rewinds-updated": "updated_not_earlier",
    "update-forgets": "changes_persist",
    "update-any-scope": "other_scope_untouched",
    "update-partial": "unknown_ids_refused",
}
# The slow fault answers in 0.3 s against a 0.15 s limit: caught without slowing the suite.
# Fail fast: every answer is slow, and the run would otherwise wait for all of them.
EXTRA = {"slow": ["--mock-slow-seconds", "0.3", "--max-response-time", "0.15", "--fail-fast"]}


@pytest.fixture(scope="module")
def results() -> dict[str, GateResult]:
    runs = {f"seed {seed}": ["--seed", str(seed), "--max-examples", EXAMPLES] for seed in SEEDS}
    runs["seed 1 again"] = ["--seed", "1", "--max-examples", EXAMPLES]
    runs |= {
        f"fault {fault}": ["--fault", fault, "--max-examples", EXAMPLES, *EXTRA.get(fault, [])]
        for fault in FAULTS
    }
    runs["drift allowed"] = ["--fault", "undocumented-field", "--allow-undocumented", "--max-examples", "5"]
    runs["thorough"] = ["--profile", "thorough", "--max-examples", "5"]
    return run_many(runs)


def test_every_fault_of_the_mock_has_the_check_that_catches_it() -> None:
    assert set(EXPECTED_CHECK) == set(FAULTS)


@pytest.mark.e2e
@pytest.mark.parametrize("seed", SEEDS)
def test_the_clean_mock_passes(results: dict[str, GateResult], seed: int) -> None:
    result = results[f"seed {seed}"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert "result: no check failed" in result.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_each_fault_fails_the_gate_naming_its_check(results: dict[str, GateResult], fault: str) -> None:
    result = results[f"fault {fault}"]
    check = EXPECTED_CHECK[fault]
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    assert check in result.failed_checks, result.stdout[-4000:]
    # The failure report itself names the check and shows how to reproduce it.
    assert f"- check {check}" in result.stdout
    assert re.search(r"curl -X (POST|PUT) ", result.stdout)
    # Every failure names its operation.
    assert re.search(
        rf"^contract broken \({check}\) on (POST|PUT) /phone-numbers: ", result.stdout, re.MULTILINE
    )


@pytest.mark.e2e
def test_a_seed_repeats_the_same_requests_and_another_seed_does_not(results: dict[str, GateResult]) -> None:
    assert results["seed 1"].fingerprint == results["seed 1 again"].fingerprint
    assert results["seed 1"].fingerprint != results["seed 20261126"].fingerprint


@pytest.mark.e2e
def test_a_failure_names_the_field_path_expected_and_actual(results: dict[str, GateResult]) -> None:
    out = results["fault field-missing"].stdout
    assert "$.data.result.phoneNumber.userId: expected required property 'userId', got nothing" in out
    assert re.search(r"curl -X POST .* http://127\.0\.0\.1:8000/api/v2/phone-numbers$", out, re.MULTILINE)
    assert '-H "Authorization: Bearer $FREYA_API_TOKEN"' in out


@pytest.mark.e2e
def test_undocumented_fields_fail_as_drift(results: dict[str, GateResult]) -> None:
    out = results["fault undocumented-field"].stdout
    assert "the API has grown: update the spec and regenerate" in out
    assert "$.data.result.phoneNumber.carrier" in out


@pytest.mark.e2e
def test_drift_can_be_allowed_and_is_still_reported(results: dict[str, GateResult]) -> None:
    result = results["drift allowed"]
    assert result.status == 0, result.stdout[-4000:]
    assert "drift (allowed by --allow-undocumented): the API has grown" in result.stdout
    assert "$.data.result.phoneNumber.carrier" in result.stdout


@pytest.mark.e2e
def test_the_summary_counts_cases_checks_time_and_seed(results: dict[str, GateResult]) -> None:
    out = results["seed 987654321"].stdout
    summary = out[out.index("phone-contract gate summary") :]
    pattern = r"cases run: [1-9]\d*; requests sent: \d+ \(\d+ writes\); time: [\d.]+s; seed: 987654321"
    assert re.search(pattern, summary)
    for check in ("not_a_server_error", "ignored_auth", "echoes_sent_fields", "duplicate_conflicts"):
        assert re.search(rf"^  {check} +[1-9]\d* +0$", summary, re.MULTILINE), summary


@pytest.mark.e2e
def test_the_thorough_profile_prints_its_random_seed(results: dict[str, GateResult]) -> None:
    result = results["thorough"]
    assert result.status == 0, result.stdout[-4000:]
    match = re.search(r"seed (\d+); max examples 5; profile thorough", result.stdout.splitlines()[0])
    assert match
    assert f"seed: {match.group(1)}" in result.stdout


@pytest.mark.e2e
@pytest.mark.parametrize("fault", ["field-missing", "broken-envelope"])
def test_a_broken_answer_to_a_property_request_is_no_property_failure(
    results: dict[str, GateResult], fault: str
) -> None:
    # The same number in another workspace was created (201) and a second create refused (409), and
    # an update kept what it must: the properties hold. What the answers broke is their schema, named as
    # such (every answer to a property's request goes through every check).
    result = results[f"fault {fault}"]
    assert "response_schema_conformance" in result.failed_checks, result.stdout[-4000:]
    properties = {"duplicate_conflicts", "duplicate_in_other_scope_created", *LIFECYCLE_CHECKS}
    assert not properties & set(result.failed_checks), result.stdout[-4000:]
