"""The boundary values of each field, one field at a time, on the spec's own request example.

Real APIs break most often at a field's edges: the empty string, the shortest and the longest
allowed, a value with surrounding whitespace or outside ASCII, each enum value, an optional field
left out or sent. Random bodies reach these seldom, and a live run's write budget pays for few
bodies; so the gate sends these first:

- packed: body *k* holds every field's *k*-th boundary value at once, so a handful of bodies (as
  many as the field with the most values has) covers every boundary of every field;
- then one field at a time: first the values no packed body could hold (a field left out whose
  own fields have values in every round, an item of an array another value empties), then every
  field's first value before any field's second, so that what broke is plain from the body that
  broke it, as far as the budget goes.

Each variant is kept only when the whole body is still valid for the spec: they are positive cases,
as the conformance checks judge them. Pure: built from the spec model, no network.
"""

from __future__ import annotations

import copy
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from phone_contract._paths import json_path
from phone_contract._spec import Operation, properties_of

# Text for a field the example leaves out, and the non-ASCII value (a typographic apostrophe, a
# combining accent, a symbol outside the BMP's Latin blocks, and CJK: each a classic truncation).
_TEXT = "Main Line"
_NON_ASCII = "Zoë\u2019s Líne\u0301a ☎ 電話"
# Deep enough for the spec's nesting (config.sipOutbound.headers[].value), bounded for a recursive one.
_MAX_DEPTH = 6

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Boundary:
    """One body: the example with the field at ``path`` set to one boundary ``value`` (or left out)."""

    path: Path
    what: str
    body: dict[str, Any]
    value: Any = None

    @property
    def label(self) -> str:
        return f"{json_path(list(self.path))} {self.what}"

    @property
    def left_out(self) -> bool:
        return self.value is _ABSENT


@dataclass(frozen=True)
class Packed:
    """One body holding several fields' boundary values at once."""

    body: dict[str, Any]
    holds: tuple[Boundary, ...]


@dataclass(frozen=True)
class Boundaries:
    """An operation's boundary values: packed bodies first, then one field at a time."""

    packed: tuple[Packed, ...] = ()
    singles: tuple[Boundary, ...] = ()


def boundaries(operation: Operation) -> Boundaries:
    """Every boundary value of ``operation``'s request example, packed and one at a time (each
    field's first value before any field's second); none when it takes no JSON body or has no valid
    example."""
    schema = operation.request_schema()
    base = every_field(operation)
    if schema is None or base is None:
        return Boundaries()
    validator = operation.spec.validator(schema)
    # The full body is itself the first one sent.
    per_field: dict[Path, list[Boundary]] = {(): [Boundary((), "every field sent", base)]}
    seen = {_key(base)}
    identity = _identity_fields(operation)
    for path, what, value in _variants(operation, schema, base, ()):
        if path and path[-1] in identity:
            continue  # the run's own: addressed, pinned or made fresh before it is sent
        body = _with(base, path, value)
        if body is None or _key(body) in seen or not validator.is_valid(body):
            continue
        seen.add(_key(body))
        per_field.setdefault(path, []).append(Boundary(path, what, body, value))
    # Round robin over the fields: every field's first value, then every field's second, and so on.
    rounds = [
        [boundary for boundary in round_ if boundary is not None]
        for round_ in itertools.zip_longest(*per_field.values())
    ]
    singles = [boundary for round_ in rounds for boundary in round_]
    packed = tuple(
        found
        for found in (_packed(base, round_, validator.is_valid) for round_ in rounds)
        if len(found.holds) > 1
    )
    # The values no packed body could hold go first: coverage before diagnosis.
    held = {id(boundary) for found in packed for boundary in found.holds}
    unheld = [boundary for boundary in singles if id(boundary) not in held]
    return Boundaries(packed, tuple(unheld + [boundary for boundary in singles if id(boundary) in held]))


def every_field(operation: Operation) -> dict[str, Any] | None:
    """The operation's request example with every field present (the example's values, samples for
    the rest), so each field has boundaries to show; the example itself when the samples do not fit
    together; None when it takes no JSON body or has no valid example."""
    schema = operation.request_schema()
    if schema is None:
        return None
    validator = operation.spec.validator(schema)
    examples = [value for value in operation.request_examples().values() if isinstance(value, dict)]
    if not examples or not validator.is_valid(examples[0]):
        return None
    base = _filled(operation, schema, examples[0], 0)
    found: dict[str, Any] = base if validator.is_valid(base) else examples[0]
    return found


def _packed(base: dict[str, Any], round_: list[Boundary], valid: Any) -> Packed:
    """One round's values in one body, as many as stay valid together. A field left out would take
    its fields' values with it: it waits for a round where none of them has one."""
    body = base
    holds: list[Boundary] = []
    paths = [boundary.path for boundary in round_ if not boundary.left_out and boundary.path]
    values = [boundary for boundary in round_ if boundary.path and not boundary.left_out]
    left_out = [
        boundary
        for boundary in round_
        if boundary.left_out and not any(path[: len(boundary.path)] == boundary.path for path in paths)
    ]
    for boundary in [*values, *left_out]:
        candidate = _with(body, boundary.path, boundary.value)
        if candidate is not None and valid(candidate):
            body = candidate
            holds.append(boundary)
    return Packed(body, tuple(holds))


_ABSENT = object()


def _identity_fields(operation: Operation) -> frozenset[str | int]:
    resource = operation.semantics.resource
    if resource is None:
        return frozenset()
    return frozenset(name for name in (resource.id, resource.scope, resource.owner) if name is not None)


def _filled(operation: Operation, schema: Any, value: Any, depth: int) -> Any:
    """``value`` with a sample for every property it leaves out, at every depth (first array item)."""
    schema = operation.spec.follow(schema) if isinstance(schema, Mapping) else {}
    if depth > _MAX_DEPTH:
        return value
    if isinstance(value, dict):
        result = dict(value)
        for name, child in properties_of(schema).items():
            if not isinstance(child, Mapping):
                continue
            if name in result:
                result[name] = _filled(operation, child, result[name], depth + 1)
                continue
            sample = _sample(operation, child, depth + 1)
            if sample is not _ABSENT:
                result[name] = _filled(operation, child, sample, depth + 1)
        return result
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, Mapping):
        if not value:
            sample = _sample(operation, items, depth + 1)
            return [] if sample is _ABSENT else [_filled(operation, items, sample, depth + 1)]
        return [_filled(operation, items, value[0], depth + 1), *value[1:]]
    return value


def _variants(operation: Operation, schema: Any, value: Any, path: Path) -> Iterator[tuple[Path, str, Any]]:
    """(path, what, new value) for the field at ``path`` and, for an object or array, its fields."""
    schema = operation.spec.follow(schema) if isinstance(schema, Mapping) else {}
    if len(path) > _MAX_DEPTH:
        return
    if path:
        yield from ((path, what, new) for what, new in _scalar_variants(schema, value))
    properties = properties_of(schema)
    if properties and isinstance(value, Mapping):
        required = set(schema.get("required") or ())
        for name, child in properties.items():
            if not isinstance(child, Mapping):
                continue
            if name in value:
                yield from _variants(operation, child, value[name], (*path, name))
                if name not in required:
                    # After its values: a field's first boundary is a value, its last its absence.
                    yield (*path, name), "left out", _ABSENT
            else:
                sample = _sample(operation, child, 0)
                if sample is not _ABSENT:
                    yield (*path, name), "sent", sample
    items = schema.get("items")
    if isinstance(items, Mapping) and isinstance(value, list) and value:
        # The first item stands for all: an item's boundaries are the same in every place.
        yield from _variants(operation, items, value[0], (*path, 0))


def _scalar_variants(schema: Mapping[str, Any], value: Any) -> Iterator[tuple[str, Any]]:
    enum = schema.get("enum")
    if isinstance(enum, list):
        yield from ((f"= {json.dumps(option)}", option) for option in enum if option != value)
        return
    kind = schema.get("type")
    if kind == "string" or (kind is None and isinstance(value, str)):
        yield from _string_variants(schema, value if isinstance(value, str) else _TEXT)
    elif kind in ("integer", "number") and not isinstance(value, bool):
        for keyword, what in (("minimum", "minimum"), ("maximum", "maximum")):
            limit = schema.get(keyword)
            if isinstance(limit, int | float) and not isinstance(limit, bool):
                yield what, limit
    elif kind == "boolean" and isinstance(value, bool):
        yield json.dumps(not value), not value
    elif kind == "array" and isinstance(value, list):
        yield "empty", []


def _string_variants(schema: Mapping[str, Any], text: str) -> Iterator[tuple[str, Any]]:
    low = schema.get("minLength", 0)
    high = schema.get("maxLength")
    low = low if isinstance(low, int) else 0
    yield "empty", ""
    if low > 1:
        yield "shortest", _fit(text, low)
    if isinstance(high, int):
        # Non-ASCII first: a limit counted in bytes, not characters, cuts it.
        yield "longest", ("é" + text + "x" * high)[:high]
    if "format" in schema or "pattern" in schema:
        return  # a formatted value keeps its format: whitespace or letters would only make it invalid
    yield "surrounding whitespace", f"  {text}\t "
    yield "non-ASCII", _NON_ASCII


def _fit(text: str, length: int) -> str:
    return (text * (length // max(len(text), 1) + 1))[:length]


def _sample(operation: Operation, schema: Mapping[str, Any], depth: int) -> Any:  # noqa: PLR0911 - one per type
    """A value the schema takes, for a field the example leaves out; ``_ABSENT`` when none is at hand."""
    schema = operation.spec.follow(schema)
    if depth > _MAX_DEPTH:
        return _ABSENT
    for keyword in ("const", "default", "example"):
        if keyword in schema:
            return copy.deepcopy(schema[keyword])
    for keyword in ("examples", "enum"):
        options = schema.get(keyword)
        if isinstance(options, list) and options:
            return copy.deepcopy(options[0])
    kind = schema.get("type")
    if kind == "object" or properties_of(schema):
        properties = properties_of(schema)
        result = {}
        for name in schema.get("required") or ():
            value = _sample(operation, properties.get(name) or {}, depth + 1)
            if value is _ABSENT:
                return _ABSENT
            result[name] = value
        return result
    if kind == "array":
        return []
    if kind == "boolean":
        return True
    if kind in ("integer", "number"):
        minimum = schema.get("minimum")
        return minimum if isinstance(minimum, int | float) else 1
    if kind == "string" and "format" not in schema and "pattern" not in schema:
        low, high = schema.get("minLength", 1), schema.get("maxLength")
        length = max(low if isinstance(low, int) else 1, len(_TEXT))
        return _fit(_TEXT, min(length, high) if isinstance(high, int) else length)
    return _ABSENT


def _with(body: dict[str, Any], path: Path, value: Any) -> dict[str, Any] | None:
    """A copy of ``body`` with ``value`` at ``path`` (``_ABSENT``: the key removed); None if the path
    does not lead through the body."""
    result = copy.deepcopy(body)
    node: Any = result
    for key in path[:-1]:
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return None
            node = node[key]
        elif isinstance(node, dict) and key in node:
            node = node[key]
        else:
            return None
    last = path[-1]
    if isinstance(last, int) or not isinstance(node, dict):
        return None
    if value is _ABSENT:
        node.pop(last, None)
    else:
        node[last] = value
    return result


def _key(body: Any) -> str:
    return json.dumps(body, sort_keys=True)
