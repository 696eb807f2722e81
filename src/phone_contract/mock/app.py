"""The mock as a raw ASGI 3 app: routing, auth and body limits, then the operation called.

Raw ASGI rather than a framework: every request the mock answers runs through this file, so the
benchmark sees no routing or middleware layers. What each operation does is ``mock.operations``.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from phone_contract._spec import HTTP_METHODS, Operation, Role, Spec, load_spec, properties_of
from phone_contract.mock import faults as _faults
from phone_contract.mock.answers import CODES
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
from phone_contract.mock.operations import Behaviour, OperationMock, Refused, Sleep
from phone_contract.mock.prefer import PreferError, choose, preferences
from phone_contract.mock.store import DEFAULT_CAPACITY, ResourceStore
from phone_contract.mock.validation import MAX_BODY_BYTES, BadRequest, decode_json, is_json_media_type

# The documented development token: public on purpose, never a real credential.
DEFAULT_TOKEN = "freya-dev-token"  # noqa: S105
SPEC_ROUTE = "/openapi.yaml"
_AUTHENTICATE = (b"www-authenticate", b'Bearer realm="freya"')

_log = logging.getLogger(__name__)


class MockApp:
    """The stateful, spec-driven mock of every operation of a spec. Build it with :func:`create_app`."""

    def __init__(
        self,
        *,
        tokens: Sequence[str],
        fault: str | None,
        spec_path: Path | None,
        capacity: int,
        slow_seconds: float,
        mount: str,
        sleep: Sleep | None = None,
    ) -> None:
        self.fault = _faults.check_fault(fault)
        if isinstance(tokens, str) or not tokens or not all(isinstance(t, str) and t for t in tokens):
            raise ValueError("tokens must be a non-empty sequence of non-empty strings")
        if mount and (not mount.startswith("/") or mount.endswith("/")):
            raise ValueError(f"mount must be empty or start with '/' and not end with it, not {mount!r}")
        if slow_seconds < 0:
            raise ValueError(f"slow_seconds must not be negative, not {slow_seconds}")
        self._tokens = [t.encode() for t in tokens]
        self.slow_seconds = slow_seconds
        spec = load_spec(spec_path)
        self.spec = spec
        self.mount = mount
        self._spec_bytes, spec_type = spec.serialized()
        self._spec_type = spec_type.encode()
        behaviour = Behaviour(fault, slow_seconds) if sleep is None else Behaviour(fault, slow_seconds, sleep)
        # What the slow fault waits with (asyncio.sleep, unless the app was handed another).
        self.sleep = behaviour.sleep
        self.stores: dict[str, ResourceStore] = {}
        self.operations = {
            operation: OperationMock(operation, self._store_for(operation, capacity), behaviour)
            for operation in spec.require_operations()
        }
        # Most requests name a path without parameters: one dict lookup finds their operation.
        self._exact = {
            (operation.method.upper(), mount + operation.path): mocked
            for operation, mocked in self.operations.items()
            if "{" not in operation.path
        }
        self.spec_path = mount + SPEC_ROUTE
        # The API's root as served: the spec's paths go under it.
        self.root = mount

    def _store_for(self, operation: Operation, capacity: int) -> ResourceStore | None:
        """One store per kind of resource (its documented fields), shared by the operations on it."""
        resource = operation.semantics.resource
        if resource is None or operation.semantics.role is Role.OTHER:
            return None
        kind = json.dumps(sorted(properties_of(resource.schema)))
        return self.stores.setdefault(kind, ResourceStore(resource, capacity))

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
        mocked = self._exact.get((method, path)) or self._match(method, path)
        if mocked is not None:
            await self._call(mocked, scope, receive, send)
        elif path == self.spec_path:
            if method not in ("GET", "HEAD"):
                await self._error(send, 405, f"Method {method} not allowed on {path}", allow=b"GET, HEAD")
                return
            body = b"" if method == "HEAD" else self._spec_bytes
            await send_bytes(send, 200, body, self._spec_type, length=len(self._spec_bytes))
        else:
            served = self._methods_on(path)
            if served:
                # Allow lists the methods the spec documents for the path, never a guess.
                allow = ", ".join(served).encode()
                await self._error(send, 405, f"Method {method} not allowed on {path}", allow=allow)
            else:
                await self._error(send, 404, f"No such path: {path}")

    def _match(self, method: str, path: str) -> OperationMock | None:
        if self.mount and not path.startswith(self.mount + "/"):
            return None
        relative = path[len(self.mount) :]
        found = [mocked for op, mocked in self.operations.items() if op.matches(method, relative)]
        return found[0] if found else None

    def _methods_on(self, path: str) -> list[str]:
        relative = path[len(self.mount) :] if path.startswith(self.mount + "/") or not self.mount else None
        if relative is None:
            return []
        methods = {op.method for op in self.operations if op.matches(op.method, relative)}
        return [method.upper() for method in HTTP_METHODS if method in methods]

    async def _call(self, mocked: OperationMock, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        token = self._authorized(headers.get(b"authorization"))
        if token is None and mocked.operation.bearer_required and self.fault != "ignore-auth":
            await self._error(send, 401, "Missing or invalid bearer token", mocked)
            return
        try:
            if mocked.parameters:
                relative = scope["path"][len(self.mount) :]
                mocked.parameters.check(relative, scope.get("query_string", b""), headers)
            payload = await self._payload(mocked, headers, receive)
            # As with Prism, a preference is honoured for a request that is authorized and valid.
            if b"prefer" in headers and await self._preferred(mocked, scope, send, payload):
                return
            await mocked.answer(
                send, payload, scope.get("query_string", b""), (token or b"").decode("latin-1")
            )
        except BadRequest as exc:
            await self._error(send, 400, str(exc), mocked)
        except TooLarge:
            await self._error(send, 413, f"Request body exceeds {MAX_BODY_BYTES} bytes", mocked)
        except Refused as exc:
            await self._error(send, exc.status, str(exc), mocked)

    async def _payload(
        self, mocked: OperationMock, headers: dict[bytes, bytes], receive: Receive
    ) -> dict[str, Any] | None:
        """The valid request body; None for an operation that takes none. BadRequest, TooLarge, Refused."""
        if mocked.validator is None:
            return None
        content_type = headers.get(b"content-type")
        text_type = None if content_type is None else content_type.decode("latin-1")
        if not is_json_media_type(text_type):
            raise BadRequest(f"content-type: expected application/json, got {text_type or 'none'}"[:300])
        declared = headers.get(b"content-length", b"")
        # Length first: int() of a 5000-digit header would trip Python's digit limit.
        if declared.isdigit() and (len(declared) > 9 or int(declared) > MAX_BODY_BYTES):
            raise TooLarge
        return mocked.check(decode_json(await read_body(receive, MAX_BODY_BYTES)))

    async def _preferred(
        self, mocked: OperationMock, scope: Scope, send: Send, payload: dict[str, Any] | None
    ) -> bool:
        """Answer what ``Prefer`` asks for, changing nothing; False if it asks for nothing we read."""
        wanted = preferences(value for name, value in scope["headers"] if name == b"prefer")
        if not wanted:
            return False
        try:
            preferred = choose(mocked.answers, wanted, payload)
        except PreferError as exc:
            raise Refused(400, str(exc)) from None
        extra = [_AUTHENTICATE] if preferred.status == 401 else []
        if preferred.body is None:
            await send({"type": "http.response.start", "status": preferred.status, "headers": extra})
            await send({"type": "http.response.body", "body": b""})
        else:
            await send_bytes(send, preferred.status, preferred.body, JSON, extra)
        return True

    async def _error(
        self,
        send: Send,
        status: int,
        message: str,
        mocked: OperationMock | None = None,
        *,
        allow: bytes = b"",
    ) -> None:
        """The spec's error envelope for ``status``, with ``Allow`` (405) or ``WWW-Authenticate`` (401)."""
        extra = [(b"allow", allow)] if allow else []
        if status == 401:
            extra.append(_AUTHENTICATE)
        if mocked is None:
            # No operation was called (an unknown path, a method the path does not serve): the first
            # operation's envelope, with HTTP's own word for the status, not an operation's code.
            body = next(iter(self.operations.values())).answers.error(status, message, CODES.get(status))
        else:
            body = mocked.answers.error(status, message)
        await send_bytes(send, status, body, JSON, extra)

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


def create_app(
    *,
    tokens: Sequence[str] = (DEFAULT_TOKEN,),
    fault: str | None = None,
    spec_path: Path | None = None,
    capacity: int = DEFAULT_CAPACITY,
    slow_seconds: float = 2.5,
    mount: str = "",
    sleep: Sleep | None = None,
) -> MockApp:
    """The mock as an ASGI app: every operation of the spec under ``mount``, the spec at
    ``{mount}/openapi.yaml``. ``sleep`` is what the slow fault waits with (``asyncio.sleep``).

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


def served_operations(spec: Spec) -> str:
    """``POST /phone-numbers, PUT /phone-numbers``: what a served mock's start line lists."""
    return ", ".join(operation.label for operation in spec.operations)


__all__ = ["DEFAULT_TOKEN", "SPEC_ROUTE", "MockApp", "create_app", "dump", "served_operations"]
