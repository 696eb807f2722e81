"""Passwords the gate sends are disguised at the door, so that redaction scrubs the secret and never
a word an answer holds by chance (a fuzzed password ``object`` against ``is not of type "object"``)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import httpx
from hypothesis import given
from hypothesis import strategies as st

from phone_contract._redact import MIN_SCRUBBED_LENGTH, Redactor
from phone_contract._secrets import REDACTED
from phone_contract.gate.disguise import disguised, disguised_body
from phone_contract.gate.door import Gatekeeper
from phone_contract.gate.door_options import DoorSettings
from phone_contract.gate.forwarder import Forwarder
from phone_contract.har import read_har
from tests.gate.test_door import API, AUTH, EXAMPLE, SPEC, TOKEN


@given(st.text())
def test_a_disguise_keeps_lengths_and_blanks_and_changes_every_other_character(value: str) -> None:
    result = disguised(value)
    assert len(result) == len(value)
    assert disguised(value) == result  # the same value, the same disguise: a seed's requests repeat
    for before, after in zip(value, result, strict=True):
        if before.isspace():
            assert after == before
        else:
            # Another character of the same UTF-8 length, and never one a text could hold by chance
            # as often as the fuzzer's: a letter, a digit, an accented letter, an ideograph.
            assert len(after.encode()) == len(before.encode())
            assert after.isalnum()


SCALARS = st.none() | st.integers() | st.text(max_size=6)


@given(st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3)))
def test_a_body_without_a_password_goes_out_as_it_came(value: Any) -> None:
    body = json.dumps({"config": {"username": value, "headers": value}}).encode()
    assert disguised_body(body) == body


def test_only_passwords_long_enough_to_be_scrubbed_are_disguised() -> None:
    sent = {"config": {"sipOutbound": {"password": "object", "username": "object"}}, "friendlyName": "object"}
    out = json.loads(disguised_body(json.dumps(sent).encode()))
    assert out["config"]["sipOutbound"]["password"] == disguised("object") != "object"
    # Not ASCII, and not left as it was: a fuzzer's key may hold the same characters.
    assert disguised("ÕÙ¤é") != "ÕÙ¤é"
    assert out["config"]["sipOutbound"]["username"] == out["friendlyName"] == "object"
    short = {"password": "x" * (MIN_SCRUBBED_LENGTH - 1)}
    assert json.loads(disguised_body(json.dumps(short).encode())) == short
    assert disguised_body(b"not json") == b"not json"


def test_an_answer_that_holds_the_fuzzed_word_is_recorded_whole(tmp_path: Path) -> None:
    received: list[dict[str, Any]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        received.append(json.loads(request.content))
        assert request.headers["content-length"] == str(len(request.content))
        message = '{} is not of type "object"'
        return httpx.Response(400, json={"success": False, "error": {"code": "invalid", "message": message}})

    forwarder = Forwarder(API, timeout=5.0, transport=httpx.MockTransport(handler))
    har = tmp_path / "run.har"
    settings = DoorSettings(har_path=str(har))
    door = Gatekeeper(forwarder, Redactor(TOKEN), None, door=settings, spec=SPEC, token=TOKEN, base_url=API)
    body = {**EXAMPLE, "config": {"sipOutbound": {"password": "object"}}}
    asyncio.run(_send(door, body))
    assert door.recorder is not None
    door.recorder.write(har)
    [sent] = received
    assert sent["config"]["sipOutbound"]["password"] == disguised("object")
    [exchange] = [exchange for exchange in read_har(har) if exchange.method == "POST"]
    assert b'of type \\"object\\"' in exchange.response_body
    assert REDACTED not in exchange.response_body.decode()
    assert disguised("object") not in har.read_text(encoding="utf-8")  # what was sent stays a secret


async def _send(app: Gatekeeper, body: dict[str, Any]) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gate") as client:
        return await client.post("/phone-numbers", content=json.dumps(body).encode(), headers=AUTH)
