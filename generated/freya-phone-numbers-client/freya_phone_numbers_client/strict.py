"""Strict mode: every answer of the API (POST /phone-numbers, PUT /phone-numbers) is checked against the spec before the client parses it.

The plain client trusts the API: faced with a broken answer it raises a bare ``KeyError`` (missing
field), accepts ``"success": "yes"`` silently, or fails with ``ValueError: 520 is not a valid
HTTPStatus``. A strict client raises one :class:`ContractViolation` instead, naming each field path,
what the spec expects and what came (secrets redacted)::

    from freya_phone_numbers_client.api.phone_numbers import create_phone_number
    from freya_phone_numbers_client.strict import ContractViolation, strict_client

    client = strict_client("https://app.freyavoice.ai/api/v2", token)
    answer = create_phone_number.sync(client=client, body=request)  # or raises ContractViolation

Building your own httpx client instead: add ``ContractHook()`` to its ``event_hooks["response"]``.
The spec's response schemas travel with this module as package data (``contract.json``); both are
generated from the spec, like the rest of the package.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable, Coroutine, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

import httpx
from jsonschema import Draft202012Validator, ValidationError

from .client import AuthenticatedClient

__all__ = [
    "CONTENT_TYPE_PATH",
    "STATUS_PATH",
    "Contract",
    "ContractHook",
    "ContractViolation",
    "OperationContract",
    "Violation",
    "check_response",
    "raise_for_contract",
    "strict_client",
]

# Paths of the two violations that are not about the body, which is "$" and below.
STATUS_PATH = "status"
CONTENT_TYPE_PATH = "content-type"
JSON = "application/json"
DATA_FILE = "contract.json"

_MAX_ACTUAL = 80

ValidatorFor = Callable[[Mapping[str, Any]], Draft202012Validator]


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

    def __init__(self, status_code: int, violations: Sequence[Violation], operation: str = "") -> None:
        self.status_code = status_code
        self.violations: tuple[Violation, ...] = tuple(violations)
        # The operation answered ("POST /phone-numbers"): a client calls several.
        self.operation = operation
        to = f" to {operation}" if operation else ""
        lines = [f"response {status_code}{to} breaks the spec ({len(self.violations)} violation(s)):"]
        lines += [f"  {violation}" for violation in self.violations]
        super().__init__("\n".join(lines))


class OperationContract:
    """One operation's documented responses, and how an answer of it is checked against them."""

    def __init__(self, data: Mapping[str, Any], contract: Contract) -> None:
        self.operation_id: str | None = data.get("operationId")
        # The generated module of the operation, in this package (``api.<tag>.<operation>``).
        self.module: str | None = data.get("module")
        self.method = str(data["method"]).upper()
        self.path = str(data["path"])
        self.responses: dict[str, Mapping[str, Any] | None] = {
            str(key): schema for key, schema in data["responses"].items()
        }
        self._contract = contract
        # "/phone-numbers/{id}" matches "/api/v2/phone-numbers/pn_1": a path parameter is one segment,
        # and the client's base URL may put a prefix before the path.
        parts = re.split(r"\{[^}/]+\}", self.path.rstrip("/") or "/")
        self._pattern = re.compile(".*?" + "[^/]+".join(re.escape(part) for part in parts) + "/?")

    @property
    def label(self) -> str:
        return f"{self.method} {self.path}"

    def covers(self, method: str, path: str) -> bool:
        """Whether a request ``method path`` calls this operation."""
        return method.upper() == self.method and self._pattern.fullmatch(path) is not None

    def response_for(self, status_code: int) -> str | None:
        """The documented response for a status: its exact code, else its ``4XX``-style range, else default."""
        for key in (str(status_code), f"{status_code // 100}XX", f"{status_code // 100}xx", "default"):
            if key in self.responses:
                return key
        return None

    def check(self, status_code: int, content_type: str | None, body: bytes) -> list[Violation]:
        """Every way this answer breaks the spec; empty when it keeps it."""
        key = self.response_for(status_code)
        if key is None:
            documented = ", ".join(sorted(self.responses))
            return [Violation(STATUS_PATH, f"a documented status ({documented})", str(status_code))]
        schema = self.responses[key]
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
        errors = self._contract.validator_for(schema).iter_errors(document)
        ordered = sorted(errors, key=lambda error: json_path(list(error.absolute_path)))
        return [violation for error in ordered for violation in self._contract.violations(error)]


class Contract:
    """The operations the spec documents, their responses, and how an answer is checked against them.

    ``data`` is what ``contract.json`` holds: ``operations`` (each with ``operationId``, ``method``,
    ``path`` and ``responses``: status key such as ``201``, ``4XX`` or ``default`` -> the JSON body's
    schema, or null when the response documents no JSON body), ``secretKeys`` (fields whose values
    are never shown), ``redacted`` (what is shown instead) and, when a schema refers to itself,
    ``components``.
    """

    def __init__(self, data: Mapping[str, Any], *, validator_for: ValidatorFor | None = None) -> None:
        self.operations = tuple(OperationContract(operation, self) for operation in data["operations"])
        self.secret_keys = frozenset(str(key) for key in data["secretKeys"])
        self.redacted = str(data["redacted"])
        self._components: Mapping[str, Any] | None = data.get("components")
        self.validator_for = validator_for or self._validator
        self._validators: dict[int, Draft202012Validator] = {}

    @classmethod
    def packaged(cls) -> Contract:
        """The contract this package was generated from."""
        return _packaged()

    def operation_for(self, method: str, path: str) -> OperationContract | None:
        """The operation a request calls (answers to anything else are not checked); an exact path
        wins over a templated one."""
        found = [operation for operation in self.operations if operation.covers(method, path)]
        exact = [operation for operation in found if path.rstrip("/").endswith(operation.path)]
        return next(iter(exact or found), None)

    def covers(self, request: httpx.Request) -> bool:
        """Whether ``request`` calls one of the operations."""
        return self.operation_for(request.method, request.url.path) is not None

    def check(
        self, status_code: int, content_type: str | None, body: bytes, *, method: str, path: str
    ) -> list[Violation]:
        """Every way this answer to ``method path`` breaks the spec; empty when it keeps it (or when the
        spec documents no such operation)."""
        operation = self.operation_for(method, path)
        return operation.check(status_code, content_type, body) if operation is not None else []

    def _validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        found = self._validators.get(id(schema))
        if found is None:
            standalone = {**schema, "components": self._components} if self._components else dict(schema)
            found = Draft202012Validator(standalone, format_checker=Draft202012Validator.FORMAT_CHECKER)
            # Keyed by identity: the schemas live as long as this contract does.
            self._validators[id(schema)] = found
        return found

    # --- turning jsonschema errors into violations -------------------------------------------------

    def violations(self, error: ValidationError) -> Iterator[Violation]:
        parts = list(error.absolute_path)
        required: Any = error.validator_value
        if error.validator == "required" and isinstance(error.instance, Mapping):
            # One error per missing property; report it at the property's own path.
            for name in required:
                if name not in error.instance and repr(name) in error.message:
                    yield Violation(json_path([*parts, name]), f"required property {name!r}", "nothing")
                    return
        yield Violation(json_path(parts), _expected(error), self._actual(parts, error.instance))

    def _actual(self, parts: Sequence[str | int], instance: Any) -> str:
        if any(part in self.secret_keys for part in parts):
            return self.redacted
        return _truncate(json.dumps(self._redact(instance), ensure_ascii=False))

    def _redact(self, value: Any) -> Any:
        # An object reported whole (wrong type, say) must not carry a password out with it.
        if isinstance(value, Mapping):
            return {k: self.redacted if k in self.secret_keys else self._redact(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._redact(item) for item in value]
        return value


@functools.cache
def _packaged() -> Contract:
    text = resources.files("freya_phone_numbers_client").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return Contract(json.loads(text))


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


def json_path(parts: Sequence[str | int]) -> str:
    """``["data", "headers", 0]`` -> ``$.data.headers[0]``; odd keys are quoted: ``$["a b"]``."""
    out = "$"
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += f".{part}"
        else:
            out += f"[{json.dumps(part)}]"
    return out


def _truncate(text: str) -> str:
    return text if len(text) <= _MAX_ACTUAL else text[: _MAX_ACTUAL - 3] + "..."


def _first_line(exc: Exception) -> str:
    return (str(exc).splitlines() or [type(exc).__name__])[0]


# --- the client side -------------------------------------------------------------------------------


def check_response(
    status_code: int,
    content_type: str | None,
    body: bytes,
    *,
    method: str,
    path: str,
    contract: Contract | None = None,
) -> list[Violation]:
    """Every way this answer to ``method path`` breaks the spec (default: the packaged contract)."""
    return (contract or Contract.packaged()).check(status_code, content_type, body, method=method, path=path)


def raise_for_contract(response: httpx.Response, *, contract: Contract | None = None) -> None:
    """Raise :class:`ContractViolation` if ``response`` (already read) breaks the spec."""
    operation = (contract or Contract.packaged()).operation_for(response.request.method, response.request.url.path)
    if operation is None:
        return
    violations = operation.check(response.status_code, response.headers.get("content-type"), response.content)
    if violations:
        raise ContractViolation(response.status_code, violations, operation.label)


class ContractHook:
    """An httpx response event hook that raises :class:`ContractViolation`; for sync and async clients.

    The generated client passes one ``httpx_args`` to both its ``httpx.Client`` and its
    ``httpx.AsyncClient``, and the async one awaits its hooks, so one hook must serve both: it checks
    a sync response at once and returns a coroutine for an async one.
    """

    def __init__(self, contract: Contract | None = None) -> None:
        self.contract = contract or Contract.packaged()

    def __call__(self, response: httpx.Response) -> Coroutine[Any, Any, None] | None:
        if not self.contract.covers(response.request):
            return None if isinstance(response.stream, httpx.SyncByteStream) else _noop()
        if isinstance(response.stream, httpx.SyncByteStream):
            # Hooks run before the body is read; the check needs it, and the client reuses it.
            response.read()
            raise_for_contract(response, contract=self.contract)
            return None
        return self._check_async(response)

    async def _check_async(self, response: httpx.Response) -> None:
        await response.aread()
        raise_for_contract(response, contract=self.contract)


async def _noop() -> None:
    return None


def strict_client(base_url: str, token: str, *, contract: Contract | None = None, **kwargs: Any) -> AuthenticatedClient:
    """An ``AuthenticatedClient`` whose every answer of the operation is checked against the spec.

    ``kwargs`` go to ``AuthenticatedClient`` as they are; a ``httpx_args["event_hooks"]`` of
    your own is kept, the contract hook runs after your response hooks.
    """
    httpx_args = dict(kwargs.pop("httpx_args", None) or {})
    hooks = {name: list(found) for name, found in httpx_args.get("event_hooks", {}).items()}
    hooks["response"] = [*hooks.get("response", []), ContractHook(contract)]
    httpx_args["event_hooks"] = hooks
    return AuthenticatedClient(base_url=base_url, token=token, httpx_args=httpx_args, **kwargs)
