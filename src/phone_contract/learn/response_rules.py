"""Rules that learn from the API's answers: undocumented fields, wider types, new statuses, served methods."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema import ValidationError

from phone_contract._paths import json_path
from phone_contract._redact import Redactor
from phone_contract._secrets import SECRET_KEYS
from phone_contract._spec import JSON
from phone_contract.coverage import NOT_JSON, on_path
from phone_contract.learn.change import Change, Evidence, describe, refs, values_shown
from phone_contract.learn.edit import AddProperty, AddResponse, ServedMethods, Widen
from phone_contract.learn.evidence import Observation, header, is_json
from phone_contract.learn.infer import infer_schema, json_type
from phone_contract.learn.schemas import Pointer, undocumented, without_secrets
from phone_contract.responses import undocumented_fields

# Answers that say "this method is not served here".
_NOT_SERVED = frozenset({404, 405, 501})


def undocumented_response_fields(evidence: Evidence) -> list[Change]:
    """A field the response schema does not name: added as optional, its schema inferred from every value."""
    groups: dict[tuple[Pointer, str], list[tuple[Observation, str, Any]]] = defaultdict(list)
    for observation, key, schema in evidence.answers():
        base = evidence.operation.response_schema_pointer(key)
        assert observation.status is not None
        # The gate's own finding decides what is undocumented; the walk adds where each field belongs.
        listed = set(undocumented_fields(observation.status, observation.response, spec=evidence.spec))
        for at, parts, value in undocumented(schema, base, observation.response):
            if json_path(parts) in listed:
                groups[(at, str(parts[-1]))].append((observation, json_path(parts), value))
    changes = []
    for (at, name), seen in groups.items():
        inferred = infer_schema(without_secrets(value) for _, _, value in seen)
        path = seen[0][1]
        changes.append(
            Change(
                key=("add-response-field", at, name),
                summary=f"{path}: undocumented response field, added as optional {describe(inferred)}",
                why=f"undocumented field, seen in {len(seen)} answer(s).",
                evidence=(
                    f"seen in {refs([o for o, _, _ in seen])}",
                    "observed: "
                    + values_shown(evidence.redactor, [v for _, _, v in seen], name in SECRET_KEYS),
                ),
                edit=AddProperty(at, name, inferred),
            )
        )
    return changes


def widened_response_fields(evidence: Evidence) -> list[Change]:
    """A documented field with another type, format, or null: widened just enough to admit it."""
    found: dict[Pointer, _Widening] = {}
    for observation, key, schema in evidence.answers():
        base = evidence.operation.response_schema_pointer(key)
        for error in evidence.spec.validator(schema).iter_errors(observation.response):
            if error.validator not in ("type", "format", "enum"):
                continue
            if error.validator == "enum" and error.instance is not None:
                continue  # a value outside the enum is a bug to report, not an evolution to learn
            at = (*base, *error.absolute_schema_path)[:-1]
            widening = found.setdefault(at, _Widening(json_path(list(error.absolute_path))))
            widening.add(observation, error)
    return [widening.change(at, evidence.redactor) for at, widening in found.items()]


@dataclass
class _Widening:
    path: str
    types: set[str] = field(default_factory=set)
    drop_format: str | None = None
    null_in_enum: bool = False
    seen: list[Observation] = field(default_factory=list)
    values: list[Any] = field(default_factory=list)
    secret: bool = False

    def add(self, observation: Observation, error: ValidationError) -> None:
        if error.validator == "type":
            self.types.add(json_type(error.instance))
        elif error.validator == "format":
            self.drop_format = str(error.validator_value)
        else:
            self.null_in_enum = True
        self.secret |= any(part in SECRET_KEYS for part in error.absolute_path)
        self.seen.append(observation)
        self.values.append(error.instance)

    def change(self, at: Pointer, redactor: Redactor) -> Change:
        what = [f"also {name}" for name in sorted(self.types)]
        if self.drop_format:
            what.append(f"not always format {self.drop_format}")
        said = "; ".join(what) or "also null"
        return Change(
            key=("widen-response-field", at),
            summary=f"{self.path}: {said}",
            why=f"{said}."
            if self.types == {"null"} and not self.drop_format
            else f"{said} (e.g. {values_shown(redactor, self.values[:1], self.secret)}).",
            evidence=(
                f"seen in {refs(self.seen)}",
                f"observed: {values_shown(redactor, self.values, self.secret)}",
            ),
            edit=Widen(
                at,
                types=tuple(sorted(self.types)),
                enum=(None,) if self.null_in_enum else (),
                drop=("format",) if self.drop_format else (),
            ),
        )


def undocumented_statuses(evidence: Evidence) -> list[Change]:
    """An undocumented status: documented, with its body's schema (a documented one if it fits)."""
    operation = evidence.operation
    groups: dict[int, list[Observation]] = defaultdict(list)
    for observation in evidence.of_operation():
        assert observation.status is not None
        if operation.response_for(observation.status) is None:
            groups[observation.status].append(observation)
    changes = []
    for status, seen in sorted(groups.items()):
        media = next((o.media_type for o in seen if o.exchange.response_body), None)
        schema: dict[str, Any] | None = None
        same_as: Pointer | None = None
        described = "no body"
        if media is not None:
            bodies = [o.response for o in seen if o.exchange.response_body]
            if all(body is not NOT_JSON for body in bodies) and all(is_json(o) for o in seen):
                same_as = _documented_schema_for(evidence, status, bodies)
                schema = None if same_as is not None else infer_schema(without_secrets(b) for b in bodies)
                described = f"the schema of the documented {same_as[-4]}" if same_as else "an inferred schema"
            else:
                schema, described = {"type": "string"}, "a text body"
        changes.append(
            Change(
                key=("add-status", status),
                summary=f"status {status}: undocumented, documented with {described}"
                + (f" ({media})" if media else ""),
                why=f"answered {status} {len(seen)} time(s).",
                evidence=(f"answered in {refs(seen)}",),
                edit=AddResponse(operation.pointer, str(status), media, schema, same_as),
            )
        )
    return changes


def _documented_schema_for(evidence: Evidence, status: int, bodies: Sequence[Any]) -> Pointer | None:
    operation = evidence.operation
    for key, response in sorted(operation.responses.items()):
        schema = response.schema(JSON)
        if key[:1] != str(status)[:1] or schema is None:
            continue
        validator = evidence.spec.validator(schema)
        if all(validator.is_valid(body) for body in bodies):
            return operation.response_schema_pointer(key)
    return None


def served_methods(evidence: Evidence) -> list[Change]:
    """Methods served on the path outside the spec (Allow, or an answer other than 404/405/501)."""
    operation = evidence.operation
    known = {*operation.path_methods, *operation.served_elsewhere}
    seen: dict[str, list[Observation]] = defaultdict(list)
    how: dict[str, set[str]] = defaultdict(set)
    for observation in evidence.observations:
        if not on_path(operation, observation.exchange) or observation.status is None:
            continue
        method = observation.exchange.method.upper()
        if method != operation.method.upper() and observation.status not in _NOT_SERVED:
            seen[method].append(observation)
            how[method].add(f"answered {observation.status}")
        allow = header(observation.exchange.response_headers, "allow") or ""
        for listed in filter(None, (part.strip().upper() for part in allow.split(","))):
            seen[listed].append(observation)
            how[listed].add("listed in Allow")
    new = sorted(method for method in seen if method not in known)
    if not new:
        return []
    methods = tuple(sorted({*operation.served_elsewhere, *new}))
    return [
        Change(
            key=("served-methods", methods),
            summary=f"{operation.path}: also serves {', '.join(new)} (outside this spec; the gate will "
            "neither probe nor flag them)",
            why=f"{', '.join(new)} served on this path.",
            evidence=tuple(
                f"{method}: {', '.join(sorted(how[method]))} in {refs(seen[method])}" for method in new
            ),
            edit=ServedMethods(("paths", operation.path), methods),
        )
    ]
