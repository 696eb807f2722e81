"""What the mock answers for one operation, built from the spec's responses at start-up: the success
envelope around the resource(s), error envelopes, and every documented response (for ``Prefer``).

Only what an operation *does* is written here by hand: a fresh ``id``, the timestamps the spec names
(``x-phone-contract-resource``), and the fall-back error codes. Every field, its place in the envelope
and its value otherwise come from the spec, so adding or removing a response field in the spec changes
the answers with no code change.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from phone_contract._spec import JSON, Operation, ResponseSpec, Role, properties_of
from phone_contract.mock.asgi import dump
from phone_contract.mock.echo import Echoing
from phone_contract.mock.records import new_id, rfc3339
from phone_contract.mock.template import MISSING, Node, compile_node, with_value

# HTTP's own words for an error status, where the spec documents no example with a code of its own.
CODES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    500: "internal_error",
}
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
# A prefix an example id starts with (``pn_`` of ``pn_01J9...``): new ids look like the documented ones.
_ID_PREFIX = re.compile(r"^[A-Za-z]+_")
_ONE_TICK = timedelta(milliseconds=1)


@dataclass(frozen=True)
class Documented:
    """One documented answer ``Prefer`` can pick: status, body (None: no JSON body) and its examples.

    ``echoing`` holds, for the success response of a create or an update, each example (by name; None
    for ``body``) as an answer that echoes what the request sent, as the spec says a success does.
    """

    status: int
    body: bytes | None
    examples: dict[str, bytes]
    echoing: dict[str | None, Echoing] = field(default_factory=dict)

    def answer(self, example: str | None, payload: Mapping[str, Any] | None) -> bytes | None:
        """The body of ``example`` (None: the response's own) answering ``payload``, the valid request
        body (None for an operation that takes none)."""
        echoing = self.echoing.get(example)
        if echoing is not None and payload is not None:
            return echoing.body(payload)
        return self.body if example is None else self.examples[example]


class Answers:
    """One operation's answers, compiled once from the spec.

    ``trust_request=False`` re-checks every sent value against the response schema before it is echoed
    (for the accept-invalid fault, whose payloads were never validated).
    """

    def __init__(self, operation: Operation, *, trust_request: bool = True) -> None:
        self.operation = operation
        spec = operation.spec
        semantics = operation.semantics
        self.semantics = semantics
        self.resource_spec = semantics.resource
        self.success_status = operation.success_status
        success = operation.response_for(self.success_status)
        schema = success.schema() if success is not None else None
        # A success response documented without a JSON body is answered without one.
        self.has_body = schema is not None
        example = _first_example(success)
        self.root = compile_node(spec, schema, "body", example)
        self.answer_path = semantics.answer if semantics.role is not Role.OTHER else ()
        place = self.root.at(self.answer_path) if self.answer_path else None
        # The resource as documented: the object at the answer's place, or the item of the list there.
        node = place.items if place is not None and semantics.many else place
        resource_example = _at_example(example, self.answer_path, semantics.many)
        sent = _sent_schema(operation, trust_request)
        self.resource: Node | None = (
            compile_node(spec, node.schema, node.name, resource_example, sent) if node is not None else None
        )
        # The dicts around the answer's place, from the root down: copied, never changed, per answer.
        self._parents: list[Any] = []
        tree = self.root.default
        for key in self.answer_path:
            self._parents.append(tree)
            tree = tree.get(key) if isinstance(tree, dict) else None
        resource = self.resource_spec
        self._id_node = (
            (self.resource.properties or {}).get(resource.id)
            if self.resource is not None and resource is not None and resource.id
            else None
        )
        self._id_prefix = _id_prefix(self._id_node)
        self._unchanging = frozenset(resource.unchanging if resource is not None else ())
        self._counter = itertools.count(1)
        self._errors = {status: self._error_shape(status) for status in CODES}
        self.documented = self._documented()

    # --- the resource(s) ----------------------------------------------------------------------------

    def new_resource(self, payload: Mapping[str, Any], now: datetime) -> dict[str, Any]:
        """A created resource for a valid create ``payload``: sent fields as sent, the spec's values for
        the rest, a fresh id and the creation time where the spec names them."""
        assert self.resource is not None
        resource = self.resource.answer(payload)
        assert type(resource) is dict
        if self._id_node is not None and self.resource_spec is not None and self.resource_spec.id:
            resource[self.resource_spec.id] = self._new_id()
        stamp = rfc3339(now)
        for name in self._stamps():
            if name in resource:
                resource[name] = stamp
        return resource

    def updated_resource(self, stored: Mapping[str, Any], item: Mapping[str, Any], now: datetime) -> Any:
        """``stored`` with an update ``item`` merged in (objects field by field, anything else replaced);
        what never changes kept, the update time moved forward."""
        assert self.resource is not None
        assert self.resource_spec is not None
        unchanging, updated = self._unchanging, self.resource_spec.updated
        # Left out of what is merged, the fields that never change keep the stored values.
        answered = self.resource.merged(stored, {k: v for k, v in item.items() if k not in unchanging})
        if type(answered) is dict and updated and updated in answered:
            answered[updated] = rfc3339(later(stored.get(updated), now))
        return answered

    def body(self, resources: Sequence[Any]) -> Any:
        """The success body holding ``resources`` (one, for a create) at the answer's place."""
        inner: Any = list(resources) if self.semantics.many else resources[0]
        if not self.answer_path:
            return inner if self.resource is not None else self.root.default
        for parent, key in zip(reversed(self._parents), reversed(self.answer_path), strict=True):
            inner = {**parent, key: inner}
        return inner

    def _stamps(self) -> tuple[str, ...]:
        resource = self.resource_spec
        if resource is None:
            return ()
        return tuple(name for name in (resource.created, resource.updated) if name)

    def _new_id(self) -> Any:
        node = self._id_node
        assert node is not None
        if node.kind == "integer":
            return next(self._counter)
        if node.schema.get("format") == "uuid":
            return str(uuid.uuid4())
        return new_id(self._id_prefix)

    # --- errors -------------------------------------------------------------------------------------

    def error(self, status: int, message: str, code: str | None = None) -> bytes:
        """The error envelope of ``status`` (its documented response, else the first documented error's)."""
        shape = self._errors.get(status) or self._error_shape(status)
        return dump(shape.body(code or shape.code or CODES.get(status, "error"), message))

    def _error_shape(self, status: int) -> _ErrorShape:
        operation = self.operation
        response = operation.response_for(status)
        own = response is not None and response.schema() is not None
        if not own:
            fallback = [code for code in operation.error_statuses if code < 500] or operation.error_statuses
            response = operation.response_for(fallback[0]) if fallback else None
        schema = response.schema() if response is not None else None
        example = _first_example(response)
        node = compile_node(operation.spec, schema or _FALLBACK_ERROR, "error", example)
        code_slot = _slot(node, "code")
        # The code the spec's own example gives this status: the API's word for it.
        leaf = node.at(code_slot) if own and code_slot and example is not MISSING else None
        documented = leaf.default if leaf is not None else None
        return _ErrorShape(
            node, code_slot, _slot(node, "message"), documented if isinstance(documented, str) else None
        )

    # --- documented responses, for Prefer -----------------------------------------------------------

    def _documented(self) -> dict[str, Documented]:
        found: dict[str, Documented] = {}
        spec = self.operation.spec
        success = self.operation.response_for(self.success_status)
        for key, response in self.operation.responses.items():
            status = _status_of(key)
            schema = response.schema(JSON)
            if schema is None:
                found[key] = Documented(status, None, {})
                continue
            named = {
                name: compile_node(spec, schema, "body", value)
                for name, value in response.examples(JSON).items()
            }
            examples = {name: dump(node.default) for name, node in named.items()}
            first = next(iter(named.values()), None)
            if examples:
                body = next(iter(examples.values()))
            elif status >= 400:
                summary = (response.description.strip().splitlines() or [f"Status {status}"])[0]
                body = self.error(status, summary[:300])
            else:
                first = compile_node(spec, schema, "body")
                body = dump(first.default)
            is_success = success is not None and key == success.key
            echoing = self._echoing(named, first) if is_success else {}
            found[key] = Documented(status, body, examples, echoing)
        return found

    def _echoing(self, named: Mapping[str, Node], first: Node | None) -> dict[str | None, Echoing]:
        """The success response's bodies (each example by name, and None: the response's own) as
        answers that echo what a request sent; empty for an operation that echoes nothing."""
        bodies: list[tuple[str | None, Node]] = list(named.items())
        if first is not None:
            bodies.append((None, first))
        return {
            name: echoing
            for name, node in bodies
            if (echoing := Echoing.of(self.semantics, node)) is not None
        }


def later(previous: Any, now: datetime) -> datetime:
    """``now``, or one tick after ``previous`` when the clock has not moved past it: an update's time
    never goes back, and a second update in the same millisecond still moves it."""
    try:
        before = datetime.fromisoformat(str(previous).replace("Z", "+00:00"))
    except ValueError:
        return now
    if before.tzinfo is None:
        return now
    return max(now, before + _ONE_TICK)


@dataclass(frozen=True)
class _ErrorShape:
    node: Node
    code_slot: tuple[str, ...] | None
    message_slot: tuple[str, ...] | None
    code: str | None

    def body(self, code: str, message: str) -> Any:
        body = self.node.default
        for path, value in ((self.code_slot, code), (self.message_slot, message)):
            if path is not None and (leaf := self.node.at(path)) is not None and leaf.accepts(value):
                body = with_value(body, path, value)
        return body


def _sent_schema(operation: Operation, trusted: bool) -> Mapping[str, Any] | None:
    """The request schema of one addressed item (the body, or an update's item): where a value the
    resource echoes was validated. None: nothing is trusted, every sent value is checked again."""
    request = operation.request_schema()
    semantics = operation.semantics
    if not trusted or request is None:
        return None
    if semantics.items is None:
        return request
    node: Any = request
    for key in semantics.items:
        node = properties_of(node).get(key)
    items = node.get("items") if isinstance(node, Mapping) else None
    return items if isinstance(items, Mapping) else None


def _id_prefix(node: Node | None) -> str:
    example = node.default if node is not None else None
    match = _ID_PREFIX.match(example) if isinstance(example, str) else None
    return match.group(0) if match else ""


def _at_example(example: Any, path: tuple[str, ...], many: bool) -> Any:
    for key in path:
        example = example.get(key, MISSING) if isinstance(example, dict) else MISSING
    if many:
        return example[0] if isinstance(example, list) and example else MISSING
    return example


def _slot(node: Node, name: str) -> tuple[str, ...] | None:
    return node.find(lambda found: found.name == name and found.properties is None)


def _first_example(response: ResponseSpec | None) -> Any:
    examples = response.examples(JSON) if response is not None else {}
    return next(iter(examples.values()), MISSING)


def _status_of(key: str) -> int:
    """``201`` -> 201; a range ``4XX`` -> 400; ``default`` -> 500 (what it answers when asked by example)."""
    if key.isdigit():
        return int(key)
    return int(key[0]) * 100 if key[:1].isdigit() else 500
