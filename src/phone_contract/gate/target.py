"""The one door every request of the gate goes through: counted, budgeted, fingerprinted.

Schemathesis sends its cases, and its own probes (``ignored_auth`` re-sends without and with a
wrong token), through the transport of the schema's ASGI app. Making that app this gatekeeper
means no request can bypass the write budget, whichever check sends it. In front of the embedded
mock it passes requests straight in; in front of a live API it forwards them over HTTP.
"""

from __future__ import annotations

import hashlib
import json
import ssl
import time
from collections.abc import Awaitable, Callable
from email.utils import parsedate_to_datetime

import httpx

from phone_contract._redact import Redactor
from phone_contract.mock.asgi import Message, Receive, Scope, Send, lifespan

ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Hop-by-hop and framing headers are the forwarder's own business, not the API's answer.
_DROPPED_RESPONSE_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
)
_DROPPED_REQUEST_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding"})


# Every other method may change state: POST creates numbers, and schemathesis' unsupported_method
# probe sends PUT, PATCH, DELETE... to the same path. All of them count against the budget.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class WriteBudgetExhausted(Exception):
    """The run has sent as many writes as ``--write-budget`` allows; no more are sent."""


class TargetUnreachable(Exception):
    """The live API could not be reached (DNS, TLS, connection); the message is one line."""


class ResponseTimedOut(Exception):
    """The live API accepted the connection but sent no answer in time."""


class Gatekeeper:
    """ASGI app in front of the target: counts requests and writes, enforces the budget."""

    def __init__(self, upstream: ASGIApp, redactor: Redactor, write_budget: int | None) -> None:
        self._upstream = upstream
        self._redactor = redactor
        self.write_budget = write_budget
        self.requests = 0
        self.writes = 0
        self.budget_reached = False
        self._fingerprint = hashlib.sha256()

    def count(self, method: str) -> None:
        """Count one request about to be sent; WriteBudgetExhausted if it is a write past the budget."""
        if method not in SAFE_METHODS:
            if self.write_budget is not None and self.writes >= self.write_budget:
                self.budget_reached = True
                raise WriteBudgetExhausted(f"write budget of {self.write_budget} reached")
            self.writes += 1
        self.requests += 1

    def can_write(self, count: int) -> bool:
        """Whether ``count`` more writes fit in the budget."""
        return self.write_budget is None or self.writes + count <= self.write_budget

    @property
    def fingerprint(self) -> str:
        """Digest of every request's method, path and body, in order: equal runs, equal digests."""
        return self._fingerprint.hexdigest()[:16]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._upstream(scope, receive, send)
            return
        body = await _read_body(receive)
        method = str(scope["method"]).upper()
        self.count(method)
        self._learn_secrets(body)
        for part in (method.encode(), str(scope["path"]).encode(), body):
            self._fingerprint.update(len(part).to_bytes(8, "big") + part)
        await self._upstream(scope, _replay(body), send)

    def _learn_secrets(self, body: bytes) -> None:
        try:
            self._redactor.learn_from_body(json.loads(body))
        except (ValueError, UnicodeDecodeError):
            return  # not JSON: it carries no sipOutbound.password field


async def _read_body(receive: Receive) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive


class RateLimited(TargetUnreachable):
    """The live API kept answering 429 Too Many Requests: the run stops, with no verdict."""


# A live API may rate-limit the gate's burst of requests. That says nothing about the contract, so
# a 429 is retried after its Retry-After (or a doubling wait), a few times, and never reported as
# a break; if the API keeps refusing, the run stops with exit 2 instead.
RATE_LIMIT_RETRIES = 5
FIRST_RETRY_WAIT = 1.0
MAX_RETRY_WAIT = 30.0


class Forwarder:
    """ASGI app that sends each request on to a live API root and relays its answer unchanged."""

    def __init__(
        self,
        base_url: str,
        timeout: float,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._base_url = base_url.rstrip("/")
        # Blocking client on purpose: the gate sends one request at a time, in order.
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)
        self._sleep = sleep
        # Called before each retry with its method: the gatekeeper counts it against the budget.
        self.count: Callable[[str], None] = lambda method: None
        # Seconds the last request spent waiting out 429s: not the API's answer time.
        self.waited = 0.0

    def close(self) -> None:
        self._client.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        body = await _read_body(receive)
        query = scope.get("query_string", b"").decode("latin-1")
        url = self._base_url + scope["path"] + (f"?{query}" if query else "")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope["headers"]
            if name.decode("latin-1").lower() not in _DROPPED_REQUEST_HEADERS
        ]
        response = self.request(scope["method"], url, headers, body)
        await send(
            {
                "type": "http.response.start",
                "status": response.status_code,
                "headers": [
                    (name.encode("latin-1"), value.encode("latin-1"))
                    for name, value in response.headers.multi_items()
                    if name.lower() not in _DROPPED_RESPONSE_HEADERS
                ],
            }
        )
        await send({"type": "http.response.body", "body": response.content})

    def request(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> httpx.Response:
        """The API's answer; a 429 is waited out and re-sent (see RATE_LIMIT_RETRIES)."""
        self.waited = 0.0
        response = self._send(method, url, headers, body)
        for attempt in range(RATE_LIMIT_RETRIES):
            if response.status_code != httpx.codes.TOO_MANY_REQUESTS:
                return response
            wait = retry_wait(response.headers.get("retry-after"), attempt)
            self._sleep(wait)
            self.waited += wait
            self.count(method)
            response = self._send(method, url, headers, body)
        if response.status_code == httpx.codes.TOO_MANY_REQUESTS:
            raise RateLimited(
                f"{self._base_url} kept answering 429 Too Many Requests ({RATE_LIMIT_RETRIES} retries); "
                "run the gate later, or with a smaller --max-examples"
            )
        return response

    def _send(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> httpx.Response:
        try:
            return self._client.request(method, url, headers=headers, content=body)
        except httpx.ReadTimeout:
            raise ResponseTimedOut(f"no answer from {self._base_url} within the request timeout") from None
        except (httpx.TransportError, ssl.SSLError) as exc:
            raise TargetUnreachable(describe_network_error(self._base_url, exc)) from None


def retry_wait(retry_after: str | None, attempt: int) -> float:
    """Seconds to wait before retry ``attempt`` (from 0): Retry-After if it is given, else doubling."""
    fallback = FIRST_RETRY_WAIT * 2.0**attempt
    if retry_after is None:
        return min(fallback, MAX_RETRY_WAIT)
    try:
        seconds = float(retry_after)
    except ValueError:
        try:  # the other form RFC 9110 allows: an HTTP date
            seconds = float(parsedate_to_datetime(retry_after).timestamp()) - time.time()
        except (TypeError, ValueError):
            seconds = fallback
    return min(max(seconds, 0.0), MAX_RETRY_WAIT)


def describe_network_error(base_url: str, exc: BaseException) -> str:
    """One line a user can act on: what failed (DNS, TLS, refused, timeout) and where."""
    text = str(exc) or type(exc).__name__
    lowered = text.lower()
    if (
        "name or service not known" in lowered
        or "nodename nor servname" in lowered
        or "getaddrinfo" in lowered
    ):
        kind = "DNS lookup failed"
    elif "certificate" in lowered or "ssl" in lowered or "tls" in lowered:
        kind = "TLS handshake failed"
    elif "refused" in lowered:
        kind = "connection refused"
    elif isinstance(exc, httpx.TimeoutException):
        kind = "timed out"
    else:
        kind = "network error"
    first = text.splitlines()[0] if text.splitlines() else text
    return f"cannot reach {base_url}: {kind} ({first})"
