"""Check an HTTP response against the spec: status, content type, JSON, schema, undocumented fields.

Everything is asked of the spec model at run time (jsonschema Draft 2020-12 on the contract's
schemas), so a spec change changes what is checked with no second copy to keep in step. The checking
itself is the generated client's strict mode (``freya_phone_numbers_client.strict``, rendered from
``spec/client-templates/``): an installed client and the toolkit judge an answer by the same code, and
raise the same :class:`ContractViolation`.

    >>> create = load_spec().find_operation("createPhoneNumber")
    >>> check_response(create, 201, "application/json", b'{"success": "yes"}')[0].expected
    'const true'
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from freya_phone_numbers_client.strict import (
    CONTENT_TYPE_PATH,
    STATUS_PATH,
    Contract,
    ContractViolation,
    Violation,
)

from phone_contract._client_contract import client_contract
from phone_contract._paths import json_path
from phone_contract._redact import Redactor
from phone_contract._spec import JSON, Operation, Spec, pattern_property, properties_of, spec_or_default

__all__ = [
    "CONTENT_TYPE_PATH",
    "STATUS_PATH",
    "ContractViolation",
    "Violation",
    "check_response",
    "contract",
    "json_path",
    "shown",
    "shown_actual",
    "token_echoes",
    "undocumented_fields",
]


def check_response(
    operation: Operation, status_code: int, content_type: str | None, body: bytes
) -> list[Violation]:
    """Every way this answer of ``operation`` breaks the spec; empty when it keeps it."""
    found = contract(operation.spec).check(
        status_code, content_type, body, method=operation.method, path=operation.path
    )
    return found


def shown(violation: Violation, redactor: Redactor) -> str:
    """A violation as a line of a report, secrets scrubbed; its path holds the answer's own keys."""
    expected = redactor.text(violation.expected)
    return f"{redactor.content(violation.path)}: expected {expected}, got {shown_actual(violation, redactor)}"


def shown_actual(violation: Violation, redactor: Redactor) -> str:
    """What came instead, secrets scrubbed. A value shown as JSON keeps its strings quoted, which is
    where a report scrubs a learned password (so "got null" stays "got null" whatever the password);
    anything else (a content type as it was sent) is wire content, scrubbed as such."""
    try:
        json.loads(violation.actual)
    except ValueError:
        return redactor.content(violation.actual)
    return redactor.text(violation.actual)


def contract(spec: Spec | None = None) -> Contract:
    """The generated client's checker for ``spec`` (default: the project's), through the spec model."""
    model = spec_or_default(spec)
    # Once per spec: every answer the gate or the proxy judges asks for it.
    found: Contract = model.derived(
        "client contract", lambda: Contract(client_contract(model), validator_for=model.validator)
    )
    return found


def undocumented_fields(operation: Operation, status_code: int, body: object) -> list[str]:
    """JSON paths of object fields in ``body`` that the response schema of ``operation`` does not name.

    Response schemas are open on purpose (clients must tolerate new fields), so validation passes
    them; this is how the gate still notices that the API has drifted from the spec.
    """
    response = operation.response_for(status_code)
    schema = response.schema(JSON) if response is not None else None
    if schema is None:
        return []
    return sorted(set(_walk_undocumented(schema, body, [])))


def token_echoes(
    token: str, headers: Iterable[tuple[str, str]], body: bytes, sent: bytes = b""
) -> list[Violation]:
    """Where a response repeats the bearer ``token`` its request carried: a header, or the body.

    A request that carried the token's text as data (a name that happens to equal it) may have it
    echoed back as sent: only more occurrences in the answer than in the request body are a leak.
    """
    violations = [
        Violation(f"header {name.lower()}", "no bearer token", "the bearer token")
        for name, value in headers
        if token in value
    ]
    if body.count(token.encode()) > sent.count(token.encode()):
        violations.append(Violation("$ (body)", "no bearer token", "the bearer token"))
    return violations


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
        pattern = pattern_property(schema, key) if key not in properties else None
        if key in properties:
            yield from _walk_undocumented(properties[key], item, [*parts, key])
        elif pattern is not None:
            # A field a pattern names is documented by it (``x-`` extensions, say).
            yield from _walk_undocumented(pattern[1], item, [*parts, key])
        elif isinstance(extra, Mapping):
            # A map-like object: its keys are data, its values have a schema.
            yield from _walk_undocumented(extra, item, [*parts, key])
        elif properties:
            # Only objects whose schema names fields can have undocumented ones.
            yield json_path([*parts, key])
