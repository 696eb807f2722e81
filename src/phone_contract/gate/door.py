"""The one door every request of the gate goes through: owned, counted, budgeted, paced, retried, recorded.

Schemathesis sends its cases, and its own probes (``ignored_auth`` re-sends without and with a
wrong token), through the transport of the schema's ASGI app; the property tests send through the
same schemas. Making that app this gatekeeper means no request bypasses the door, whichever check
sends it. In front of the embedded mock it passes requests straight in; in front of a live API the
:class:`~phone_contract.gate.forwarder.Forwarder` sends them over HTTP.

What the door decides, in the order a request meets it:

- the run's own (``gate.ownership``): a request that could change something the run did not create
  is not sent;
- the write budget and ``--max-requests``, and the pace (``gate.budget``);
- transient answers (429, 502, 503, 504, a reset or a timeout) are retried (``gate.transient``);
- the first answers of a run show a wrong token or URL (``gate.misconfiguration``);
- every resource created is noted (``gate.created``), and becomes the run's own.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

import anyio

from phone_contract._redact import Redactor
from phone_contract._spec import Operation, Role, Spec
from phone_contract._version import user_agent
from phone_contract.gate.budget import Budget
from phone_contract.gate.created import CreatedResources
from phone_contract.gate.disguise import disguised_body
from phone_contract.gate.door_errors import (
    AnswerLost,
    APIUnavailable,
    LatencyBreached,
    NotTheRunsOwn,
    RateLimited,
    RequestLimitReached,
    RunMisconfigured,
    TargetUnreachable,
    TimeLimitReached,
)
from phone_contract.gate.door_options import DoorSettings
from phone_contract.gate.misconfiguration import FirstAnswers
from phone_contract.gate.ownership import Ownership
from phone_contract.gate.transient import AttemptLost, Transients, retries_allowed, retry_wait, transient_kind
from phone_contract.mock.asgi import Message, Receive, Scope, Send, read_body, replay


class Recorder(Protocol):
    """What the door needs of ``phone_contract.har.HarRecorder``, imported only with ``--har``: even a
    type-checking import would load it (schemathesis follows a module's imports to read constants)."""

    def add(self, exchange: Any) -> None: ...

    def write(self, path: Path) -> None: ...


ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The lane a request belongs to (gate.lanes), set by the contract tests and never sent on; and the
# seconds the door kept a request before its answered attempt, added to the answer it relays back.
LANE_HEADER = b"x-phone-contract-lane"
WAITED_HEADER = b"x-phone-contract-waited"

# Answers of one operation slower than --max-response-time that establish the breach: max_response_time
# has failed that often, and every later case would only wait as long to fail it again.
LATENCY_BREACH_ESTABLISHED = 3


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
    operation: Operation | None
    query: bytes = b""

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def write(self) -> bool:
        return self.method not in ("GET", "HEAD", "OPTIONS", "TRACE")

    @property
    def creates(self) -> bool:
        """Whether it calls an operation that creates (a 2xx answer costs the write budget)."""
        return self.operation is not None and self.operation.semantics.role is Role.CREATE


class Gatekeeper:
    """ASGI app in front of the target: the run's own, its budgets, pace, retries and records.

    ``spec`` tells which operation a request calls, what it creates and where its answer holds it.
    ``token`` tells an authenticated request from schemathesis' probes. ``sleep`` and ``clock`` are
    injectable, so retries and pacing are tested without waiting.
    """

    def __init__(
        self,
        upstream: ASGIApp,
        redactor: Redactor,
        write_budget: int | None,
        *,
        spec: Spec,
        ownership: Ownership | None = None,
        door: DoorSettings | None = None,
        token: str | None = None,
        base_url: str = "",
        ids_pinned: bool = True,
        sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._upstream = upstream
        self._redactor = redactor
        self.door = door or DoorSettings()
        self.spec = spec
        self.ownership = ownership or Ownership(spec)
        self._token = token
        self._sleep = sleep
        self._clock = clock
        self.base_url = base_url
        self._host = (urlsplit(base_url).netloc or "localhost").encode("latin-1")
        self._extra_headers = [
            (name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in self.door.headers
        ]
        self.budget = Budget(
            write_budget,
            max_requests=self.door.max_requests,
            max_duration=self.door.max_duration,
            interval=self.door.request_interval,
            clock=clock,
        )
        # Requests that could have changed what the run does not own, not sent (all, and by operation).
        self.not_owned = 0
        self.not_owned_to: dict[str, int] = {}
        # Requests sent (first attempts), by operation.
        self.sent_to: dict[str, int] = {}
        # Answers slower than --max-response-time, by operation; the operations with a breach
        # established, and how many of their later requests were then not sent.
        self.slow_answers: dict[str, int] = {}
        self.not_sent_slow: dict[str, int] = {}
        # 2xx answers to a valid request with the run's token, by operation: "the contract was checked".
        self.valid_answers: dict[str, int] = {}
        self.transients = Transients()
        self.created = CreatedResources()
        self.first_answers = FirstAnswers(base_url, spec.base_path, ids_pinned=ids_pinned)
        # The digest of each lane's requests (gate.lanes): lanes run at once, each in its own order.
        self._fingerprints: dict[str, Any] = {}
        # Why the run stopped, once it has: no further request is sent (hypothesis replays a
        # failing example once, and a stopped run must not reach the API again).
        self.stopped: TargetUnreachable | None = None
        # Every attempt, as sent and answered, for --har (None: not asked for).
        self.recorder: Recorder | None = None
        if self.door.har_path:
            # Imported only when asked for: every module loaded is one more that hypothesis scans.
            from phone_contract.har import HarRecorder  # noqa: PLC0415

            self.recorder = HarRecorder(redactor)

    # --- what the rest of the gate reads ----------------------------------------------------------

    @property
    def write_budget(self) -> int | None:
        return self.budget.write_budget

    @property
    def requests(self) -> int:
        return self.budget.requests

    @property
    def creations(self) -> int:
        return self.budget.creations

    @property
    def budget_reached(self) -> bool:
        return self.budget.reached

    def can_create(self, count: int) -> bool:
        return self.budget.can_create(count)

    @property
    def fingerprint(self) -> str:
        """Digest of every request's method, path and body, in order within each lane: equal runs,
        equal digests, however many lanes ran at once."""
        lanes = sorted(self._fingerprints.items())
        if len(lanes) == 1 and not lanes[0][0]:
            return str(lanes[0][1].hexdigest()[:16])
        combined = hashlib.sha256()
        for lane, digest in lanes:
            combined.update(f"{lane}\n{digest.hexdigest()}\n".encode())
        return combined.hexdigest()[:16]

    # --- the door ---------------------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._upstream(scope, receive, send)
            return
        if self.stopped is not None:
            raise self.stopped
        lane = _header(scope, LANE_HEADER) or ""
        scope = self._as_sent(scope)
        entered = self._clock()
        scope, body = _disguised(scope, await read_body(receive))
        method, path = str(scope["method"]).upper(), str(scope["path"])
        request = _Request(
            method=method,
            path=path,
            body=body,
            authorization=_header(scope, b"authorization"),
            operation=self.spec.operation_for(method, path),
            query=bytes(scope.get("query_string", b"")),
        )
        self._learn_secrets(body)
        if request.operation is not None and self._breached(request.operation):
            name = request.operation.name
            self.not_sent_slow[name] = self.not_sent_slow.get(name, 0) + 1
            raise LatencyBreached(f"{request.label} not sent: its answers are established as too slow")
        why = self.ownership.foreign(request.operation, method, body, bool(request.query))
        if why is not None:
            self.not_owned += 1
            if request.operation is not None:
                name = request.operation.name
                self.not_owned_to[name] = self.not_owned_to.get(name, 0) + 1
            raise NotTheRunsOwn(f"{request.label} not sent: {why}")
        admitted = request.write and request.creates
        if admitted:
            self.budget.admit_create(would_create=self._would_create(request))
        fingerprint = self._fingerprints.setdefault(lane, hashlib.sha256())
        for part in (
            method.encode(),
            self.ownership.fingerprinted_path(path).encode(),
            self.ownership.fingerprinted(body),
        ):
            fingerprint.update(len(part).to_bytes(8, "big") + part)
        if request.operation is not None:
            self.sent_to[request.operation.name] = self.sent_to.get(request.operation.name, 0) + 1
        try:
            answer, lost, started = await self._exchange(scope, request)
            self._settle(request, answer, lost, lane)
        except TargetUnreachable as stop:
            self.stopped = stop
            raise
        finally:
            if admitted:
                self.budget.answered()
        headers = list(answer.headers)
        waited = started - entered
        if waited > 0:
            # The gate's own time before the answered attempt (pacing, waits, failed attempts): the
            # contract tests take it off the answer's time, which is the API's (gate.conformance).
            headers.append((WAITED_HEADER, f"{waited:.6f}".encode()))
        await send({"type": "http.response.start", "status": answer.status, "headers": headers})
        await send({"type": "http.response.body", "body": answer.body})

    def _as_sent(self, scope: Scope) -> Scope:
        """``scope`` with the headers the API is sent: the target's Host and the gate's User-Agent (not
        the test transport's ``testclient`` and ``gate.internal``), and the user's --header ones."""
        replaced = {b"host", b"user-agent", LANE_HEADER} | {name.lower() for name, _ in self._extra_headers}
        headers = [(b"host", self._host)]
        headers += [
            (bytes(k), bytes(v)) for k, v in scope.get("headers", []) if bytes(k).lower() not in replaced
        ]
        if not any(name.lower() == b"user-agent" for name, _ in self._extra_headers):
            headers.append((b"user-agent", user_agent().encode()))
        headers += self._extra_headers
        return {**scope, "headers": headers}

    def _breached(self, operation: Operation) -> bool:
        return self.slow_answers.get(operation.name, 0) >= LATENCY_BREACH_ESTABLISHED

    def _note_latency(self, request: _Request, elapsed: float) -> None:
        limit = self.door.slow_after
        if limit is not None and request.operation is not None and elapsed > limit:
            name = request.operation.name
            self.slow_answers[name] = self.slow_answers.get(name, 0) + 1

    def _would_create(self, request: _Request) -> bool:
        """Whether a conforming API would create something for ``request``."""
        operation = request.operation
        if operation is None or not self._authenticated(request):
            return False
        schema = operation.request_schema()
        if schema is None:
            return True
        try:
            document = json.loads(request.body)
        except (ValueError, UnicodeDecodeError):
            return False
        return bool(self.spec.validator(schema).is_valid(document))

    def _authenticated(self, request: _Request) -> bool:
        return self._token is not None and request.authorization == f"Bearer {self._token}"

    async def _exchange(self, scope: Scope, request: _Request) -> tuple[_Answer, bool, float]:
        """The answer to judge, after retrying transient ones; whether an attempt's answer was lost;
        when the answered attempt started (the clock's time)."""
        lost = False
        retries = 0
        comment = ""
        while True:
            try:
                pause = self.budget.admit_request(write=request.write)
            except (RequestLimitReached, TimeLimitReached):
                if lost and request.creates:
                    self._lost_for_good(request)
                raise
            if pause > 0:
                await self._sleep(pause)
            started = self._clock()
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
                    return answer, lost, started
                kind, detail = status_kind, f"answered {answer.status}"
                retry_after = answer.header("retry-after")
            self.transients.note(kind)
            if retries >= retries_allowed(kind) or self.transients.mostly_transient():
                if lost and request.creates:
                    self._lost_for_good(request)
                raise self._gave_up(request, kind, retries, detail)
            await self._sleep(retry_wait(retry_after, retries))
            retries += 1
            comment = f"retry {retries} after {kind}"

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

        try:
            await self._upstream(scope, replay(request.body), capture)
        except AttemptLost as failure:
            self._record(scope, request, started, time.perf_counter() - began, comment, failure=str(failure))
            raise
        elapsed = time.perf_counter() - began
        self._record(scope, request, started, elapsed, comment, answer=answer)
        self._note_latency(request, elapsed)
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

        query = request.query.decode("latin-1")
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

    def _settle(self, request: _Request, answer: _Answer, lost: bool, lane: str) -> None:
        """Count and note what the answer created; stop a run whose first answers show it set up wrong."""
        ok = 200 <= answer.status < 300
        operation = request.operation
        if operation is not None and ok and self._authenticated(request):
            self.valid_answers[operation.name] = self.valid_answers.get(operation.name, 0) + 1
        if request.creates and ok:
            assert operation is not None
            self.budget.creations += 1
            resources = self.ownership.note_answer(operation, answer.body, lane)
            self.created.from_answer(operation, resources, request.body)
        elif request.creates and lost and answer.status == 409:
            assert operation is not None
            self.budget.creations += 1
            self.transients.conflicts_after_loss += 1
            self.created.from_request(operation, request.body, "answer lost; 409 when re-sent")
            raise AnswerLost(f"{request.label}: answer lost, then 409: created by the first attempt")
        problem = self.first_answers.see(answer.status, authenticated=self._authenticated(request))
        if problem is not None:
            raise RunMisconfigured(problem)

    def _lost_for_good(self, request: _Request) -> None:
        """A create that may have reached the API and never got an answer: it may have created."""
        self.budget.creations += 1
        assert request.operation is not None
        self.created.from_request(request.operation, request.body, "outcome unknown: the answer was lost")

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
            return  # not JSON: it carries no secret field


def _disguised(scope: Scope, body: bytes) -> tuple[Scope, bytes]:
    """The request with its passwords disguised (gate.disguise), its Content-Length to match."""
    disguised = disguised_body(body)
    if disguised == body:
        return scope, body
    headers = [(k, v) for k, v in scope.get("headers", []) if bytes(k).lower() != b"content-length"]
    headers.append((b"content-length", str(len(disguised)).encode()))
    return {**scope, "headers": headers}, disguised


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
