"""The mock as a raw ASGI 3 app: routing, auth and body limits, then the create operation.

Raw ASGI rather than a framework: the mock has one operation and one document to serve, and every
request it answers runs through this file, so the benchmark sees no routing or middleware layers.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from phone_contract._spec import load_spec
from phone_contract.mock import faults as _faults
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
    send_json,
)
from phone_contract.mock.records import created_body, error_body
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
REJECT_VALID_MAX_LENGTH = 15

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
        spec = load_spec(spec_path)
        operation = spec.require_operation()
        self._spec_bytes = spec.serialized()[0]
        self._validator = RequestValidator(spec)
        self.operation_path = mount + operation.path
        self.spec_path = mount + SPEC_ROUTE
        # Allow lists the methods the spec documents for the path, never a guess.
        self._op_allow = ", ".join(operation.path_methods).encode()

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
            await send_json(send, 500, error_body("internal_error", "Internal error in the mock"))

    async def _route(self, scope: Scope, receive: Receive, send: Send) -> None:
        path, method = scope["path"], scope["method"]
        if path == self.operation_path:
            if method != "POST":
                message = f"Method {method} not allowed on {path}"
                await send_json(send, 405, error_body("method_not_allowed", message), allow=self._op_allow)
                return
            await self._create(scope, receive, send)
        elif path == self.spec_path:
            if method not in ("GET", "HEAD"):
                message = f"Method {method} not allowed on {path}"
                await send_json(send, 405, error_body("method_not_allowed", message), allow=b"GET, HEAD")
                return
            body = b"" if method == "HEAD" else self._spec_bytes
            await send_bytes(send, 200, body, b"application/yaml", length=len(self._spec_bytes))
        else:
            await send_json(send, 404, error_body("not_found", f"No such path: {path}"))

    async def _create(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        token = self._authorized(headers.get(b"authorization"))
        if token is None and self.fault != "ignore-auth":
            await send_json(
                send, 401, error_body("unauthorized", "Missing or invalid bearer token"), auth=True
            )
            return
        try:
            payload = await self._read_payload(headers, receive)
        except BadRequest as exc:
            await send_json(send, 400, error_body("validation_error", str(exc)))
            return
        except TooLarge:
            message = f"Request body exceeds {MAX_BODY_BYTES} bytes"
            await send_json(send, 413, error_body("payload_too_large", message))
            return
        if self.fault == "reject-valid" and len(payload["number"]) > REJECT_VALID_MAX_LENGTH:
            message = f"number: must be at most {REJECT_VALID_MAX_LENGTH} characters"
            await send_json(send, 400, error_body("validation_error", message))
            return
        if self.fault == "server-error-edge" and len(_sip_headers(payload)) >= 2:
            await send_json(send, 500, error_body("internal_error", "Internal server error"))
            return
        created = self.store.add(payload["workspaceId"], payload["number"])
        if not created and self.fault != "accept-duplicate":
            message = f"Phone number {payload['number']} already exists in this workspace"
            await send_json(send, 409, error_body("phone_number_exists", message))
            return
        body = _faults.corrupt_created(self.fault, created_body(payload), (token or b"").decode("latin-1"))
        if self.fault == "slow":
            await asyncio.sleep(self.slow_seconds)
        status = 200 if self.fault == "wrong-status" else 201
        content_type = b"text/plain; charset=utf-8" if self.fault == "wrong-content-type" else JSON
        await send_bytes(send, status, dump(body), content_type)

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
            return _faults.salvage(value, self._validator)
        problem = self._validator.error(value)
        if problem is not None:
            raise BadRequest(problem)
        result: dict[str, Any] = value
        return result


def _sip_headers(payload: dict[str, Any]) -> list[Any]:
    headers = payload.get("config", {}).get("sipOutbound", {}).get("headers", [])
    return headers if isinstance(headers, list) else []


def create_app(
    *,
    tokens: Sequence[str] = (DEFAULT_TOKEN,),
    fault: str | None = None,
    spec_path: Path | None = None,
    capacity: int = DEFAULT_CAPACITY,
    slow_seconds: float = 2.5,
    mount: str = "",
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
    )
