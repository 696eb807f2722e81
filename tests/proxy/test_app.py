"""The proxy app in process: an ``httpx.MockTransport`` plays the API, so exact bytes can be compared."""

from __future__ import annotations

import asyncio
import gzip
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from phone_contract import load_spec
from phone_contract._redact import Redactor
from phone_contract.har import HarRecorder, read_har
from phone_contract.proxy import ProxyApp, Upstream

from ..restatements import RESTATEMENTS, write_restatement

TOKEN = "app-token-31415926"
UPSTREAM = "http://api.example.test/api/v2"
Handler = Callable[[httpx.Request], httpx.Response]


def _proxy(handler: Handler, **options: Any) -> tuple[ProxyApp, list[str]]:
    lines: list[str] = []
    app = ProxyApp(
        upstream=Upstream.parse(UPSTREAM),
        spec=options.pop("spec", None) or load_spec(),
        timeout=5,
        report=lines.append,
        transport=httpx.MockTransport(handler),
        **options,
    )
    return app, lines


def _call(
    app: ProxyApp, method: str, path: str, **kwargs: Any
) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, raw headers and raw (undecoded) body of one request through the proxy."""

    async def go() -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        transport = httpx.ASGITransport(app=app)
        async with (
            httpx.AsyncClient(transport=transport, base_url="http://proxy.local") as client,
            client.stream(method, path, **kwargs) as response,
        ):
            body = b"".join([chunk async for chunk in response.aiter_raw()])
            return response.status_code, list(response.headers.raw), body

    return asyncio.run(go())


def _answer(status: int, headers: Any = None, body: bytes = b"", *, json_body: Any = None) -> httpx.Response:
    """An answer streamed as a real API's is (``content=`` would hand the proxy one already read)."""
    if json_body is not None:
        body = json.dumps(json_body).encode()
        headers = [*(headers or []), ("Content-Type", "application/json")]
    return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


def _created(**extra: Any) -> dict[str, Any]:
    phone_number = {
        "id": "pn_1",
        "number": "+14155550100",
        "workspaceId": "550e8400-e29b-41d4-a716-446655440000",
        "userId": "550e8400-e29b-41d4-a716-446655440001",
        "createdAt": "2026-11-27T02:00:00.000Z",
        "updatedAt": "2026-11-27T02:00:00.000Z",
        "config": {},
    }
    phone_number.update(extra)
    return {"success": True, "data": {"message": "created", "result": {"phoneNumber": phone_number}}}


def test_the_request_reaches_the_upstream_unchanged() -> None:
    seen: list[httpx.Request] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _answer(204)

    app, _ = _proxy(api)
    body = b'{"number": "+1",  "odd": "\\u00e9"}'
    headers = {
        "Authorization": f"Bearer {TOKEN}",
        "X-Trace": "a, b",
        "Content-Type": "application/json",
        "User-Agent": "my-app/1.0",
    }
    status, _, _ = _call(app, "PATCH", "/phone-numbers/pn%2F1?x=%2F&y=1", headers=headers, content=body)
    assert status == 204
    (request,) = seen
    assert request.method == "PATCH"
    assert request.url.host == "api.example.test"
    assert request.url.raw_path == b"/api/v2/phone-numbers/pn%2F1?x=%2F&y=1"
    assert request.content == body
    sent = dict(request.headers)
    assert sent["authorization"] == f"Bearer {TOKEN}"  # the app keeps its own token
    assert sent["x-trace"] == "a, b"
    assert sent["host"] == "api.example.test"
    assert sent["user-agent"] == "my-app/1.0"


def test_nothing_is_added_to_what_the_app_sent() -> None:
    seen: list[httpx.Request] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _answer(204)

    app, _ = _proxy(api)
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/x",
        "raw_path": b"/x",
        "query_string": b"",
        "headers": [(b"host", b"proxy.local"), (b"x-only", b"1")],
    }
    messages: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Any) -> None:
        messages.append(message)

    asyncio.run(app(scope, receive, send))
    assert messages[0]["status"] == 204
    # httpx's own defaults (user-agent, accept...) are not added; Host names the upstream.
    assert sorted(seen[0].headers.keys()) == ["host", "x-only"]


def test_the_answer_comes_back_byte_for_byte_without_hop_by_hop_headers() -> None:
    packed = gzip.compress(json.dumps(_created()).encode())

    def api(request: httpx.Request) -> httpx.Response:
        return _answer(
            201,
            [
                ("Content-Type", "application/json"),
                ("Content-Encoding", "gzip"),
                ("Set-Cookie", "a=1"),
                ("Set-Cookie", "b=2"),
                ("Connection", "keep-alive, X-Private"),
                ("X-Private", "hop"),
                ("Keep-Alive", "timeout=5"),
                ("X-Kept", "yes"),
            ],
            packed,
        )

    app, lines = _proxy(api)
    status, headers, body = _call(app, "POST", "/phone-numbers", json={}, headers={"Accept-Encoding": "gzip"})
    assert (status, body) == (201, packed)
    names = [name.lower() for name, _ in headers]
    assert names.count(b"set-cookie") == 2
    assert b"x-kept" in names
    assert not {b"connection", b"x-private", b"keep-alive"} & set(names)
    assert lines == []  # judged on the decoded body, which keeps the contract


def test_no_cookie_is_kept_between_requests() -> None:
    seen: list[httpx.Request] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _answer(204, [("Set-Cookie", "session=s3cr3t-session; Path=/")])

    app, _ = _proxy(api)
    _call(app, "GET", "/login")
    _call(app, "GET", "/anything")
    _call(app, "GET", "/anything", headers={"Cookie": "mine=1"})
    assert [request.headers.get_list("cookie") for request in seen] == [[], [], ["mine=1"]]


def test_violations_are_one_line_each_and_never_show_the_token() -> None:
    def api(request: httpx.Request) -> httpx.Response:
        body = _created(carrier="Freya", echo=TOKEN)
        del body["data"]["result"]["phoneNumber"]["userId"]
        return _answer(201, [("X-Echo", f"seen {TOKEN}")], json_body=body)

    app, lines = _proxy(api)
    _call(app, "POST", "/phone-numbers", json={}, headers={"Authorization": f"Bearer {TOKEN}"})
    assert all(
        line.startswith("phone-contract proxy: violation: POST /phone-numbers -> 201: ") for line in lines
    )
    joined = "\n".join(lines)
    assert TOKEN not in joined
    assert "$.data.result.phoneNumber.userId: expected required property 'userId', got nothing" in joined
    assert "$.data.result.phoneNumber.carrier: expected only fields the spec documents" in joined
    assert "header x-echo: expected no bearer token, got the bearer token" in joined
    assert "$ (body): expected no bearer token" in joined
    assert app.tally.violations == len(lines) == 5  # userId, carrier, echo (undocumented), header, body


def test_only_the_operations_of_the_spec_are_judged() -> None:
    app, lines = _proxy(lambda request: _answer(200, body=b"not the API's JSON"))
    _call(app, "GET", "/phone-numbers")
    _call(app, "DELETE", "/phone-numbers")
    _call(app, "POST", "/other")
    assert lines == []
    _call(app, "POST", "/api/v2/phone-numbers")  # the API sees /api/v2/api/v2/phone-numbers
    assert lines == []
    _call(app, "POST", "/phone-numbers/")
    assert app.tally.checked == len(lines) == 1
    _call(app, "PUT", "/phone-numbers")  # the update: judged by its own responses
    assert app.tally.checked == 2
    assert lines[-1].startswith("phone-contract proxy: violation: PUT /phone-numbers -> 200: ")


def test_an_upstream_without_the_base_path_is_judged_by_the_path_the_api_sees_too() -> None:
    app, lines = _proxy(lambda request: _answer(200, body=b"not the API's JSON"))
    app.upstream = Upstream.parse("http://api.example.test")
    _call(app, "POST", "/api/v2/phone-numbers")  # the spec's servers put the operation there
    _call(app, "POST", "/phone-numbers")  # relative to the upstream, as with Prism
    _call(app, "POST", "/api/v3/phone-numbers")
    assert app.tally.checked == len(lines) == 2


def test_a_body_over_the_limit_is_413_and_not_forwarded() -> None:
    seen: list[httpx.Request] = []

    def api(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return _answer(204)

    app, lines = _proxy(api, max_body=100)
    status, _, body = _call(app, "POST", "/phone-numbers", content=b"x" * 101)
    assert status == 413
    assert json.loads(body)["error"]["code"] == "payload_too_large"
    assert seen == []
    assert lines == [
        "phone-contract proxy: POST /phone-numbers -> 413: "
        "request body over 100 bytes; the proxy did not forward it"
    ]
    assert _call(app, "POST", "/phone-numbers", content=b"x" * 100)[0] == 204


def test_an_unexpected_failure_is_a_line_and_an_envelope_never_a_traceback() -> None:
    def api(request: httpx.Request) -> httpx.Response:
        raise RuntimeError(f"transport bug near {TOKEN}")

    app, lines = _proxy(api)
    status, _, body = _call(app, "POST", "/phone-numbers", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 502
    assert json.loads(body)["error"]["code"] == "proxy_error"
    assert lines == ["phone-contract proxy: internal error: RuntimeError: transport bug near <redacted>"]


@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (httpx.ConnectError("[Errno 111] Connection refused"), 502, "bad_gateway"),
        (httpx.RemoteProtocolError("Server disconnected without sending a response."), 502, "bad_gateway"),
        (httpx.ReadTimeout("timed out"), 504, "gateway_timeout"),
    ],
)
def test_no_answer_upstream_is_an_error_envelope_a_line_and_a_har_entry(
    tmp_path: Path, error: httpx.HTTPError, status: int, code: str
) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        raise error

    recorder = HarRecorder(Redactor())
    app, lines = _proxy(api, recorder=recorder, har_path=tmp_path / "s.har")
    answer_status, _, body = _call(
        app, "POST", "/phone-numbers", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert answer_status == status
    assert json.loads(body)["error"]["code"] == code
    assert json.loads(body)["success"] is False
    (line,) = lines
    assert line.startswith(f"phone-contract proxy: POST /phone-numbers -> {status}: ")
    asyncio.run(app.flush())
    (exchange,) = read_har(tmp_path / "s.har")
    assert exchange.status is None
    assert f"the proxy answered {status}" in exchange.reason
    assert TOKEN not in (tmp_path / "s.har").read_text()


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_every_restatement_of_the_spec_is_judged_the_same(tmp_path: Path, name: str) -> None:
    def api(request: httpx.Request) -> httpx.Response:
        body = _created(carrier="Freya")
        body["data"]["result"]["phoneNumber"]["createdAt"] = "yesterday"
        return _answer(201, json_body=body)

    verdicts = []
    for spec in (load_spec(), load_spec(write_restatement(name, tmp_path))):
        app, lines = _proxy(api, spec=spec)
        _call(app, "POST", "/phone-numbers", json={})
        verdicts.append(lines)
    assert verdicts[0] == verdicts[1]
    assert len(verdicts[0]) == 2


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("api.example.test", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("http://", "http:// or https://"),
        ("http://api.example.test/#x", "query or fragment"),
        ("https://token@api.example.test", "user or password"),
    ],
)
def test_an_upstream_must_be_a_plain_http_url(text: str, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        Upstream.parse(text)


@given(raw_path=st.binary(max_size=60), query=st.binary(max_size=20))
def test_no_request_target_leaves_the_upstream(raw_path: bytes, query: bytes) -> None:
    upstream = Upstream.parse("https://api.example.test:8443/api/v2")
    try:
        target = upstream.target(raw_path, query)
    except httpx.InvalidURL:
        return  # httpx refuses to build it: nothing is sent anywhere
    assert (target.scheme, target.host, target.port) == ("https", "api.example.test", 8443)
    assert target.raw_path.startswith(b"/api/v2/")


def test_the_target_stays_on_the_upstream_host() -> None:
    for base, prefix in (
        ("https://api.example.test:8443/api/v2/", b"/api/v2/"),
        ("https://api.example.test:8443", b"/"),
    ):
        upstream = Upstream.parse(base)
        for raw_path in (b"//evil.test/x", b"@evil.test/x", b"http://evil.test/x", b"/x"):
            target = upstream.target(raw_path, b"q=1")
            assert (target.scheme, target.host, target.port) == ("https", "api.example.test", 8443)
            assert target.raw_path.startswith(prefix)
            assert target.raw_path.endswith(b"x?q=1")
    assert Upstream.parse("http://api.example.test").target(b"/a", b"").raw_path == b"/a"
