"""The gate's own checks: properties of the contract that schemathesis' built-in checks do not see.

Each is a small function registered with ``@schemathesis.check`` and judges one property of one
response. A failure is an ``AssertionError`` whose lines read ``<path>: expected <x>, got <y>``.
They need nothing but the case and its response, so they also work in any schemathesis run.
Schemathesis' convention: return ``True`` when the check does not apply (counted as skipped),
``None`` when it passed.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import Any

import httpx
import schemathesis
from freya_phone_numbers_client import AuthenticatedClient, errors
from freya_phone_numbers_client.api.phone_numbers import create_phone_number
from freya_phone_numbers_client.models import CreatePhoneNumberRequest
from schemathesis import Case, CheckContext, GenerationMode, Response

from phone_contract._secrets import MIN_TOKEN_LENGTH, SECRET_KEYS
from phone_contract._spec import Spec, spec_from_document
from phone_contract.responses import Violation, check_response, json_path, undocumented_fields

DRIFT_MESSAGE = "the API has grown: update the spec and regenerate"
ECHOED_FIELDS = ("number", "workspaceId", "userId", "friendlyName", "config")


class _Replay:
    """The response being judged, handed to the generated client by its transport."""

    response: httpx.Response | None = None

    def __call__(self, request: httpx.Request) -> httpx.Response:
        assert self.response is not None
        return self.response


_REPLAY = _Replay()


@functools.cache
def _replay_client() -> AuthenticatedClient:
    # One client for the run: building one per response (an SSL context each) costs more than the
    # check. Checks run one at a time, so the shared replay slot is never contended.
    return AuthenticatedClient(
        base_url="http://replay.invalid",
        token="replay",  # noqa: S106 - the replay transport never sends it anywhere
        raise_on_unexpected_status=True,
        httpx_args={"transport": httpx.MockTransport(_REPLAY)},
    )


class CheckFailed(AssertionError):
    """One or more violations of a single property."""

    def __init__(self, violations: list[Violation], note: str = "") -> None:
        self.violations = violations
        lines = [str(violation) for violation in violations]
        super().__init__("\n".join([*lines, note] if note else lines))


@schemathesis.check
def echoes_sent_fields(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """A created number carries back number, workspaceId, userId, friendlyName and all config sent."""
    sent, created = _sent_body(case), _created_phone_number(response, case)
    if sent is None or created is None or not _is_positive(case):
        return True
    base = list(contract_of(case).operation.created_path)
    violations = [
        violation
        for name in ECHOED_FIELDS
        if name in sent
        for violation in _echo_violations(sent[name], created.get(name, _MISSING), [*base, name])
    ]
    if violations:
        raise CheckFailed(violations, "a field that was sent must come back as it was sent")
    return None


@schemathesis.check
def timestamps_rfc3339_ordered(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """``createdAt``/``updatedAt`` are RFC 3339 date-times and ``updatedAt`` is not before ``createdAt``."""
    created = _created_phone_number(response, case)
    if created is None:
        return True
    base = list(contract_of(case).operation.created_path)
    stamps: dict[str, datetime] = {}
    violations: list[Violation] = []
    for name in ("createdAt", "updatedAt"):
        value = created.get(name, _MISSING)
        parsed = _rfc3339(value)
        if parsed is None:
            actual = "nothing" if value is _MISSING else json.dumps(value)
            violations.append(Violation(json_path([*base, name]), "an RFC 3339 date-time", actual))
        else:
            stamps[name] = parsed
    if len(stamps) == 2 and stamps["updatedAt"] < stamps["createdAt"]:
        violations.append(
            Violation(
                json_path([*base, "updatedAt"]),
                f"not before createdAt ({json.dumps(created['createdAt'])})",
                json.dumps(created["updatedAt"]),
            )
        )
    if violations:
        raise CheckFailed(violations)
    return None


@schemathesis.check
def token_not_leaked(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The bearer token that was sent appears in no response header and nowhere in the body."""
    token = _sent_token(response)
    if token is None:
        return True
    violations = [
        Violation(f"header {name}", "no bearer token", "the bearer token")
        for name, values in response.headers.items()
        if any(token in value for value in values)
    ]
    # A body that carried the token's text as data (a name that happens to equal it) may echo it
    # back: only more occurrences in the answer than in the request are a leak.
    raw = response.request.body
    sent = raw.encode() if isinstance(raw, str) else raw if isinstance(raw, bytes) else b""
    if response.content.count(token.encode()) > sent.count(token.encode()):
        violations.append(Violation("$ (body)", "no bearer token", "the bearer token"))
    if violations:
        raise CheckFailed(violations, "a response must never repeat the caller's credentials")
    return None


@schemathesis.check
def parses_with_generated_client(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """The generated client turns the response into its models, as a user's code would receive it."""
    if response.request.method != "POST":
        return True  # the client only ever sends POST; other methods are schemathesis' probes
    body = _stand_in_body(_Identity(contract_of(case)))
    if body is None and _is_positive(case) and isinstance(case.body, Mapping):
        body = _as_request_model(case.body)  # a spec without an example: the valid body sent
    if body is None:
        return True  # nothing the client's model accepts to stand in for the request
    _REPLAY.response = httpx.Response(
        response.status_code,
        headers=[(name, value) for name, values in response.headers.items() for value in values],
        content=response.content,
    )
    try:
        create_phone_number.sync_detailed(client=_replay_client(), body=body)
    except errors.UnexpectedStatus:
        raise CheckFailed(
            [
                Violation(
                    "status",
                    "a status the generated client knows (201, 400, 401, 409, 413)",
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


@schemathesis.check
def no_undocumented_fields(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """Strict by default: every response field is one the spec documents (drift otherwise)."""
    fields = response_drift(response, contract_of(case))
    if fields:
        raise CheckFailed(
            [Violation(path, "only fields the spec documents", "an undocumented field") for path in fields],
            DRIFT_MESSAGE,
        )
    return None


@schemathesis.check
def probe_answers_conform(ctx: CheckContext, response: Response, case: Case[Any]) -> bool | None:
    """An answer to a probe (another method, no token, a wrong token) keeps the contract of its status.

    Schemathesis judges a probe by its status alone; a 401 documented as the JSON error envelope
    that arrives as text/plain is a break all the same. Answers to the operation's own requests are
    the other checks' business; a status the operation does not document has no contract to hold.
    """
    spec = contract_of(case)
    if str(response.request.method).upper() == spec.require_operation().method.upper():
        return True
    violations = probe_violations(spec, response.status_code, _content_type(response), response.content)
    if violations is None:
        return True
    if violations:
        raise CheckFailed(violations, f"the answer to a probe breaks the contract of {response.status_code}")
    return None


def probe_violations(
    spec: Spec, status: int, content_type: str | None, content: bytes
) -> list[Violation] | None:
    """How a probe's answer breaks the contract of its status; None when the spec documents none."""
    if spec.require_operation().response_for(status) is None:
        return None
    return check_response(status, content_type, content, spec=spec)


def response_drift(response: Response, spec: Spec) -> list[str]:
    """JSON paths of the fields in a response body that ``spec`` does not document."""
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return []  # not JSON: other checks report that
    # The spec the run was built from (--spec), not the toolkit's default.
    return undocumented_fields(response.status_code, body, spec=spec)


def contract_of(case: Case[Any]) -> Spec:
    """The spec model of the contract document schemathesis was given (the gate gives it the contract)."""
    return _contract(_Identity(case.operation.schema.raw_schema))


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


@functools.lru_cache(maxsize=8)
def _stand_in_body(spec: _Identity) -> CreatePhoneNumberRequest | None:
    """The spec's own request example as the client's model: the client judges the response, not
    the request, so any valid body stands in for the one sent (the spec model checks its examples)."""
    for example in spec.value.require_operation().request_examples().values():
        body = _as_request_model(example) if isinstance(example, Mapping) else None
        if body is not None:
            return body
    return None


def _as_request_model(body: Mapping[str, Any]) -> CreatePhoneNumberRequest | None:
    try:
        return CreatePhoneNumberRequest.from_dict(dict(body))
    except (KeyError, TypeError, ValueError, AttributeError):
        return None


GATE_CHECKS = (
    echoes_sent_fields,
    timestamps_rfc3339_ordered,
    token_not_leaked,
    parses_with_generated_client,
    no_undocumented_fields,
    probe_answers_conform,
)


# --- helpers -------------------------------------------------------------------------------------


class _Missing:
    def __repr__(self) -> str:
        return "nothing"


_MISSING = _Missing()


def _is_positive(case: Case[Any]) -> bool:
    # A negative case accepted with 201 is negative_data_rejection's failure, not an echo problem.
    return case.meta is None or case.meta.generation.mode == GenerationMode.POSITIVE


def _sent_body(case: Case[Any]) -> Mapping[str, Any] | None:
    return case.body if isinstance(case.body, Mapping) else None


def _created_phone_number(response: Response, case: Case[Any]) -> Mapping[str, Any] | None:
    operation = contract_of(case).operation
    if response.status_code != operation.success_status:
        return None
    try:
        node: Any = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return None
    for key in operation.created_path:
        if not isinstance(node, Mapping) or key not in node:
            return None
        node = node[key]
    return node if isinstance(node, Mapping) else None


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
    elif got is _MISSING or not _json_equal(sent, got):
        actual = "nothing" if got is _MISSING else _short(got)
        yield Violation(json_path(parts), f"{_short(sent)} (as sent)", actual)


def _json_equal(sent: Any, got: Any) -> bool:
    # JSON has one number type: 129.0 sent and 129 echoed are the same value; true is never 1.
    if isinstance(sent, bool) or isinstance(got, bool):
        return type(sent) is type(got) and sent == got
    if isinstance(sent, int | float) and isinstance(got, int | float):
        return bool(sent == got)
    return type(sent) is type(got) and bool(sent == got)


def _rfc3339(value: Any) -> datetime | None:
    # RFC 3339 needs a full date, "T" (or space, which we refuse: the spec says date-time), and an offset.
    if not isinstance(value, str) or len(value) < 20 or value[10] not in "Tt":
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("z", "Z"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _sent_token(response: Response) -> str | None:
    header = response.request.headers.get("Authorization") or ""
    scheme, _, token = str(header).partition(" ")
    if scheme.lower() != "bearer" or len(token.strip()) < MIN_TOKEN_LENGTH:
        return None
    return token.strip()


def _content_type(response: Response) -> str | None:
    values = response.headers.get("content-type")
    return values[0] if values else None


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."


def _one_line(exc: BaseException) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]
