"""The small part of ASGI 3 the mock speaks: reading a bounded body, sending one JSON or bytes answer."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

JSON = b"application/json"
# Built once: json.dumps with any option builds a new encoder per call. An answer is a tree built from
# JSON and the spec, never circular, so the encoder need not track every container it enters.
_ENCODER = json.JSONEncoder(separators=(",", ":"), check_circular=False)


class Disconnected(Exception):
    """The client went away before its body arrived; there is no one left to answer."""


class TooLarge(Exception):
    """The body is over the limit."""


def dump(body: Any) -> bytes:
    """Compact JSON, ASCII only: lone surrogates or odd characters can never make encoding fail."""
    return _ENCODER.encode(body).encode("ascii")


async def read_body(receive: Receive, limit: int | None = None) -> bytes:
    """The whole request body; TooLarge as soon as it passes ``limit`` bytes, before reading the rest."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Disconnected
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes) -> Receive:
    """A ``receive`` that hands an app ``body`` (already read) once, then a disconnect."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


async def send_json(send: Send, status: int, body: Any, *, allow: bytes = b"", auth: bool = False) -> None:
    """A JSON answer, with ``Allow`` (405) or ``WWW-Authenticate`` (401) when asked."""
    extra = [(b"allow", allow)] if allow else []
    if auth:
        extra.append((b"www-authenticate", b'Bearer realm="freya"'))
    await send_bytes(send, status, dump(body), JSON, extra)


async def send_bytes(
    send: Send,
    status: int,
    body: bytes,
    content_type: bytes,
    extra: list[tuple[bytes, bytes]] | None = None,
    *,
    length: int | None = None,
) -> None:
    """One complete answer; ``length`` overrides Content-Length for HEAD, which sends no body."""
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body) if length is None else length).encode()),
    ]
    if extra:
        headers.extend(extra)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def lifespan(receive: Receive, send: Send) -> None:
    """Nothing to start or stop, but servers (uvicorn with lifespan=on) expect an answer."""
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return
