"""The named ways the mock can break the contract on purpose, to prove that the gate catches each one."""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from phone_contract.mock.answers import Answers
from phone_contract.mock.template import Node, compile_node

# name -> the one contract rule it breaks, as it reads on the project's spec; on another spec, a fault
# that names a field strikes the field of the same kind there (see FaultTargets). Each fault changes
# exactly one behaviour of the clean mock; everything else it answers stays as the spec says.
FAULTS: Mapping[str, str] = MappingProxyType(
    {
        "wrong-status": "success answers 200 instead of the documented 201",
        "wrong-content-type": "the success body is sent as text/plain instead of application/json",
        "field-wrong-type": 'phoneNumber.config.emergencyCalls is the string "no", not a boolean',
        "field-missing": "the required phoneNumber.userId is left out of the success body",
        "enum-out-of-range": 'phoneNumber.config.sipOutbound.transportProtocol is "SCTP", outside its enum',
        "bad-datetime": 'phoneNumber.createdAt is "26/11/2026 10:15", not an RFC 3339 date-time',
        "broken-envelope": 'the success body is {"success": true, "phoneNumber": ...}, without data.result',
        "undocumented-field": "phoneNumber grows an undocumented carrier field (valid under the open schema)",
        "ignore-auth": "any bearer token, or none, is accepted instead of answering 401",
        "accept-invalid": "a body that breaks the request schema is created (201) instead of answering 400",
        "reject-valid": "a valid number longer than 15 characters is rejected with 400",
        "server-error-edge": "a valid body whose config.sipOutbound.headers has 2 or more items gets a 500",
        "drop-sent-field": "a friendlyName that was sent is not echoed back in the success body",
        "accept-duplicate": "a number that already exists in the workspace is created again (201, not 409)",
        "slow": "success answers only after a delay (slow_seconds, 2.5 s by default)",
        "echo-token": "the caller's bearer token is echoed into data.message of the success body",
    }
)


def check_fault(name: str | None) -> str | None:
    """``name`` if it is a known fault (or None for the clean mock); ValueError naming the valid ones."""
    if name is None or name in FAULTS:
        return name
    raise ValueError(f"unknown fault {name!r}; valid faults: {', '.join(FAULTS)}")


@dataclass(frozen=True)
class FaultTargets:
    """Where the faults that name a field strike, derived from the spec so that they work on any spec.

    Paths are within the created resource, except ``message`` (within the success body) and those of
    the request (``edge_array``, ``long_text``, ``text_fields``).
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
        created, operation = answers.created, answers.operation
        request_schema = operation.request_schema()
        request = compile_node(operation.spec, request_schema, "request")
        top = created.properties or {}
        sent_required = _required(request_schema)
        required = _required(created.schema)
        echoed_required = [name for name in required if name in sent_required] or required
        text_fields = tuple(
            name
            for name, node in (request.properties or {}).items()
            if name in sent_required and _is_text(node)
        )
        long_text = request.find(
            lambda node: _is_text(node) and _max_length(node) > REJECT_VALID_MAX_LENGTH, depth=1
        )
        message = answers.root.find(_is_text, skip=answers.created_path)
        return cls(
            wrong_type=created.find(lambda node: _leaf(node) and node.kind == "boolean")
            or created.find(lambda node: _leaf(node) and node.kind in ("integer", "number")),
            missing=echoed_required[-1] if echoed_required else None,
            enum=created.find(lambda node: _leaf(node) and isinstance(node.schema.get("enum"), list)),
            datetime=created.find(lambda node: node.schema.get("format") == "date-time"),
            dropped=next(
                (
                    name
                    for name, node in top.items()
                    if name not in required and name in (request.properties or {}) and _is_text(node)
                ),
                None,
            ),
            undocumented=next(name for name in ("carrier", "carrier_", "carrier__") if name not in top),
            message=message or _prefixed(answers.created_path, created.find(_is_text)),
            edge_array=request.find(lambda node: node.kind == "array"),
            long_text=long_text[0] if long_text else None,
            text_fields=text_fields,
        )


# A valid number longer than this is refused by the reject-valid fault.
REJECT_VALID_MAX_LENGTH = 15
BAD_DATETIME = "26/11/2026 10:15"


def corrupt_created(fault: str | None, body: Any, token: str, answers: Answers, targets: FaultTargets) -> Any:
    """Apply a fault that changes the 201 body; the other faults act on control flow in the app."""
    if fault is None:
        return body
    body = copy.deepcopy(body)  # the answer shares the spec's values; a fault must not change them
    created = _at(body, answers.created_path)
    if not isinstance(created, dict):
        return body
    if fault == "field-wrong-type" and targets.wrong_type:
        _set(created, targets.wrong_type, "no")
    elif fault == "field-missing" and targets.missing:
        created.pop(targets.missing, None)
    elif fault == "enum-out-of-range" and targets.enum:
        enum = (answers.created.at(targets.enum) or answers.created).schema.get("enum") or []
        _set(created, targets.enum, next(v for v in ("SCTP", "SCTP-1", "SCTP-2") if v not in enum))
    elif fault == "bad-datetime" and targets.datetime:
        _set(created, targets.datetime, BAD_DATETIME)
    elif fault == "broken-envelope" and answers.created_path:
        # The resource straight in the envelope, without the objects the spec puts between.
        first, last = answers.created_path[0], answers.created_path[-1]
        return {**{key: value for key, value in body.items() if key != first}, last: created}
    elif fault == "undocumented-field":
        created[targets.undocumented] = "Freya Telecom"
    elif fault == "drop-sent-field" and targets.dropped:
        created.pop(targets.dropped, None)
    elif fault == "echo-token" and targets.message:
        _set(body, targets.message, f"{_at(body, targets.message)} (authorized by {token})")
    return body


def rejects_valid(payload: Mapping[str, Any], targets: FaultTargets) -> bool:
    """reject-valid: whether this valid payload is one the fault refuses (a long text field)."""
    value = payload.get(targets.long_text) if targets.long_text else None
    return isinstance(value, str) and len(value) > REJECT_VALID_MAX_LENGTH


def hits_edge(payload: Mapping[str, Any], targets: FaultTargets) -> bool:
    """server-error-edge: whether this valid payload holds the edge (an array of 2 or more items)."""
    found = _at(payload, targets.edge_array) if targets.edge_array else None
    return isinstance(found, list) and len(found) >= 2


def salvage(value: Any, targets: FaultTargets) -> dict[str, Any]:
    """For accept-invalid: a create payload made of an invalid body ``value``. The required text fields
    become text; every other value is echoed only where the response schema takes it (Answers checks)."""
    sent = dict(value) if isinstance(value, dict) else {}
    for name in targets.text_fields:
        sent[name] = _as_text(sent.get(name))
    return sent


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


def _prefixed(prefix: tuple[str, ...], path: tuple[str, ...] | None) -> tuple[str, ...] | None:
    return None if path is None else (*prefix, *path)


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
