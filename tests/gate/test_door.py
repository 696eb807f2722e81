"""The door every request of the gate passes, on its own: budgets, pace, retries, first answers.

A scripted API (``httpx.MockTransport``) behind the real forwarder and gatekeeper; sleeps and the
clock are injected, so retries and pacing are tested without waiting.
"""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from phone_contract._redact import Redactor
from phone_contract._spec import load_spec
from phone_contract.gate.door import WAITED_HEADER, Gatekeeper
from phone_contract.gate.door_errors import (
    AnswerLost,
    APIUnavailable,
    CaseWithdrawn,
    NotTheRunsOwn,
    RateLimited,
    RequestLimitReached,
    RunMisconfigured,
    TargetUnreachable,
    WriteBudgetExhausted,
    WriteWithheld,
)
from phone_contract.gate.door_options import DoorSettings, rate_interval
from phone_contract.gate.door_report import door_lines, unchecked_reason
from phone_contract.gate.forwarder import Forwarder
from phone_contract.gate.transient import RATE_LIMIT_RETRIES, TRANSIENT_RETRIES
from phone_contract.mock import create_app
from tests.operations import create_op, update_op

API = "http://api.test/api/v2"
TOKEN = "door-test-token-123"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SPEC = load_spec()
CREATE = create_op(SPEC)
UPDATE = update_op(SPEC)
EXAMPLE: dict[str, Any] = next(iter(CREATE.request_examples().values()))
UPDATE_EXAMPLE: dict[str, Any] = next(iter(UPDATE.request_examples().values()))
INVALID = {**EXAMPLE, "number": "+1" * 11}  # longer than the 20 characters allowed

# One scripted answer: a status (with headers), or a transport error raised instead of answering.
Script = int | tuple[int, dict[str, str]] | httpx.TransportError


def _created(method: str, body: bytes) -> dict[str, Any]:
    sent = json.loads(body) if body else {}
    if method == "PUT":
        return {"success": True, "data": {"result": {"updated": sent.get("phoneNumbers", [])}}}
    return {"success": True, "data": {"result": {"phoneNumber": {"id": "pn-1", **sent}}}}


@dataclass
class Door:
    gatekeeper: Gatekeeper
    waits: list[float]
    sent: list[str]
    # What the door said it kept the last request before its answered attempt (its own header).
    waited: float = 0.0

    def post(self, body: Any = EXAMPLE, headers: dict[str, str] | None = None, method: str = "POST") -> int:
        response = asyncio.run(_call(self.gatekeeper, method, body, AUTH if headers is None else headers))
        self.waited = float(response.headers.get(WAITED_HEADER.decode(), 0.0))
        return response.status_code

    def post_many(self, count: int, *, fresh: bool = False) -> None:
        """``count`` creates, each of a new number when ``fresh``."""
        for index in range(count):
            self.post({**EXAMPLE, "number": f"+1415555{index:04d}"} if fresh else EXAMPLE)


async def _call(app: Gatekeeper, method: str, body: Any, headers: dict[str, str]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
        content = json.dumps(body).encode() if body is not None else b""
        return await client.request(method, "/phone-numbers", content=content, headers=headers)


def _door(script: list[Script], *, budget: int | None = None, door: DoorSettings | None = None) -> Door:
    """A gatekeeper whose API answers ``script`` in turn (the last one from then on)."""
    answers: Iterator[Script] = iter(script)
    sent: list[str] = []
    waits: list[float] = []
    now = [0.0]  # the clock moves only when the door sleeps

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.method)
        answer = next(answers, script[-1])
        if isinstance(answer, httpx.TransportError):
            raise answer
        status, headers = answer if isinstance(answer, tuple) else (answer, {})
        body = _created(request.method, request.content) if status < 300 else {"success": False}
        return httpx.Response(status, headers=headers, json=body)

    forwarder = Forwarder(API, timeout=5.0, transport=httpx.MockTransport(handler))

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    gatekeeper = Gatekeeper(
        forwarder,
        Redactor(TOKEN),
        budget,
        door=door,
        spec=SPEC,
        token=TOKEN,
        base_url=API,
        sleep=sleep,
        clock=lambda: now[0],
    )
    return Door(gatekeeper, waits, sent)


# --- transient answers ----------------------------------------------------------------------------


def test_a_429_is_waited_out_and_retried() -> None:
    door = _door([(429, {"Retry-After": "3"}), (429, {}), 201])
    assert door.post() == 201
    assert door.waits == [3.0, 2.0]  # Retry-After first, then the doubling wait of the second retry
    assert door.gatekeeper.requests == 3  # each retry is one more request sent
    assert door.gatekeeper.creations == 1  # ...but only the answer that created costs a creation


def test_an_api_that_keeps_rate_limiting_stops_the_run_in_one_line() -> None:
    door = _door([(429, {"Retry-After": "1"})])
    with pytest.raises(RateLimited) as refused:
        door.post()
    assert len(door.waits) == RATE_LIMIT_RETRIES
    assert str(refused.value).startswith(f"{API} kept answering 429 Too Many Requests")
    assert "\n" not in str(refused.value)


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_blip_is_retried_and_counted(status: int) -> None:
    door = _door([status, 201])
    assert door.post() == 201
    assert door.waits == [1.0]
    assert door.gatekeeper.transients.summary() == f"transient: 1 x {status}, retried"
    assert door.gatekeeper.creations == 1


def test_a_500_is_the_api_failing_on_input_and_is_judged() -> None:
    door = _door([500, 201])
    assert door.post() == 500
    assert door.waits == []
    assert door.gatekeeper.transients.summary() is None


def test_an_api_that_keeps_failing_is_unavailable_with_counts() -> None:
    door = _door([503])
    with pytest.raises(APIUnavailable) as gone:
        door.post()
    message = str(gone.value)
    assert message.startswith(f"{API} is unavailable: POST /phone-numbers still failed after 3 retries")
    assert f"{TRANSIENT_RETRIES + 1} x 503" in message
    assert "\n" not in message
    assert door.gatekeeper.creations == 0  # every attempt was answered, and refused


def test_most_recent_requests_transient_stops_the_run() -> None:
    # Two attempts in three fail: each request gets through on a retry, but the API is flapping.
    door = _door([503, 503, 201] * 30)
    with pytest.raises(APIUnavailable, match="most recent requests got transient answers"):
        door.post_many(30, fresh=True)


def test_a_reset_write_is_resent_with_the_same_body_and_a_409_means_created() -> None:
    door = _door([httpx.RemoteProtocolError("peer closed connection"), 409])
    with pytest.raises(AnswerLost):
        door.post()
    gatekeeper = door.gatekeeper
    assert door.sent == ["POST", "POST"]
    assert gatekeeper.creations == 1  # created once, by the first attempt: counted once
    assert gatekeeper.created.items == [
        {
            "id": None,
            "workspaceId": EXAMPLE["workspaceId"],
            "number": EXAMPLE["number"],
            "note": "answer lost; 409 when re-sent",
        }
    ]
    assert "1 x 409 on re-sending a write whose answer was lost" in (gatekeeper.transients.summary() or "")


def test_a_timed_out_write_answered_201_when_resent_counts_once() -> None:
    door = _door([httpx.ReadTimeout("timed out"), 201])
    assert door.post() == 201
    assert door.gatekeeper.creations == 1
    assert [item["id"] for item in door.gatekeeper.created.items] == ["pn-1"]
    assert door.gatekeeper.transients.summary() == "transient: 1 x read timeout, retried"


def test_a_write_lost_for_good_counts_as_a_creation() -> None:
    door = _door([httpx.ReadError("reset")])
    with pytest.raises(APIUnavailable, match="connection reset"):
        door.post()
    assert door.gatekeeper.creations == 1  # its outcome is unknown: it may have created
    assert door.gatekeeper.created.items[0]["note"] == "outcome unknown: the answer was lost"


def _chained(error: httpx.TransportError, cause: BaseException) -> httpx.TransportError:
    """``error`` as httpx raises it: what the system raised underneath kept as its cause."""
    error.__cause__ = cause
    return error


def test_a_refused_connection_sent_nothing() -> None:
    # Told by the type underneath, whatever the system's words: "refused" is nowhere in this message.
    door = _door(
        [_chained(httpx.ConnectError("[Errno 111] Verbindung verweigert"), ConnectionRefusedError(111))]
    )
    with pytest.raises(APIUnavailable, match="connection refused"):
        door.post()
    assert door.gatekeeper.creations == 0


def test_the_wait_is_not_the_apis_response_time() -> None:
    door = _door([(503, {"Retry-After": "2"}), 201])
    door.post()
    assert door.waited == 2.0  # said to the contract tests, which take it off the answer's time


def test_a_failed_dns_lookup_is_no_blip_to_retry() -> None:
    # A resolver's words differ by system (and language): the type underneath says it.
    lookup = _chained(
        httpx.ConnectError("[Errno -3] Temporary failure"), socket.gaierror(-3, "Temporary failure")
    )
    door = _door([lookup])
    with pytest.raises(TargetUnreachable, match="DNS lookup failed") as stopped:
        door.post()
    assert not isinstance(stopped.value, APIUnavailable)  # not retried: nothing to wait out
    assert door.waits == []


def test_the_forwarder_reports_an_unresolvable_api_in_one_line(unresolvable_host: str) -> None:
    base_url = f"http://{unresolvable_host}"
    forwarder = Forwarder(base_url, timeout=2.0)
    try:
        with pytest.raises(
            TargetUnreachable, match=rf"^cannot reach {base_url}: DNS lookup failed"
        ) as caught:
            forwarder.send("POST", f"{base_url}/phone-numbers", [], b"{}")
    finally:
        forwarder.close()
    assert "\n" not in str(caught.value)


# --- budgets and pace -----------------------------------------------------------------------------


def test_the_write_budget_counts_creations_never_refusals() -> None:
    door = _door([401, 400, 201, 201], budget=2)
    assert door.post(headers={}) == 401
    assert door.post(INVALID) == 400
    assert door.gatekeeper.creations == 0
    assert door.post() == 201
    assert door.post() == 201
    with pytest.raises(WriteBudgetExhausted):
        door.post()
    assert (door.gatekeeper.creations, door.gatekeeper.budget_reached) == (2, True)
    assert door.sent == ["POST"] * 4


def test_the_last_tenth_of_the_budget_is_kept_for_writes_that_must_be_refused() -> None:
    door = _door([*[201] * 9, 400], budget=10)
    for _ in range(9):
        assert door.post() == 201
    with pytest.raises(WriteWithheld):
        door.post()  # valid: it would create, and only the reserve is left
    assert not door.gatekeeper.budget_reached  # the run goes on...
    assert door.post(INVALID) == 400  # ...with the negative cases
    assert door.post(headers={}) == 400  # and schemathesis' probes without a token
    assert door.gatekeeper.budget.withheld == 1


def test_max_requests_counts_every_request_retries_included() -> None:
    door = _door([503, 201], door=DoorSettings(max_requests=3))
    assert door.post() == 201
    assert door.post() == 201  # the script's last answer from now on
    with pytest.raises(RequestLimitReached):
        door.post()
    assert door.gatekeeper.requests == 3
    assert door.gatekeeper.budget_reached


@pytest.mark.parametrize(
    ("text", "seconds"), [("10/s", 0.1), ("100/m", 0.6), ("1/h", 3600.0), ("2/d", 43200.0)]
)
def test_rate_limits_as_schemathesis_writes_them(text: str, seconds: float) -> None:
    assert rate_interval(text) == seconds


@pytest.mark.parametrize("text", ["10", "0/s", "ten/s", "10/w", "/s", "-1/s"])
def test_rate_limits_that_are_not(text: str) -> None:
    with pytest.raises(ValueError, match="not a rate like 10/s"):
        rate_interval(text)


def test_the_rate_limit_spaces_requests() -> None:
    door = _door([201], door=DoorSettings(rate_limit="4/s"))
    for _ in range(3):
        door.post()
    assert door.waits == [0.25, 0.25]
    assert door.waited == 0.25  # the pause is the gate's time, not the API's


# --- the first answers of a misconfigured run -----------------------------------------------------


def test_a_refused_token_stops_the_run_after_the_first_answers() -> None:
    door = _door([401])
    with pytest.raises(RunMisconfigured) as stopped:
        door.post_many(10)
    assert str(stopped.value) == "the API refused the token in FREYA_API_TOKEN: 401 on every request"
    assert len(door.sent) == 5


def test_unauthenticated_probes_answered_401_are_no_sign_of_a_bad_token() -> None:
    door = _door([401])
    for _ in range(10):
        door.post(headers={})
    assert door.gatekeeper.requests == 10


def test_a_url_without_the_api_prefix_stops_the_run() -> None:
    app = create_app(tokens=(TOKEN,), mount="/api/v2")
    root = "http://127.0.0.1:8000"
    door = Door(Gatekeeper(app, Redactor(TOKEN), 50, spec=SPEC, token=TOKEN, base_url=root), [], [])
    gatekeeper = door.gatekeeper
    with pytest.raises(RunMisconfigured) as stopped:
        door.post_many(10)
    assert str(stopped.value) == (
        "every request was answered 404: is --base-url the API root, e.g. http://127.0.0.1:8000/api/v2?"
    )
    assert gatekeeper.requests == 5


def test_a_run_without_a_valid_create_has_no_verdict() -> None:
    door = _door([400])
    door.post(INVALID)
    reason = unchecked_reason(door.gatekeeper)
    assert reason is not None
    assert reason.startswith("no valid create was answered 2xx in 1 request, so the contract was not checked")


def test_green_needs_every_operation_answered_not_only_the_create() -> None:
    door = _door([201, 404])
    door.post()
    with pytest.raises(NotTheRunsOwn):
        door.post(_update_of("pn_someone_elses_number"), method="PUT")
    assert unchecked_reason(door.gatekeeper) == (
        "PUT /phone-numbers was not checked: no valid request of it was answered 2xx "
        "(0 requests sent, 1 not sent, as they addressed what the run did not create)"
    )
    door = _door([201, 200])
    door.post()
    door.post(_update_of("pn-1"), method="PUT")
    assert unchecked_reason(door.gatekeeper) is None


# --- what the door reports and writes --------------------------------------------------------------


def test_the_summary_reports_creations_used_and_left_and_the_transients(tmp_path: Path) -> None:
    created = tmp_path / "created.jsonl"
    door = _door([503, 201, 400], budget=50, door=DoorSettings(max_requests=1500, created_path=str(created)))
    door.post()
    door.post(INVALID)
    lines = [line.strip() for line in door_lines(door.gatekeeper)]
    assert "requests: 3 sent (3 writes) of --max-requests 1500" in lines
    assert lines[1].startswith("creations: 1 used, 49 left of --write-budget 50")
    assert "transient: 1 x 503, retried" in lines
    assert f"created resources: 1 (listed in {created})" in lines
    door.gatekeeper.created.write(created)
    written = [json.loads(line) for line in created.read_text().splitlines()]
    assert written == [{"id": "pn-1", "workspaceId": EXAMPLE["workspaceId"], "number": EXAMPLE["number"]}]


def test_every_attempt_is_recorded_in_order_with_why_it_was_retried(tmp_path: Path) -> None:
    har = tmp_path / "run.har"
    door = _door([503, httpx.ReadTimeout("timed out"), 201], door=DoorSettings(har_path=str(har)))
    assert door.post() == 201
    assert door.gatekeeper.recorder is not None
    door.gatekeeper.recorder.write(har)
    entries = json.loads(har.read_text())["log"]["entries"]
    assert [entry["response"]["status"] for entry in entries] == [503, 0, 201]
    comments = [entry.get("comment") for entry in entries]
    assert comments == [None, "retry 1 after 503", "retry 2 after read timeout"]
    assert entries[1]["response"]["comment"].startswith(f"cannot reach {API}: read timeout")
    assert {entry["request"]["url"] for entry in entries} == {f"{API}/phone-numbers"}
    assert TOKEN not in har.read_text()


# --- the run's own: what an update may address --------------------------------------------------


def _update_of(ident: str) -> dict[str, Any]:
    return {**UPDATE_EXAMPLE, "phoneNumbers": [{**UPDATE_EXAMPLE["phoneNumbers"][0], "id": ident}]}


def test_an_update_of_an_id_the_run_did_not_create_is_never_sent() -> None:
    door = _door([200])
    with pytest.raises(NotTheRunsOwn, match="which the run did not create"):
        door.post(_update_of("pn_someone_elses_number"), method="PUT")
    assert door.sent == []
    assert door.gatekeeper.not_owned == 1


def test_an_update_of_the_runs_own_resource_is_sent_and_costs_no_creation() -> None:
    door = _door([201, 200], budget=5)
    assert door.post() == 201  # the scripted API answers id "pn-1"
    assert door.post(_update_of("pn-1"), method="PUT") == 200
    assert door.sent == ["POST", "PUT"]
    assert door.gatekeeper.creations == 1
    assert door.gatekeeper.requests == 2  # --max-requests counts it


def test_an_update_of_an_id_that_cannot_exist_is_sent() -> None:
    door = _door([404])
    resource = UPDATE.semantics.resource
    assert resource is not None
    minted = door.gatekeeper.ownership.mint(resource)
    assert door.post(_update_of(minted), method="PUT") == 404
    assert minted != UPDATE_EXAMPLE["phoneNumbers"][0]["id"]
    assert len(minted) == len(UPDATE_EXAMPLE["phoneNumbers"][0]["id"])  # shaped like the spec's ids


def test_an_id_anywhere_in_an_update_body_must_be_the_runs() -> None:
    door = _door([201, 200])
    door.post()
    body = _update_of("pn-1")
    body["phoneNumbers"].append({"nested": {"id": "pn_not_ours"}})
    with pytest.raises(NotTheRunsOwn):
        door.post(body, method="PUT")
    assert door.sent == ["POST"]


@pytest.mark.parametrize("method", ["DELETE", "PATCH"])
def test_a_method_the_spec_does_not_document_goes_out_only_addressing_nothing(method: str) -> None:
    door = _door([405])
    with pytest.raises(CaseWithdrawn):
        door.post(EXAMPLE, method=method)
    assert door.post(None, method=method) == 405
    assert door.sent == [method]
