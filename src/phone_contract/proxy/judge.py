"""Judge one exchange of any operation of the spec with the checks the gate applies to a response."""

from __future__ import annotations

import json
from collections.abc import Sequence

from phone_contract._http import header
from phone_contract._secrets import bearer_token
from phone_contract._spec import Operation, Spec
from phone_contract.responses import Violation, check_response, token_echoes, undocumented_fields


def operation_called(spec: Spec, method: str, proxy_path: str, upstream_path: str) -> Operation | None:
    """The operation a request calls: its path as the app wrote it (Prism style, upstream URL ending in
    the base path) or as the API saw it (upstream URL without the base path); None for any other."""
    seen = upstream_path.rstrip("/")
    base = spec.base_path
    candidates = [proxy_path.rstrip("/") or "/"]
    if base and seen.startswith(base + "/"):
        candidates.append(seen[len(base) :])
    for path in candidates:
        found = next((op for op in spec.operations if op.matches(method, path)), None)
        if found is not None:
            return found
    return None


def violations(
    operation: Operation,
    *,
    request_headers: Sequence[tuple[str, str]],
    request_body: bytes,
    status: int,
    response_headers: Sequence[tuple[str, str]],
    body: bytes,
) -> list[Violation]:
    """Status, content type and schema; undocumented fields; the caller's token echoed back."""
    found = check_response(operation, status, header(response_headers, "content-type"), body)
    try:
        document = json.loads(body)
    except ValueError:  # reported by check_response where the spec wants JSON
        document = None
    found += [
        Violation(path, "only fields the spec documents", "an undocumented field")
        for path in undocumented_fields(operation, status, document)
    ]
    token = bearer_token(header(request_headers, "authorization") or "")
    if token is not None:
        found += token_echoes(token, response_headers, body, request_body)
    return found
