"""The named ways the mock can break the contract on purpose, to prove that the gate catches each one.

Each fault changes exactly one behaviour of the clean mock, in every operation it can apply to; what a
fault that names a kind of field strikes is derived from the spec (see :class:`FaultTargets`), so
``phone-contract mock --list-faults --spec PATH`` says where each one strikes for that spec.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import Any

from phone_contract.mock.answers import Answers
from phone_contract.mock.records import rfc3339
from phone_contract.mock.template import Node, compile_node

# name -> the one contract rule it breaks. Every operation it can apply to breaks it.
FAULTS: Mapping[str, str] = MappingProxyType(
    {
        "wrong-status": "success answers another 2xx status than the documented one",
        "wrong-content-type": "the success body is sent as text/plain instead of application/json",
        "field-wrong-type": 'a boolean (else number) field of the resource answers the string "no"',
        "field-missing": "a required field of the resource (one the request sends, if any) is left out",
        "enum-out-of-range": "an enum field of the resource answers a value outside its enum",
        "bad-datetime": 'a date-time field of the resource answers "26/11/2026 10:15", not RFC 3339',
        "broken-envelope": "the resource sits straight in the success body, without the objects around it",
        "undocumented-field": "the resource grows an undocumented carrier field (valid in the open schema)",
        "ignore-auth": "any bearer token, or none, is accepted instead of answering 401",
        "accept-invalid": "a body that breaks the request schema is accepted (2xx) instead of answering 400",
        "reject-valid": "a valid request whose top-level text field is longer than 15 characters gets 400",
        # Not the list an update addresses by: then every update of two numbers would fail.
        "server-error-edge": "a valid body holding a nested array of 2 or more items gets a 500",
        "drop-sent-field": "an optional text field that was sent is not echoed back in the resource",
        "accept-duplicate": "a value the spec says is unique in its scope is accepted again (not 409)",
        "slow": "success answers only after a delay (slow_seconds, 2.5 s by default)",
        "echo-token": "the caller's bearer token is echoed into a text field of the success body",
        # What an update does to what was stored: each breaks one property of the gate's lifecycle.
        "reused-id": "every created resource answers the id of the first one",
        "update-moves-created": "an update changes the creation time it must keep",
        "update-rewinds-updated": "an update sets the update time before the one it had",
        "update-forgets": "an update answers the change but stores nothing of it",
        "update-any-scope": "an update finds an id in whatever scope the request names",
        "update-partial": "an update naming known and unknown ids changes the known ones (200), not none",
    }
)


def check_fault(name: str | None) -> str | None:
    """``name`` if it is a known fault (or None for the clean mock); ValueError naming the valid ones."""
    if name is None or name in FAULTS:
        return name
    raise ValueError(f"unknown fault {name!r}; valid faults: {', '.join(FAULTS)}")


@dataclass(frozen=True)
class FaultTargets:
    """Where the faults that name a field strike in one operation's answers, derived from the spec.

    Paths are within the resource, except ``message`` (within the success body) and those of the
    request (``edge_array``, ``long_text``, ``text_fields``). None: the fault has nothing to strike.
    """

    wrong_type: tuple[str, ...] | None
    missing: str | None
    enum: tuple[str, ...] | None
    datetime: tuple[str, ...] | None
    dropped: str | None
    undocumented: str
    message: tuple[str, ...] | None
    edge_array: tuple[str, ...] | None
    long_text: str | None
    text_fields: tuple[str, ...]

    @classmethod
    def of(cls, answers: Answers) -> FaultTargets:
        operation = answers.operation
        request_schema = operation.request_schema() or {}
        request = compile_node(operation.spec, request_schema, "request")
        resource = answers.resource
        top = (resource.properties if resource is not None else None) or {}
        item = _item_schema(answers)
        sent_names = set((compile_node(operation.spec, item, "item").properties or {}) if item else ())
        required = _required(resource.schema) if resource is not None else []
        echoed_required = [name for name in required if name in sent_names] or required
        text_fields = tuple(
            name
            for name, node in (request.properties or {}).items()
            if name in _required(request_schema) and _is_text(node)
        )
        long_text = request.find(
            lambda node: _is_text(node) and _max_length(node) > REJECT_VALID_MAX_LENGTH, depth=1
        )
        message = answers.root.find(_is_text, skip=answers.answer_path or None)

        def find(wanted: Any) -> tuple[str, ...] | None:
            return resource.find(wanted) if resource is not None else None

        return cls(
            wrong_type=find(lambda node: _leaf(node) and node.kind == "boolean")
            or find(lambda node: _leaf(node) and node.kind in ("integer", "number")),
            missing=echoed_required[-1] if echoed_required else None,
            enum=find(lambda node: _leaf(node) and isinstance(node.schema.get("enum"), list)),
            datetime=find(lambda node: node.schema.get("format") == "date-time"),
            dropped=next(
                (
                    name
                    for name, node in top.items()
                    if name not in required and name in sent_names and _is_text(node)
                ),
                None,
            ),
            undocumented=next(name for name in ("carrier", "carrier_", "carrier__") if name not in top),
            message=message,
            # Not the list an update addresses by: every update with two items would fail.
            edge_array=request.find(lambda node: node.kind == "array", skip=answers.semantics.items),
            long_text=long_text[0] if long_text else None,
            text_fields=text_fields,
        )

    def lines(self) -> list[str]:
        """Where each fault that names a field strikes, as ``--list-faults`` prints it."""
        shown = {
            "field-wrong-type": self.wrong_type,
            "field-missing": (self.missing,) if self.missing else None,
            "enum-out-of-range": self.enum,
            "bad-datetime": self.datetime,
            "drop-sent-field": (self.dropped,) if self.dropped else None,
            "undocumented-field": (self.undocumented,),
            "echo-token": self.message,
            "server-error-edge": self.edge_array,
            "reject-valid": (self.long_text,) if self.long_text else None,
        }
        return [f"{name}: {'.'.join(path) if path else 'nothing to strike'}" for name, path in shown.items()]


# A valid top-level text longer than this is refused by the reject-valid fault.
REJECT_VALID_MAX_LENGTH = 15
BAD_DATETIME = "26/11/2026 10:15"


def corrupt(fault: str | None, body: Any, token: str, answers: Answers, targets: FaultTargets) -> Any:
    """Apply a fault that changes a success body; the other faults act on control flow in the app."""
    if fault is None or answers.resource is None:
        return body
    body = copy.deepcopy(body)  # the answer shares the spec's values; a fault must not change them
    path = answers.answer_path
    place = _at(body, path)
    resources = place if answers.semantics.many else [place]
    if not isinstance(resources, list):
        return body
    if fault == "broken-envelope" and path:
        # The resource(s) straight in the envelope, without the objects the spec puts between.
        return {**{key: value for key, value in body.items() if key != path[0]}, path[-1]: place}
    if fault == "echo-token" and targets.message:
        _set(body, targets.message, f"{_at(body, targets.message)} (authorized by {token})")
        return body
    for resource in resources:
        if isinstance(resource, dict):
            _strike(fault, resource, answers, targets)
    return body


def _strike(fault: str, resource: dict[str, Any], answers: Answers, targets: FaultTargets) -> None:
    if fault == "field-wrong-type" and targets.wrong_type:
        _set(resource, targets.wrong_type, "no")
    elif fault == "field-missing" and targets.missing:
        resource.pop(targets.missing, None)
    elif fault == "enum-out-of-range" and targets.enum and answers.resource is not None:
        enum = (answers.resource.at(targets.enum) or answers.resource).schema.get("enum") or []
        _set(resource, targets.enum, next(v for v in ("SCTP", "SCTP-1", "SCTP-2") if v not in enum))
    elif fault == "bad-datetime" and targets.datetime:
        _set(resource, targets.datetime, BAD_DATETIME)
    elif fault == "undocumented-field":
        resource[targets.undocumented] = "Freya Telecom"
    elif fault == "drop-sent-field" and targets.dropped:
        resource.pop(targets.dropped, None)


def corrupt_update(
    fault: str | None, stored: Mapping[str, Any], updated: dict[str, Any], answers: Answers
) -> dict[str, Any]:
    """Apply a fault that changes what an update makes of a stored resource."""
    resource = answers.resource_spec
    if fault is None or resource is None:
        return updated
    if fault == "update-moves-created" and resource.created and resource.created in updated:
        return {**updated, resource.created: _shifted(updated[resource.created], hours=1)}
    if fault == "update-rewinds-updated" and resource.updated and resource.updated in stored:
        return {**updated, resource.updated: _shifted(stored[resource.updated], hours=-1)}
    return updated


def _shifted(stamp: Any, *, hours: int) -> Any:
    try:
        moment = datetime.fromisoformat(str(stamp).replace("Z", "+00:00"))
    except ValueError:
        return stamp
    return rfc3339(moment + timedelta(hours=hours))


def rejects_valid(payload: Mapping[str, Any], targets: FaultTargets) -> bool:
    """reject-valid: whether this valid payload is one the fault refuses (a long text field)."""
    value = payload.get(targets.long_text) if targets.long_text else None
    return isinstance(value, str) and len(value) > REJECT_VALID_MAX_LENGTH


def hits_edge(payload: Mapping[str, Any], targets: FaultTargets) -> bool:
    """server-error-edge: whether this valid payload holds the edge (an array of 2 or more items)."""
    found = _at(payload, targets.edge_array) if targets.edge_array else None
    return isinstance(found, list) and len(found) >= 2


def salvage(value: Any, targets: FaultTargets) -> dict[str, Any]:
    """For accept-invalid: a payload made of an invalid body ``value``. The required text fields
    become text; every other value is echoed only where the response schema takes it (Answers checks)."""
    sent = dict(value) if isinstance(value, dict) else {}
    for name in targets.text_fields:
        sent[name] = _as_text(sent.get(name))
    return sent


def _item_schema(answers: Answers) -> Mapping[str, Any] | None:
    """The schema of what one addressed item of the request sends (the body, or an update's item)."""
    request = answers.operation.request_schema()
    items = answers.semantics.items
    if request is None or items is None:
        return request
    node = compile_node(answers.operation.spec, request, "request").at(items)
    return node.items.schema if node is not None and node.items is not None else None


def _required(schema: Mapping[str, Any]) -> list[str]:
    found = [str(name) for name in schema.get("required") or []]
    for part in schema.get("allOf") or []:
        if isinstance(part, Mapping):
            found += [name for name in _required(part) if name not in found]
    return found


def _leaf(node: Node) -> bool:
    return node.properties is None and node.items is None


def _is_text(node: Node) -> bool:
    return _leaf(node) and node.kind == "string" and not node.secret


def _max_length(node: Node) -> int:
    value = node.schema.get("maxLength")
    return value if isinstance(value, int) else 0


def _at(tree: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        tree = tree.get(key) if isinstance(tree, Mapping) else None
    return tree


def _set(tree: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    parent = _at(tree, path[:-1])
    if isinstance(parent, dict):
        parent[path[-1]] = value


def _as_text(value: Any) -> str:
    if value is None or isinstance(value, str):
        return value or ""
    try:
        return json.dumps(value)[:100]
    except (ValueError, RecursionError):
        return ""
