"""Check an HTTP response against the spec: status, content type, JSON, schema, undocumented fields.

Everything is asked of the spec model at run time (jsonschema Draft 2020-12 on the contract's
schemas), so a spec change changes what is checked with no second copy to keep in step.

    >>> check_response(201, "application/json", b'{"success": "yes"}')[0].expected
    'const true'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from jsonschema import ValidationError

from phone_contract._paths import json_path
from phone_contract._secrets import REDACTED, SECRET_KEYS
from phone_contract._spec import JSON, Spec, properties_of, spec_or_default

__all__ = [
    "CONTENT_TYPE_PATH",
    "STATUS_PATH",
    "ContractViolation",
    "Violation",
    "check_response",
    "json_path",
    "token_echoes",
    "undocumented_fields",
]

# Paths of the two violations that are not about the body, which is "$" and below.
STATUS_PATH = "status"
CONTENT_TYPE_PATH = "content-type"

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


def check_response(
    status_code: int,
    content_type: str | None,
    body: bytes,
    *,
    spec: Spec | None = None,
) -> list[Violation]:
    """Every way this response of the create operation breaks the spec; empty when it keeps it."""
    operation = spec_or_default(spec).operation
    response = operation.response_for(status_code)
    if response is None:
        documented = ", ".join(operation.documented_statuses)
        return [Violation(STATUS_PATH, f"a documented status ({documented})", str(status_code))]
    schema = response.schema(JSON)
    if schema is None:
        return []  # The spec documents no JSON body here; nothing below to check.
    media_type = (content_type or "").split(";", 1)[0].strip().lower()
    if media_type != JSON:
        return [Violation(CONTENT_TYPE_PATH, JSON, content_type or "no Content-Type header")]
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        # The parser's message only: the body itself may hold a secret.
        return [Violation("$", "a JSON document", f"invalid JSON ({_first_line(exc)})")]
    validator = operation.spec.validator(schema)
    errors = sorted(validator.iter_errors(document), key=lambda e: json_path(list(e.absolute_path)))
    return [violation for error in errors for violation in _violations(error)]


def undocumented_fields(status_code: int, body: object, *, spec: Spec | None = None) -> list[str]:
    """JSON paths of object fields in ``body`` that the response schema does not name.

    Response schemas are open on purpose (clients must tolerate new fields), so validation passes
    them; this is how the gate still notices that the API has drifted from the spec.
    """
    response = spec_or_default(spec).operation.response_for(status_code)
    schema = response.schema(JSON) if response is not None else None
    if schema is None:
        return []
    return sorted(set(_walk_undocumented(schema, body, [])))


def token_echoes(token: str, headers: Iterable[tuple[str, str]], body: bytes) -> list[Violation]:
    """Where a response repeats the bearer ``token`` its request carried: a header, or the body."""
    violations = [
        Violation(f"header {name.lower()}", "no bearer token", "the bearer token")
        for name, value in headers
        if token in value
    ]
    if token.encode() in body:
        violations.append(Violation("$ (body)", "no bearer token", "the bearer token"))
    return violations


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
    if any(part in SECRET_KEYS for part in parts):
        return REDACTED
    return _truncate(json.dumps(_redact(instance), ensure_ascii=False))


def _redact(value: Any) -> Any:
    # An object reported whole (wrong type, say) must not carry a password out with it.
    if isinstance(value, Mapping):
        return {k: REDACTED if k in SECRET_KEYS else _redact(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact(item) for item in value]
    return value


def _truncate(text: str) -> str:
    return text if len(text) <= _MAX_ACTUAL else text[: _MAX_ACTUAL - 3] + "..."


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


# --- undocumented fields -------------------------------------------------------------------------


def _walk_undocumented(schema: Any, value: Any, parts: list[str | int]) -> Iterator[str]:
    if not isinstance(schema, Mapping):
        return
    if isinstance(value, list) and isinstance(schema.get("items"), Mapping):
        for index, item in enumerate(value):
            yield from _walk_undocumented(schema["items"], item, [*parts, index])
        return
    if not isinstance(value, Mapping):
        return
    properties = properties_of(schema)
    extra = schema.get("additionalProperties")
    for key, item in value.items():
        if key in properties:
            yield from _walk_undocumented(properties[key], item, [*parts, key])
        elif isinstance(extra, Mapping):
            # A map-like object: its keys are data, its values have a schema.
            yield from _walk_undocumented(extra, item, [*parts, key])
        elif properties:
            # Only objects whose schema names fields can have undocumented ones.
            yield json_path([*parts, key])
