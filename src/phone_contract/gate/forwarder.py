"""The door's way to a live API: each request sent on to its root, the answer relayed unchanged.

One attempt per call: the gatekeeper in front of it decides what to retry. Where a request goes is
``phone_contract._upstream``'s rule (the one root given, never a host a request names), and what a
failed attempt was is ``phone_contract._network``'s (by exception type).
"""

from __future__ import annotations

import anyio
import httpx

from phone_contract._network import classify, describe
from phone_contract._upstream import Upstream, end_to_end, request_headers
from phone_contract.gate.door_errors import TargetUnreachable
from phone_contract.gate.transient import AttemptLost
from phone_contract.mock.asgi import Receive, Scope, Send, lifespan, read_body

# Framing is the forwarder's own business, not the API's answer: httpx has already decoded the body.
_FRAMING = frozenset({b"content-length", b"content-encoding"})


class Forwarder:
    """ASGI app that sends each request on to a live API root and relays its answer unchanged.

    A connection that fails raises :class:`AttemptLost` (transient) or :class:`TargetUnreachable`
    (DNS, TLS, anything that trying again cannot mend).
    """

    def __init__(
        self, base_url: str, timeout: float, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._base_url = base_url.rstrip("/")
        self._upstream = Upstream.parse(self._base_url)
        # A blocking client, called from worker threads: the contract tests' requests share one event
        # loop (schemathesis' ASGI transport), and a request in flight must not hold up the others
        # (--workers). Its connection pool is shared by them and safe across threads.
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)

    def close(self) -> None:
        self._client.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        body = await read_body(receive)
        path = scope.get("raw_path") or scope["path"].encode()
        url = self._upstream.target(path, scope.get("query_string", b""))
        headers = [(bytes(name), bytes(value)) for name, value in request_headers(scope["headers"])]
        response = await anyio.to_thread.run_sync(self.send, scope["method"], url, headers, body)
        answer = [
            (name, value) for name, value in end_to_end(response.headers.raw) if name.lower() not in _FRAMING
        ]
        await send({"type": "http.response.start", "status": response.status_code, "headers": answer})
        await send({"type": "http.response.body", "body": response.content})

    def send(
        self, method: str, url: httpx.URL | str, headers: list[tuple[bytes, bytes]], body: bytes
    ) -> httpx.Response:
        """The API's answer to one attempt (decompressed)."""
        try:
            return self._client.request(method, url, headers=headers, content=body)
        except httpx.TransportError as exc:
            failure = classify(exc)
            detail = describe(self._base_url, exc)
            if not failure.transient:
                raise TargetUnreachable(detail) from None
            raise AttemptLost(failure.kind, sent=failure.sent, detail=detail) from None
