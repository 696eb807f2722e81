"""The shared HAR module: what it writes is HAR 1.2 a third-party reader understands, and holds no secret."""

from __future__ import annotations

import base64
import json
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from haralyzer import HarPage, HarParser
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phone_contract._redact import Redactor
from phone_contract._secrets import REDACTED
from phone_contract.har import Exchange, HarRecorder, read_har
from tests.examples import scaled

TOKEN = "tok-9f8e7d6c5b4a"
PASSWORD = "sip-pw-5550123"
QUERY_TOKEN = "qtok-abcdef123456"
STARTED = datetime(2026, 11, 27, 2, 30, 15, 123000, tzinfo=UTC)


def _create(**changes: Any) -> Exchange:
    request = {"config": {"sipOutbound": {"username": "alice", "password": PASSWORD}}, "number": "+15550100"}
    response = {"data": {"result": {"phoneNumber": {"id": "pn_1", "echo": f"{PASSWORD} and {TOKEN}"}}}}
    fields: dict[str, Any] = {
        "started": STARTED,
        "method": "POST",
        "url": f"http://127.0.0.1:8000/api/v2/phone-numbers?access_token={QUERY_TOKEN}&page=2",
        "request_headers": [
            ("Authorization", f"Bearer {TOKEN}"),
            ("Content-Type", "application/json"),
            ("Cookie", f"session={TOKEN}; theme=dark"),
        ],
        "request_body": json.dumps(request).encode(),
        "status": 201,
        "reason": "Created",
        "response_headers": [
            ("content-type", "application/json"),
            ("x-request-id", "req-1"),
            ("x-debug", f"token was {TOKEN}"),
        ],
        "response_body": json.dumps(response).encode(),
        "elapsed": 0.0125,
        "comment": "retry 1 after 503",
    }
    fields.update(changes)
    return Exchange(**fields)


def _recorded(tmp_path: Path, *exchanges: Exchange, redactor: Redactor | None = None) -> Path:
    recorder = HarRecorder(redactor or Redactor())
    for exchange in exchanges:
        recorder.add(exchange)
    path = tmp_path / "deep" / "er" / "session.har"
    recorder.write(path)
    return path


def test_no_secret_reaches_the_file_even_from_a_redactor_that_knew_none(tmp_path: Path) -> None:
    # The redactor starts empty: the recorder learns the token, cookie, query token and password
    # from the request itself, so their echoes in the response are scrubbed too.
    text = _recorded(tmp_path, _create()).read_text()
    for secret in (TOKEN, PASSWORD, QUERY_TOKEN):
        assert secret not in text
    (exchange,) = read_har(tmp_path / "deep" / "er" / "session.har")
    headers = dict(exchange.request_headers)
    assert headers["Authorization"] == f"Bearer {REDACTED}"
    assert headers["Cookie"] == f"session={REDACTED}; theme={REDACTED}"
    assert json.loads(exchange.request_body)["config"]["sipOutbound"] == {
        "username": "alice",
        "password": REDACTED,
    }
    assert "access_token=%3Credacted%3E&page=2" in exchange.url
    assert dict(exchange.response_headers)["x-debug"] == f"token was {REDACTED}"


def test_only_authorization_keeps_its_scheme(tmp_path: Path) -> None:
    headers = [("X-Api-Key", "part1 part2-secret"), ("Proxy-Authorization", "Basic dXNlcjpwYXNz")]
    path = _recorded(tmp_path, _create(request_headers=headers))
    text = path.read_text()
    assert "part1" not in text
    assert "part2-secret" not in text
    assert "dXNlcjpwYXNz" not in text
    (exchange,) = read_har(path)
    assert list(exchange.request_headers) == [
        ("X-Api-Key", REDACTED),
        ("Proxy-Authorization", f"Basic {REDACTED}"),
    ]


def test_a_third_party_reader_sees_every_entry_in_order(tmp_path: Path) -> None:
    later = _create(
        started=STARTED + timedelta(seconds=1),
        method="GET",
        request_body=b"",
        status=404,
        reason="Not Found",
        response_body=b'{"error": {"code": "not_found"}}',
        comment="",
    )
    path = _recorded(tmp_path, _create(), later)
    har = json.loads(path.read_text())
    assert har["log"]["version"] == "1.2"
    assert har["log"]["creator"]["name"] == "phone-contract"
    entries = HarPage("unknown", har_parser=HarParser.from_file(path)).entries
    assert [(e.request.method, e.response.status) for e in entries] == [("POST", 201), ("GET", 404)]
    assert entries[0].startTime == STARTED
    assert entries[0].request.get_header_value("authorization") == f"Bearer {REDACTED}"
    assert entries[0].request.mimeType == "application/json"
    assert entries[0].response.mimeType == "application/json"
    assert entries[1].response.text == '{"error": {"code": "not_found"}}'
    assert {"name": "page", "value": "2"} in entries[0].request.queryString
    assert {"name": "access_token", "value": REDACTED} in entries[0].request.queryString
    assert "postData" not in har["log"]["entries"][1]["request"]
    assert har["log"]["entries"][0]["comment"] == "retry 1 after 503"
    assert har["log"]["entries"][0]["timings"]["wait"] == pytest.approx(12.5)


def test_a_body_with_nothing_to_hide_is_kept_byte_for_byte(tmp_path: Path) -> None:
    body = b'{ "data" :{"id":"pn_1",  "n": 1.50}}\n'
    path = _recorded(tmp_path, _create(request_body=body, response_body=body))
    (exchange,) = read_har(path)
    assert exchange.request_body == body
    assert exchange.response_body == body
    assert exchange.status == 201
    assert exchange.reason == "Created"
    assert exchange.started == STARTED
    assert exchange.elapsed == pytest.approx(0.0125)
    assert exchange.comment == "retry 1 after 503"


def test_bytes_that_are_not_utf8_are_base64_with_their_encoding(tmp_path: Path) -> None:
    binary = b"\xff\xfe\x00" + TOKEN.encode() + b"\x80"
    path = _recorded(
        tmp_path,
        _create(request_body=binary, response_body=binary),
        redactor=Redactor(TOKEN),
    )
    entry = json.loads(path.read_text())["log"]["entries"][0]
    assert entry["response"]["content"]["encoding"] == "base64"
    assert entry["request"]["postData"]["encoding"] == "base64"
    (exchange,) = read_har(path)
    assert exchange.response_body == b"\xff\xfe\x00" + REDACTED.encode() + b"\x80"
    assert exchange.request_body == exchange.response_body


def test_no_answer_is_status_zero_with_the_reason(tmp_path: Path) -> None:
    lost = _create(status=None, reason="upstream timed out after 10s", response_headers=[], response_body=b"")
    path = _recorded(tmp_path, lost)
    response = json.loads(path.read_text())["log"]["entries"][0]["response"]
    assert response["status"] == 0
    assert response["comment"] == "upstream timed out after 10s"
    (exchange,) = read_har(path)
    assert exchange.status is None
    assert exchange.reason == "upstream timed out after 10s"


def test_adds_from_many_threads_are_all_kept(tmp_path: Path) -> None:
    recorder = HarRecorder(Redactor(TOKEN))

    def add_some(thread: int) -> None:
        for index in range(25):
            recorder.add(_create(comment=f"{thread}-{index}"))

    threads = [threading.Thread(target=add_some, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(recorder) == 200
    path = tmp_path / "session.har"
    recorder.write(path)
    comments = [exchange.comment for exchange in read_har(path)]
    assert sorted(comments) == sorted(f"{t}-{i}" for t in range(8) for i in range(25))
    # Each thread's entries keep the order they were added in.
    assert [c for c in comments if c.startswith("3-")] == [f"3-{i}" for i in range(25)]


def test_writing_again_replaces_the_file_and_leaves_no_temporary(tmp_path: Path) -> None:
    recorder = HarRecorder(Redactor())
    path = tmp_path / "session.har"
    recorder.write(path)
    assert read_har(path) == []
    recorder.add(_create())
    recorder.write(path)
    assert len(read_har(path)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["session.har"]


def test_reads_a_browsers_har(tmp_path: Path) -> None:
    browser = {
        "log": {
            "version": "1.2",
            "creator": {"name": "WebInspector", "version": "537.36"},
            "pages": [],
            "entries": [
                {
                    "startedDateTime": "2026-11-27T02:30:15.123Z",
                    "time": 40.5,
                    "request": {
                        "method": "POST",
                        "url": "https://api.example.test/api/v2/phone-numbers",
                        "httpVersion": "h2",
                        "headers": [{"name": ":method", "value": "POST"}],
                        "queryString": [],
                        "cookies": [],
                        "headersSize": -1,
                        "bodySize": 7,
                        "postData": {
                            "mimeType": "application/x-www-form-urlencoded",
                            "params": [{"name": "a", "value": "1 2"}],
                        },
                    },
                    "response": {
                        "status": 201,
                        "statusText": "",
                        "httpVersion": "h2",
                        "headers": [{"name": "content-type", "value": "application/json"}],
                        "cookies": [],
                        "content": {"size": 0, "mimeType": "application/json"},
                        "redirectURL": "",
                        "headersSize": -1,
                        "bodySize": -1,
                        "_transferSize": 300,
                    },
                    "cache": {},
                    "timings": {"blocked": 1, "send": 0.2, "wait": 38.1, "receive": 1.2},
                    "_priority": "High",
                }
            ],
        }
    }
    path = tmp_path / "chrome.har"
    path.write_text(json.dumps(browser), encoding="utf-8")
    (exchange,) = read_har(path)
    assert exchange.started == datetime(2026, 11, 27, 2, 30, 15, 123000, tzinfo=UTC)
    assert exchange.request_body == b"a=1+2"
    assert exchange.response_body == b""
    assert exchange.status == 201
    assert exchange.elapsed == pytest.approx(0.0381)


@pytest.mark.parametrize(
    ("content", "words"),
    [
        ("{not json", "not JSON"),
        ("[1, 2]", "no log.entries"),
        ('{"log": {"entries": {}}}', "no log.entries"),
        ('{"log": {"entries": [{"startedDateTime": "2026-11-27T00:00:00Z"}]}}', "entry 0: no 'request'"),
        (
            '{"log": {"entries": [{"startedDateTime": "yesterday", "request": {}, "response": {}}]}}',
            "entry 0: Invalid isoformat",
        ),
    ],
)
def test_not_a_har_is_one_line(tmp_path: Path, content: str, words: str) -> None:
    path = tmp_path / "x.har"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ValueError, match=r"x\.har") as error:
        read_har(path)
    assert words in str(error.value)
    assert "\n" not in str(error.value)


def test_a_missing_file_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot read HAR file"):
        read_har(tmp_path / "absent.har")


_SECRET = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=8, max_size=24).map("sk-".__add__)


@settings(max_examples=scaled(60), suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(token=_SECRET, password=_SECRET, body=st.binary(max_size=200), echo=st.booleans())
def test_any_body_round_trips_and_no_secret_is_ever_written(
    tmp_path: Path, token: str, password: str, body: bytes, echo: bool
) -> None:
    request = json.dumps({"config": {"sipOutbound": {"password": password}}}).encode()
    answer = body + (f"{token}{password}".encode() if echo else b"")
    path = _recorded(
        tmp_path,
        _create(
            request_headers=[("authorization", f"Bearer {token}")],
            request_body=request,
            response_body=answer,
            response_headers=[("content-type", "application/octet-stream")],
        ),
    )
    text = path.read_text()
    assert token not in text
    assert password not in text
    assert base64.b64encode(token.encode()).decode() not in text
    (exchange,) = read_har(path)
    if not echo:
        assert exchange.response_body == body
