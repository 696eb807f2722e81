"""What the mock answers, built from the spec's responses at start-up: the created number, error envelopes,
and every documented response by status and example (for ``Prefer``).

Only what the operation *does* is written here by hand: a fresh ``id``, ``createdAt``/``updatedAt``
now, and the error codes. Every field, its place in the envelope and its value otherwise come from
the spec, so adding or removing a response field in the spec changes the answers with no code change.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from phone_contract._spec import JSON, ResponseSpec, Spec
from phone_contract.mock.asgi import dump
from phone_contract.mock.records import new_id, rfc3339
from phone_contract.mock.template import MISSING, Node, compile_node

# The error codes the mock answers with where the spec gives none (it documents statuses, not codes).
CODES = {
    400: "validation_error",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "phone_number_exists",
    413: "payload_too_large",
    500: "internal_error",
}
# What the operation stamps on the created resource, when the response documents it.
STAMPED = ("createdAt", "updatedAt")
# Where a spec documents no error response at all, the mock still answers errors in this envelope.
_FALLBACK_ERROR = {
    "type": "object",
    "properties": {
        "success": {"const": False},
        "error": {
            "type": "object",
            "properties": {"code": {"type": "string"}, "message": {"type": "string"}},
        },
    },
}


@dataclass(frozen=True)
class Documented:
    """One documented answer ``Prefer`` can pick: status, body (None: no JSON body) and its examples."""

    status: int
    body: bytes | None
    examples: dict[str, bytes]


class Answers:
    """The create operation's answers, compiled once from ``spec``.

    ``trust_request=False`` re-checks every sent value against the response schema before it is echoed
    (for the accept-invalid fault, whose payloads were never validated).
    """

    def __init__(self, spec: Spec, *, trust_request: bool = True) -> None:
        operation = spec.require_operation()
        self.operation = operation
        self.success_status = operation.success_status
        success = operation.response_for(self.success_status)
        schema = success.schema() if success is not None else None
        # A success response documented without a JSON body is answered without one.
        self.has_body = schema is not None
        example = _first_example(success)
        self.root = compile_node(spec, schema, "body", example)
        self.created_path = operation.created_path
        created_example: Any = example
        for key in self.created_path:
            created_example = (
                created_example.get(key, MISSING) if isinstance(created_example, dict) else MISSING
            )
        created = self.root.at(self.created_path) or self.root
        # Without the request schema, no leaf is trusted: every sent value is checked before it is echoed.
        request = operation.request_schema() if trust_request else None
        self.created = compile_node(spec, created.schema, created.name, created_example, request)
        # The dicts around the created resource, from the root down: copied, never changed, per answer.
        self._parents: list[Any] = []
        node = self.root.default
        for key in self.created_path:
            self._parents.append(node)
            node = node.get(key) if isinstance(node, dict) else None
        self._id_node = (self.created.properties or {}).get("id")
        self._counter = itertools.count(1)
        self._errors = {status: self._error_shape(status) for status in CODES}
        self.documented = self._documented()

    # --- the created resource -----------------------------------------------------------------------

    def created_body(self, payload: Mapping[str, Any], now: datetime | None = None) -> Any:
        """The success body for a valid create ``payload``: sent fields as sent, the spec's values for the
        rest, a fresh id and the creation time."""
        resource = self.created.answer(payload)
        if type(resource) is dict:
            if self._id_node is not None:
                resource["id"] = self._new_id()
            stamp = rfc3339(now or datetime.now(UTC))
            for name in STAMPED:
                if name in resource:
                    resource[name] = stamp
        body = resource
        for parent, key in zip(reversed(self._parents), reversed(self.created_path), strict=True):
            body = {**parent, key: body}
        return body

    def _new_id(self) -> Any:
        node = self._id_node
        assert node is not None
        if node.kind == "integer":
            return next(self._counter)
        if node.schema.get("format") == "uuid":
            return str(uuid.uuid4())
        return new_id()

    # --- errors -------------------------------------------------------------------------------------

    def error(self, status: int, message: str, code: str | None = None) -> bytes:
        """The error envelope of ``status`` (its documented response, else the first documented error's)."""
        shape = self._errors.get(status) or self._error_shape(status)
        return dump(shape.body(code or CODES.get(status, "error"), message))

    def _error_shape(self, status: int) -> _ErrorShape:
        operation = self.operation
        response = operation.response_for(status)
        if response is None or response.schema() is None:
            fallback = [code for code in operation.error_statuses if code < 500] or operation.error_statuses
            response = operation.response_for(fallback[0]) if fallback else None
        schema = response.schema() if response is not None else None
        node = compile_node(operation.spec, schema or _FALLBACK_ERROR, "error", _first_example(response))
        return _ErrorShape(node, _slot(node, "code"), _slot(node, "message"))

    # --- documented responses, for Prefer -----------------------------------------------------------

    def _documented(self) -> dict[str, Documented]:
        found: dict[str, Documented] = {}
        spec = self.operation.spec
        for key, response in self.operation.responses.items():
            status = _status_of(key)
            schema = response.schema(JSON)
            if schema is None:
                found[key] = Documented(status, None, {})
                continue
            examples = {
                name: dump(compile_node(spec, schema, "body", value).default)
                for name, value in response.examples(JSON).items()
            }
            if examples:
                body = next(iter(examples.values()))
            elif status >= 400:
                summary = (response.description.strip().splitlines() or [f"Status {status}"])[0]
                body = self.error(status, summary[:300])
            else:
                body = dump(compile_node(spec, schema, "body").default)
            found[key] = Documented(status, body, examples)
        return found


@dataclass(frozen=True)
class _ErrorShape:
    node: Node
    code: tuple[str, ...] | None
    message: tuple[str, ...] | None

    def body(self, code: str, message: str) -> Any:
        body = self.node.default
        for path, value in ((self.code, code), (self.message, message)):
            if path is not None and (leaf := self.node.at(path)) is not None and leaf.accepts(value):
                body = _with(body, path, value)
        return body


def _slot(node: Node, name: str) -> tuple[str, ...] | None:
    return node.find(lambda found: found.name == name and found.properties is None)


def _with(tree: Any, path: tuple[str, ...], value: Any) -> Any:
    """``tree`` with ``value`` at ``path``; the dicts along the path are copied, the rest shared."""
    if not path:
        return value
    inner = tree.get(path[0]) if isinstance(tree, dict) else None
    return {**(tree if isinstance(tree, dict) else {}), path[0]: _with(inner, path[1:], value)}


def _first_example(response: ResponseSpec | None) -> Any:
    examples = response.examples(JSON) if response is not None else {}
    return next(iter(examples.values()), MISSING)


def _status_of(key: str) -> int:
    """``201`` -> 201; a range ``4XX`` -> 400; ``default`` -> 500 (what it answers when asked by example)."""
    if key.isdigit():
        return int(key)
    return int(key[0]) * 100 if key[:1].isdigit() else 500
