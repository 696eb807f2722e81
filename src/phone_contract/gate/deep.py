"""A variant of the spec whose request body must be fully populated, to reach nested input.

Random generation from the real spec rarely sends every ``config`` field at once, and more rarely
``sipOutbound.headers`` with several items, which is where servers break (see the mock's
``server-error-edge``). This variant inlines the request schema, makes every property of every
object required and every array hold at least two items; cases drawn from it still conform to
the real spec, so any answer but 201 is a contract break.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

MIN_ARRAY_ITEMS = 2
_MAX_DEPTH = 32  # the request schema is not recursive; this only guards against a spec that is


def fully_populated(spec: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``spec`` whose ``POST /phone-numbers`` request body requires everything."""
    variant = copy.deepcopy(dict(spec))
    media = variant["paths"]["/phone-numbers"]["post"]["requestBody"]["content"]["application/json"]
    media["schema"] = _populate(variant, media["schema"], 0)
    # Examples from the real spec are not fully populated; the variant generates its own.
    media.pop("examples", None)
    media.pop("example", None)
    return variant


def _populate(spec: Mapping[str, Any], schema: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ValueError("request schema nests deeper than the gate supports (recursive $ref?)")
    schema = _resolve(spec, schema)
    if not isinstance(schema, Mapping):
        return schema
    result = {key: value for key, value in schema.items() if key not in {"properties", "items"}}
    if "properties" in schema:
        result["properties"] = {
            name: _populate(spec, child, depth + 1) for name, child in schema["properties"].items()
        }
        result["required"] = sorted(schema["properties"])
    if "items" in schema:
        result["items"] = _populate(spec, schema["items"], depth + 1)
        result["minItems"] = max(MIN_ARRAY_ITEMS, int(schema.get("minItems", 0)))
    return result


def _resolve(spec: Mapping[str, Any], schema: Any) -> Any:
    while isinstance(schema, Mapping) and isinstance(schema.get("$ref"), str):
        node: Any = spec
        for token in schema["$ref"].removeprefix("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        schema = node
    return schema
