"""CORS (``--cors-origin``): preflights and cross-origin calls from an allowed origin get the headers a
browser needs; a refused origin gets none; off by default. A preflight may ask for any request header
unless ``--cors-allow-header`` names the ones allowed."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from phone_contract import default_spec_path
from phone_contract.cli import main
from phone_contract.mock import create_app
from phone_contract.mock.cors import with_cors

from .support import AUTH, BASE_URL, served_app, served_mock, valid_body

ALLOWED = "http://localhost:3000"
REFUSED = "https://evil.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, prefer",
}


# A header a browser app adds of its own, which the mock does not read.
OWN_HEADER = "x-request-id"


def _call(
    app: Any, method: str, headers: dict[str, str], path: str = "/phone-numbers", **kwargs: Any
) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
            return await client.request(method, path, headers=headers, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def cors_app() -> Any:
    return with_cors(create_app(), [ALLOWED], ["POST", "GET", "HEAD"])


def test_preflight_from_an_allowed_origin(cors_app: Any) -> None:
    response = _call(cors_app, "OPTIONS", {"Origin": ALLOWED, **PREFLIGHT})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "POST" in response.headers["access-control-allow-methods"]
    allowed_headers = response.headers["access-control-allow-headers"].lower()
    assert {"authorization", "content-type", "prefer"} <= set(allowed_headers.replace(" ", "").split(","))


def test_preflight_from_a_refused_origin(cors_app: Any) -> None:
    response = _call(cors_app, "OPTIONS", {"Origin": REFUSED, **PREFLIGHT})
    assert response.status_code == 400
    assert "access-control-allow-origin" not in response.headers


def test_cross_origin_post_from_an_allowed_origin(cors_app: Any) -> None:
    response = _call(cors_app, "POST", {**AUTH, "Origin": ALLOWED}, json=valid_body())
    assert response.status_code == 201
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert "www-authenticate" in response.headers["access-control-expose-headers"].lower()


def test_cross_origin_post_from_a_refused_origin(cors_app: Any) -> None:
    response = _call(cors_app, "POST", {**AUTH, "Origin": REFUSED}, json=valid_body())
    # The mock still answers (the browser is what withholds it from the page), without the CORS header.
    assert response.status_code == 201
    assert "access-control-allow-origin" not in response.headers


def test_any_origin_with_a_star(cors_app: Any) -> None:
    app = with_cors(create_app(), ["*"], ["POST"])
    assert (
        _call(app, "OPTIONS", {"Origin": REFUSED, **PREFLIGHT}).headers["access-control-allow-origin"] == "*"
    )
    response = _call(app, "POST", {**AUTH, "Origin": REFUSED}, json=valid_body())
    assert response.headers["access-control-allow-origin"] == "*"


def test_off_by_default() -> None:
    app = create_app()
    preflight = _call(app, "OPTIONS", {"Origin": ALLOWED, **PREFLIGHT})
    assert preflight.status_code == 405
    post = _call(app, "POST", {**AUTH, "Origin": ALLOWED}, json=valid_body())
    assert "access-control-allow-origin" not in post.headers


@pytest.mark.e2e
def test_served_with_cors_origins() -> None:
    with served_mock("--cors-origin", ALLOWED, "--cors-origin", "http://127.0.0.1:5173") as base_url:
        url = f"{base_url}/phone-numbers"
        preflight = httpx.options(url, headers={"Origin": ALLOWED, **PREFLIGHT})
        refused = httpx.options(url, headers={"Origin": REFUSED, **PREFLIGHT})
        post = httpx.post(url, json=valid_body(), headers={**AUTH, "Origin": "http://127.0.0.1:5173"})
        unauthorized = httpx.post(url, json=valid_body(), headers={"Origin": ALLOWED})
        own_header = httpx.options(
            url, headers={"Origin": ALLOWED, **PREFLIGHT, "Access-Control-Request-Headers": OWN_HEADER}
        )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert post.status_code == 201
    assert post.headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    # An error answer carries the headers too, so the page can read why it was refused.
    assert unauthorized.status_code == 401
    assert unauthorized.headers["access-control-allow-origin"] == ALLOWED
    # A header of the app's own is allowed by default.
    assert own_header.status_code == 200
    assert _allowed_headers(own_header) == {OWN_HEADER}


@pytest.mark.parametrize("value", ["localhost:3000", "http://localhost:3000/app", "ftp://x", ""])
def test_a_bad_origin_is_one_line_and_exit_2(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mock", "--cors-origin", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--cors-origin" in err[0]


def _preflight(app: Any, requested: str) -> httpx.Response:
    headers = {"Origin": ALLOWED, "Access-Control-Request-Method": "PUT"}
    return _call(app, "OPTIONS", {**headers, "Access-Control-Request-Headers": requested})


def _allowed_headers(response: httpx.Response) -> set[str]:
    listed = response.headers.get("access-control-allow-headers", "")
    return {name.strip().lower() for name in listed.split(",") if name.strip()}


def test_a_header_of_the_apps_own_is_allowed_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    app = served_app(monkeypatch, "--cors-origin", ALLOWED)
    response = _preflight(app, f"authorization, content-type, prefer, {OWN_HEADER}, traceparent")
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == ALLOWED
    assert {OWN_HEADER, "traceparent", "authorization", "prefer"} <= _allowed_headers(response)
    # The call the preflight cleared is answered as any other (here: no such number), CORS header and all.
    body = {"workspaceId": valid_body()["workspaceId"], "phoneNumbers": [{"id": "pn_none"}]}
    headers = {**AUTH, "Origin": ALLOWED, OWN_HEADER: "r-1"}
    put = _call(app, "PUT", headers, "/api/v2/phone-numbers", json=body)
    assert put.status_code == 404
    assert put.headers["access-control-allow-origin"] == ALLOWED


def test_named_headers_allow_only_those_besides_the_mocks_own(monkeypatch: pytest.MonkeyPatch) -> None:
    app = served_app(
        monkeypatch,
        "--cors-origin",
        ALLOWED,
        "--cors-allow-header",
        "X-Request-Id",
        "--cors-allow-header",
        "If-Match",
    )
    named = _preflight(app, f"authorization, content-type, prefer, {OWN_HEADER}, if-match")
    assert named.status_code == 200
    assert {OWN_HEADER, "if-match", "authorization", "content-type", "prefer"} <= _allowed_headers(named)
    other = _preflight(app, f"authorization, {OWN_HEADER}, traceparent")
    assert other.status_code == 400
    assert "access-control-allow-headers" not in other.headers or "traceparent" not in _allowed_headers(other)


def test_a_star_allows_any_header(monkeypatch: pytest.MonkeyPatch) -> None:
    app = served_app(monkeypatch, "--cors-origin", ALLOWED, "--cors-allow-header", "*")
    response = _preflight(app, "traceparent, x-anything")
    assert response.status_code == 200
    assert {"traceparent", "x-anything"} <= _allowed_headers(response)


@pytest.mark.parametrize("value", ["X Request Id", "x-request-id:", "", "é"])
def test_a_bad_header_name_is_one_line_and_exit_2(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mock", "--cors-origin", ALLOWED, "--cors-allow-header", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--cors-allow-header" in err[0]


def test_allowed_headers_without_an_origin_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["mock", "--port", "0", "--cors-allow-header", OWN_HEADER]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--cors-allow-header" in err[0]
    assert "--cors-origin" in err[0]


def test_named_headers_keep_the_header_parameters_the_spec_documents(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    parameter = {"name": "Idempotency-Key", "in": "header", "schema": {"type": "string"}}
    document["paths"]["/phone-numbers"]["post"]["parameters"] = [parameter]
    spec = tmp_path / "spec.yaml"
    spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    app = served_app(
        monkeypatch, "--spec", str(spec), "--cors-origin", ALLOWED, "--cors-allow-header", OWN_HEADER
    )
    response = _preflight(app, f"authorization, idempotency-key, {OWN_HEADER}")
    assert response.status_code == 200
    assert {"idempotency-key", OWN_HEADER} <= _allowed_headers(response)
