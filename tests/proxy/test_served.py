"""The proxy as a user runs it: a real process in front of the served mock (with faults), an
unreachable upstream and a slow one; what it logs, what it answers, what it records."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest
from haralyzer import HarParser

from phone_contract import load_spec
from phone_contract.cli import main
from phone_contract.har import read_har
from phone_contract.mock import DEFAULT_TOKEN

from ..restatements import UNUSABLE, write_unusable
from .support import AUTH, mock, proxy, valid_body

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


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    # Generous: on a loaded 2-CPU machine a served command takes a while to answer its first request.
    with httpx.Client(timeout=30) as client:
        yield client


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize("fault", sorted(FAULT_LINES))
def test_each_fault_is_logged_and_the_answer_passes_through(http: httpx.Client, fault: str) -> None:
    with mock("--fault", fault) as api, proxy(api.url) as proxied:
        answer = http.post(f"{proxied.url}/phone-numbers", json=valid_body(), headers=AUTH)
        # Deterministic answers of the same mock, direct and through the proxy, byte for byte.
        for path, headers in (("/phone-numbers", {}), ("/openapi.yaml", AUTH), ("/nowhere", AUTH)):
            method = "POST" if path == "/phone-numbers" else "GET"
            direct = http.request(method, f"{api.url}{path}", headers=headers)
            through = http.request(method, f"{proxied.url}{path}", headers=headers)
            assert (through.status_code, through.content) == (direct.status_code, direct.content)
            assert _without_date(through.headers) == _without_date(direct.headers)
    assert answer.status_code == (200 if fault == "wrong-status" else 201)
    violations = proxied.lines("violation:")
    assert any(FAULT_LINES[fault] in line for line in violations), proxied.stdout
    assert all(
        line.startswith("phone-contract proxy: violation: POST /phone-numbers -> ") for line in violations
    )
    assert DEFAULT_TOKEN not in proxied.stdout + proxied.stderr
    assert proxied.status == 1  # a broken contract was seen


def test_a_clean_session_logs_nothing_and_exits_0(http: httpx.Client) -> None:
    with mock() as api, proxy(api.url) as proxied:
        body = valid_body()
        assert http.post(f"{proxied.url}/phone-numbers", json=body, headers=AUTH).status_code == 201
        assert http.post(f"{proxied.url}/phone-numbers", json=body, headers=AUTH).status_code == 409
        assert http.post(f"{proxied.url}/phone-numbers", json={"number": 1}, headers=AUTH).status_code == 400
        assert http.post(f"{proxied.url}/phone-numbers", json=body).status_code == 401
    assert proxied.lines("violation:") == []
    assert "4 request(s) forwarded, 4 checked against the spec, 0 violation(s)" in proxied.stdout
    assert proxied.status == 0


def test_an_unreachable_upstream_is_502_in_the_error_envelope(http: httpx.Client) -> None:
    with proxy(f"http://127.0.0.1:{_free_port()}/api/v2") as proxied:
        answers = [
            http.post(f"{proxied.url}/phone-numbers", json=valid_body(), headers=AUTH) for _ in range(2)
        ]
        assert proxied.process.poll() is None  # still serving
    for answer in answers:
        assert answer.status_code == 502
        _assert_error_envelope(answer, "bad_gateway")
    lines = proxied.lines("-> 502: the upstream could not be reached")
    assert len(lines) == 2, proxied.stdout
    assert "ConnectError" in lines[0]
    assert proxied.status == 0  # no answer is no verdict on the contract


def test_a_slow_upstream_is_504_in_the_error_envelope(http: httpx.Client) -> None:
    with (
        mock("--fault", "slow", "--slow-seconds", "3") as api,
        proxy(api.url, "--timeout", "0.5") as proxied,
    ):
        answer = http.post(f"{proxied.url}/phone-numbers", json=valid_body(), headers=AUTH, timeout=10)
    assert answer.status_code == 504
    _assert_error_envelope(answer, "gateway_timeout")
    assert proxied.lines("-> 504: the upstream did not answer within 0.5 s"), proxied.stdout


def test_the_har_of_a_session_has_one_entry_per_request_and_no_secret(
    http: httpx.Client, tmp_path: Path
) -> None:
    har = tmp_path / "recordings" / "session.har"
    sent = [valid_body(config={"sipOutbound": {"enabled": True, "password": PASSWORD}}) for _ in range(3)]
    with mock("--fault", "echo-token") as api, proxy(api.url, "--har", str(har)) as proxied:
        for body in sent:
            http.post(f"{proxied.url}/phone-numbers", json=body, headers=AUTH)
        http.get(f"{proxied.url}/nowhere?access_token={DEFAULT_TOKEN}", headers=AUTH)
        http.post(f"{proxied.url}/phone-numbers", content=b"\xff\xfe not json", headers=AUTH)
    text = har.read_text(encoding="utf-8")
    for output in (text, proxied.stdout, proxied.stderr):
        assert DEFAULT_TOKEN not in output
        assert PASSWORD not in output
    exchanges = read_har(har)
    assert [(e.method, e.status) for e in exchanges] == [("POST", 201)] * 3 + [("GET", 404), ("POST", 400)]
    assert [json.loads(e.request_body)["number"] for e in exchanges[:3]] == [b["number"] for b in sent]
    assert all(e.url.startswith(api.url) for e in exchanges)
    assert dict(exchanges[0].request_headers)["authorization"] == "Bearer <redacted>"
    entries = HarParser.from_file(har).pages[0].entries
    assert len(entries) == 5
    assert proxied.status == 1


def test_concurrent_requests_are_each_answered_and_recorded(http: httpx.Client, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    bodies = [valid_body() for _ in range(24)]
    with mock() as api, proxy(api.url, "--har", str(har)) as proxied, ThreadPoolExecutor(8) as pool:
        answers = list(
            pool.map(lambda body: http.post(f"{proxied.url}/phone-numbers", json=body, headers=AUTH), bodies)
        )
    created = [answer.json()["data"]["result"]["phoneNumber"]["number"] for answer in answers]
    assert created == [body["number"] for body in bodies]  # each app got its own answer
    recorded = sorted(
        json.loads(exchange.response_body)["data"]["result"]["phoneNumber"]["number"]
        for exchange in read_har(har)
    )
    assert recorded == sorted(created)
    assert proxied.status == 0


def test_a_killed_proxy_keeps_what_it_saw(http: httpx.Client, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    with mock() as api, proxy(api.url, "--har", str(har)) as proxied:
        for _ in range(3):
            http.post(f"{proxied.url}/phone-numbers", json=valid_body(), headers=AUTH)
        time.sleep(2.5)  # the HAR is written at most a second after an exchange
        proxied.process.send_signal(signal.SIGKILL)
    assert len(read_har(har)) == 3


class _Trap(BaseHTTPRequestHandler):
    hits: list[str] = []  # noqa: RUF012 - one trap server per test, read after it stops

    def _any(self) -> None:
        self.hits.append(f"{self.command} {self.path}")
        self.send_response(200)
        self.end_headers()

    do_GET = do_POST = do_CONNECT = _any

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def trap() -> Iterator[str]:
    """Another server on loopback that no request through the proxy may reach; yields host:port."""
    _Trap.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Trap)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_no_request_reaches_any_host_but_the_upstream(http: httpx.Client, trap: str) -> None:
    with mock() as api, proxy(api.url) as proxied:
        host, port = proxied.url.removeprefix("http://").split(":")
        answers = [
            _raw(host, int(port), f"GET http://{trap}/stolen HTTP/1.1\r\nHost: {trap}\r\n\r\n"),
            _raw(host, int(port), f"GET /stolen HTTP/1.1\r\nHost: {trap}\r\n\r\n"),
            _raw(host, int(port), f"GET //{trap}/stolen HTTP/1.1\r\nHost: {host}\r\n\r\n"),
            _raw(host, int(port), f"CONNECT {trap} HTTP/1.1\r\nHost: {trap}\r\n\r\n"),
        ]
        via_client = http.get(f"{proxied.url}/stolen", headers={"Host": trap})
    assert _Trap.hits == []
    # The first three reached the mock (its 404 names the path it was asked for), the last nothing.
    for answer in answers[:3]:
        assert answer.startswith("HTTP/1.1 404"), answer
        assert "/api/v2/" in answer
        assert "stolen" in answer
    assert not answers[3].startswith("HTTP/1.1 2"), answers[3]
    assert via_client.status_code == 404


def test_argument_mistakes_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    cases = [
        (["--upstream", "ftp://example.test"], "http:// or https://"),
        (["--upstream", "http://user:pw@example.test"], "must not carry a user or password"),
        (["--upstream", "http://example.test/api?x=1"], "must not have a query"),
        (["--upstream", "http://example.test", "--port", "70000"], "port must be from 0 to 65535"),
        (["--upstream", "http://example.test", "--timeout", "0"], "must be more than 0"),
        (["--upstream", "http://example.test", "--har", str(blocker / "x.har")], "cannot write HAR file"),
        (["--upstream", "http://example.test", "--spec", str(tmp_path / "none.yaml")], "none.yaml"),
        ([], "--upstream"),
    ]
    for args, words in cases:
        assert _status(main, ["proxy", *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1, err
        assert words in err, err
        assert err.startswith("phone-contract proxy: error: "), err


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_spec_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str
) -> None:
    path, words = write_unusable(name, tmp_path)
    assert main(["proxy", "--upstream", "http://example.test", "--port", "0", "--spec", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert words in err


def test_a_taken_port_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["proxy", "--upstream", "http://example.test", "--port", str(port)]) == 2
    assert "port already in use" in capsys.readouterr().err


def _status(main: Callable[[list[str]], int], args: list[str]) -> object:
    """The exit status, whether ``main`` returns it or argparse exits with it."""
    try:
        return main(args)
    except SystemExit as exited:
        return exited.code


def _raw(host: str, port: int, request: str) -> str:
    with socket.create_connection((host, port), timeout=5) as sock:
        # Connection: close, so the answer ends where the connection does (a half-close would end
        # the exchange before the answer).
        sock.sendall(request.replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n").encode())
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode("latin-1")


def _without_date(headers: httpx.Headers) -> list[tuple[str, str]]:
    return [(name, value) for name, value in headers.multi_items() if name != "date"]


def _assert_error_envelope(answer: httpx.Response, code: str) -> None:
    operation = load_spec().operation
    error = operation.response_for(operation.error_statuses[0])
    assert error is not None
    schema = error.schema()
    assert schema is not None
    assert list(operation.spec.validator(schema).iter_errors(answer.json())) == []
    assert answer.json()["error"]["code"] == code
    assert answer.headers["content-type"] == "application/json"
