"""Walking a contract schema beside a JSON value: where each field's schema sits (a contract pointer)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from phone_contract._secrets import SECRET_KEYS
from phone_contract._spec import Spec, pattern_property

Pointer = tuple[str | int, ...]
Parts = tuple[str | int, ...]


def resolve(spec: Spec, pointer: Pointer) -> Any:
    """The contract node at ``pointer``."""
    node: Any = spec.document
    for step in pointer:
        node = node[step]
    return node


def property_pointer(schema: Any, at: Pointer, name: str) -> tuple[Pointer, Any] | None:
    """The pointer and schema of property ``name`` of the object schema at ``at`` (allOf parts too)."""
    if not isinstance(schema, Mapping):
        return None
    properties = schema.get("properties")
    if isinstance(properties, Mapping) and name in properties:
        return (*at, "properties", name), properties[name]
    for combinator in ("allOf", "anyOf", "oneOf"):
        for index, part in enumerate(schema.get(combinator) or []):
            found = property_pointer(part, (*at, combinator, index), name)
            if found is not None:
                return found
    return None


def undocumented(
    schema: Any, at: Pointer, value: Any, parts: Parts = ()
) -> Iterator[tuple[Pointer, Parts, Any]]:
    """(pointer of the object schema, JSON path parts, value) of each field its schema does not name.

    The same walk as :func:`phone_contract.responses.undocumented_fields`, keeping schema pointers.
    """
    if not isinstance(schema, Mapping):
        return
    items = schema.get("items")
    if isinstance(value, list) and isinstance(items, Mapping):
        for index, item in enumerate(value):
            yield from undocumented(items, (*at, "items"), item, (*parts, index))
        return
    if not isinstance(value, Mapping):
        return
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        found = property_pointer(schema, at, key)
        pattern = pattern_property(schema, key) if found is None else None
        if found is not None:
            yield from undocumented(found[1], found[0], item, (*parts, key))
        elif pattern is not None:
            # Documented by a pattern: what it learns belongs in the pattern, never in a property beside it.
            yield from undocumented(pattern[1], (*at, *pattern[0]), item, (*parts, key))
        elif isinstance(extra, Mapping):
            yield from undocumented(extra, (*at, "additionalProperties"), item, (*parts, key))
        elif schema.get("properties") or any(schema.get(c) for c in ("allOf", "anyOf", "oneOf")):
            yield at, (*parts, key), item


def key_paths(value: Any, parts: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every object key path in a JSON value (list items share their list's path)."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield (*parts, str(key))
            yield from key_paths(item, (*parts, str(key)))
    elif isinstance(value, list):
        for item in value:
            yield from key_paths(item, parts)


def without_secrets(value: Any) -> Any:
    """``value`` with every secret field dropped: never inferred from, never shown."""
    if isinstance(value, Mapping):
        return {key: without_secrets(item) for key, item in value.items() if key not in SECRET_KEYS}
    if isinstance(value, list):
        return [without_secrets(item) for item in value]
    return value


Written = tuple[str, Pointer]


def written_at(spec: Spec, pointer: Pointer) -> Written | Pointer:
    """Where the schema at ``pointer`` was written, through a ``$ref`` to what it names (else the contract
    pointer): the key evidence is grouped by, so a schema shared by several operations (a component)
    is learned from all of their exchanges together, never from one operation's alone."""
    node = resolve(spec, pointer)
    # A key inside the node is written where the node's content is, even when the node is a $ref.
    for key in sorted(node, key=str) if isinstance(node, Mapping) else ():
        inner = spec.source((*pointer, key))
        if inner is not None:
            return inner[0], inner[1][:-1]
    return spec.source(pointer) or pointer
