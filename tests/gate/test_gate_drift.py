"""The whole drift in one run: every case sent, every failure kept and grouped, a drift list to act on;
every answer held to its contract (probes too); the strings real users send are echoed as sent.

The mock is wrapped (see wrapped_mock.py) to behave as real APIs do; the gate runs as the user's command.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from phone_contract.har import read_har

from .support import SECRET_TOKEN, GateResult, run_gate

pytestmark = pytest.mark.e2e

WRAPPED = Path(__file__).with_name("wrapped_mock.py")


def _wrapped(mode: str, *args: str) -> GateResult:
    return run_gate(list(args), launcher=(str(WRAPPED), mode))


@pytest.fixture(scope="module")
def evolved_har(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the evolved run keeps what was said."""
    return tmp_path_factory.mktemp("drift") / "evolved.har"


@pytest.fixture(scope="module")
def results(evolved_har: Path) -> dict[str, GateResult]:
    plans = {
        # At the default budget (no --max-examples): what a user runs.
        "plain-401": lambda: _wrapped("plain-401"),
        "trim": lambda: _wrapped("trim"),
        "truncate": lambda: _wrapped("truncate"),
        "nfc": lambda: _wrapped("nfc"),
        "evolved": lambda: _wrapped("evolved", "--har", str(evolved_har)),
        "accept-invalid": lambda: run_gate(["--fault", "accept-invalid", "--max-examples", "10"]),
        "fail fast": lambda: run_gate(["--fault", "undocumented-field", "--max-examples", "10", "-x"]),
        "all of it": lambda: run_gate(["--fault", "undocumented-field", "--max-examples", "10"]),
    }
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(plan) for name, plan in plans.items()}
        return {name: future.result() for name, future in futures.items()}


def _groups(result: GateResult, operation: str = "POST /phone-numbers") -> dict[tuple[str, str], int]:
    """The summary's failure groups of ``operation``: (check, where) -> count."""
    return {(check, where): count for (check, op, where), count in result.groups.items() if op == operation}


def _drift(result: GateResult) -> list[str]:
    out = result.stdout
    if "drift to act on" not in out:
        return []
    return re.findall(r"^    - (.+)$", out[out.index("drift to act on") :], re.MULTILINE)


def test_a_401_that_is_not_the_documented_envelope_is_a_break_whichever_probe_drew_it(
    results: dict[str, GateResult],
) -> None:
    result = results["plain-401"]
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert result.failed_checks == {"probe_answers_conform"}
    assert ("probe_answers_conform", "content-type (status 401)") in _groups(result)
    assert "- response: 401 text/plain" in result.stdout


def test_an_api_that_trims_what_it_is_sent_breaks_the_echo_at_the_default_budget(
    results: dict[str, GateResult],
) -> None:
    result = results["trim"]
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert "echoes_sent_fields" in result.failed_checks
    places = {where for check, where in _groups(result) if check == "echoes_sent_fields"}
    # The strings users send reach the documented free-text fields, the number among them.
    for field in ("number", "friendlyName", "config.voiceConfig"):
        assert f"$.data.result.phoneNumber.{field}" in places, places


@pytest.mark.parametrize("mode", ["truncate", "nfc"])
def test_an_api_that_truncates_or_normalises_what_it_is_sent_breaks_the_echo(
    results: dict[str, GateResult], mode: str
) -> None:
    result = results[mode]
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert "echoes_sent_fields" in result.failed_checks
    places = {where for check, where in _groups(result) if check == "echoes_sent_fields"}
    assert "$.data.result.phoneNumber.friendlyName" in places, places


def test_an_evolved_api_is_named_whole_in_one_run(results: dict[str, GateResult], evolved_har: Path) -> None:
    result = results["evolved"]
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    drift = _drift(result)
    expected = [
        # A null where a string was documented does not hide the new field of the same answers.
        "documented field missing or different: $.data.result.phoneNumber.friendlyName in 201 answers of "
        "POST /phone-numbers: expected type string; got null",
        "undocumented field: $.data.result.phoneNumber.carrier in 201 answers of POST /phone-numbers; "
        'e.g. "Twilio"',
        "spec-valid body refused: POST /phone-numbers answered 400; "
        "the API said: voiceConfig is no longer supported",
        "undocumented method answered: GET /phone-numbers answered 200",
    ]
    for line in expected:
        assert any(item.startswith(line) for item in drift), (line, drift)
    # Every case was sent: each kind of failure is counted, not just its first occurrence.
    groups = _groups(result)
    assert groups[("no_undocumented_fields", "$.data.result.phoneNumber.carrier")] > 1
    assert groups[("positive_data_acceptance", "status 400")] > 1
    # What was said is kept: one HAR entry per request sent, and no secret in it.
    counted = re.search(r"requests sent: (\d+)", result.stdout)
    assert counted, result.stdout[-2000:]
    sent = int(counted.group(1))
    text = evolved_har.read_text(encoding="utf-8")
    assert len(read_har(evolved_har)) == sent
    assert SECRET_TOKEN not in text


def test_an_invalid_body_accepted_names_the_broken_constraint(results: dict[str, GateResult]) -> None:
    result = results["accept-invalid"]
    assert result.status == 1
    accepted = [item for item in _drift(result) if item.startswith("invalid body accepted: ")]
    assert accepted, result.stdout[-3000:]
    assert all("; broken: " in item for item in accepted), accepted


def test_fail_fast_stops_at_the_first_failure_and_the_default_does_not(
    results: dict[str, GateResult],
) -> None:
    fast, whole = results["fail fast"], results["all of it"]
    assert fast.status == whole.status == 1
    where = ("no_undocumented_fields", "$.data.result.phoneNumber.carrier")
    assert _groups(fast)[where] == 1, fast.stdout[-3000:]
    assert _groups(whole)[where] > 1, whole.stdout[-3000:]
    # Each kind of failure is reported once, with how often it was seen and one reproduction.
    assert whole.stdout.count("contract broken (no_undocumented_fields) on POST /phone-numbers: ") == 1
