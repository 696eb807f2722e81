"""The parameters of a request (query, path, header) checked against the operation's: required ones
present, each value valid for its schema once read as the type the schema says (``?limit=5`` is an
integer for ``type: integer``). Simple (form, exploded) style: what the spec's parameters use.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl, unquote

import jsonschema

from phone_contract._spec import Operation
from phone_contract.mock.validation import BadRequest


def _schema(parameter: Mapping[str, Any]) -> Mapping[str, Any]:
    schema = parameter.get("schema")
    return schema if isinstance(schema, Mapping) else {}


class ParameterValidator:
    """Validates the parameters of requests to one operation; compiled once."""

    def __init__(self, operation: Operation) -> None:
        self.operation = operation
        spec = operation.spec
        self._checks = [
            (location, name, bool(parameter.get("required")) or location == "path", _schema(parameter))
            for (location, name), parameter in operation.parameters.items()
            if location in ("query", "path", "header")
        ]
        self._validators = {
            (location, name): jsonschema.Draft202012Validator(
                spec.standalone(schema), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
            )
            for location, name, _, schema in self._checks
        }

    def __bool__(self) -> bool:
        return bool(self._checks)

    def check(self, path: str, query: bytes, headers: Mapping[bytes, bytes]) -> None:
        """BadRequest naming the first parameter missing or invalid."""
        values = {
            "query": _query(query),
            "path": {name: [unquote(value)] for name, value in self.operation.path_values(path).items()},
            "header": {
                name.decode("latin-1").lower(): [value.decode("latin-1")] for name, value in headers.items()
            },
        }
        for location, name, required, schema in self._checks:
            sent = values[location].get(name)
            if not sent:
                if required:
                    raise BadRequest(f"{location} parameter {name}: required, not sent")
                continue
            value = _typed(sent, schema)
            error = next(iter(self._validators[(location, name)].iter_errors(value)), None)
            if error is not None:
                raise BadRequest(f"{location} parameter {name}: {error.message}"[:300])


def _query(raw: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name, value in parse_qsl(raw.decode("latin-1"), keep_blank_values=True):
        found.setdefault(name, []).append(value)
    return found


def _typed(values: list[str], schema: Mapping[str, Any]) -> Any:
    """The parameter as the value its schema describes: a list for an array, one scalar otherwise."""
    kind = schema.get("type")
    if kind == "array":
        items = schema.get("items")
        return [_scalar(value, items if isinstance(items, Mapping) else {}) for value in values]
    return _scalar(values[0], schema)


def _scalar(text: str, schema: Mapping[str, Any]) -> Any:
    kind = schema.get("type")
    try:
        if kind == "integer":
            return int(text)
        if kind == "number":
            return float(text)
    except ValueError:
        return text  # left as text: the schema refuses it, naming its type
    if kind == "boolean":
        return {"true": True, "false": False}.get(text, text)
    return text
