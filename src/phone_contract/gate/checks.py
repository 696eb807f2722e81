"""The gate's own checks: properties of the contract that schemathesis' built-in checks do not see.

Each is a small function with schemathesis' check signature and judges one property of one response
of any operation, by what the spec says it does (``x-phone-contract``: what it echoes, which resources
its answer holds, which timestamps are ordered). A failure is an ``AssertionError`` whose lines read
``<path>: expected <x>, got <y>``. They need nothing but the case and its response, so they also work
in any schemathesis run (``SCHEMATHESIS_HOOKS=phone_contract.gate.st_checks st run ...``).
Schemathesis' convention: return ``True`` when the check does not apply (counted as skipped),
``None`` when it passed.
"""

from __future__ import annotations

import functools
import importlib
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import httpx
from freya_phone_numbers_client import AuthenticatedClient, errors
from freya_phone_numbers_client.strict import Contract
from schemathesis import Case, CheckContext, GenerationMode, Response

from phone_contract._http import content_type
from phone_contract._secrets import MIN_TOKEN_LENGTH, SECRET_KEYS, bearer_token
from phone_contract._spec import Operation, Role, Spec, spec_from_document
from phone_contract.responses import Violation, check_response, json_path, token_echoes, undocumented_fields

DRIFT_MESSAGE = "the API has grown: update the spec and regenerate"


class CheckFailed(AssertionError):
    """One or more violations of a single property."""

    def __init__(self, violations: list[Violation], note: str = "") -> None:
        self.violations = violations
        lines = [str(violation) for violation in violations]
        super().__init__("\n".join([*lines, note] if note else lines))


def echoes_sent_fields(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A success answer carries back, in each resource, the fields its request sent for it as sent
    (the operation's ``echo``); a secret may come back masked."""
    operation = operation_of(case)
    found = _answered(operation, response, case) if operation is not None else None
    if operation is None or found is None or not _is_positive(case):
        return True
    semantics = operation.semantics
    items, resources = found
    violations = [
        violation
        for item, (index, resource) in _pairs(operation, items, resources)
        for name in semantics.echo
        if isinstance(item, Mapping) and name in item and resource is not None
        for violation in _echo_violations(
            item[name], resource.get(name, _MISSING), [*_resource_path(operation, index), name]
        )
    ]
    if violations:
        raise CheckFailed(violations, "a field that was sent must come back as it was sent")
    return None


def addressed_resources_answered(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An update's success answer holds each resource it addressed, by its id, once and in order."""
    operation = operation_of(case)
    found = _answered(operation, response, case) if operation is not None else None
    if operation is None or found is None or operation.semantics.role is not Role.UPDATE:
        return True
    resource = operation.semantics.resource
    if resource is None or resource.id is None:
        return True
    items, resources = found
    sent = [item.get(resource.id) for item in items if isinstance(item, Mapping)]
    got = [found.get(resource.id) for found in resources]
    if sent == got:
        return None
    place = json_path(list(operation.semantics.answer))
    expected = f"the resources addressed, in order: {_short(sent)}"
    raise CheckFailed([Violation(place, expected, _short(got))], "an update answers with what it changed")


def timestamps_rfc3339_ordered(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A resource's creation and update times (as the spec names them) are RFC 3339 date-times, and
    the update time is not before the creation time."""
    operation = operation_of(case)
    found = _answered(operation, response, case) if operation is not None else None
    resource = operation.semantics.resource if operation is not None else None
    if operation is None or found is None or resource is None or not (resource.created or resource.updated):
        return True
    violations: list[Violation] = []
    for index, item in enumerate(found[1]):
        violations += timestamp_violations(operation, index, item)
    if violations:
        raise CheckFailed(violations)
    return None


def timestamp_violations(operation: Operation, index: int, item: Mapping[str, Any]) -> list[Violation]:
    """How the resource at ``index`` of an answer of ``operation`` breaks the timestamps' rule."""
    resource = operation.semantics.resource
    assert resource is not None
    base = _resource_path(operation, index)
    stamps: dict[str, datetime] = {}
    violations: list[Violation] = []
    for name in (resource.created, resource.updated):
        if name is None:
            continue
        value = item.get(name, _MISSING)
        parsed = rfc3339(value)
        if parsed is None:
            actual = "nothing" if value is _MISSING else json.dumps(value)
            violations.append(Violation(json_path([*base, name]), "an RFC 3339 date-time", actual))
        else:
            stamps[name] = parsed
    created, updated = resource.created, resource.updated
    if created in stamps and updated in stamps and stamps[updated] < stamps[created]:
        violations.append(
            Violation(
                json_path([*base, updated]),
                f"not before {created} ({json.dumps(item[created])})",
                json.dumps(item[updated]),
            )
        )
    return violations


def token_not_leaked(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The bearer token that was sent appears in no response header and nowhere in the body."""
    token = bearer_token(str(response.request.headers.get("Authorization") or ""))
    if token is None:
        return True
    raw = response.request.body
    sent = raw.encode() if isinstance(raw, str) else raw if isinstance(raw, bytes) else b""
    headers = [(name, value) for name, values in response.headers.items() for value in values]
    violations = token_echoes(token, headers, response.content, sent)
    if violations:
        raise CheckFailed(violations, "a response must never repeat the caller's credentials")
    return None


def parses_with_generated_client(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The generated client turns the response into its models, as a user's code would receive it."""
    method = str(response.request.method).upper()
    module = _client_module(method, case.operation.path)
    if module is None:
        return True  # an operation (or a probe's method) the generated client does not have
    answer = httpx.Response(
        response.status_code,
        headers=[(name, value) for name, values in response.headers.items() for value in values],
        content=response.content,
    )
    try:
        # The generated module's own step from an httpx answer to its models: what sync() returns.
        module._build_response(client=_client(), response=answer)
    except errors.UnexpectedStatus:
        known = ", ".join(sorted(_client_statuses(method, case.operation.path)))
        raise CheckFailed(
            [
                Violation(
                    f"status {response.status_code}",
                    f"a status the generated client knows ({known})",
                    str(response.status_code),
                )
            ],
            "the generated client raises UnexpectedStatus on this answer",
        ) from None
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CheckFailed(
            [
                Violation(
                    "$",
                    f"a body the generated client parses for {response.status_code}",
                    f"{type(exc).__name__}: {_one_line(exc)}",
                )
            ],
            "the generated client crashes on this answer",
        ) from None
    return None


def no_undocumented_fields(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Strict by default: every response field is one the spec documents (drift otherwise)."""
    operation = operation_of(case)
    if operation is None:
        return True
    fields = response_drift(response, operation)
    if fields:
        raise CheckFailed(
            [Violation(path, "only fields the spec documents", "an undocumented field") for path in fields],
            DRIFT_MESSAGE,
        )
    return None


def probe_answers_conform(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An answer to a probe (another method, no token, a wrong token) keeps the contract of its status.

    Schemathesis judges a probe by its status alone; a 401 documented as the JSON error envelope
    that arrives as text/plain is a break all the same. Answers to the operation's own requests are
    the other checks' business; a status the operation does not document has no contract to hold.
    """
    operation = operation_of(case)
    if operation is None or str(response.request.method).upper() == operation.method.upper():
        return True
    violations = probe_violations(operation, response.status_code, content_type(response), response.content)
    if violations is None:
        return True
    if violations:
        raise CheckFailed(violations, f"the answer to a probe breaks the contract of {response.status_code}")
    return None


def probe_violations(
    operation: Operation, status: int, content_type: str | None, content: bytes
) -> list[Violation] | None:
    """How a probe's answer breaks the contract of its status; None when the spec documents none."""
    if operation.response_for(status) is None:
        return None
    return check_response(operation, status, content_type, content)


def response_drift(response: Response, operation: Operation) -> list[str]:
    """JSON paths of the fields in a response body that ``operation``'s responses do not document."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return []  # not JSON: other checks report that
    return undocumented_fields(operation, response.status_code, body)


def contract_of(case: Case[Any]) -> Spec:
    """The spec model of the contract document schemathesis was given (the gate gives it the contract)."""
    return _contract(_Identity(case.operation.schema.raw_schema))


def operation_of(case: Case[Any]) -> Operation | None:
    """The spec model's operation of a case (None for an operation the model does not know)."""
    return contract_of(case).find_operation(f"{case.operation.method.upper()} {case.operation.path}")


GATE_CHECKS = (
    echoes_sent_fields,
    addressed_resources_answered,
    timestamps_rfc3339_ordered,
    token_not_leaked,
    parses_with_generated_client,
    no_undocumented_fields,
    probe_answers_conform,
)


class _Identity:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __hash__(self) -> int:
        return id(self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Identity) and other.value is self.value


@functools.lru_cache(maxsize=8)
def _contract(document: _Identity) -> Spec:
    # The gate hands schemathesis the contract itself; any other run hands it the spec as written.
    return spec_from_document(document.value, "the schema under test")


@functools.cache
def _client() -> AuthenticatedClient:
    # The client's settings as a user's code has them, with unexpected statuses raised; it sends nothing.
    return AuthenticatedClient(
        base_url="http://replay.invalid",
        token="replay",  # noqa: S106 - never sent: the check hands the client an answer, not a request
        raise_on_unexpected_status=True,
    )


@functools.cache
def _client_module(method: str, path: str) -> Any:
    """The generated client's module for ``method path``, from the contract it was generated with."""
    contract = Contract.packaged()
    found = next((op for op in contract.operations if op.method == method and op.path == path), None)
    if found is None or found.module is None:
        return None
    return importlib.import_module(f"{_client_package()}.{found.module}")


def _client_statuses(method: str, path: str) -> list[str]:
    contract = Contract.packaged()
    found = next((op for op in contract.operations if op.method == method and op.path == path), None)
    return list(found.responses) if found is not None else []


def _client_package() -> str:
    return AuthenticatedClient.__module__.rpartition(".")[0]


# --- helpers -------------------------------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


_MISSING = _Missing()


def _is_positive(case: Case[Any]) -> bool:
    # A negative case accepted with 2xx is negative_data_rejection's failure, not an echo problem.
    return case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE


def _answered(
    operation: Operation, response: Response, case: Case[Any]
) -> tuple[list[Any], list[Mapping[str, Any]]] | None:
    """A success answer's items sent and resources answered; None unless both are as the spec says."""
    semantics = operation.semantics
    if semantics.role is Role.OTHER or response.status_code != operation.success_status:
        return None
    if str(response.request.method).upper() != operation.method.upper():
        return None
    try:
        body: Any = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    resources = semantics.resources_in(body)
    items = semantics.items_in(case.body) if semantics.role is not Role.LIST else []
    if resources is None or items is None:
        return None
    return items, resources


def _pairs(
    operation: Operation, items: list[Any], resources: list[Mapping[str, Any]]
) -> Iterator[tuple[Any, tuple[int, Mapping[str, Any] | None]]]:
    """Each item sent with the resource answered for it: by id where the spec names one, else by place."""
    resource = operation.semantics.resource
    by_id = resource is not None and resource.id is not None and operation.semantics.role is Role.UPDATE
    for index, item in enumerate(items):
        if by_id and isinstance(item, Mapping):
            assert resource is not None
            assert resource.id is not None
            match = next(
                (
                    (at, found)
                    for at, found in enumerate(resources)
                    if found.get(resource.id) == item.get(resource.id)
                ),
                (index, None),
            )
            yield item, match
        else:
            yield item, (index, resources[index] if index < len(resources) else None)


def _resource_path(operation: Operation, index: int) -> list[str | int]:
    base: list[str | int] = list(operation.semantics.answer)
    return [*base, index] if operation.semantics.many else base


def echo_violations(
    sent: Any, resource: Mapping[str, Any], name: str, parts: list[str | int]
) -> Iterator[Violation]:
    """Where field ``name`` of ``resource`` fails to carry the value ``sent`` for it (see below)."""
    return _echo_violations(sent, resource.get(name, _MISSING), parts)


def _echo_violations(sent: Any, got: Any, parts: list[str | int]) -> Iterator[Violation]:
    """Where ``got`` fails to carry ``sent``: sent objects are a subset, everything else is equal."""
    if parts and parts[-1] in SECRET_KEYS:
        # A write-only secret: the API may mask it (the spec's example shows "********").
        if got is _MISSING:
            yield Violation(json_path(parts), "the field echoed (its value may be masked)", "nothing")
        return
    if isinstance(sent, Mapping) and isinstance(got, Mapping):
        for key, value in sent.items():
            yield from _echo_violations(value, got.get(key, _MISSING), [*parts, key])
    elif isinstance(sent, list) and isinstance(got, list) and len(sent) == len(got):
        for index, (one, other) in enumerate(zip(sent, got, strict=True)):
            yield from _echo_violations(one, other, [*parts, index])
    elif got is _MISSING or not json_equal(sent, got):
        actual = "nothing" if got is _MISSING else _short(got)
        yield Violation(json_path(parts), f"{_short(sent)} (as sent)", actual)


def json_equal(sent: Any, got: Any) -> bool:
    """Equal as JSON values: 129.0 and 129 are the same number; true is never 1."""
    if isinstance(sent, bool) or isinstance(got, bool):
        return type(sent) is type(got) and sent == got
    if isinstance(sent, int | float) and isinstance(got, int | float):
        return bool(sent == got)
    return type(sent) is type(got) and bool(sent == got)


def rfc3339(value: Any) -> datetime | None:
    """``value`` as an RFC 3339 date-time (a full date, "T", an offset); None when it is not one."""
    if not isinstance(value, str) or len(value) < 20 or value[10] not in "Tt":
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _one_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


__all__ = [
    "DRIFT_MESSAGE",
    "GATE_CHECKS",
    "MIN_TOKEN_LENGTH",
    "CheckFailed",
    "contract_of",
    "operation_of",
    "probe_violations",
    "response_drift",
]
