"""Bodies carrying the strings real users send, for the echo property: built from the spec.

Random generation seldom sends "  Main Line " or a decomposed "é", yet these are what an API that
trims, truncates or normalises gets wrong, and the documented echo says it must not. Each variant
below rewrites every free-text string field of the spec's own request example (no format, no enum);
a value the schema refuses (too long, a pattern) is left out, so every body stays spec-valid.
"""

from __future__ import annotations

import copy
import itertools
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from phone_contract._spec import Operation, properties_of

Variant = Callable[[str, Mapping[str, Any]], str]
_FALLBACK_TEXT = "Main Line"


def _surrounding_whitespace(text: str, schema: Mapping[str, Any]) -> str:
    return f"  {text}\t "


def _inner_whitespace(text: str, schema: Mapping[str, Any]) -> str:
    return "  ".join(text.split(" ")) if " " in text else f"{text[:1]}  {text[1:]}"


def _non_ascii(text: str, schema: Mapping[str, Any]) -> str:
    return "Zoë\u2019s Línea ☎ 電話"  # with a typographic apostrophe


def _combining(text: str, schema: Mapping[str, Any]) -> str:
    # "é" as e + U+0301: an API that normalises to NFC answers a different string.
    return "Cafe\u0301 Ame\u0301lie"


def _longest(text: str, schema: Mapping[str, Any]) -> str:
    limit = schema.get("maxLength")
    if not isinstance(limit, int):
        return "Ünïcødé " * 32  # no documented limit: long enough to find an undocumented one
    # Non-ASCII first: a limit counted in bytes, not characters, truncates it.
    return ("é" + text + "x" * limit)[:limit]


VARIANTS: dict[str, Variant] = {
    "surrounding whitespace": _surrounding_whitespace,
    "inner whitespace": _inner_whitespace,
    "non-ASCII": _non_ascii,
    "combining characters": _combining,
    "longest allowed": _longest,
}


def user_string_bodies(operation: Operation) -> Iterator[tuple[str, dict[str, Any]]]:
    """(variant, spec-valid body) for each variant that changes at least one field of ``operation``'s
    own request example."""
    schema = operation.request_schema()
    if schema is None:
        return
    validator = operation.spec.validator(schema)
    examples = [value for value in operation.request_examples().values() if isinstance(value, Mapping)]
    if not examples or not validator.is_valid(examples[0]):
        return
    base = dict(examples[0])
    fields = list(_free_text_fields(schema, []))
    for name, variant in VARIANTS.items():
        body = copy.deepcopy(base)
        for path, field_schema in fields:
            current = _get(body, path)
            text = current if isinstance(current, str) and current else _FALLBACK_TEXT
            candidate = _with(body, path, variant(text, field_schema))
            if validator.is_valid(candidate):
                body = candidate
        if body != base:
            yield name, body


def _free_text_fields(
    schema: Any, path: list[str | int]
) -> Iterator[tuple[list[str | int], Mapping[str, Any]]]:
    for name, child in properties_of(schema).items():
        if not isinstance(child, Mapping):
            continue
        if child.get("type") == "string" and not {"format", "enum", "const"} & child.keys():
            yield [*path, name], child
        elif properties_of(child):
            yield from _free_text_fields(child, [*path, name])
        elif isinstance(child.get("items"), Mapping) and properties_of(child["items"]):
            # The first item of a list of objects (an update's items, say): the example holds one.
            yield from _free_text_fields(child["items"], [*path, name, 0])


def _get(body: Any, path: list[str | int]) -> Any:
    node: Any = body
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        elif isinstance(node, Mapping):
            node = node.get(key)
        else:
            return None
    return node


def _with(body: dict[str, Any], path: list[str | int], value: str) -> dict[str, Any]:
    result = copy.deepcopy(body)
    node: Any = result
    for key, after in itertools.pairwise(path):
        if isinstance(key, int):
            if not isinstance(node, list) or key >= len(node):
                return body  # the example has no such item: nothing to rewrite there
            node = node[key]
            continue
        child = node.get(key)
        if not isinstance(child, dict | list):
            child = [] if isinstance(after, int) else {}
            node[key] = child
        node = child
    if isinstance(node, dict) and isinstance(path[-1], str):
        node[path[-1]] = value
    return result
