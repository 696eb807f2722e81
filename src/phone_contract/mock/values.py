"""A value for a schema the spec gives no example for: realistic, from the schema alone, deterministic.

Used for the leaves of an answer when neither the success response's example, the property's own
``example``/``examples``, ``default``, ``const`` nor ``enum`` says what to answer (those come first,
in :mod:`phone_contract.mock.answers`). Never a placeholder such as ``"string"``.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any

from phone_contract.mock.records import PASSWORD_MASK

# A realistic value per JSON Schema / OpenAPI format. Documentation ranges (RFC 5737, RFC 3849) for IPs.
_FORMATS: dict[str, Any] = {
    "date-time": "2026-11-26T10:15:30.123Z",
    "date": "2026-11-26",
    "time": "10:15:30Z",
    "duration": "PT1H",
    "email": "support@example.com",
    "idn-email": "support@example.com",
    "hostname": "sip.example.com",
    "idn-hostname": "sip.example.com",
    "ipv4": "192.0.2.10",
    "ipv6": "2001:db8::10",
    "uri": "https://example.com/resource",
    "iri": "https://example.com/resource",
    "url": "https://example.com/resource",
    "uri-reference": "/resource",
    "iri-reference": "/resource",
    "uri-template": "https://example.com/{id}",
    "json-pointer": "/resource",
    "relative-json-pointer": "0",
    "regex": "^[a-z]+$",
    "byte": "ZXhhbXBsZQ==",
    "password": PASSWORD_MASK,
}
# Where a UUID is derived from a field's name, so that two fields get two different, stable UUIDs.
_UUID_NAMESPACE = uuid.UUID("550e8400-e29b-41d4-a716-446655440000")


def derived(schema: Mapping[str, Any], name: str) -> Any:
    """What a schema says to answer: example, first of examples, default, const, first enum value, or a
    realistic value of its format and type (``name`` shapes text and UUIDs)."""
    if "example" in schema:
        return schema["example"]
    examples, enum = schema.get("examples"), schema.get("enum")
    if isinstance(examples, list) and examples:
        return examples[0]
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    if isinstance(enum, list) and enum:
        return enum[0]
    for option in schema.get("anyOf") or schema.get("oneOf") or ():
        if isinstance(option, Mapping):
            return derived(option, name)
    return _of_type(schema, schema_type(schema), name)


def schema_type(schema: Mapping[str, Any]) -> str | None:
    """The schema's JSON type (the first that is not null), or the one its keywords imply."""
    declared = schema.get("type")
    types = declared if isinstance(declared, list) else [declared] if isinstance(declared, str) else []
    for kind in types:
        if kind != "null":
            return str(kind)
    if types:
        return "null"
    if "properties" in schema:
        return "object"
    if "items" in schema:
        return "array"
    return None


def _of_type(schema: Mapping[str, Any], kind: str | None, name: str) -> Any:
    if kind == "boolean":
        return False
    if kind in ("integer", "number"):
        return _number(schema)
    if kind == "null":
        return None
    if kind == "array":
        return []
    if kind == "object":
        return {}
    return _text(schema, name)


def _number(schema: Mapping[str, Any]) -> int:
    low, high = schema.get("minimum"), schema.get("maximum")
    if isinstance(schema.get("exclusiveMinimum"), int | float):
        low = int(schema["exclusiveMinimum"]) + 1
    value = int(low) if isinstance(low, int | float) else 1
    if isinstance(high, int | float) and value > high:
        value = int(high)
    step = schema.get("multipleOf")
    if isinstance(step, int) and step > 0 and value % step:
        value += step - value % step
    return value


def _text(schema: Mapping[str, Any], name: str) -> str:
    fmt = schema.get("format")
    if fmt == "uuid":
        return str(uuid.uuid5(_UUID_NAMESPACE, name))
    if isinstance(fmt, str) and fmt in _FORMATS:
        return str(_FORMATS[fmt])
    # A readable value from the field's name: configType -> "Config type".
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|[_-]+", " ", name).strip().lower() or "value"
    text = words[0].upper() + words[1:]
    low, high = schema.get("minLength"), schema.get("maxLength")
    if isinstance(low, int) and len(text) < low:
        text = text.ljust(low, "x")
    if isinstance(high, int) and len(text) > high:
        text = text[:high]
    return text
