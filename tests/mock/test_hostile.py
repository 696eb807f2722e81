"""No input gets a 5xx or crashes the mock, and every answer to hostile input is still in the spec."""

from __future__ import annotations

import asyncio
import json
from collections.abc import MutableMapping
from typing import Any

import pytest

from phone_contract.mock import MockApp

from .support import AUTH, assert_conforms, error_of, phone_number_of, post_raw, request, valid_body

_VALID = json.dumps(valid_body())[1:-1]  # the fields of a valid body, to splice hostile parts into

HOSTILE_400: list[object] = [
    pytest.param(b'{"\xc4\x80\xc4\x80": 1}', id="property-name-above-U+00FF"),
    pytest.param(json.dumps({"номер": "+14155551234", "🦜": 1}).encode(), id="property-names-cyrillic-emoji"),
    pytest.param(("{" + _VALID + ', "\u5165\u529b": "x"}').encode(), id="cjk-property-in-valid-body"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested-arrays-100k"),
    pytest.param(b'{"a":' * 50_000 + b"1" + b"}" * 50_000, id="nested-objects-50k"),
    pytest.param(
        ('{"config": {"capabilities": ' + "[" * 900 + "]" * 900 + "}}").encode(), id="nested-900-inside"
    ),
    pytest.param(b'{"config": {"sipOutbound": {"port": ' + b"9" * 10_000 + b"}}}", id="int-10k-digits"),
    pytest.param(b'{"config": {"sipOutbound": {"port": 1e999}}}', id="float-overflow"),
    pytest.param(b'{"config": {"sipOutbound": {"port": -1e-999}}}', id="float-underflow"),
    pytest.param(b'{"number": Infinity}', id="infinity-literal"),
    pytest.param(b'{"number": "+1415\x00"}', id="raw-nul-in-string"),
    pytest.param(b"\x00" * 64, id="only-nul-bytes"),
    pytest.param(b'{"number": "\\ud800abc", "workspaceId": "x"}', id="lone-high-surrogate"),
    pytest.param(b'{"\\udfff": 1}', id="lone-surrogate-property-name"),
    pytest.param(b'{"number": "\xed\xa0\x80"}', id="utf8-encoded-surrogate"),
    pytest.param(b'{"number": "\xc0\xaf"}', id="overlong-utf8"),
    pytest.param('{"number": "+14155551234"}'.encode("utf-16"), id="utf-16-body"),
    pytest.param(b"\xef\xbb\xbf" + json.dumps(valid_body()).encode(), id="utf-8-bom"),
    pytest.param(json.dumps(valid_body(number="+1" * 500_000)).encode(), id="one-mib-number"),
    pytest.param(
        json.dumps(valid_body(config={"sipOutbound": {"headers": [{}] * 10_000}})).encode(), id="10k-items"
    ),
    pytest.param(b'"just a string"', id="top-level-string"),
    pytest.param(b"12345678901234567890", id="top-level-number"),
    pytest.param(b"{}" * 3, id="concatenated-objects"),
]


@pytest.mark.parametrize("content", HOSTILE_400)
def test_hostile_bodies_are_400_envelopes(app: MockApp, content: bytes) -> None:
    response = post_raw(app, content)
    assert response.status_code == 400, response.text[:300]
    assert error_of(response)["code"] == "validation_error"
    assert len(error_of(response)["message"]) <= 300
    assert_conforms(response)


@pytest.mark.parametrize(
    "friendly_name",
    [
        pytest.param("\u0000\u0000", id="escaped-nul"),
        pytest.param("Ligne \u00e9t\u00e9 \u5165\u529b \U0001f99c", id="non-ascii"),
        pytest.param("\u202e\u200b<script>", id="bidi-and-markup"),
    ],
)
def test_odd_but_valid_strings_are_created_and_echoed(app: MockApp, friendly_name: str) -> None:
    response = post_raw(app, json.dumps(valid_body(friendlyName=friendly_name)).encode())
    assert response.status_code == 201
    assert_conforms(response)
    assert phone_number_of(response)["friendlyName"] == friendly_name
    assert response.content.isascii()  # escaped on the way out, so no encoding can fail


def test_the_mock_survives_hostile_input(app: MockApp) -> None:
    for param in HOSTILE_400:
        post_raw(app, param.values[0])  # type: ignore[attr-defined]
    assert post_raw(app, json.dumps(valid_body()).encode()).status_code == 201


@pytest.mark.parametrize("length", [b"9" * 5_000, b"1048577", b"-1", b"abc"])
def test_hostile_content_lengths_are_answered(app: MockApp, length: bytes) -> None:
    # Straight to the ASGI app: an HTTP client would correct the header before sending it.
    sent: list[MutableMapping[str, Any]] = []
    scope = {
        "type": "http",
        "method": "POST",
        "path": "/phone-numbers",
        "headers": [
            (b"authorization", AUTH["Authorization"].encode()),
            (b"content-type", b"application/json"),
            (b"content-length", length),
        ],
    }

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": json.dumps(valid_body()).encode(), "more_body": False}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    asyncio.run(app(scope, receive, send))
    assert sent[0]["status"] == (413 if length.isdigit() else 201)


@pytest.mark.parametrize("content_type", [b"application/json; charset=\x80\xff", b"\x00", b"a" * 10_000])
def test_hostile_content_types_are_400(app: MockApp, content_type: bytes) -> None:
    response = request(app, headers={**AUTH, "Content-Type": content_type}, content=b"{}")
    assert response.status_code == 400
    assert_conforms(response)
