"""``python infrastructure_mock.py BEHAVIOUR mock ARGS...``: ``phone-contract mock`` behind infrastructure.

A production API sits behind load balancers, gateways and proxies, which answer in ways the spec
does not describe and the gate must not report as contract breaks. Each BEHAVIOUR wraps the mock
(served by uvicorn, as ``phone-contract mock`` serves it) in one of them:

- ``blips``: now and then a load balancer's ``503`` (HTML, ``Retry-After``) or a gateway's ``502``;
- ``outage``: after the 40th request, every request is answered ``503``;
- ``reset-writes``: every 7th create reaches the mock (which creates it, or refuses it) and the
  connection is then dropped mid-answer;
- ``timeout-writes``: every 7th create reaches the mock and its answer comes 2 s late;
- ``dressed``: every answer gzip-compressed, with ``Connection: close`` and headers the spec does
  not document (request IDs, caching, rate-limit counters);
- ``deny-all``: every request is answered ``401``, as a gateway with a revoked key answers;
- ``latency``: every answer 50 ms late, as across a network (``scripts/bench-gate`` uses it).

The wrapper writes what it did, one line per event, to ``$INFRASTRUCTURE_LOG`` when it is set:
the blips it answered, the answers it lost, and ``created`` for every write the mock answered 2xx
(whether or not that answer reached the gate).
"""

from __future__ import annotations

import asyncio
import gzip
import os
import sys
from typing import Any

from phone_contract import cli
from phone_contract.mock import command as mock_command
from phone_contract.mock import create_app as make_app
from phone_contract.mock.app import MockApp
from phone_contract.mock.asgi import Message, Receive, Scope, Send, dump

BEHAVIOURS = ("blips", "outage", "reset-writes", "timeout-writes", "dressed", "deny-all", "latency")
LATENCY_SECONDS = 0.05
OUTAGE_AFTER = 40
LOSE_EVERY = 7
LATE_SECONDS = 2.0
BALANCER_503 = b"<html><body><h1>503 Service Unavailable</h1>No server is available.</body></html>"
GATEWAY_502 = b"<html><head><title>502 Bad Gateway</title></head><body>502 Bad Gateway</body></html>"
DENIED = dump({"success": False, "error": {"code": "unauthorized", "message": "API key revoked"}})
EXTRA_HEADERS = [
    (b"x-request-id", b"req-7f3a9c"),
    (b"cache-control", b"no-store"),
    (b"x-ratelimit-remaining", b"99"),
    (b"via", b"1.1 edge-proxy"),
    (b"strict-transport-security", b"max-age=31536000"),
]


class DroppedConnection(Exception):
    """Raised after the answer has started: uvicorn then closes the connection mid-answer."""


class Infrastructure:
    """The mock behind one BEHAVIOUR."""

    def __init__(self, mock: MockApp, behaviour: str) -> None:
        self._mock = mock
        self._behaviour = behaviour
        self._requests = 0
        self._creates = 0
        self._log = os.environ.get("INFRASTRUCTURE_LOG")
        # What `phone-contract mock` prints on start: the wrapped mock's own.
        self.root = mock.root
        self.spec_path = mock.spec_path

    def _note(self, event: str) -> None:
        if self._log:
            with open(self._log, "a", encoding="utf-8") as log:
                log.write(event + "\n")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._mock(scope, receive, send)
            return
        # What the write budget counts: a create answered 2xx (an update of the run's own creates nothing).
        create = scope["method"] == "POST" and scope["path"] == f"{self.root}/phone-numbers"

        async def mock(scope: Scope, receive: Receive, send: Send) -> None:
            async def noting(message: Message) -> None:
                if message["type"] == "http.response.start" and create and 200 <= message["status"] < 300:
                    self._note("created")
                await send(message)

            await self._mock(scope, receive, noting)

        await self._serve(scope, receive, send, mock)

    async def _serve(self, scope: Scope, receive: Receive, send: Send, mock: Any) -> None:
        self._requests += 1
        creates = scope["method"] == "POST" and scope["path"] == f"{self.root}/phone-numbers"
        self._creates += creates
        behaviour = self._behaviour
        if behaviour == "deny-all":
            await _answer(
                send, 401, dump({"success": False, "error": {"code": "unauthorized"}}), b"application/json"
            )
        elif behaviour == "blips" and self._requests % 25 == 0:
            self._note("503")
            await _answer(send, 503, BALANCER_503, b"text/html", [(b"retry-after", b"1")])
        elif behaviour == "blips" and self._requests % 31 == 0:
            self._note("502")
            await _answer(send, 502, GATEWAY_502, b"text/html")
        elif behaviour == "outage" and self._requests > OUTAGE_AFTER:
            await _answer(send, 503, BALANCER_503, b"text/html", [(b"retry-after", b"0")])
        elif behaviour in ("reset-writes", "timeout-writes") and creates and self._creates % LOSE_EVERY == 0:
            status, headers, body = await _buffered(mock, scope, receive)
            if status == 409:
                # A lost 409 re-sent is read as "created by the first attempt" (the gate cannot
                # tell): counting it errs on the side of the budget, but would make the test's
                # count of creations inexact. Lost answers here are creations and refusals.
                await _answer(send, status, body, None, headers)
                return
            self._note(f"{behaviour} {status}")
            if behaviour == "timeout-writes":
                await asyncio.sleep(LATE_SECONDS)  # the gate has given up waiting by now
                await _answer(send, status, body, None, headers)
                return
            length = [(b"content-length", str(len(body)).encode())]
            await send({"type": "http.response.start", "status": status, "headers": length})
            raise DroppedConnection
        elif behaviour == "latency":
            await asyncio.sleep(LATENCY_SECONDS)
            await mock(scope, receive, send)
        elif behaviour == "dressed":
            status, headers, body = await _buffered(mock, scope, receive)
            packed = gzip.compress(body)
            kept = [(name, value) for name, value in headers if name.lower() != b"content-length"]
            dressing = [(b"content-encoding", b"gzip"), (b"connection", b"close"), *EXTRA_HEADERS]
            await _answer(send, status, packed, None, [*kept, *dressing])
        else:
            await mock(scope, receive, send)


async def _buffered(app: Any, scope: Scope, receive: Receive) -> tuple[int, list[Any], bytes]:
    started: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def capture(message: Message) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await app(scope, receive, capture)
    return int(started["status"]), list(started.get("headers", [])), b"".join(chunks)


async def _answer(
    send: Send, status: int, body: bytes, content_type: bytes | None, headers: list[Any] | None = None
) -> None:
    fields = [(b"content-type", content_type)] if content_type else []
    fields += [(name, value) for name, value in headers or [] if name.lower() != b"content-length"]
    fields.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": status, "headers": fields})
    await send({"type": "http.response.body", "body": body})


def main(behaviour: str, argv: list[str]) -> int:
    if behaviour not in BEHAVIOURS:
        raise SystemExit(f"unknown behaviour {behaviour!r}; one of {', '.join(BEHAVIOURS)}")

    def wrapped(**kwargs: Any) -> Infrastructure:
        return Infrastructure(make_app(**kwargs), behaviour)

    # mock.command imported create_app by name: replace it where the command looks it up.
    vars(mock_command)["create_app"] = wrapped
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
