"""Check an HTTP response against the spec: status, content type, JSON, schema, undocumented fields.

Everything is derived from the spec at run time (jsonschema Draft 2020-12, ``$ref`` resolved with
``referencing``), so a spec change changes what is checked with no second copy to keep in step.

    >>> check_response(201, "application/json", b'{"success": "yes"}')[0].expected
    'const true'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from phone_contract._spec import load_spec

__all__ = [
    "CONTENT_TYPE_PATH",
    "STATUS_PATH",
    "ContractViolation",
    "Violation",
    "check_response",
    "json_path",
    "schema_validator",
    "undocumented_fields",
]

# Paths of the two violations that are not about the body, which is "$" and below.
STATUS_PATH = "status"
CONTENT_TYPE_PATH = "content-type"

_SPEC_URI = "urn:phone-contract:spec"
_JSON = "application/json"
_SECRET_KEYS = frozenset({"password"})
_REDACTED = "<redacted>"
_MAX_ACTUAL = 80


@dataclass(frozen=True)
class Violation:
    """One way a response breaks the spec: where, what the spec wants, what came instead."""

    path: str
    expected: str
    actual: str

    def __str__(self) -> str:
        return f"{self.path}: expected {self.expected}, got {self.actual}"


class ContractViolation(Exception):
    """A response broke the spec; ``violations`` says where and how, ``str()`` says it in full."""

    def __init__(self, status_code: int, violations: Sequence[Violation]) -> None:
        self.status_code = status_code
        self.violations: tuple[Violation, ...] = tuple(violations)
        lines = [f"response {status_code} breaks the spec ({len(self.violations)} violation(s)):"]
        lines += [f"  {violation}" for violation in self.violations]
        super().__init__("\n".join(lines))


def json_path(parts: Sequence[str | int]) -> str:
    """``["data", "headers", 0]`` -> ``$.data.headers[0]``; odd keys are quoted: ``$['a b']``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out


def check_response(
    status_code: int,
    content_type: str | None,
    body: bytes,
    *,
    spec: Mapping[str, Any] | None = None,
) -> list[Violation]:
    """Every way this response of ``POST /phone-numbers`` breaks the spec; empty when it keeps it."""
    spec = _default(spec)
    response = _response_spec(spec, status_code)
    if response is None:
        documented = ", ".join(_documented_statuses(spec))
        return [Violation(STATUS_PATH, f"a documented status ({documented})", str(status_code))]
    key, response_spec = response
    if _JSON not in response_spec.get("content", {}):
        return []  # The spec documents no JSON body here; nothing below to check.
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != _JSON:
        return [Violation(CONTENT_TYPE_PATH, _JSON, content_type or "no Content-Type header")]
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        # The parser's message only: the body itself may hold a secret.
        return [Violation("$", "a JSON document", f"invalid JSON ({_first_line(exc)})")]
    validator = schema_validator(_schema_pointer(key), spec=spec)
    errors = sorted(validator.iter_errors(document), key=lambda e: json_path(list(e.absolute_path)))
    return [violation for error in errors for violation in _violations(error)]


def schema_validator(pointer: str, *, spec: Mapping[str, Any] | None = None) -> Draft202012Validator:
    """A cached validator (formats checked) of the schema at JSON pointer ``pointer`` in the spec.

    ``schema_validator("/components/schemas/CreatePhoneNumberRequest").is_valid(body)``
    """
    return _validator(_SpecRef(_default(spec)), pointer)


def undocumented_fields(
    status_code: int, body: object, *, spec: Mapping[str, Any] | None = None
) -> list[str]:
    """JSON paths of object fields in ``body`` that the response schema does not name.

    Response schemas are open on purpose (clients must tolerate new fields), so validation passes
    them; this is how the gate still notices that the API has drifted from the spec.
    """
    spec = _default(spec)
    response = _response_spec(spec, status_code)
    if response is None:
        return []
    schema = response[1].get("content", {}).get(_JSON, {}).get("schema")
    if schema is None:
        return []
    return sorted(set(_walk_undocumented(spec, schema, body, [])))


# --- spec lookup ---------------------------------------------------------------------------------


def _default(spec: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return load_spec() if spec is None else spec


def _operation(spec: Mapping[str, Any]) -> Mapping[str, Any]:
    operation: Mapping[str, Any] = spec["paths"]["/phone-numbers"]["post"]
    return operation


def _documented_statuses(spec: Mapping[str, Any]) -> list[str]:
    return sorted(str(key) for key in _operation(spec)["responses"])


def _response_spec(spec: Mapping[str, Any], status_code: int) -> tuple[str, Mapping[str, Any]] | None:
    """The response object for ``status_code``: exact code, then ``4XX``-style range, then default."""
    responses: Mapping[str, Any] = _operation(spec)["responses"]
    for key in (str(status_code), f"{status_code // 100}XX", "default"):
        if key in responses:
            return key, _deref(spec, responses[key])
    return None


def _deref(spec: Mapping[str, Any], node: Any) -> Any:
    # Local references only: the spec is one self-contained file.
    while isinstance(node, Mapping) and isinstance(node.get("$ref"), str):
        node = _pointer(spec, node["$ref"])
    return node


def _pointer(spec: Mapping[str, Any], ref: str) -> Any:
    if not ref.startswith("#/"):
        raise ValueError(f"only local references are supported, not {ref!r}")
    node: Any = spec
    for token in ref[2:].split("/"):
        key = token.replace("~1", "/").replace("~0", "~")
        node = node[int(key)] if isinstance(node, list) else node[key]
    return node


def _schema_pointer(response_key: str) -> str:
    escaped = response_key.replace("~", "~0").replace("/", "~1")
    return f"/paths/~1phone-numbers/post/responses/{escaped}/content/application~1json/schema"


# --- validators, compiled once per (spec, schema) ------------------------------------------------


class _SpecRef:
    """Hashable by identity, so a spec dict can key a cache; holding it keeps its id unique."""

    __slots__ = ("spec",)

    def __init__(self, spec: Mapping[str, Any]) -> None:
        self.spec = spec

    def __hash__(self) -> int:
        return id(self.spec)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _SpecRef) and other.spec is self.spec


@functools.lru_cache(maxsize=32)
def _validator(spec: _SpecRef, pointer: str) -> Draft202012Validator:
    # The whole spec is one resource, so "#/components/schemas/X" inside any schema resolves in it.
    resource = Resource.from_contents(spec.spec, default_specification=DRAFT202012)
    registry: Registry[Any] = Registry().with_resource(_SPEC_URI, resource)
    schema = {"$ref": f"{_SPEC_URI}#{pointer}"}
    return Draft202012Validator(schema, registry=registry, format_checker=Draft202012Validator.FORMAT_CHECKER)


# --- turning jsonschema errors into violations ---------------------------------------------------


def _violations(error: ValidationError) -> Iterator[Violation]:
    parts = list(error.absolute_path)
    required: Any = error.validator_value
    if error.validator == "required" and isinstance(error.instance, Mapping):
        # One error per missing property; report it at the property's own path.
        for name in required:
            if name not in error.instance and repr(name) in error.message:
                yield Violation(json_path([*parts, name]), f"required property {name!r}", "nothing")
                return
    yield Violation(json_path(parts), _expected(error), _actual(parts, error.instance))


# How each keyword reads in "expected ...": {value} is the keyword's value as is, {json} as JSON.
_PHRASES = {
    "const": "const {json}",
    "enum": "one of {json}",
    "type": "type {value}",
    "format": "string of format {value}",
    "minLength": "a string of at least {value} characters",
    "maxLength": "a string of at most {value} characters",
    "minimum": "a number >= {value}",
    "maximum": "a number <= {value}",
    "additionalProperties": "no properties beyond those the spec names",
}


def _expected(error: ValidationError) -> str:
    keyword, value = str(error.validator), error.validator_value
    as_json = _truncate(json.dumps(value, default=str))
    template = _PHRASES.get(keyword, keyword + " {json}")
    return template.format(value=as_json if isinstance(value, (list, dict)) else value, json=as_json)


def _actual(parts: Sequence[str | int], instance: Any) -> str:
    if any(part in _SECRET_KEYS for part in parts):
        return _REDACTED
    return _truncate(json.dumps(_redact(instance), ensure_ascii=False))


def _redact(value: Any) -> Any:
    # An object reported whole (wrong type, say) must not carry a password out with it.
    if isinstance(value, Mapping):
        return {k: _REDACTED if k in _SECRET_KEYS else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return value


def _truncate(text: str) -> str:
    return text if len(text) <= _MAX_ACTUAL else text[: _MAX_ACTUAL - 3] + "..."


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


# --- undocumented fields -------------------------------------------------------------------------


def _walk_undocumented(
    spec: Mapping[str, Any], schema: Any, value: Any, parts: list[str | int]
) -> Iterator[str]:
    schema = _deref(spec, schema)
    if not isinstance(schema, Mapping):
        return
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            yield from _walk_undocumented(spec, schema["items"], item, [*parts, index])
        return
    if not isinstance(value, Mapping):
        return
    properties = _properties(spec, schema)
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        if key in properties:
            yield from _walk_undocumented(spec, properties[key], item, [*parts, key])
        elif isinstance(extra, Mapping):
            # A map-like object: its keys are data, its values have a schema.
            yield from _walk_undocumented(spec, extra, item, [*parts, key])
        elif properties:
            # Only objects whose schema names fields can have undocumented ones.
            yield json_path([*parts, key])


def _properties(spec: Mapping[str, Any], schema: Mapping[str, Any]) -> dict[str, Any]:
    """Named properties of ``schema``, including those of its ``allOf``/``anyOf``/``oneOf`` parts."""
    properties = dict(schema.get("properties", {}))
    for combinator in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(combinator, []):
            properties.update(_properties(spec, _deref(spec, part)))
    return properties
