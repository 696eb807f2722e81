"""The mock as a raw ASGI 3 app: routing, auth and body limits, then the create operation.

Raw ASGI rather than a framework: the mock has one operation and one document to serve, and every
request it answers runs through this file, so the benchmark sees no routing or middleware layers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from phone_contract._spec import load_spec
from phone_contract.mock import faults as _faults
from phone_contract.mock.answers import Answers
from phone_contract.mock.asgi import (
    JSON,
    Disconnected,
    Receive,
    Scope,
    Send,
    TooLarge,
    dump,
    lifespan,
    read_body,
    send_bytes,
)
from phone_contract.mock.prefer import PreferError, Preferred, choose, preferences
from phone_contract.mock.store import DEFAULT_CAPACITY, NumberStore
from phone_contract.mock.validation import (
    MAX_BODY_BYTES,
    BadRequest,
    RequestValidator,
    decode_json,
    is_json_media_type,
)

# The documented development token: public on purpose, never a real credential.
DEFAULT_TOKEN = "freya-dev-token"  # noqa: S105
SPEC_ROUTE = "/openapi.yaml"
_AUTHENTICATE = (b"www-authenticate", b'Bearer realm="freya"')

_log = logging.getLogger(__name__)


class MockApp:
    """The stateful, spec-driven mock of ``POST /phone-numbers``. Build it with :func:`create_app`."""

    def __init__(
        self,
        *,
        tokens: Sequence[str],
        fault: str | None,
        spec_path: Path | None,
        capacity: int,
        slow_seconds: float,
        mount: str,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.fault = _faults.check_fault(fault)
        if isinstance(tokens, str) or not tokens or not all(isinstance(t, str) and t for t in tokens):
            raise ValueError("tokens must be a non-empty sequence of non-empty strings")
        if mount and (not mount.startswith("/") or mount.endswith("/")):
            raise ValueError(f"mount must be empty or start with '/' and not end with it, not {mount!r}")
        if slow_seconds < 0:
            raise ValueError(f"slow_seconds must not be negative, not {slow_seconds}")
        self._tokens = [t.encode() for t in tokens]
        self.store = NumberStore(capacity)
        self.slow_seconds = slow_seconds
        # What the slow fault waits with: a test hands one that records the wait instead of waiting.
        self.sleep = sleep
        spec = load_spec(spec_path)
        operation = spec.require_operation()
        self._spec_bytes, spec_type = spec.serialized()
        self._spec_type = spec_type.encode()
        self._validator = RequestValidator(spec)
        # Compiled once here, so that a request costs a few dict builds (accept-invalid re-checks values).
        self.answers = Answers(spec, trust_request=self.fault != "accept-invalid")
        self._targets = _faults.FaultTargets.of(self.answers)
        self.operation_path = mount + operation.path
        self.spec_path = mount + SPEC_ROUTE
        # Allow lists the methods the spec documents for the path, never a guess.
        self._op_allow = ", ".join(operation.path_methods).encode()
        self._success_status = self.answers.success_status

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await lifespan(receive, send)
            return
        if scope["type"] != "http":
            return
        try:
            await self._route(scope, receive, send)
        except Disconnected:
            return
        except Exception:
            # The tests prove no input gets here; if one ever does, answer like an API, not a traceback.
            _log.exception("mock: unexpected error")
            await self._error(send, 500, "Internal error in the mock")

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path == self.operation_path:
            if method != "POST":
                await self._error(send, 405, f"Method {method} not allowed on {path}", allow=self._op_allow)
                return
            await self._create(scope, receive, send)
        elif path == self.spec_path:
            if method not in ("GET", "HEAD"):
                await self._error(send, 405, f"Method {method} not allowed on {path}", allow=b"GET, HEAD")
                return
            body = b"" if method == "HEAD" else self._spec_bytes
            await send_bytes(send, 200, body, self._spec_type, length=len(self._spec_bytes))
        else:
            await self._error(send, 404, f"No such path: {path}")

    async def _create(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        token = self._authorized(headers.get(b"authorization"))
        if token is None and self.fault != "ignore-auth":
            await self._error(send, 401, "Missing or invalid bearer token")
            return
        payload = await self._payload(headers, receive, send)
        if payload is None:
            return
        # As with Prism, a preference is honoured for a request that is authorized and valid.
        if b"prefer" in headers and await self._preferred(scope, send):
            return
        refusal = self._refusal(payload)
        if refusal is not None:
            await self._error(send, *refusal)
            return
        body = created_body(payload, self.answers)
        if self.fault is not None:
            token_text = (token or b"").decode("latin-1")
            body = _faults.corrupt_created(self.fault, body, token_text, self.answers, self._targets)
        if self.fault == "slow":
            await self.sleep(self.slow_seconds)
        status = 200 if self.fault == "wrong-status" else self._success_status
        content_type = b"text/plain; charset=utf-8" if self.fault == "wrong-content-type" else JSON
        await send_bytes(send, status, dump(body) if self.answers.has_body else b"", content_type)

    async def _payload(
        self, headers: dict[bytes, bytes], receive: Receive, send: Send
    ) -> dict[str, Any] | None:
        """The valid create payload; None once a 400 or 413 has been answered instead."""
        try:
            return await self._read_payload(headers, receive)
        except BadRequest as exc:
            await self._error(send, 400, str(exc))
        except TooLarge:
            await self._error(send, 413, f"Request body exceeds {MAX_BODY_BYTES} bytes")
        return None

    def _refusal(self, payload: dict[str, Any]) -> tuple[int, str] | None:
        """Why a valid payload is not created (status, message), or None once it is stored."""
        targets = self._targets
        if self.fault == "reject-valid" and _faults.rejects_valid(payload, targets):
            return 400, f"{targets.long_text}: must be at most {_faults.REJECT_VALID_MAX_LENGTH} characters"
        if self.fault == "server-error-edge" and _faults.hits_edge(payload, targets):
            return 500, "Internal server error"
        # The one thing the operation remembers: a number exists once per workspace.
        stored = self.store.add(_text(payload.get("workspaceId")), _text(payload.get("number")))
        if not stored and self.fault != "accept-duplicate":
            return 409, f"Phone number {payload.get('number')} already exists in this workspace"
        return None

    async def _preferred(self, scope: Scope, send: Send) -> bool:
        """Answer what ``Prefer`` asks for, creating nothing; False if it asks for nothing we read."""
        wanted = preferences(value for name, value in scope["headers"] if name == b"prefer")
        if not wanted:
            return False
        try:
            preferred: Preferred = choose(self.answers, wanted)
        except PreferError as exc:
            await self._error(send, 400, str(exc))
            return True
        extra = [_AUTHENTICATE] if preferred.status == 401 else []
        if preferred.body is None:
            await send({"type": "http.response.start", "status": preferred.status, "headers": extra})
            await send({"type": "http.response.body", "body": b""})
        else:
            await send_bytes(send, preferred.status, preferred.body, JSON, extra)
        return True

    async def _error(self, send: Send, status: int, message: str, *, allow: bytes = b"") -> None:
        """The spec's error envelope for ``status``, with ``Allow`` (405) or ``WWW-Authenticate`` (401)."""
        extra = [(b"allow", allow)] if allow else []
        if status == 401:
            extra.append(_AUTHENTICATE)
        await send_bytes(send, status, self.answers.error(status, message), JSON, extra)

    def _authorized(self, header: bytes | None) -> bytes | None:
        """The bearer token if it is one of ours; None for a missing, malformed or wrong one."""
        if header is None:
            return None
        scheme, _, token = header.partition(b" ")
        token = token.strip(b" ")
        if scheme.lower() != b"bearer" or not token:
            return None
        # Compare with every token in constant time, so timing tells nothing about a near miss.
        matched = False
        for known in self._tokens:
            matched |= hmac.compare_digest(token, known)
        return token if matched else None

    async def _read_payload(self, headers: dict[bytes, bytes], receive: Receive) -> dict[str, Any]:
        content_type = headers.get(b"content-type")
        text_type = None if content_type is None else content_type.decode("latin-1")
        if not is_json_media_type(text_type):
            raise BadRequest(f"content-type: expected application/json, got {text_type or 'none'}"[:300])
        declared = headers.get(b"content-length", b"")
        # Length first: int() of a 5000-digit header would trip Python's digit limit.
        if declared.isdigit() and (len(declared) > 9 or int(declared) > MAX_BODY_BYTES):
            raise TooLarge
        value = decode_json(await read_body(receive, MAX_BODY_BYTES))
        if self.fault == "accept-invalid":
            return _faults.salvage(value, self._targets)
        problem = self._validator.error(value)
        if problem is not None:
            raise BadRequest(problem)
        result: dict[str, Any] = value
        return result


def created_body(payload: dict[str, Any], answers: Answers) -> Any:
    """The 201 body of a create the mock stores: one module-level call per stored number, which a test
    harness may wrap to record what a whole gate run created (tests/gate/record_creates.py)."""
    return answers.created_body(payload)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def create_app(
    *,
    tokens: Sequence[str] = (DEFAULT_TOKEN,),
    fault: str | None = None,
    spec_path: Path | None = None,
    capacity: int = DEFAULT_CAPACITY,
    slow_seconds: float = 2.5,
    mount: str = "",
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> MockApp:
    """The mock as an ASGI app: ``POST {mount}/phone-numbers`` and the spec at ``{mount}/openapi.yaml``.

    Embedded use, no network::

        app = create_app(fault="wrong-status")
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mock")
    """
    return MockApp(
        tokens=tokens,
        fault=fault,
        spec_path=spec_path,
        capacity=capacity,
        slow_seconds=slow_seconds,
        mount=mount,
        sleep=sleep,
    )
