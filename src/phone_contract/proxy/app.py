"""The proxy as a raw ASGI 3 app: forward, answer unchanged, then judge, log and record.

The answer goes back to the app before the exchange is judged, so the checks add nothing to the
latency the app sees; a violation is logged as one line right after.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from http.cookiejar import CookieJar, DefaultCookiePolicy
from pathlib import Path

import httpx

from phone_contract._network import classify
from phone_contract._redact import Redactor
from phone_contract._spec import Spec
from phone_contract._upstream import CLIENT_DEFAULTS, Upstream, end_to_end, request_headers
from phone_contract.har import Exchange, HarRecorder, learn_secrets
from phone_contract.mock.answers import Answers
from phone_contract.mock.asgi import (
    JSON,
    Disconnected,
    Receive,
    Scope,
    Send,
    TooLarge,
    read_body,
    send_bytes,
)
from phone_contract.proxy import judge
from phone_contract.responses import shown

# Bodies are held whole to be judged and recorded; the spec's operations' are a few kilobytes.
MAX_BODY_BYTES = 16 * 1024 * 1024
PREFIX = "phone-contract proxy: "


@dataclass
class Tally:
    """What the proxy saw, for the summary line and the exit status."""

    forwarded: int = 0
    checked: int = 0
    violations: int = 0
    failed: int = 0  # answered 502/504 because the upstream did not answer


class ProxyApp:
    """Forwards every request to ``upstream`` and judges the answers of the spec's operations by ``spec``."""

    def __init__(
        self,
        *,
        upstream: Upstream,
        spec: Spec,
        timeout: float,
        recorder: HarRecorder | None = None,
        har_path: Path | None = None,
        redactor: Redactor | None = None,
        report: Callable[[str], None] = lambda line: print(line, flush=True),
        flush_seconds: float = 1.0,
        max_body: int = MAX_BODY_BYTES,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        if (recorder is None) != (har_path is None):
            raise ValueError("recorder and har_path go together")
        self.upstream = upstream
        self.spec = spec
        # The proxy's own answers (502, 504, 413) come in the error envelope the spec documents.
        self._envelopes = Answers(spec.require_operations()[0])
        self.timeout = timeout
        self.tally = Tally()
        self._recorder = recorder
        self._har_path = har_path
        self._redactor = redactor or Redactor()
        self._report = report
        self._flush_seconds = flush_seconds
        self._max_body = max_body
        self._flusher: asyncio.Task[None] | None = None
        self._stopping = asyncio.Event()
        self._written = 0
        # No redirects followed (the app sees them), no proxy or certificates from the environment, and
        # no cookie jar: one app's Set-Cookie must never ride along on another request.
        self._client = httpx.AsyncClient(
            timeout=timeout,
            follow_redirects=False,
            trust_env=False,
            transport=transport,
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            try:
                await self._forward(scope, receive, send)
            except Disconnected:  # the app went away: no one to answer
                return
            except Exception as exc:
                # Never a traceback or a bare 500 for the app: a line here, the envelope there.
                self._learn_from(scope)
                self._report(self._redactor.text(f"{PREFIX}internal error: {type(exc).__name__}: {exc}"))
                with contextlib.suppress(Exception):  # fails if the answer had already started
                    await send_bytes(
                        send,
                        502,
                        self._envelopes.error(502, "the proxy failed on this request", "proxy_error"),
                        JSON,
                    )

    def _learn_from(self, scope: Scope) -> None:
        """Teach the redactor the credentials of a request that never became an exchange."""
        headers = _text_pairs(scope["headers"])
        request = Exchange(datetime.now(UTC), scope["method"], "", headers, b"", None, "", [], b"", 0.0)
        learn_secrets(self._redactor, request)

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                if self._recorder is not None:
                    self._flusher = asyncio.create_task(self._flush_periodically())
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                # All of it before "complete": the server cancels whatever still runs after that.
                self._stopping.set()
                if self._flusher is not None:
                    await self._flusher  # lets a write under way finish, so the last one wins
                await self._client.aclose()
                await self.flush()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def flush(self) -> None:
        """Write the HAR file if anything was recorded since the last write; a failure is one line."""
        if self._recorder is None or self._har_path is None or len(self._recorder) == self._written:
            return
        count = len(self._recorder)
        try:
            await asyncio.to_thread(self._recorder.write, self._har_path)
        except OSError as exc:
            self._report(f"{PREFIX}cannot write HAR file {self._har_path}: {exc.strerror or exc}")
            return
        self._written = count

    async def _flush_periodically(self) -> None:
        # A proxy killed outright keeps all but the last second of what it saw.
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), self._flush_seconds)
            await self.flush()

    async def _forward(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = datetime.now(UTC)
        method, path = scope["method"], scope["path"]
        self.tally.forwarded += 1
        try:
            body = await read_body(receive, self._max_body)
            request = self._upstream_request(scope, body)
        except TooLarge:
            message = f"request body over {self._max_body} bytes; the proxy did not forward it"
            await self._refuse(scope, send, 413, "payload_too_large", message)
            return
        except httpx.InvalidURL as exc:
            await self._refuse(scope, send, 400, "bad_request", f"the request cannot be forwarded ({exc})")
            return
        exchange = Exchange(
            started=started,
            method=method,
            url=str(request.url),
            request_headers=_text_pairs(request.headers.raw),
            request_body=body,
            status=None,
            reason="",
            response_headers=[],
            response_body=b"",
            elapsed=0.0,
        )
        clock = time.perf_counter()
        try:
            response = await self._client.send(request, stream=True)
            try:
                raw = b"".join([chunk async for chunk in response.aiter_raw()])
            finally:
                await response.aclose()
        except httpx.HTTPError as exc:
            await self._fail(send, path, replace(exchange, elapsed=time.perf_counter() - clock), exc)
            return
        elapsed = time.perf_counter() - clock
        headers = end_to_end(response.headers.raw)
        await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
        await send({"type": "http.response.body", "body": raw})
        # The app has its answer; what follows costs it nothing.
        exchange = replace(
            exchange,
            status=response.status_code,
            reason=response.reason_phrase,
            response_headers=_text_pairs(headers),
            response_body=_decoded(response, raw),
            elapsed=elapsed,
        )
        self._judge(exchange, path, request.url)
        if self._recorder is not None:
            self._recorder.add(exchange)

    def _upstream_request(self, scope: Scope, body: bytes) -> httpx.Request:
        """The request to send upstream: the app's, on the upstream's URL, with nothing of httpx's added."""
        path = scope.get("raw_path") or scope["path"].encode()
        target = self.upstream.target(path, scope.get("query_string", b""))
        request = self._client.build_request(
            scope["method"], target, headers=request_headers(scope["headers"]), content=body
        )
        sent = {name.lower() for name, _ in scope["headers"]}
        for name in CLIENT_DEFAULTS:
            if name.encode() not in sent:
                del request.headers[name]
        return request

    async def _refuse(self, scope: Scope, send: Send, status: int, code: str, message: str) -> None:
        """Answer a request the proxy will not forward, in the spec's error envelope, and log it."""
        self._learn_from(scope)
        self._report(self._redactor.text(f"{PREFIX}{scope['method']} {scope['path']} -> {status}: {message}"))
        await send_bytes(send, status, self._envelopes.error(status, message, code), JSON)

    def _judge(self, exchange: Exchange, path: str, target: httpx.URL) -> None:
        operation = judge.operation_called(self.spec, exchange.method, path, target.path)
        if operation is None:
            return
        assert exchange.status is not None  # judged only when answered
        self.tally.checked += 1
        found = judge.violations(
            operation,
            request_headers=exchange.request_headers,
            request_body=exchange.request_body,
            status=exchange.status,
            response_headers=exchange.response_headers,
            body=exchange.response_body,
        )
        if not found:
            return
        self.tally.violations += len(found)
        learn_secrets(self._redactor, exchange)
        for violation in found:
            where = f"{exchange.method} {self._redactor.content(path)} -> {exchange.status}"
            self._report(f"{PREFIX}violation: {where}: {shown(violation, self._redactor)}")

    async def _fail(self, send: Send, path: str, unanswered: Exchange, exc: httpx.HTTPError) -> None:
        """Answer 504 (timeout) or 502 (anything else) in the spec's error envelope; log and record it."""
        if isinstance(exc, httpx.TimeoutException):
            status, code = 504, "gateway_timeout"
            message = f"the upstream did not answer within {self.timeout:g} s"
        else:
            status, code = 502, "bad_gateway"
            message = f"the upstream could not be reached ({_reason(exc)})"
        self.tally.failed += 1
        await send_bytes(send, status, self._envelopes.error(status, message, code), JSON)
        exchange = replace(unanswered, reason=f"{message}; the proxy answered {status}")
        learn_secrets(self._redactor, exchange)
        self._report(self._redactor.text(f"{PREFIX}{exchange.method} {path} -> {status}: {message}"))
        if self._recorder is not None:
            self._recorder.add(exchange)


def _reason(exc: httpx.HTTPError) -> str:
    # What failed by its kind (DNS, TLS, refused, reset), as the gate tells it, then httpx's words.
    text = str(exc).splitlines()[0] if str(exc) else ""
    kind = classify(exc).kind
    return f"{kind}: {text}" if text else kind


def _text_pairs(headers: list[tuple[bytes, bytes]]) -> list[tuple[str, str]]:
    return [(name.decode("latin-1"), value.decode("latin-1")) for name, value in headers]


def _decoded(response: httpx.Response, raw: bytes) -> bytes:
    """The body as the API meant it: gzip or deflate undone, for the checks and the HAR."""
    if "content-encoding" not in response.headers:
        return raw
    try:
        return httpx.Response(response.status_code, headers=response.headers, content=raw).content
    except httpx.DecodingError:
        return raw
