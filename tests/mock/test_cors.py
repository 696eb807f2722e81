"""CORS (``--cors-origin``): preflights and cross-origin calls from an allowed origin get the headers a
browser needs; a refused origin gets none; off by default."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from phone_contract.cli import main
from phone_contract.mock import create_app
from phone_contract.mock.cors import with_cors

from .support import AUTH, BASE_URL, served_mock, valid_body

ALLOWED = "http://localhost:3000"
REFUSED = "https://evil.example"
PREFLIGHT = {
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "authorization, content-type, prefer",
}


def _call(app: Any, method: str, headers: dict[str, str], **kwargs: Any) -> httpx.Response:
    async def go() -> httpx.Response:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
            return await client.request(method, "/phone-numbers", headers=headers, **kwargs)

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
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert refused.status_code == 400
    assert "access-control-allow-origin" not in refused.headers
    assert post.status_code == 201
    assert post.headers["access-control-allow-origin"] == "http://127.0.0.1:5173"
    # An error answer carries the headers too, so the page can read why it was refused.
    assert unauthorized.status_code == 401
    assert unauthorized.headers["access-control-allow-origin"] == ALLOWED


@pytest.mark.parametrize("value", ["localhost:3000", "http://localhost:3000/app", "ftp://x", ""])
def test_a_bad_origin_is_one_line_and_exit_2(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mock", "--cors-origin", value])
    assert exited.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert "--cors-origin" in err[0]
