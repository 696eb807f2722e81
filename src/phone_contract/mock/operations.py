"""What the mock does for each operation of the spec, by its role: create, update, list, or answer.

One :class:`OperationMock` per operation, built at start-up: its answers, its request validator, where
its faults strike, and the store of the resources it touches (shared by the operations of one kind of
resource, so an update changes what a create stored). Routing, auth and the body limit are the app's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl

from phone_contract._spec import Operation, Role
from phone_contract.mock import faults as _faults
from phone_contract.mock.answers import Answers
from phone_contract.mock.asgi import JSON, Send, dump, send_bytes
from phone_contract.mock.parameters import ParameterValidator
from phone_contract.mock.store import Conflict, NotFound, Repeated, ResourceStore
from phone_contract.mock.validation import RequestValidator

Sleep = Callable[[float], Awaitable[None]]


class Refused(Exception):
    """The request is answered with an error of the spec's envelope: ``status``, ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Behaviour:
    """What every operation of one mock shares: its fault and how long the slow fault waits."""

    fault: str | None = None
    slow_seconds: float = 2.5
    sleep: Sleep = asyncio.sleep


class OperationMock:
    """One operation of the mock: validates its request, acts on the store by its role, answers."""

    def __init__(self, operation: Operation, store: ResourceStore | None, behaviour: Behaviour) -> None:
        self.operation = operation
        self.semantics = operation.semantics
        self.store = store
        self.behaviour = behaviour
        fault = behaviour.fault
        # Compiled once here, so that a request costs a few dict builds (accept-invalid re-checks values).
        self.answers = Answers(operation, trust_request=fault != "accept-invalid")
        self.targets = _faults.FaultTargets.of(self.answers)
        schema = operation.request_schema()
        self.validator = RequestValidator(operation.spec, schema) if schema is not None else None
        self.parameters = ParameterValidator(operation)
        self.success_status = self.answers.success_status
        self._reused: Any = None
        if fault == "wrong-status":
            self.success_status = 201 if self.success_status == 200 else 200

    @property
    def role(self) -> Role:
        # Without a store (a resource the spec says nothing of), an operation only answers.
        return self.semantics.role if self.store is not None else Role.OTHER

    def check(self, value: Any) -> dict[str, Any] | None:
        """The request body to act on; Refused(400) when it breaks the request schema."""
        if self.validator is None:
            return value if isinstance(value, dict) else None
        if self.behaviour.fault == "accept-invalid":
            return _faults.salvage(value, self.targets)
        problem = self.validator.error(value)
        if problem is not None:
            raise Refused(400, problem)
        result: dict[str, Any] = value
        return result

    async def answer(self, send: Send, payload: dict[str, Any] | None, query: bytes, token: str) -> None:
        """Act on a valid request and send the success answer; Refused for a documented refusal."""
        fault, targets = self.behaviour.fault, self.targets
        if payload is not None:
            if fault == "reject-valid" and _faults.rejects_valid(payload, targets):
                limit = _faults.REJECT_VALID_MAX_LENGTH
                raise Refused(400, f"{targets.long_text}: must be at most {limit} characters")
            if fault == "server-error-edge" and _faults.hits_edge(payload, targets):
                raise Refused(500, "Internal server error")
        body = self._act(payload or {}, query)
        if fault is not None:
            body = _faults.corrupt(fault, body, token, self.answers, targets)
        if fault == "slow":
            await self.behaviour.sleep(self.behaviour.slow_seconds)
        content_type = b"text/plain; charset=utf-8" if fault == "wrong-content-type" else JSON
        await send_bytes(
            send, self.success_status, dump(body) if self.answers.has_body else b"", content_type
        )

    def _act(self, payload: dict[str, Any], query: bytes) -> Any:
        answers, now = self.answers, datetime.now(UTC)
        role = self.role
        if role is Role.OTHER:
            return answers.root.default
        assert self.store is not None
        if role is Role.CREATE:
            resource = answers.new_resource(payload, now)
            if self.behaviour.fault == "reused-id":
                resource = self._first_id(resource)
            try:
                self.store.create(resource)
            except Conflict as exc:
                if self.behaviour.fault != "accept-duplicate":
                    raise Refused(
                        self._status("conflict", 409), f"{exc} already exists in this scope"
                    ) from None
            return answers.body([resource])
        if role is Role.UPDATE:
            return answers.body(self._update(payload, now))
        scope_name = self.semantics.resource.scope if self.semantics.resource is not None else None
        scope = dict(parse_qsl(query.decode("latin-1"))).get(scope_name or "") if scope_name else None
        return answers.body(self.store.in_scope(scope))

    def _update(self, payload: Mapping[str, Any], now: datetime) -> list[dict[str, Any]]:
        assert self.store is not None
        fault = self.behaviour.fault
        items = [item for item in self.semantics.items_in(payload) or [] if isinstance(item, Mapping)]
        scope = None if fault == "update-any-scope" else self.semantics.scope_in(payload)

        def build(stored: dict[str, Any], item: Mapping[str, Any]) -> dict[str, Any]:
            updated: dict[str, Any] = self.answers.updated_resource(stored, item, now)
            return _faults.corrupt_update(fault, stored, updated, self.answers)

        if fault == "update-partial":
            # Not all or nothing: the ids it knows are changed, the others skipped (none known: 404).
            items = [item for item in items if self.store.knows(scope, item)] or items
        unique = fault != "accept-duplicate"
        try:
            if fault == "update-forgets":
                return self.store.preview(scope, items, build, unique=unique)
            return self.store.update(scope, items, build, unique=unique)
        except NotFound as exc:
            raise Refused(self._status("not_found", 404), f"{exc} not found in this scope") from None
        except Repeated as exc:
            raise Refused(400, f"{exc} is named more than once") from None
        except Conflict as exc:
            raise Refused(self._status("conflict", 409), f"{exc} already exists in this scope") from None

    def _first_id(self, resource: dict[str, Any]) -> dict[str, Any]:
        """reused-id: the id of the first resource this mock created, on every one after it."""
        name = self.semantics.resource.id if self.semantics.resource is not None else None
        if name is None or name not in resource:
            return resource
        if self._reused is None:
            self._reused = resource[name]
        return {**resource, name: self._reused}

    def _status(self, name: str, fallback: int) -> int:
        declared = getattr(self.semantics, name)
        return int(declared) if declared is not None else fallback
