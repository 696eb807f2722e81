"""The drift list that closes a run: what a person changes in the spec (or the API), line by line.

Every response of the operation is looked at, failing or not: fields the API returns that the spec
does not document (with an example value, never a secret), documented fields missing or of another
type or format, statuses and methods the spec does not document, spec-valid bodies refused (with the
API's message) and invalid bodies accepted (with the constraint that was broken).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from schemathesis import Case, Response
from schemathesis.core.failures import Failure

from phone_contract._http import content_type
from phone_contract._paths import json_path
from phone_contract._redact import Redactor
from phone_contract._secrets import SECRET_KEYS
from phone_contract.gate.checks import operation_of
from phone_contract.gate.report import schema_violations
from phone_contract.gate.tally import Tally
from phone_contract.responses import shown_actual, undocumented_fields

UNDOCUMENTED_FIELD = "undocumented field"
DIFFERENT_FIELD = "documented field missing or different"
UNDOCUMENTED_STATUS = "undocumented status"
UNDOCUMENTED_METHOD = "undocumented method answered"
VALID_REFUSED = "spec-valid body refused"
INVALID_ACCEPTED = "invalid body accepted"
_EXAMPLE_LIMIT = 60


def note_response(case: Case[Any], response: Response, tally: Tally) -> None:
    """What any answer to the operation itself shows: a status the spec does not document.

    The rest is read from failed checks only (note_failure): a conforming answer shows no drift,
    and judging it twice would slow every run.
    """
    operation = operation_of(case)
    if operation is None or str(response.request.method).upper() != operation.method.upper():
        return  # a probe of another method: see note_failure
    status = response.status_code
    if operation.response_for(status) is None:
        tally.add_drift(UNDOCUMENTED_STATUS, f"{status} on {operation.label}")


def note_failure(
    tally: Tally, redactor: Redactor, check: str, *, failure: Failure, case: Case[Any], response: Response
) -> None:
    """What a failed check shows about the spec, for the checks that name a kind of drift."""
    status = response.status_code
    method = str(response.request.method).upper()
    if check == "no_undocumented_fields":
        _undocumented(tally, redactor, case, response)
    elif check == "response_schema_conformance":
        for violation in schema_violations(case, response):
            tally.add_drift(
                DIFFERENT_FIELD,
                f"{redactor.content(violation.path)} in {status} answers of {case.operation.label}: "
                f"expected {violation.expected}",
                f"got {shown_actual(violation, redactor)}",
            )
    elif check == "unsupported_method" and 200 <= status < 300:
        tally.add_drift(UNDOCUMENTED_METHOD, f"{method} {case.path} answered {status}")
    elif check == "positive_data_acceptance":
        tally.add_drift(
            VALID_REFUSED, f"{method} {case.path} answered {status}", _api_message(redactor, response)
        )
    elif check == "negative_data_rejection":
        tally.add_drift(INVALID_ACCEPTED, f"{method} {case.path} answered {status}", _constraint(case))


def _undocumented(tally: Tally, redactor: Redactor, case: Case[Any], response: Response) -> None:
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return
    status = response.status_code
    values = dict(_values(body, []))
    operation = operation_of(case)
    if operation is None:
        return
    for path in undocumented_fields(operation, status, body):
        tally.add_drift(
            UNDOCUMENTED_FIELD,
            f"{redactor.content(path)} in {status} answers of {operation.label}",
            f"e.g. {_example(redactor, path, values)}",
        )


def _values(value: Any, parts: list[str | int]) -> Iterator[tuple[str, Any]]:
    yield json_path(parts), value
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield from _values(item, [*parts, str(key)])
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _values(item, [*parts, index])


def _example(redactor: Redactor, path: str, values: dict[str, Any]) -> str:
    leaf = path.rsplit(".", 1)[-1].strip("[]\"'")
    if leaf in SECRET_KEYS:
        return "(a secret: not shown)"
    text = json.dumps(redactor.value(values.get(path)), ensure_ascii=False, default=str)
    return text if len(text) <= _EXAMPLE_LIMIT else text[: _EXAMPLE_LIMIT - 3] + "..."


def _api_message(redactor: Redactor, response: Response) -> str:
    """The API's own words for a refusal: the first ``message`` in its body, else the body's start."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        body = None
    for path, value in _values(body, []) if body is not None else ():
        if path.endswith(".message") and isinstance(value, str):
            return f"the API said: {redactor.content(value)[:200]}"
    kind = content_type(response) or "no content type"
    return f"the API said ({kind}): {redactor.body(response.content, limit=200)}"


def _constraint(case: Case[Any]) -> str:
    meta = case.meta
    if meta is None:
        return "the body sent broke the spec"
    data = meta.phase.data
    description = getattr(data, "description", None) or "a generated invalid body"
    location = getattr(data, "location", None)
    return f"broken: {description}" + (f" at {location}" if location else "")
