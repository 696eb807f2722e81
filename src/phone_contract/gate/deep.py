"""A variant of the spec whose request body must be fully populated, to reach nested input.

Random generation from the real spec rarely sends every optional field at once, and more rarely a
nested array with several items, which is where servers break (see the mock's
``server-error-edge``). This variant inlines one operation's request schema, makes every property of
every object required and every array hold at least two items; cases drawn from it still conform to
the real spec, so any answer but the documented success is a contract break.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from phone_contract._spec import Operation, Spec, SpecError

MIN_ARRAY_ITEMS = 2
_MAX_DEPTH = 32  # the request schema is not recursive; this only guards against a spec that is


def fully_populated(spec: Spec, operation: Operation) -> dict[str, Any]:
    """A copy of the contract whose ``operation``'s request body requires everything."""
    return spec.with_request_schema(operation, _populate(operation.request_schema() or {}, 0))


def _populate(schema: Any, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise SpecError("the request schema nests deeper than the gate supports (recursive $ref?)")
    if not isinstance(schema, Mapping):
        return schema
    result = {key: value for key, value in schema.items() if key not in {"properties", "items"}}
    if "properties" in schema:
        result["properties"] = {
            name: _populate(child, depth + 1) for name, child in schema["properties"].items()
        }
        result["required"] = sorted(schema["properties"])
    if "items" in schema:
        result["items"] = _populate(schema["items"], depth + 1)
        result["minItems"] = max(MIN_ARRAY_ITEMS, int(schema.get("minItems", 0)))
    return result
