"""Judge one exchange of the create operation with the checks the gate applies to a response."""

from __future__ import annotations

import json
from collections.abc import Sequence

from phone_contract._secrets import MIN_TOKEN_LENGTH
from phone_contract._spec import Spec
from phone_contract.responses import Violation, check_response, token_echoes, undocumented_fields


def is_create(spec: Spec, method: str, proxy_path: str, upstream_path: str) -> bool:
    """Whether a request is the create operation: its path as the app wrote it (Prism style, upstream
    URL ending in the base path) or as the API saw it (upstream URL without the base path)."""
    operation = spec.operation
    if method.upper() != operation.method.upper():
        return False
    return proxy_path.rstrip("/") == operation.path or upstream_path.rstrip("/") == (
        spec.base_path + operation.path
    )


def violations(
    spec: Spec,
    request_headers: Sequence[tuple[str, str]],
    status: int,
    response_headers: Sequence[tuple[str, str]],
    body: bytes,
) -> list[Violation]:
    """Status, content type and schema; undocumented fields; the caller's token echoed back."""
    content_type = next((value for name, value in response_headers if name.lower() == "content-type"), None)
    found = check_response(status, content_type, body, spec=spec)
    try:
        document = json.loads(body)
    except ValueError:  # reported by check_response where the spec wants JSON
        document = None
    found += [
        Violation(path, "only fields the spec documents", "an undocumented field")
        for path in undocumented_fields(status, document, spec=spec)
    ]
    token = bearer_token(request_headers)
    if token is not None:
        found += token_echoes(token, response_headers, body)
    return found


def bearer_token(headers: Sequence[tuple[str, str]]) -> str | None:
    value = next((value for name, value in headers if name.lower() == "authorization"), "")
    scheme, _, token = value.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and len(token) >= MIN_TOKEN_LENGTH else None
