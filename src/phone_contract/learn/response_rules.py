"""Rules that learn from the API's answers: undocumented fields, wider types, new statuses, new operations."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema import ValidationError

from phone_contract._http import header
from phone_contract._paths import json_path
from phone_contract._redact import Redactor
from phone_contract._secrets import SECRET_KEYS
from phone_contract._spec import HTTP_METHODS, JSON, Operation
from phone_contract.coverage import NOT_JSON, on_path
from phone_contract.learn.change import Change, Evidence, describe, refs, values_shown
from phone_contract.learn.edit import AddOperation, AddProperty, AddResponse, Widen
from phone_contract.learn.evidence import Observation, is_json
from phone_contract.learn.infer import infer_schema, widened_types
from phone_contract.learn.schemas import Pointer, undocumented, without_secrets, written_at
from phone_contract.responses import undocumented_fields

# Answers that say "this method is not served here".
_NOT_SERVED = frozenset({404, 405, 501})


def undocumented_response_fields(evidence: Evidence) -> list[Change]:
    """A field the response schema does not name: added as optional, its schema inferred from every
    value, of every operation whose answers hold that schema (a shared component is one body of evidence)."""
    groups: dict[tuple[Any, str], list[tuple[Observation, str, Any, Pointer]]] = defaultdict(list)
    for observation, operation, key, schema in evidence.answers():
        base = operation.response_schema_pointer(key)
        assert observation.status is not None
        # The gate's own finding decides what is undocumented; the walk adds where each field belongs.
        listed = set(undocumented_fields(operation, observation.status, observation.response))
        for at, parts, value in undocumented(schema, base, observation.response):
            if json_path(parts) in listed:
                name = str(parts[-1])
                groups[(written_at(evidence.spec, at), name)].append(
                    (observation, json_path(parts), value, at)
                )
    changes = []
    for (written, name), seen in groups.items():
        inferred = infer_schema(without_secrets(value) for _, _, value, _ in seen)
        path, at = seen[0][1], seen[0][3]
        answers = {(o.har, o.index): o for o, _, _, _ in seen}
        changes.append(
            Change(
                key=("add-response-field", written, name),
                summary=f"{path}: undocumented response field, added as optional {describe(inferred)}",
                why=f"undocumented field, seen in {len(answers)} answer(s).",
                evidence=(
                    f"seen in {refs(list(answers.values()))}",
                    "observed: "
                    + values_shown(evidence.redactor, [v for _, _, v, _ in seen], name in SECRET_KEYS),
                ),
                edit=AddProperty(at, name, inferred),
            )
        )
    return changes


def widened_response_fields(evidence: Evidence) -> list[Change]:
    """A documented field with another type, format, or null: widened just enough to admit it, once per
    place the field's schema is written (every operation's answers together)."""
    found: dict[Any, _Widening] = {}
    for observation, operation, key, schema in evidence.answers():
        base = operation.response_schema_pointer(key)
        for error in evidence.spec.validator(schema).iter_errors(observation.response):
            if error.validator not in ("type", "format", "enum"):
                continue
            if error.validator == "enum" and error.instance is not None:
                continue  # a value outside the enum is a bug to report, not an evolution to learn
            at = (*base, *error.absolute_schema_path)[:-1]
            # Not through a $ref: null widens the place that names a shared component, not the component.
            place = evidence.spec.source(at) or at
            widening = found.setdefault(place, _Widening(json_path(list(error.absolute_path)), at))
            widening.add(observation, error)
    return [widening.change(place, evidence.redactor) for place, widening in found.items()]


@dataclass
class _Widening:
    path: str
    at: Pointer  # the contract pointer of the first place seen: where the edit is applied
    declared: Any = None  # the type the spec declared there
    types: set[str] = field(default_factory=set)
    drop_format: str | None = None
    null_in_enum: bool = False
    seen: list[Observation] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    type_errors: list[Any] = field(default_factory=list)
    secret: bool = False

    def add(self, observation: Observation, error: ValidationError) -> None:
        if error.validator == "type":
            self.declared = error.validator_value
            self.type_errors.append(error.instance)
        elif error.validator == "format":
            self.drop_format = str(error.validator_value)
        else:
            self.null_in_enum = True
        self.secret |= any(part in SECRET_KEYS for part in error.absolute_path)
        self.seen.append(observation)
        self.values.append(error.instance)

    def change(self, place: Any, redactor: Redactor) -> Change:
        types, said_types = widened_types(self.declared, self.type_errors)
        what = [said_types] if said_types else []
        if self.drop_format:
            what.append(f"not always format {self.drop_format}")
        said = "; ".join(what) or "also null"
        return Change(
            key=("widen-response-field", place),
            summary=f"{self.path}: {said}",
            why=f"{said}."
            if set(types) <= {"null"} and not self.drop_format
            else f"{said} (e.g. {values_shown(redactor, self.values[:1], self.secret)}).",
            evidence=(
                f"seen in {refs(self.seen)}",
                f"observed: {values_shown(redactor, self.values, self.secret)}",
            ),
            edit=Widen(
                self.at,
                types=types,
                enum=(None,) if self.null_in_enum else (),
                drop=("format",) if self.drop_format else (),
            ),
        )


def undocumented_statuses(evidence: Evidence) -> list[Change]:
    """An undocumented status: documented, with its body's schema (a documented one if it fits)."""
    changes = []
    for operation in evidence.spec.operations:
        groups: dict[int, list[Observation]] = defaultdict(list)
        for observation in evidence.of_operation(operation):
            assert observation.status is not None
            if operation.response_for(observation.status) is None:
                groups[observation.status].append(observation)
        for status, seen in sorted(groups.items()):
            media, schema, same_as, described = _answer_schema(evidence, operation, status, seen)
            changes.append(
                Change(
                    key=("add-status", operation.label, status),
                    summary=f"{operation.label}: status {status}: undocumented, documented with {described}"
                    + (f" ({media})" if media else ""),
                    why=f"answered {status} {len(seen)} time(s).",
                    evidence=(f"answered in {refs(seen)}",),
                    edit=AddResponse(operation.pointer, str(status), media, schema, same_as),
                )
            )
    return changes


def _answer_schema(
    evidence: Evidence, operation: Operation | None, status: int, seen: Sequence[Observation]
) -> tuple[str | None, dict[str, Any] | None, Pointer | None, str]:
    """How answers of ``status`` are documented: (media type, schema, documented schema it shares, words)."""
    media = next((o.media_type for o in seen if o.exchange.response_body), None)
    if media is None:
        return None, None, None, "no body"
    bodies = [o.response for o in seen if o.exchange.response_body]
    if not (all(body is not NOT_JSON for body in bodies) and all(is_json(o) for o in seen)):
        return media, {"type": "string"}, None, "a text body"
    same_as = _documented_schema_for(evidence, status, bodies, operation)
    if same_as is not None:
        return media, None, same_as, f"the schema of the documented {same_as[-4]}"
    return media, infer_schema(without_secrets(b) for b in bodies), None, "an inferred schema"


def _documented_schema_for(
    evidence: Evidence, status: int, bodies: Sequence[Any], prefer: Operation | None
) -> Pointer | None:
    """A documented response schema of the same class of status that every body fits: the operation's
    own first, then any operation's of the spec (the error envelope is shared)."""
    operations = [prefer] if prefer is not None else []
    operations += [op for op in evidence.spec.operations if op is not prefer]
    for operation in operations:
        for key, response in sorted(operation.responses.items()):
            schema = response.schema(JSON)
            if key[:1] != str(status)[:1] or schema is None:
                continue
            validator = evidence.spec.validator(schema)
            if all(validator.is_valid(body) for body in bodies):
                return operation.response_schema_pointer(key)
    return None


def undocumented_operations(evidence: Evidence) -> list[Change]:
    """A method the API serves on a path of the spec (it answered other than 404/405/501, or listed it
    in Allow) that the spec does not document: documented as an operation of its own, with the
    statuses it answered and their schemas, marked as learned. Its requests stay unknown: the gate
    judges its answers only, and never sends it a body on a live API (see gate.ownership)."""
    changes = []
    for path in sorted({operation.path for operation in evidence.spec.operations}):
        on_this_path = [op for op in evidence.spec.operations if op.path == path]
        known = {op.method.upper() for op in on_this_path} | {
            method for op in on_this_path for method in op.served_elsewhere
        }
        seen: dict[str, list[Observation]] = defaultdict(list)
        listed: dict[str, list[Observation]] = defaultdict(list)
        for observation in evidence.observations:
            if observation.status is None or not any(
                on_path(op, observation.exchange) for op in on_this_path
            ):
                continue
            method = observation.exchange.method.upper()
            if method not in known and observation.status not in _NOT_SERVED:
                seen[method].append(observation)
            allow = header(observation.exchange.response_headers, "allow") or ""
            for name in filter(None, (part.strip().upper() for part in allow.split(","))):
                if name not in known:
                    listed[name].append(observation)
        for method in sorted(set(seen) | set(listed)):
            if method.lower() not in HTTP_METHODS:
                continue
            answers = seen.get(method, [])
            statuses: dict[str, Any] = {}
            for status in sorted({o.status for o in answers if o.status is not None}):
                group = [o for o in answers if o.status == status]
                media, schema, same_as, _ = _answer_schema(evidence, None, status, group)
                statuses[str(status)] = (media, schema, same_as)
            how = []
            if answers:
                how.append(f"answered {', '.join(sorted(statuses))} in {refs(answers)}")
            if listed.get(method):
                how.append(f"listed in Allow in {refs(listed[method])}")
            changes.append(
                Change(
                    key=("add-operation", path, method),
                    summary=f"{method} {path}: served but undocumented; documented from its answers "
                    "(its requests are unknown: the gate judges its answers only)",
                    why=f"{method} is served on this path ({'; '.join(how)}).",
                    evidence=tuple(how),
                    edit=AddOperation(
                        ("paths", path), method.lower(), statuses, _operation_id(evidence, method, path)
                    ),
                )
            )
    return changes


def _operation_id(evidence: Evidence, method: str, path: str) -> str:
    """``getPhoneNumbers`` for GET /phone-numbers: the method, then the path's words; unique in the spec."""
    words = [word for word in re.split(r"[^A-Za-z0-9]+", path) if word]
    name = method.lower() + "".join(word[:1].upper() + word[1:] for word in words)
    taken = {operation.operation_id for operation in evidence.spec.operations}
    return name if name not in taken else f"{name}Learned"
