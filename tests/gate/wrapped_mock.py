"""``python wrapped_mock.py MODE gate ARGS...``: the gate against an embedded mock behaving like a real API.

MODE is one of:

- ``plain-401``: every 401 arrives as ``text/plain`` (a gateway's page), not the documented JSON envelope;
- ``trim``, ``truncate``, ``nfc``: the API trims every string it is sent, cuts it to 64 characters, or
  normalises it to Unicode NFC (and so echoes it changed);
- ``evolved``: the API has moved on from the spec: a new response field (``carrier``), ``null`` for
  an unset optional string (``friendlyName``), a request field it now refuses (``config.voiceConfig``,
  400 with a message, on create and update alike), and a list endpoint on the path (GET);
- ``newer``: ``evolved``, serving the project's whole spec (the update too) whatever spec the gate is
  given: the vendor's newer API against an older spec. (A looser ID format is learn's loop test's:
  tests/learn/test_loop.py.)

What the gate makes of it is the point of the tests, so it runs as the user's command.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

from phone_contract import cli
from phone_contract.gate import session as gate_session
from phone_contract.mock import create_app as make_app
from phone_contract.mock.asgi import Message, Receive, Scope, Send, dump, read_body, replay

ASGI = Any
REFUSED = dump(
    {
        "success": False,
        "error": {"code": "unsupported_field", "message": "voiceConfig is no longer supported"},
    }
)
LISTED = dump({"success": True, "data": {"result": {"phoneNumbers": []}}})


async def _answer(send: Send, status: int, body: bytes, content_type: bytes = b"application/json") -> None:
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]}
    )
    await send({"type": "http.response.body", "body": body})


# What an API may do to the strings it is sent before it stores (and echoes) them.
STRING_CHANGES: dict[str, Callable[[str], str]] = {
    "trim": str.strip,
    "truncate": lambda text: text[:64],  # UUIDs (36) pass; the long strings users send do not
    "nfc": lambda text: unicodedata.normalize("NFC", text),
}


def _changed(value: Any, change: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, dict):
        return {key: _changed(item, change) for key, item in value.items()}
    if isinstance(value, list):
        return [_changed(item, change) for item in value]
    return value


def _load(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return None


class Captured:
    """The wrapped mock's answer, kept to be changed before it is sent on."""

    def __init__(self) -> None:
        self.status = 0
        self.headers: list[tuple[bytes, bytes]] = []
        self.body = b""

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            self.headers = list(message.get("headers", []))
        elif message["type"] == "http.response.body":
            self.body += message.get("body", b"")


def _config_fields(value: Any) -> set[str]:
    """Every field of every ``config`` object a body sends (a create's, or an update's items')."""
    if isinstance(value, list):
        return {name for item in value for name in _config_fields(item)}
    if not isinstance(value, dict):
        return set()
    config = value.get("config")
    own = set(config) if isinstance(config, dict) else set()
    return own | {name for key, item in value.items() if key != "config" for name in _config_fields(item)}


def wrap(mode: str, mock: ASGI) -> ASGI:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await mock(scope, receive, send)
            return
        body = await read_body(receive)
        sent = _load(body)
        if mode in STRING_CHANGES and sent is not None:
            body = json.dumps(_changed(sent, STRING_CHANGES[mode])).encode()
        if mode == "evolved":
            if scope["method"] == "GET":
                # Behind the same authentication as the rest: the mock's own refusal stands (asked
                # as a create of nothing, which it judges by its token before anything else).
                refused = Captured()
                await mock({**scope, "method": "POST"}, replay(b""), refused)
                if refused.status in (401, 403):
                    await _answer(send, refused.status, refused.body)
                    return
                await _answer(send, 200, LISTED)
                return
            if "voiceConfig" in _config_fields(sent):
                await _answer(send, 400, REFUSED)
                return
        captured = Captured()
        await mock(scope, replay(body), captured)
        if mode == "plain-401" and captured.status == 401:
            await _answer(send, 401, b"Unauthorized", b"text/plain")
            return
        answer = captured.body
        if mode == "evolved" and captured.status in (200, 201):
            document = _load(answer)
            result = document["data"]["result"]
            for stored in result.get("updated") or [result.get("phoneNumber")]:
                stored["carrier"] = "Twilio"  # the stored number grew a field: whichever answer holds it
            if captured.status == 201 and isinstance(sent, dict) and "friendlyName" not in sent:
                result["phoneNumber"]["friendlyName"] = None
            answer = dump(document)
        headers = [(name, value) for name, value in captured.headers if name.lower() != b"content-length"]
        if mode == "evolved":
            # The list endpoint is served: an Allow of the path names it too.
            headers = [
                (name, value + b", GET" if name.lower() == b"allow" else value) for name, value in headers
            ]
        await send({"type": "http.response.start", "status": captured.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer})

    return app


def main(mode: str, argv: list[str]) -> int:
    def wrapped(**kwargs: Any) -> ASGI:
        if mode == "newer":
            # The vendor's newer API serves its whole newer spec (the project's: an update too),
            # whatever older spec the gate is given.
            kwargs["spec_path"] = None
        return wrap("evolved" if mode == "newer" else mode, make_app(**kwargs))

    # gate.session imported create_app by name: replace it where the session looks it up.
    vars(gate_session)["create_app"] = wrapped
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
