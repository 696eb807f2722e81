"""The proxy as a user runs it: a real process in front of the served mock; its exit status, what it
prints, a HAR that outlives a killed proxy, no open relay; and its command-line mistakes (in process).

What it logs, answers and records for each fault, and for an upstream that is down or slow, is tested
in process: ``test_with_the_mock.py``.
"""

from __future__ import annotations

import signal
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from phone_contract.cli import main
from phone_contract.har import read_har
from phone_contract.mock import DEFAULT_TOKEN

from ..restatements import UNUSABLE, write_unusable
from .support import AUTH, mock, proxy, valid_body


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    # Generous: on a loaded 2-CPU machine a served command takes a while to answer its first request.
    with httpx.Client(timeout=30) as client:
        yield client


@pytest.fixture(scope="module")
def upstream() -> Iterator[str]:
    """The clean mock, served once for the module's proxies; its base URL."""
    with mock() as api:
        yield api.url


@pytest.mark.smoke
@pytest.mark.e2e
def test_a_clean_session_logs_nothing_and_exits_0(http: httpx.Client, upstream: str) -> None:
    with proxy(upstream) as proxied:
        body = valid_body()
        assert http.post(f"{proxied.url}/phone-numbers", json=body, headers=AUTH).status_code == 201
        assert http.post(f"{proxied.url}/phone-numbers", json=body, headers=AUTH).status_code == 409
        assert http.post(f"{proxied.url}/phone-numbers", json={"number": 1}, headers=AUTH).status_code == 400
        assert http.post(f"{proxied.url}/phone-numbers", json=body).status_code == 401
    assert proxied.lines("violation:") == []
    assert "4 request(s) forwarded, 4 checked against the spec, 0 violation(s)" in proxied.stdout
    assert proxied.status == 0


@pytest.mark.e2e
def test_a_broken_answer_is_logged_and_the_exit_status_is_1(http: httpx.Client) -> None:
    with mock("--fault", "echo-token") as api, proxy(api.url) as proxied:
        answer = http.post(f"{proxied.url}/phone-numbers", json=valid_body(), headers=AUTH)
    assert answer.status_code == 201
    [violation] = proxied.lines("violation:")
    assert violation.startswith("phone-contract proxy: violation: POST /phone-numbers -> 201: $ (body): ")
    assert DEFAULT_TOKEN not in proxied.stdout + proxied.stderr
    assert proxied.status == 1


@pytest.mark.e2e
def test_a_killed_proxy_keeps_what_it_saw(http: httpx.Client, upstream: str, tmp_path: Path) -> None:
    har = tmp_path / "session.har"
    with proxy(upstream, "--har", str(har)) as proxied:
        for _ in range(3):
            http.post(f"{proxied.url}/phone-numbers", json=valid_body(), headers=AUTH)
        # No shutdown writes it: the proxy writes what it saw within a second of seeing it, on its own.
        assert _recorded(har, 3), "the HAR did not come to hold the three exchanges while the proxy ran"
        proxied.process.send_signal(signal.SIGKILL)
    assert len(read_har(har)) == 3


def _recorded(har: Path, count: int) -> bool:
    """Whether ``har`` comes to hold ``count`` exchanges (waiting for the proxy's writer, 30 s at most)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if len(read_har(har)) == count:
                return True
        except ValueError:  # empty, or caught while being written
            pass
        time.sleep(0.05)
    return False


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


@pytest.mark.e2e
def test_no_request_reaches_any_host_but_the_upstream(http: httpx.Client, upstream: str, trap: str) -> None:
    with proxy(upstream) as proxied:
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
