"""The gate against the served mock behind what a production API sits behind, through --base-url.

Green must mean the contract was checked: a wrong token, a URL without the API's prefix or a
gateway that refuses everything stop the run early with exit 2 and one line. Infrastructure that
blips, compresses, closes connections or adds headers is no contract break (exit 0); an API that
goes down mid-run gives no verdict (exit 2, one line), never "contract broken".
"""

from __future__ import annotations

import json
import os
import re
import uuid
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from haralyzer import HarPage, HarParser

from phone_contract._secrets import REDACTED

from .support import SECRET_TOKEN, GateResult, run_gate, served_mock

pytestmark = pytest.mark.e2e

WRAPPER = str(Path(__file__).with_name("infrastructure_mock.py"))
# Pinned identities: no warning about made-up IDs, so stderr holds only what the run says.
PINNED = ["--workspace-id", str(uuid.uuid4()), "--user-id", str(uuid.uuid4())]
# Few examples; and a loaded test machine's slow answer is not what these runs are about.
FEW = ["--max-examples", "5", "--max-response-time", "10"]


@dataclass(frozen=True)
class Outcome:
    result: GateResult
    base_url: str
    # What the wrapper did: "503", "reset-writes 201", "created"...
    events: list[str]
    requests_received: int
    # Every run records what it said (--har) and what it created (--created).
    har: Path
    created: Path


def _gate(
    tmp_path: Path,
    behaviour: str | None,
    args: Sequence[str],
    *,
    token: str = SECRET_TOKEN,
    prefix: bool = True,
) -> Outcome:
    log = tmp_path / "events.log"
    launcher = ("-m", "phone_contract.cli") if behaviour is None else (WRAPPER, behaviour)
    with served_mock(tmp_path, launcher=launcher, env={"INFRASTRUCTURE_LOG": str(log)}) as mock:
        base_url = mock.base_url if prefix else mock.base_url.removesuffix("/api/v2")
        har, created = tmp_path / "run.har", tmp_path / "created.jsonl"
        records = ["--har", str(har), "--created", str(created)]
        result = run_gate(["--base-url", base_url, *args, *records], token=token)
    events = log.read_text().splitlines() if log.exists() else []
    received = len(re.findall(r'"[A-Z]+ /\S* HTTP/', mock.log_path.read_text(errors="replace")))
    return Outcome(result, base_url, events, received, har, created)


PLANS: dict[str, tuple[str | None, list[str], dict[str, object]]] = {
    "wrong token": (None, [*PINNED, *FEW], {"token": "tok-wrong-or-expired-123"}),
    "no prefix": (None, [*PINNED, *FEW], {"prefix": False}),
    "deny-all": ("deny-all", [*PINNED, *FEW], {}),
    "blips": ("blips", FEW, {}),
    "outage": ("outage", FEW, {}),
    "reset-writes": ("reset-writes", FEW, {}),
    "timeout-writes": ("timeout-writes", [*FEW, "--request-timeout", "1"], {}),
    "dressed": ("dressed", FEW, {}),
    "paced": (None, [*FEW, "--max-requests", "40", "--rate-limit", "20/s"], {}),
}


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Outcome]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(_gate, tmp_path_factory.mktemp("infra"), behaviour, args, **options)  # type: ignore[arg-type]
            for name, (behaviour, args, options) in PLANS.items()
        }
        return {name: future.result() for name, future in futures.items()}


def _one_error_line(result: GateResult) -> str:
    """The run's one stderr line: exit 2, no traceback, no verdict."""
    assert result.status == 2, result.stdout[-3000:] + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    # Nor pytest's page of frames (through schemathesis, requests, hypothesis) on stdout.
    assert not re.search(r"\.py:\d+: ", result.stdout), result.stdout[-3000:]
    # Without pinned IDs a live run warns first (made-up IDs): that warning is not the run's answer.
    lines = [line for line in result.stderr.strip().splitlines() if "gate: warning: " not in line]
    assert len(lines) == 1, result.stderr
    assert "result: contract broken" not in result.stdout
    return lines[0]


# --- green means the contract was checked --------------------------------------------------------


@pytest.mark.parametrize("plan", ["wrong token", "deny-all"])
def test_a_refused_token_stops_the_run_early(outcomes: dict[str, Outcome], plan: str) -> None:
    outcome = outcomes[plan]
    line = _one_error_line(outcome.result)
    assert line == (
        "phone-contract gate: error: the API refused the token in FREYA_API_TOKEN: 401 on every request"
    )
    # The first answers decide, before the budget is spent: the preflight's GET, and five more.
    assert outcome.requests_received <= 6
    # The HAR holds what was sent, and neither the right token nor the wrong one.
    entries = json.loads(outcome.har.read_text())["log"]["entries"]
    assert len(entries) == outcome.requests_received - 1
    assert {entry["response"]["status"] for entry in entries} == {401}
    assert SECRET_TOKEN not in outcome.har.read_text()
    assert "tok-wrong-or-expired-123" not in outcome.har.read_text()


def test_a_url_without_the_api_prefix_stops_the_run_early(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["no prefix"]
    line = _one_error_line(outcome.result)
    assert line == (
        "phone-contract gate: error: every request was answered 404: is --base-url the API root, "
        f"e.g. {outcome.base_url}/api/v2?"
    )
    assert outcome.requests_received <= 6


# --- load ----------------------------------------------------------------------------------------


def test_max_requests_and_the_rate_limit_are_held_at_the_door(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["paced"]
    result = outcome.result
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert outcome.requests_received == 40 + 1  # and the preflight's GET
    assert "--max-requests 40 reached: later cases were not sent" in result.stdout
    assert "requests: 40 sent (" in result.stdout
    elapsed = re.search(r"time: ([\d.]+)s", result.stdout)
    assert elapsed, result.stdout[-2000:]
    assert float(elapsed.group(1)) >= 39 / 20


# --- transient answers are not contract breaks ---------------------------------------------------


def test_blips_are_retried_and_listed(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["blips"]
    result = outcome.result
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert {"503", "502"} <= set(outcome.events)
    transient = re.search(r"^  transient: (.+), retried$", result.stdout, re.MULTILINE)
    assert transient, result.stdout[-3000:]
    counts = {
        kind: int(count)
        for count, _, kind in (pair.partition(" x ") for pair in transient.group(1).split(", "))
    }
    assert counts == {"503": outcome.events.count("503"), "502": outcome.events.count("502")}


def test_an_outage_mid_run_gives_no_verdict(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["outage"]
    line = _one_error_line(outcome.result)
    assert line.startswith(f"phone-contract gate: error: {outcome.base_url} is unavailable: ")
    assert re.search(r"transient answers: \d+ x 503 in \d+ requests", line), line
    # What it had created before it stopped is in the same line: a live API's numbers cost money.
    assert re.search(
        rf"\(it created \d+ resources? before it stopped \(listed in {re.escape(str(outcome.created))}\)\)$",
        line,
    ), line


@pytest.mark.parametrize("plan", ["reset-writes", "timeout-writes"])
def test_lost_answers_to_writes_are_resent_and_counted_once(outcomes: dict[str, Outcome], plan: str) -> None:
    outcome = outcomes[plan]
    result = outcome.result
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    # Answers lost after the mock created the number: re-sent with the same body, the create is a
    # duplicate (409), read as created by the first attempt: no false 409, and counted once.
    lost = outcome.events.count(f"{plan} 201")
    assert lost, outcome.events
    assert f"{lost} x 409 on re-sending a write whose answer was lost" in result.stdout, result.stdout[-1500:]
    created = outcome.events.count("created")
    assert re.search(rf"^  creations: {created} used, ", result.stdout, re.MULTILINE), result.stdout[-3000:]
    assert re.search(rf"^  created resources: {created} ", result.stdout, re.MULTILINE)
    # Listed for releasing them: the ones whose answer was lost too, from what was sent.
    listed = [json.loads(line) for line in outcome.created.read_text().split("\n") if line]
    assert len(listed) == created
    assert sum(item.get("note") == "answer lost; 409 when re-sent" for item in listed) == lost
    assert all(item["number"] and item["workspaceId"] for item in listed)


def test_the_har_holds_every_request_sent_in_order_and_no_secret(outcomes: dict[str, Outcome]) -> None:
    outcome = outcomes["blips"]
    text = outcome.har.read_text()
    assert SECRET_TOKEN not in text
    entries = HarPage("unknown", har_parser=HarParser.from_file(outcome.har)).entries
    # Every request the API received, retries included, but the preflight's reachability GET.
    assert len(entries) == outcome.requests_received - 1
    assert [entry.startTime for entry in entries] == sorted(entry.startTime for entry in entries)
    statuses = [entry.response.status for entry in entries]
    assert statuses.count(503) == outcome.events.count("503")
    raw = json.loads(text)["log"]["entries"]
    retried = [entry for entry in raw if entry.get("comment", "").startswith("retry")]
    assert len(retried) == outcome.events.count("503") + outcome.events.count("502")
    for entry in entries:
        assert entry.request.get_header_value("authorization") in {None, f"Bearer {REDACTED}"}
        assert entry.url.startswith(outcome.base_url)
    sent = [_json(entry["request"].get("postData", {}).get("text", "")) for entry in raw]
    passwords = [value for body in sent for value in _values_of("password", body)]
    assert passwords, "the run sent no SIP password: nothing was proven redacted"
    assert set(passwords) == {REDACTED}


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _values_of(key: str, document: object) -> list[object]:
    if isinstance(document, dict):
        found = [document[key]] if key in document else []
        return found + [value for item in document.values() for value in _values_of(key, item)]
    if isinstance(document, list):
        return [value for item in document for value in _values_of(key, item)]
    return []


def test_gzip_connection_close_and_undocumented_headers_pass(outcomes: dict[str, Outcome]) -> None:
    result = outcomes["dressed"].result
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert "transient:" not in result.stdout
