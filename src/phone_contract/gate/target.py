"""The one door every request of the gate goes through: counted, budgeted, paced, retried, recorded.

Schemathesis sends its cases, and its own probes (``ignored_auth`` re-sends without and with a
wrong token), through the transport of the schema's ASGI app; the property tests send through the
same schemas. Making that app this gatekeeper means no request bypasses the door, whichever check
sends it. In front of the embedded mock it passes requests straight in; in front of a live API the
:class:`Forwarder` sends them over HTTP.

What the door decides, in the order a request meets it:

- the write budget (``--write-budget``): it counts what the API may have *created* (writes answered
  2xx, and writes whose answer was lost), never a refused write; the last tenth is kept for the
  writes the contract says must be refused, so negative cases still run when valid ones are spent;
- ``--max-requests`` and ``--rate-limit``, per request sent, retries included;
- transient answers (429, 502, 503, 504, a reset or a timeout) are retried (see ``gate.transient``);
- the first answers of a run show a wrong token or URL (see ``gate.misconfiguration``);
- every number created is noted (see ``gate.created``).
"""

from __future__ import annotations

import hashlib
import json
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol

import httpx

from phone_contract._redact import Redactor
from phone_contract._spec import Spec
from phone_contract.gate.created import CreatedNumbers
from phone_contract.gate.door_options import DoorSettings
from phone_contract.gate.misconfiguration import FirstAnswers
from phone_contract.gate.transient import (
    MAX_RETRY_WAIT,
    RATE_LIMIT_RETRIES,
    AttemptLost,
    Transients,
    retries_allowed,
    retry_wait,
    transient_kind,
)
from phone_contract.mock.asgi import Message, Receive, Scope, Send, lifespan, read_body, replay


class Recorder(Protocol):
    """What the door needs of ``phone_contract.har.HarRecorder``, imported only with ``--har``: even a
    type-checking import would load it (schemathesis follows a module's imports to read constants)."""

    def add(self, exchange: Any) -> None: ...

    def write(self, path: Path) -> None: ...


ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

__all__ = [
    "MAX_RETRY_WAIT",
    "RATE_LIMIT_RETRIES",
    "SAFE_METHODS",
    "APIUnavailable",
    "AnswerLost",
    "CaseWithdrawn",
    "Forwarder",
    "Gatekeeper",
    "RateLimited",
    "RequestLimitReached",
    "ResponseTimedOut",
    "RunMisconfigured",
    "TargetUnreachable",
    "WriteBudgetExhausted",
    "WriteWithheld",
    "describe_network_error",
    "retry_wait",
]

# Hop-by-hop and framing headers are the forwarder's own business, not the API's answer.
_DROPPED_RESPONSE_HEADERS = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "content-length", "content-encoding"}
)
_DROPPED_REQUEST_HEADERS = frozenset({"host", "content-length", "connection", "accept-encoding"})


# Every other method may change state: POST creates numbers, and schemathesis' unsupported_method
# probe sends PUT, PATCH, DELETE... to the same path. All of them are writes.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Of the write budget, the share kept for writes the contract says the API must refuse (see below).
REFUSED_WRITES_RESERVE = 0.1


class CaseWithdrawn(Exception):
    """The door did not let this case be judged; the run goes on (the summary says why)."""


class WriteBudgetExhausted(CaseWithdrawn):
    """The run may create no more (``--write-budget``): no more writes are sent."""


class WriteWithheld(WriteBudgetExhausted):
    """A write that would create was not sent: the rest of the budget is kept for refused writes."""


class RequestLimitReached(WriteBudgetExhausted):
    """The run has sent ``--max-requests`` requests; no more are sent."""


class AnswerLost(CaseWithdrawn):
    """A write's answer was lost, and re-sending it got 409: the first attempt created it.

    There is no answer left to judge: the case is not judged, and the creation is counted once.
    (Had the lost answer itself been a 409, the count is one too many: it errs on the budget's side.)
    """


class TargetUnreachable(Exception):
    """The live API could not be reached (DNS, TLS, connection); the message is one line."""


class RateLimited(TargetUnreachable):
    """The live API kept answering 429 Too Many Requests: the run stops, with no verdict."""


class APIUnavailable(TargetUnreachable):
    """The live API kept failing (502, 503, 504, lost connections): the run stops, with no verdict."""


class RunMisconfigured(TargetUnreachable):
    """The first answers show a wrong token or URL: the run stops before the budget is spent."""


class ResponseTimedOut(Exception):
    """Kept for importers: a timed-out answer is now retried as transient (``AttemptLost``)."""


@dataclass
class _Answer:
    status: int = 0
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)
    chunks: list[bytes] = field(default_factory=list)

    @property
    def body(self) -> bytes:
        return b"".join(self.chunks)

    def header(self, name: str) -> str | None:
        wanted = name.encode("latin-1")
        for key, value in self.headers:
            if key.lower() == wanted:
                return value.decode("latin-1")
        return None


@dataclass(frozen=True)
class _Request:
    method: str
    path: str
    body: bytes
    authorization: str | None

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def write(self) -> bool:
        return self.method not in SAFE_METHODS


class Gatekeeper:
    """ASGI app in front of the target: the budgets, the pace, the retries and the records of a run.

    ``spec`` tells which requests create a number (and where the answer holds it); without it every
    write is taken to create. ``token`` tells an authenticated request from schemathesis' probes.
    ``sleep`` and ``clock`` are injectable, so retries and pacing are tested without waiting.
    """

    def __init__(
        self,
        upstream: ASGIApp,
        redactor: Redactor,
        write_budget: int | None,
        *,
        door: DoorSettings | None = None,
        spec: Spec | None = None,
        token: str | None = None,
        base_url: str = "",
        ids_pinned: bool = True,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._upstream = upstream
        self._redactor = redactor
        self.write_budget = write_budget
        self.door = door or DoorSettings()
        self._spec = spec
        self._token = token
        self._sleep = sleep
        self._clock = clock
        self.base_url = base_url
        # Every request sent, retries included; of them, the writes (any unsafe method).
        self.requests = 0
        self.write_requests = 0
        # What --write-budget counts: writes answered 2xx, and writes whose answer was lost.
        self.writes = 0
        # Writes not sent because only the reserve for refused writes was left.
        self.withheld = 0
        self.write_budget_reached = False
        self.request_limit_reached = False
        # Creates answered 2xx to a request with the run's token: "the contract was checked".
        self.valid_creates = 0
        # Seconds the last request spent in the door before its answered attempt (pacing, waits,
        # failed attempts): the gate's time, not the API's.
        self.waited = 0.0
        self.transients = Transients()
        operation = spec.require_operation() if spec is not None else None
        self._create_path = operation.path if operation is not None else None
        self._create_schema = operation.request_schema() if operation is not None else None
        self.created = CreatedNumbers(operation.created_path if operation is not None else ())
        self.first_answers = FirstAnswers(
            base_url, spec.base_path if spec is not None else "", ids_pinned=ids_pinned
        )
        self._last_sent: float | None = None
        self._fingerprint = hashlib.sha256()
        # Why the run stopped, once it has: no further request is sent (hypothesis replays a
        # failing example once, and a stopped run must not reach the API again).
        self.stopped: TargetUnreachable | None = None
        # Every attempt, as sent and answered, for --har (None: not asked for).
        self.recorder: Recorder | None = None
        if self.door.har_path:
            # Imported only when asked for: every module loaded is one more that hypothesis scans.
            from phone_contract.har import HarRecorder  # noqa: PLC0415

            self.recorder = HarRecorder(redactor)

    @property
    def budget_reached(self) -> bool:
        """Whether a budget stopped the run: later cases are not sent."""
        return self.write_budget_reached or self.request_limit_reached

    def can_write(self, count: int) -> bool:
        """Whether ``count`` more creations fit in the write budget."""
        return self.write_budget is None or self.writes + count <= self.write_budget

    @property
    def fingerprint(self) -> str:
        """Digest of every request's method, path and body, in order: equal runs, equal digests."""
        return self._fingerprint.hexdigest()[:16]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._upstream(scope, receive, send)
            return
        if self.stopped is not None:
            raise self.stopped
        entered = self._clock()
        body = await read_body(receive)
        request = _Request(
            method=str(scope["method"]).upper(),
            path=str(scope["path"]),
            body=body,
            authorization=_header(scope, b"authorization"),
        )
        self._learn_secrets(body)
        if request.write:
            self._admit_write(request)
        for part in (request.method.encode(), request.path.encode(), body):
            self._fingerprint.update(len(part).to_bytes(8, "big") + part)
        try:
            answer, lost = await self._exchange(scope, request)
            self.waited = max(0.0, (self._last_sent or entered) - entered)
            self._settle(request, answer, lost)
        except TargetUnreachable as stop:
            self.stopped = stop
            raise
        await send({"type": "http.response.start", "status": answer.status, "headers": answer.headers})
        await send({"type": "http.response.body", "body": answer.body})

    def _admit_write(self, request: _Request) -> None:
        budget = self.write_budget
        if budget is None:
            return
        if self.writes >= budget:
            self.write_budget_reached = True
            raise WriteBudgetExhausted(f"write budget of {budget} reached")
        # A valid create costs a number; a write the contract says must be refused costs nothing
        # from a conforming API. Keeping the last tenth of the budget for the latter means the
        # negative cases still run once the valid ones have spent the rest, and an API that accepts
        # what it must refuse is still caught.
        if self.writes >= budget - int(budget * REFUSED_WRITES_RESERVE) and self._creates(request):
            self.withheld += 1
            raise WriteWithheld(f"write budget of {budget}: the rest is kept for writes that must be refused")

    def _creates(self, request: _Request) -> bool:
        """Whether a conforming API would create something for ``request``."""
        if self._spec is None or self._create_schema is None:
            return True
        if request.method != "POST" or request.path != self._create_path or not self._authenticated(request):
            return False
        try:
            document = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return False
        return bool(self._spec.validator(self._create_schema).is_valid(document))

    def _authenticated(self, request: _Request) -> bool:
        return self._token is not None and request.authorization == f"Bearer {self._token}"

    async def _exchange(self, scope: Scope, request: _Request) -> tuple[_Answer, bool]:
        """The answer to judge, after retrying transient ones; whether an attempt's answer was lost."""
        lost = False
        retries = 0
        comment = ""
        while True:
            try:
                self._admit_request()
            except RequestLimitReached:
                if lost and request.write:
                    self._lost_for_good(request)
                raise
            retry_after: str | None = None
            try:
                answer = await self._attempt(scope, request, comment)
            except AttemptLost as failure:
                kind, detail = failure.kind, str(failure)
                lost = lost or failure.sent
            else:
                status_kind = transient_kind(answer.status)
                if status_kind is None:
                    self.transients.note(None)
                    return answer, lost
                kind, detail = status_kind, f"answered {answer.status}"
                retry_after = answer.header("retry-after")
            self.transients.note(kind)
            if retries >= retries_allowed(kind) or self.transients.mostly_transient():
                if lost and request.write:
                    self._lost_for_good(request)
                raise self._gave_up(request, kind, retries, detail)
            self._sleep(retry_wait(retry_after, retries))
            retries += 1
            comment = f"retry {retries} after {kind}"

    def _admit_request(self) -> None:
        if self.door.max_requests is not None and self.requests >= self.door.max_requests:
            self.request_limit_reached = True
            raise RequestLimitReached(f"--max-requests {self.door.max_requests} reached")
        interval = self.door.request_interval
        if interval and self._last_sent is not None:
            pause = self._last_sent + interval - self._clock()
            if pause > 0:
                self._sleep(pause)
        self._last_sent = self._clock()
        self.requests += 1

    async def _attempt(self, scope: Scope, request: _Request, comment: str) -> _Answer:
        answer = _Answer()
        started, began = datetime.now(UTC), time.perf_counter()
        if self._token is not None and not self._authenticated(request):
            comment = ", ".join(filter(None, [comment, "without the run's token (a probe of ignored_auth)"]))

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer.status = int(message["status"])
                answer.headers = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                answer.chunks.append(message.get("body", b""))

        if request.write:
            self.write_requests += 1
        try:
            await self._upstream(scope, replay(request.body), capture)
        except AttemptLost as failure:
            self._record(scope, request, started, time.perf_counter() - began, comment, failure=str(failure))
            raise
        self._record(scope, request, started, time.perf_counter() - began, comment, answer=answer)
        return answer

    def _record(
        self,
        scope: Scope,
        request: _Request,
        started: datetime,
        elapsed: float,
        comment: str,
        *,
        answer: _Answer | None = None,
        failure: str = "",
    ) -> None:
        """One attempt into the HAR recording (``--har``), redacted as it is added."""
        if self.recorder is None:
            return
        from phone_contract.har import Exchange  # noqa: PLC0415 - loaded with the recorder

        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        self.recorder.add(
            Exchange(
                started=started,
                method=request.method,
                url=self.base_url + request.path + (f"?{query}" if query else ""),
                request_headers=_decoded(scope.get("headers", [])),
                request_body=request.body,
                status=answer.status if answer is not None else None,
                reason=_reason(answer.status) if answer is not None else failure,
                response_headers=_decoded(answer.headers) if answer is not None else [],
                response_body=answer.body if answer is not None else b"",
                elapsed=elapsed,
                comment=comment,
            )
        )

    def _settle(self, request: _Request, answer: _Answer, lost: bool) -> None:
        """Count and note what the answer created; stop a run whose first answers show it set up wrong."""
        ok = 200 <= answer.status < 300
        creates = request.method == "POST" and request.path == (self._create_path or request.path)
        if request.write and ok:
            self.writes += 1
            if creates:
                self.created.from_answer(answer.body, request.body)
                if self._authenticated(request):
                    self.valid_creates += 1
        elif request.write and lost and answer.status == 409:
            self.writes += 1
            self.transients.conflicts_after_loss += 1
            if creates:
                self.created.from_request(request.body, "answer lost; 409 when re-sent")
            raise AnswerLost(f"{request.label}: answer lost, then 409: created by the first attempt")
        problem = self.first_answers.see(answer.status, authenticated=self._authenticated(request))
        if problem is not None:
            raise RunMisconfigured(problem)

    def _lost_for_good(self, request: _Request) -> None:
        """A write that may have reached the API and never got an answer: it may have created."""
        self.writes += 1
        if request.method == "POST" and request.path == self._create_path:
            self.created.from_request(request.body, "outcome unknown: the answer was lost")

    def _gave_up(self, request: _Request, kind: str, retries: int, detail: str) -> TargetUnreachable:
        where = self.base_url or "the API"
        if kind == "429" and not self.transients.mostly_transient():
            return RateLimited(
                f"{where} kept answering 429 Too Many Requests ({retries} retries); "
                "run the gate later, or with a smaller --max-examples or a --rate-limit"
            )
        why = (
            f"{request.label} still failed after {retries} retries ({detail})"
            if retries >= retries_allowed(kind)
            else "most recent requests got transient answers"
        )
        return APIUnavailable(
            f"{where} is unavailable: {why}; transient answers: {self.transients.counts()} "
            f"in {self.requests} requests; run the gate again later"
        )

    def _learn_secrets(self, body: bytes) -> None:
        try:
            self._redactor.learn_from_body(json.loads(body))
        except (ValueError, UnicodeDecodeError):
            return  # not JSON: it carries no sipOutbound.password field


def _decoded(headers: Iterable[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(bytes(name).decode("latin-1"), bytes(value).decode("latin-1")) for name, value in headers]


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


class Forwarder:
    """ASGI app that sends each request on to a live API root and relays its answer unchanged.

    One attempt per call: the gatekeeper in front of it decides what to retry. A connection that
    fails raises :class:`AttemptLost` (transient) or :class:`TargetUnreachable` (DNS, TLS).
    """

    def __init__(
        self, base_url: str, timeout: float, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self._base_url = base_url.rstrip("/")
        # Blocking client on purpose: the gate sends one request at a time, in order.
        self._client = httpx.Client(timeout=timeout, follow_redirects=False, transport=transport)

    def close(self) -> None:
        self._client.close()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        body = await read_body(receive)
        query = scope.get("query_string", b"").decode("latin-1")
        url = self._base_url + scope["path"] + (f"?{query}" if query else "")
        headers = [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, value in scope["headers"]
            if name.decode("latin-1").lower() not in _DROPPED_REQUEST_HEADERS
        ]
        response = self.send(scope["method"], url, headers, body)
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

    def send(self, method: str, url: str, headers: list[tuple[str, str]], body: bytes) -> httpx.Response:
        """The API's answer to one attempt (decompressed)."""
        try:
            return self._client.request(method, url, headers=headers, content=body)
        except (httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise AttemptLost("connect timeout", sent=False, detail=self._describe(exc)) from None
        except httpx.TimeoutException as exc:
            raise AttemptLost("read timeout", sent=True, detail=self._describe(exc)) from None
        except httpx.ConnectError as exc:
            detail = self._describe(exc)
            if "DNS lookup failed" in detail or "TLS handshake failed" in detail:
                raise TargetUnreachable(detail) from None
            raise AttemptLost("connection refused", sent=False, detail=detail) from None
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError, httpx.CloseError) as exc:
            raise AttemptLost("connection reset", sent=True, detail=self._describe(exc)) from None
        except (httpx.TransportError, ssl.SSLError) as exc:
            raise TargetUnreachable(self._describe(exc)) from None

    def _describe(self, exc: BaseException) -> str:
        return describe_network_error(self._base_url, exc)


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
