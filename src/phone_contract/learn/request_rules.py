"""Rules that learn from the API's verdicts on request bodies: what it accepts, what it refuses.

A refused field is isolated by comparing bodies, never by sending more: learning costs no write budget.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from jsonschema import ValidationError

from phone_contract._paths import json_path
from phone_contract._secrets import SECRET_KEYS
from phone_contract._spec import Operation, properties_of
from phone_contract.learn.change import Change, Evidence, Finding, describe, refs, values_shown
from phone_contract.learn.edit import AddProperty, DropRequired, RemoveProperty, Widen
from phone_contract.learn.evidence import Observation
from phone_contract.learn.infer import distinct, infer_schema, widened_types
from phone_contract.learn.schemas import (
    Pointer,
    key_paths,
    property_pointer,
    resolve,
    without_secrets,
    written_at,
)

# Refusals of a request body for what it holds.
_REFUSED = frozenset({400, 422})


def _requests(evidence: Evidence, operation: Operation, accepted: bool) -> Iterator[Observation]:
    for observation in evidence.of_operation(operation):
        assert observation.status is not None
        if not observation.sent_json:
            continue
        if (accepted and 200 <= observation.status < 300) or (
            not accepted and observation.status in _REFUSED
        ):
            yield observation


def loosened_request_constraints(evidence: Evidence) -> list[Change]:
    """A body the spec calls invalid that the API accepted: the constraint it broke is loosened.

    Grouped by where the constraint is written, across operations: a component two operations name
    is loosened once, to the widest value any of them had accepted.
    """
    groups: dict[tuple[Any, ...], list[_Broken]] = defaultdict(list)
    for operation in evidence.spec.operations:
        for key, broken in _broken_for(evidence, operation):
            groups[key].append(broken)
    changes = []
    for key, seen in groups.items():
        change = _loosen(evidence, key, seen)
        if change is None:
            first = seen[0]
            labels = ", ".join(dict.fromkeys(broken.operation.label for broken in seen))
            evidence.findings.append(
                Finding(
                    f"{labels}: request {json_path(list(first.error.absolute_path))}: the API accepted "
                    f"a body that breaks {first.error.validator} (not loosened automatically)",
                    tuple(broken.observation for broken in seen),
                )
            )
        else:
            changes.append(change)
    return changes


@dataclass(frozen=True)
class _Broken:
    """An accepted request that breaks a constraint: which operation, which exchange, the error."""

    operation: Operation
    observation: Observation
    error: ValidationError
    at: Pointer  # the contract pointer of the schema holding the broken keyword


def _broken_for(evidence: Evidence, operation: Operation) -> Iterator[tuple[tuple[Any, ...], _Broken]]:
    """(group key, what broke) for every constraint an accepted request of ``operation`` broke."""
    schema, base = operation.request_schema(), operation.request_schema_pointer()
    if schema is None:
        return
    for observation in _requests(evidence, operation, accepted=True):
        for error in evidence.spec.validator(schema).iter_errors(observation.request):
            at = (*base, *error.absolute_schema_path)[:-1]
            broken = _Broken(operation, observation, error, at)
            written = written_at(evidence.spec, at)
            if error.validator == "additionalProperties" and isinstance(error.instance, dict):
                named = properties_of(resolve(evidence.spec, at))
                for extra in error.instance:
                    if extra not in named:
                        yield ("add", written, extra), broken
            elif error.validator == "required" and isinstance(error.instance, dict):
                for name in error.validator_value:
                    if name not in error.instance:
                        yield ("required", written, name), broken
            else:
                yield (str(error.validator), written), broken


def _loosen(evidence: Evidence, key: tuple[Any, ...], seen: list[_Broken]) -> Change | None:
    observations = list({(b.observation.har, b.observation.index): b.observation for b in seen}.values())
    first, at = seen[0].error, seen[0].at
    path = json_path(list(first.absolute_path))
    secret = any(part in SECRET_KEYS for part in first.absolute_path)
    values: list[Any] = [broken.error.instance for broken in seen]
    accepted = f"accepted ({observations[0].status}) in {refs(observations)}"
    if key[0] == "add":
        name = key[2]
        sent = [b.error.instance.get(name) for b in seen if isinstance(b.error.instance, dict)]
        inferred = infer_schema(without_secrets(value) for value in sent)
        field_path = json_path([*first.absolute_path, name])
        return Change(
            ("request-add", *key[1:]),
            f"request {field_path}: accepted though the spec does not name it; added as optional "
            f"{describe(inferred)}",
            f"the API accepts this field (sent in {len(observations)} accepted request(s)).",
            (accepted, f"sent: {values_shown(evidence.redactor, sent, name in SECRET_KEYS)}"),
            AddProperty(at, name, inferred),
        )
    if key[0] == "required":
        name = key[2]
        return Change(
            ("request-required", *key[1:]),
            f"request {json_path([*first.absolute_path, name])}: no longer required (accepted without it)",
            f"`{name}` is not required (accepted without it).",
            (accepted,),
            DropRequired(at, name),
        )
    keyword = key[0]
    loosened = _loosened(keyword, first.validator_value, first.schema, at, values)
    if loosened is None:
        return None
    widen, said, why = loosened
    return Change(
        ("request-loosen", *key),
        f"request {path}: {said}",
        why,
        (accepted, f"sent: {values_shown(evidence.redactor, values, secret)}"),
        widen,
    )


def _loosened(
    keyword: str, limit: Any, schema: Any, at: Pointer, values: list[Any]
) -> tuple[Widen, str, str] | None:
    """The edit that admits ``values`` past ``keyword``, what it does, and why (for the description).

    A bound moves out to the farthest accepted value (the edit never moves it back in); a type is added,
    never swapped for a narrower one."""
    if keyword in ("maxLength", "minLength"):
        lengths = [len(v) for v in values if isinstance(v, str)]
        bound = max(lengths) if keyword == "maxLength" else min(lengths)
        return (
            Widen(at, set=((keyword, bound),)),
            f"{keyword} {limit} -> {bound}",
            f"the API accepts {bound} characters ({keyword} was {limit}).",
        )
    if keyword in ("maximum", "minimum"):
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        extreme = max(numbers) if keyword == "maximum" else min(numbers)
        return (
            Widen(at, set=((keyword, extreme),)),
            f"{keyword} {limit} -> {extreme}",
            f"the API accepts {extreme} ({keyword} was {limit}).",
        )
    if keyword in ("format", "pattern", "const", "exclusiveMaximum", "exclusiveMinimum"):
        return (
            Widen(at, drop=(keyword,)),
            f"{keyword} {limit} is not enforced, dropped",
            f"the API accepts values that break {keyword} {limit}.",
        )
    if keyword == "type":
        types, said = widened_types(schema.get("type") if isinstance(schema, dict) else None, values)
        return Widen(at, types=types), said, f"the API accepts {' and '.join(types)} too ({said})."
    if keyword == "enum":
        extra = distinct(v for v in values if not isinstance(v, dict | list))
        return (
            Widen(at, enum=extra),
            f"enum gains {list(extra)}",
            "the API accepts more values than the enum named.",
        )
    return None


def refused_request_fields(evidence: Evidence) -> list[Change]:
    """A body the spec calls valid that the API refused, where one field explains it: no longer accepted.

    The field is isolated by comparing bodies: present in the refused one, absent from every accepted
    one, and named by the refusal if several qualify. No request is sent again: it costs no budget.
    """
    return [change for operation in evidence.spec.operations for change in _refused_for(evidence, operation)]


def _refused_for(evidence: Evidence, operation: Operation) -> list[Change]:
    schema, base = operation.request_schema(), operation.request_schema_pointer()
    if schema is None:
        return []
    validator = evidence.spec.validator(schema)
    accepted: set[tuple[str, ...]] = set()
    accepted_bodies = 0
    for observation in _requests(evidence, operation, accepted=True):
        accepted |= set(key_paths(observation.request))
        accepted_bodies += 1
    groups: dict[tuple[str, ...], list[Observation]] = defaultdict(list)
    for observation in _requests(evidence, operation, accepted=False):
        if not validator.is_valid(observation.request):
            continue  # refused rightly: the spec says so too
        if _names_a_secret(observation):
            # A recording never holds a secret's value, so whether the one sent was valid is unknown.
            continue
        field_path = _isolate(observation, accepted)
        if field_path is None:
            evidence.findings.append(_unexplained(operation, observation))
        else:
            groups[field_path].append(observation)
    changes = []
    for field_path, seen in groups.items():
        located = _property(schema, base, field_path)
        parent = resolve(evidence.spec, located[0][:-2]) if located else None
        name = field_path[-1]
        shown_path = "$." + ".".join(field_path)
        if located is None or name in (parent or {}).get("required", ()):
            why = "which the spec requires" if located else "which learn cannot place in the request schema"
            evidence.findings.append(
                Finding(
                    f"{operation.label}: the API refused bodies the spec calls valid "
                    f"over {shown_path}, {why}",
                    tuple(seen),
                )
            )
            continue
        shared = _accepted_elsewhere(evidence, operation, located[0][:-2], name)
        if shared:
            # One schema both operations name (a shared component): removing the field for one would
            # make the other's accepted bodies invalid, and the next round would add it back.
            evidence.findings.append(
                Finding(
                    f"{operation.label} refuses {shown_path}, which another operation accepts in the "
                    "schema they share: split the schema by hand if that is intended",
                    tuple(seen),
                    (f"accepted in {refs(shared)}",),
                )
            )
            continue
        examples = tuple(
            (*pointer, *field_path[:-1]) for pointer in operation.request_example_pointers().values()
        )
        changes.append(
            Change(
                ("request-remove", operation.label, field_path),
                f"{operation.label} request {shown_path}: no longer accepted, removed from its schema",
                f"`{name}` is no longer accepted (bodies with it are refused).",
                (
                    f"refused ({seen[0].status}) in {refs(seen)}, the refusal naming {name!r}"
                    if _names(seen[0], name)
                    else f"refused ({seen[0].status}) in {refs(seen)}",
                    f"never in the {accepted_bodies} accepted bodies",
                ),
                RemoveProperty(
                    located[0][:-2],
                    name,
                    examples,
                    # A field of what the operation addresses (the body, or an update's item) may be echoed.
                    operation.pointer if field_path[:-1] == (operation.semantics.items or ()) else None,
                ),
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


def _unexplained(operation: Operation, observation: Observation) -> Finding:
    named = [p for p in dict.fromkeys(key_paths(observation.request)) if _names(observation, p[-1])]
    if len(named) == 1:
        # The field was accepted in other bodies: a value of it, not the field, is refused.
        what = f"a value of $.{'.'.join(named[0])} that the spec allows (the refusal names it)"
    else:
        what = "a body the spec calls valid, and no single field explains it"
    return Finding(f"{operation.label}: the API refused ({observation.status}) {what}", (observation,))


def _names_a_secret(observation: Observation) -> bool:
    return any(_names(observation, key) for key in SECRET_KEYS)


def _names(observation: Observation, name: str) -> bool:
    text = observation.exchange.response_body.decode("utf-8", "replace")
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def _property(schema: Any, base: Pointer, field_path: tuple[str, ...]) -> tuple[Pointer, Any] | None:
    at, node = base, schema
    for name in field_path:
        while isinstance(node, dict) and isinstance(node.get("items"), dict) and "properties" not in node:
            at, node = (*at, "items"), node["items"]  # list items share their list's path
        found = property_pointer(node, at, name)
        if found is None:
            return None
        at, node = found
    return at, node


def _accepted_elsewhere(
    evidence: Evidence, refused_by: Operation, parent: Pointer, name: str
) -> list[Observation]:
    """Accepted requests of other operations that sent field ``name`` of the same written schema."""
    written = evidence.spec.source(parent)
    found = []
    for operation in evidence.spec.operations:
        schema, base = operation.request_schema(), operation.request_schema_pointer()
        if operation is refused_by or schema is None:
            continue
        for observation in _requests(evidence, operation, accepted=True):
            for path in set(key_paths(observation.request)):
                if path[-1] != name:
                    continue
                located = _property(schema, base, path)
                if located is not None and evidence.spec.source(located[0][:-2]) == written:
                    found.append(observation)
                    break
    return found
