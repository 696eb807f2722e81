"""The learning rules: each turns evidence the spec does not cover into the smallest edit that covers it.

Every rule reads the evidence through the spec model and proposes :class:`Change` s, each with the
entries it rests on. A rule never guesses: no evidence, no change.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from jsonschema import ValidationError

from phone_contract._paths import json_path
from phone_contract._redact import Redactor
from phone_contract._secrets import SECRET_KEYS
from phone_contract._spec import JSON, Operation, Spec, properties_of
from phone_contract.learn.edit import (
    AddProperty,
    AddResponse,
    DropRequired,
    Edit,
    RemoveProperty,
    ServedMethods,
    Widen,
)
from phone_contract.learn.evidence import NOT_JSON, Observation, header, is_json, of_operation, on_path, shown
from phone_contract.learn.infer import infer_schema, json_type
from phone_contract.learn.schemas import Pointer, key_paths, property_pointer, undocumented, without_secrets
from phone_contract.responses import undocumented_fields

_SHOWN_REFS = 5
_SHOWN_VALUES = 3
# Answers that say "this method is not served here".
_NOT_SERVED = frozenset({404, 405, 501})
# Refusals of a request body for what it holds.
_REFUSED = frozenset({400, 422})


@dataclass(frozen=True)
class Change:
    """One proposed edit, what it says in one line, and the evidence it rests on."""

    key: tuple[Any, ...]
    summary: str
    why: str  # what the learned element's description says after "Learned from the live API on DATE:"
    evidence: tuple[str, ...]
    edit: Edit


@dataclass(frozen=True)
class Finding:
    """Evidence that no spec change may cover: a bug to report (or a refusal no single field explains)."""

    summary: str
    evidence: tuple[str, ...] = ()


@dataclass
class Evidence:
    """The spec being learned and the exchanges it may learn from (the unlearnable ones left out)."""

    spec: Spec
    observations: Sequence[Observation]
    redactor: Redactor
    findings: list[Finding] = field(default_factory=list)

    @property
    def operation(self) -> Operation:
        return self.spec.require_operation()

    def of_operation(self) -> Iterator[Observation]:
        operation = self.operation
        return (o for o in self.observations if of_operation(operation, o.exchange) and o.status is not None)

    def answers(self) -> Iterator[tuple[Observation, str, dict[str, Any]]]:
        """JSON answers with a documented JSON schema: (observation, response key, schema)."""
        for observation in self.of_operation():
            assert observation.status is not None
            response = self.operation.response_for(observation.status)
            schema = response.schema(JSON) if response is not None else None
            if schema is not None and observation.response is not NOT_JSON and is_json(observation):
                yield observation, response.key if response else "", schema


def refs(observations: Sequence[Observation]) -> str:
    """``gate.har entries 2, 5, 7 and 3 more``."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for observation in observations:
        if observation.index not in by_file[observation.har]:
            by_file[observation.har].append(observation.index)
    parts = []
    for har, indexes in by_file.items():
        listed = ", ".join(map(str, indexes[:_SHOWN_REFS]))
        more = f" and {len(indexes) - _SHOWN_REFS} more" if len(indexes) > _SHOWN_REFS else ""
        parts.append(f"{har} {'entry' if len(indexes) == 1 else 'entries'} {listed}{more}")
    return "; ".join(parts)


def _values(redactor: Redactor, values: Sequence[Any], secret: bool = False) -> str:
    if secret:
        return "<redacted>"
    distinct = list(dict.fromkeys(shown(redactor, value) for value in values))
    more = f" (+{len(distinct) - _SHOWN_VALUES} more)" if len(distinct) > _SHOWN_VALUES else ""
    return ", ".join(distinct[:_SHOWN_VALUES]) + more


def _describe(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "any")
    text = " or ".join(kind) if isinstance(kind, list) else str(kind)
    return f"{text} ({schema['format']})" if "format" in schema else text


# --- response rules --------------------------------------------------------------------------------


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
                summary=f"{path}: undocumented response field, added as optional {_describe(inferred)}",
                why=f"undocumented field, seen in {len(seen)} answer(s).",
                evidence=(
                    f"seen in {refs([o for o, _, _ in seen])}",
                    f"observed: {_values(evidence.redactor, [v for _, _, v in seen], name in SECRET_KEYS)}",
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
            why=f"{said} (e.g. {_values(redactor, self.values[:1], self.secret)}).",
            evidence=(
                f"seen in {refs(self.seen)}",
                f"observed: {_values(redactor, self.values, self.secret)}",
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


# --- request rules ---------------------------------------------------------------------------------


def _requests(evidence: Evidence, accepted: bool) -> Iterator[Observation]:
    for observation in evidence.of_operation():
        assert observation.status is not None
        if not observation.sent_json:
            continue
        if (accepted and 200 <= observation.status < 300) or (
            not accepted and observation.status in _REFUSED
        ):
            yield observation


def loosened_request_constraints(evidence: Evidence) -> list[Change]:
    """A body the spec calls invalid that the API accepted: the constraint it broke is loosened."""
    operation = evidence.operation
    schema, base = operation.request_schema(), operation.request_schema_pointer()
    groups: dict[tuple[Any, ...], list[tuple[Observation, ValidationError]]] = defaultdict(list)
    for observation in _requests(evidence, accepted=True):
        for error in evidence.spec.validator(schema).iter_errors(observation.request):
            at = (*base, *error.absolute_schema_path)[:-1]
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                named = properties_of(_resolve(evidence.spec, at))
                for extra in error.instance:
                    if extra not in named:
                        groups[("add", at, extra)].append((observation, error))
            elif error.validator == "required" and isinstance(error.instance, dict):
                for name in error.validator_value:
                    if name not in error.instance:
                        groups[("required", at, name)].append((observation, error))
            else:
                groups[(str(error.validator), at)].append((observation, error))
    changes = []
    for key, seen in groups.items():
        change = _loosen(evidence, key, seen)
        if change is None:
            first = seen[0][1]
            evidence.findings.append(
                Finding(
                    f"request {json_path(list(first.absolute_path))}: the API accepted a body that breaks "
                    f"{first.validator} (not loosened automatically)",
                    (f"accepted in {refs([o for o, _ in seen])}",),
                )
            )
        else:
            changes.append(change)
    return changes


def _loosen(
    evidence: Evidence, key: tuple[Any, ...], seen: list[tuple[Observation, ValidationError]]
) -> Change | None:
    observations = [o for o, _ in seen]
    first = seen[0][1]
    path = json_path(list(first.absolute_path))
    secret = any(part in SECRET_KEYS for part in first.absolute_path)
    values: list[Any] = [error.instance for _, error in seen]
    accepted = f"accepted ({observations[0].status}) in {refs(observations)}"
    if key[0] == "add":
        _, at, name = key
        sent = [error.instance.get(name) for _, error in seen if isinstance(error.instance, dict)]
        inferred = infer_schema(without_secrets(value) for value in sent)
        field_path = json_path([*first.absolute_path, name])
        return Change(
            ("request-add", at, name),
            f"request {field_path}: accepted though the spec does not name it; added as optional "
            f"{_describe(inferred)}",
            f"the API accepts this field (sent in {len(seen)} accepted request(s)).",
            (accepted, f"sent: {_values(evidence.redactor, sent, name in SECRET_KEYS)}"),
            AddProperty(at, name, inferred),
        )
    if key[0] == "required":
        _, at, name = key
        return Change(
            ("request-required", at, name),
            f"request {json_path([*first.absolute_path, name])}: no longer required (accepted without it)",
            f"`{name}` is not required (accepted without it).",
            (accepted,),
            DropRequired(at, name),
        )
    keyword, at = key
    limit = first.validator_value
    widen: Widen | None = None
    said = ""
    if keyword in ("maxLength", "minLength"):
        lengths = [len(v) for v in values if isinstance(v, str)]
        bound = max(lengths) if keyword == "maxLength" else min(lengths)
        widen, said = (
            Widen(at, set=((keyword, bound),)),
            f"{keyword} {limit} -> {bound} (sent {bound} characters)",
        )
    elif keyword in ("maximum", "minimum"):
        numbers = [v for v in values if isinstance(v, int | float)]
        extreme = max(numbers) if keyword == "maximum" else min(numbers)
        widen, said = Widen(at, set=((keyword, extreme),)), f"{keyword} {limit} -> {extreme}"
    elif keyword in ("format", "pattern", "const", "exclusiveMaximum", "exclusiveMinimum"):
        widen, said = Widen(at, drop=(keyword,)), f"{keyword} {limit} is not enforced, dropped"
    elif keyword == "type":
        types = tuple(sorted({json_type(v) for v in values}))
        widen, said = Widen(at, types=types), f"also {' or '.join(types)}"
    elif keyword == "enum":
        widen = Widen(at, enum=tuple(dict.fromkeys(v for v in values if not isinstance(v, dict | list))))
        said = "more enum values accepted"
    if widen is None:
        return None
    return Change(
        ("request-loosen", keyword, at),
        f"request {path}: {said}",
        f"the API accepted a body that broke {keyword} {limit} ({said}).",
        (accepted, f"sent: {_values(evidence.redactor, values, secret)}"),
        widen,
    )


def _resolve(spec: Spec, pointer: Pointer) -> Any:
    node: Any = spec.document
    for step in pointer:
        node = node[step]
    return node


def refused_request_fields(evidence: Evidence) -> list[Change]:
    """A body the spec calls valid that the API refused, where one field explains it: no longer accepted.

    The field is isolated by comparing bodies: present in the refused one, absent from every accepted
    one, and named by the refusal if several qualify. No request is sent again: it costs no budget.
    """
    operation = evidence.operation
    schema, base = operation.request_schema(), operation.request_schema_pointer()
    validator = evidence.spec.validator(schema)
    accepted: set[tuple[str, ...]] = set()
    for observation in _requests(evidence, accepted=True):
        accepted |= set(key_paths(observation.request))
    groups: dict[tuple[str, ...], list[Observation]] = defaultdict(list)
    for observation in _requests(evidence, accepted=False):
        if not validator.is_valid(observation.request):
            continue  # refused rightly: the spec says so too
        field_path = _isolate(observation, accepted)
        if field_path is None:
            evidence.findings.append(
                Finding(
                    f"the API refused ({observation.status}) a body the spec calls valid, "
                    "and no single field explains it",
                    (f"refused in {observation.ref}",),
                )
            )
        else:
            groups[field_path].append(observation)
    changes = []
    for field_path, seen in groups.items():
        located = _property(schema, base, field_path)
        parent = _resolve(evidence.spec, located[0][:-2]) if located else None
        name = field_path[-1]
        if located is None or name in (parent or {}).get("required", ()):
            evidence.findings.append(
                Finding(
                    f"the API refused bodies with {'.'.join(field_path)}, which the spec requires",
                    (f"refused in {refs(seen)}",),
                )
            )
            continue
        examples = tuple(
            (*pointer, *field_path[:-1]) for pointer in operation.request_example_pointers().values()
        )
        changes.append(
            Change(
                ("request-remove", field_path),
                f"request $.{'.'.join(field_path)}: no longer accepted, removed from the request schema",
                f"`{name}` is no longer accepted (bodies with it are refused).",
                (
                    f"refused ({seen[0].status}) in {refs(seen)}, the refusal naming {name!r}"
                    if _names(seen[0], name)
                    else f"refused ({seen[0].status}) in {refs(seen)}",
                    f"never in the {sum(1 for _ in _requests(evidence, accepted=True))} accepted bodies",
                ),
                RemoveProperty(located[0][:-2], name, examples),
            )
        )
    return changes


def _isolate(observation: Observation, accepted: set[tuple[str, ...]]) -> tuple[str, ...] | None:
    paths = list(dict.fromkeys(key_paths(observation.request)))
    fresh = [path for path in paths if path not in accepted]
    # The outermost new field: `config` never accepted explains every field inside it.
    outermost = [path for path in fresh if not any(path[: len(o)] == o for o in fresh if o != path)]
    named = [path for path in outermost if _names(observation, path[-1])]
    if len(named) == 1:
        return named[0]
    return outermost[0] if len(outermost) == 1 and not named else None


def _names(observation: Observation, name: str) -> bool:
    text = observation.exchange.response_body.decode("utf-8", "replace")
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def _property(schema: Any, base: Pointer, field_path: tuple[str, ...]) -> tuple[Pointer, Any] | None:
    at, node = base, schema
    for name in field_path:
        found = property_pointer(node, at, name)
        if found is None:
            return None
        at, node = found
    return at, node


Rule = Callable[[Evidence], list[Change]]
RULES: tuple[Rule, ...] = (
    undocumented_response_fields,
    widened_response_fields,
    undocumented_statuses,
    served_methods,
    loosened_request_constraints,
    refused_request_fields,
)
