"""A JSON Schema for observed values: genson's inference, with formats, and nothing required.

Every field inferred is optional (a response object that omitted it once would otherwise break the
learned spec), and a string ``format`` is claimed only when every observed value has it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from genson import SchemaBuilder
from genson.schema.strategies import String
from jsonschema import Draft202012Validator

# Most specific first: a value that is a uuid is not called an email.
_FORMATS = tuple(
    name
    for name in ("uuid", "date-time", "date", "email", "ipv4", "ipv6")
    # Only formats jsonschema can check here: an unchecked format would match every value.
    if name in Draft202012Validator.FORMAT_CHECKER.checkers
)


def conforms(value: str, format_name: str) -> bool:
    return bool(Draft202012Validator.FORMAT_CHECKER.conforms(value, format_name))


class _FormattedString(String):  # type: ignore[misc]  # genson is untyped
    """genson's string strategy, remembering which formats every value so far has."""

    def __init__(self, node_class: Any) -> None:
        super().__init__(node_class)
        self._formats: set[str] | None = None

    def add_object(self, obj: Any) -> None:
        super().add_object(obj)
        matching = {name for name in _FORMATS if conforms(obj, name)}
        self._formats = matching if self._formats is None else self._formats & matching

    def to_schema(self) -> dict[str, Any]:
        schema: dict[str, Any] = super().to_schema()
        found = [name for name in _FORMATS if name in (self._formats or ())]
        if found:
            schema["format"] = found[0]
        return schema


class _Builder(SchemaBuilder):  # type: ignore[misc]
    EXTRA_STRATEGIES = (_FormattedString,)


def infer_schema(values: Iterable[Any]) -> dict[str, Any]:
    """The narrowest schema genson finds for all ``values``, every object property optional."""
    builder = _Builder(schema_uri=None)
    for value in values:
        builder.add_object(value)
    tidy: dict[str, Any] = _tidy(builder.to_schema())
    return tidy


def _tidy(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_tidy(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    tidy = {key: _tidy(value) for key, value in schema.items() if key != "required"}
    if tidy.get("type") == "array" and "items" not in tidy:
        # Only empty lists were seen: their items may be anything (and generators want the keyword).
        tidy["items"] = {}
    parts = tidy.get("anyOf")
    # anyOf [{type: string, format: uuid}, {type: null}] reads better as type [string, null].
    if isinstance(parts, list) and {"type": "null"} in parts and len(parts) == 2:
        other = next(part for part in parts if part != {"type": "null"})
        if isinstance(other.get("type"), str):
            rest = {key: value for key, value in tidy.items() if key != "anyOf"}
            return {**rest, **other, "type": [other["type"], "null"]}
    return tidy


def json_type(value: Any) -> str:
    """The JSON Schema type name of a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def same_json(one: Any, other: Any) -> bool:
    """Equal as JSON values: ``1`` and ``1.0`` are, ``1`` and ``true`` are not (Python says they are)."""
    if isinstance(one, bool) or isinstance(other, bool):
        return isinstance(one, bool) and isinstance(other, bool) and one == other
    if isinstance(one, list) and isinstance(other, list):
        return len(one) == len(other) and all(map(same_json, one, other))
    if isinstance(one, dict) and isinstance(other, dict):
        return one.keys() == other.keys() and all(same_json(one[key], other[key]) for key in one)
    return bool(one == other)


def distinct(values: Iterable[Any]) -> tuple[Any, ...]:
    """``values`` in order, each once as JSON tells values apart."""
    found: list[Any] = []
    for value in values:
        if not any(same_json(value, seen) for seen in found):
            found.append(value)
    return tuple(found)


def widened_types(declared: Any, values: Sequence[Any]) -> tuple[tuple[str, ...], str]:
    """The types ``values`` add to the ``declared`` type, and the words for it: ``integer widened to
    number`` when a fraction came where the spec said integer (``number`` holds every integer, so the
    edit replaces it), ``also null`` otherwise."""
    current = [declared] if isinstance(declared, str) else list(declared or [])
    added = sorted({json_type(value) for value in values} - set(current))
    said = [
        "integer widened to number" if name == "number" and "integer" in current else f"also {name}"
        for name in added
    ]
    return tuple(added), "; ".join(said)
