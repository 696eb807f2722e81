"""The proxy in front of the mock, both in this process (the proxy's transport is the mock's ASGI app):
what it logs for each fault, what it answers, what it records; an unreachable upstream and a slow one.

``test_served.py`` runs a few of these as real processes, as a user runs them.
"""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import httpx
import pytest
from haralyzer import HarParser

from phone_contract.har import read_har
from phone_contract.mock import DEFAULT_TOKEN
from tests.operations import create_op

from .support import AUTH, MOCK_ROOT, InFront, in_front_of_the_mock, talk, valid_body

PASSWORD = "sip-secret-778899"

# fault -> a piece of the violation line the proxy must log for a valid create.
FAULT_LINES = {
    "wrong-status": "-> 200: status: expected a documented status",
    "wrong-content-type": "-> 201: content-type: expected application/json, got text/plain",
    "field-missing": "$.data.result.phoneNumber.userId: expected required property 'userId', got nothing",
    "enum-out-of-range": "$.data.result.phoneNumber.config.sipOutbound.transportProtocol: expected one of",
    "undocumented-field": "$.data.result.phoneNumber.carrier: expected only fields the spec documents",
    "echo-token": "$ (body): expected no bearer token, got the bearer token",
}


def _answers(setup: InFront, path: str, headers: dict[str, str]) -> tuple[httpx.Response, httpx.Response]:
    """The same request to the mock directly and through the proxy."""
    method = "POST" if path == "/phone-numbers" else "GET"

    async def ask(client: httpx.AsyncClient) -> httpx.Response:
        return await client.request(method, path, headers=headers)

    return talk(setup.mock, ask, root=MOCK_ROOT), talk(setup.proxy, ask)


@pytest.mark.parametrize("fault", sorted(FAULT_LINES))
def test_each_fault_is_logged_and_the_answer_passes_through(fault: str) -> None:
    setup = in_front_of_the_mock(fault=fault)

    async def create(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/phone-numbers", json=valid_body(), headers=AUTH)

    answer = talk(setup.proxy, create)
    # The mock's deterministic answers, direct and through the proxy, byte for byte.
    for path, headers in (("/phone-numbers", {}), ("/openapi.yaml", AUTH), ("/nowhere", AUTH)):
        direct, through = _answers(setup, path, headers)
        assert (through.status_code, through.content) == (direct.status_code, direct.content)
        assert through.headers.multi_items() == direct.headers.multi_items()
    assert answer.status_code == (200 if fault == "wrong-status" else 201)
    violations = setup.violations()
    assert any(FAULT_LINES[fault] in line for line in violations), setup.lines
    assert all(
        line.startswith("phone-contract proxy: violation: POST /phone-numbers -> ") for line in violations
    )
    assert DEFAULT_TOKEN not in "\n".join(setup.lines)
    assert setup.proxy.tally.violations >= 1  # the command's exit status 1


def test_a_clean_session_logs_nothing() -> None:
    setup = in_front_of_the_mock()
    body = valid_body()

    async def session(client: httpx.AsyncClient) -> list[int]:
        sent = [
            client.post("/phone-numbers", json=body, headers=AUTH),
            client.post("/phone-numbers", json=body, headers=AUTH),
            client.post("/phone-numbers", json={"number": 1}, headers=AUTH),
            client.post("/phone-numbers", json=body),
        ]
        return [(await request).status_code for request in sent]

    assert talk(setup.proxy, session) == [201, 409, 400, 401]
    assert setup.lines == []
    tally = setup.proxy.tally
    assert (tally.forwarded, tally.checked, tally.violations, tally.failed) == (4, 4, 0, 0)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_an_unreachable_upstream_is_502_in_the_error_envelope() -> None:
    # A real connection to a loopback port where nothing listens.
    setup = in_front_of_the_mock(
        upstream=f"http://127.0.0.1:{_free_port()}/api/v2", transport=httpx.AsyncHTTPTransport()
    )

    async def twice(client: httpx.AsyncClient) -> list[httpx.Response]:
        return [await client.post("/phone-numbers", json=valid_body(), headers=AUTH) for _ in range(2)]

    answers = talk(setup.proxy, twice)
    for answer in answers:
        assert answer.status_code == 502
        _assert_error_envelope(answer, "bad_gateway")
    lines = [line for line in setup.lines if "-> 502: the upstream could not be reached" in line]
    assert len(lines) == 2, setup.lines
    assert "connection refused" in lines[0]
    assert setup.proxy.tally.violations == 0  # no answer is no verdict on the contract


def test_a_slow_upstream_is_504_in_the_error_envelope() -> None:
    # The upstream's client gives up (httpx raises ReadTimeout after --timeout): no time passes here.
    def no_answer_in_time(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    setup = in_front_of_the_mock(timeout=0.5, transport=httpx.MockTransport(no_answer_in_time))

    async def create(client: httpx.AsyncClient) -> httpx.Response:
        return await client.post("/phone-numbers", json=valid_body(), headers=AUTH)

    answer = talk(setup.proxy, create)
    assert answer.status_code == 504
    _assert_error_envelope(answer, "gateway_timeout")
    assert any("-> 504: the upstream did not answer within 0.5 s" in line for line in setup.lines), (
        setup.lines
    )


def test_the_har_of_a_session_has_one_entry_per_request_and_no_secret(tmp_path: Path) -> None:
    har = tmp_path / "recordings" / "session.har"
    har.parent.mkdir()
    setup = in_front_of_the_mock(fault="echo-token", har=har)
    sent = [valid_body(config={"sipOutbound": {"enabled": True, "password": PASSWORD}}) for _ in range(3)]

    async def session(client: httpx.AsyncClient) -> None:
        for body in sent:
            await client.post("/phone-numbers", json=body, headers=AUTH)
        await client.get(f"/nowhere?access_token={DEFAULT_TOKEN}", headers=AUTH)
        await client.post("/phone-numbers", content=b"\xff\xfe not json", headers=AUTH)
        await setup.proxy.flush()

    talk(setup.proxy, session)
    text = har.read_text(encoding="utf-8")
    for output in (text, "\n".join(setup.lines)):
        assert DEFAULT_TOKEN not in output
        assert PASSWORD not in output
    exchanges = read_har(har)
    assert [(e.method, e.status) for e in exchanges] == [("POST", 201)] * 3 + [("GET", 404), ("POST", 400)]
    assert [json.loads(e.request_body)["number"] for e in exchanges[:3]] == [b["number"] for b in sent]
    assert all(e.url.startswith(MOCK_ROOT) for e in exchanges)
    assert dict(exchanges[0].request_headers)["authorization"] == "Bearer <redacted>"
    entries = HarParser.from_file(har).pages[0].entries
    assert len(entries) == 5
    assert setup.proxy.tally.violations >= 1


def test_concurrent_requests_are_each_answered_and_recorded(tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    setup = in_front_of_the_mock(har=har)
    bodies = [valid_body() for _ in range(24)]

    async def at_once(client: httpx.AsyncClient) -> list[httpx.Response]:
        sent = [client.post("/phone-numbers", json=body, headers=AUTH) for body in bodies]
        answers = await asyncio.gather(*sent)
        await setup.proxy.flush()
        return answers

    answers = talk(setup.proxy, at_once)
    created = [answer.json()["data"]["result"]["phoneNumber"]["number"] for answer in answers]
    assert created == [body["number"] for body in bodies]  # each app got its own answer
    recorded = sorted(
        json.loads(exchange.response_body)["data"]["result"]["phoneNumber"]["number"]
        for exchange in read_har(har)
    )
    assert recorded == sorted(created)
    assert setup.proxy.tally.violations == 0


def _assert_error_envelope(answer: httpx.Response, code: str) -> None:
    operation = create_op()
    error = operation.response_for(operation.error_statuses[0])
    assert error is not None
    schema = error.schema()
    assert schema is not None
    assert list(operation.spec.validator(schema).iter_errors(answer.json())) == []
    assert answer.json()["error"]["code"] == code
    assert answer.headers["content-type"] == "application/json"
