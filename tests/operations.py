"""The project spec's operations, as the tests name them."""

from __future__ import annotations

from typing import Any

from phone_contract import load_spec
from phone_contract._spec import Operation, Spec

CREATE = "createPhoneNumber"
UPDATE = "updatePhoneNumbers"


def operation(name: str, spec: Spec | None = None) -> Operation:
    """The operation ``name`` (operationId or label) of ``spec`` (default: the project's)."""
    found = (spec or load_spec()).find_operation(name)
    assert found is not None, name
    return found


def create_op(spec: Spec | None = None) -> Operation:
    return operation(CREATE, spec)


def update_op(spec: Spec | None = None) -> Operation:
    return operation(UPDATE, spec)


def request_schema(op: Operation) -> dict[str, Any]:
    """The operation's request body schema; the operations the tests name all take one."""
    schema = op.request_schema()
    assert schema is not None, op.label
    return schema
