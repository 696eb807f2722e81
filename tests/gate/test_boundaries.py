"""The boundary values the gate sends first: every one valid, every field's edges reached, few bodies.

Pure: built from the spec model, no network. Each property holds for every operation that takes a
JSON body, so a spec with another operation gets the same treatment.
"""

from __future__ import annotations

from typing import Any

import pytest

from phone_contract import load_spec
from phone_contract._spec import Operation, properties_of, sent_schema
from phone_contract.gate.boundaries import Boundaries, Boundary, boundaries
from tests.operations import create_op

SPEC = load_spec()
WITH_BODY = [operation for operation in SPEC.operations if operation.request_schema() is not None]


def _found(operation: Operation) -> Boundaries:
    found = boundaries(operation)
    assert found.singles, f"{operation.label} has no boundary values"
    return found


def _at(body: Any, path: tuple[str | int, ...]) -> Any:
    node = body
    for key in path:
        node = node[key]
    return node


@pytest.mark.parametrize("operation", WITH_BODY, ids=lambda operation: operation.label)
def test_every_body_sent_is_valid_for_the_operation(operation: Operation) -> None:
    found = _found(operation)
    schema = operation.request_schema()
    assert schema is not None
    validator = SPEC.validator(schema)
    for body in [packed.body for packed in found.packed] + [single.body for single in found.singles]:
        assert validator.is_valid(body), body


@pytest.mark.parametrize("operation", WITH_BODY, ids=lambda operation: operation.label)
def test_a_packed_body_holds_each_of_its_values(operation: Operation) -> None:
    for packed in _found(operation).packed:
        assert len(packed.holds) > 1
        for held in packed.holds:
            if held.left_out:
                parent, name = held.path[:-1], held.path[-1]
                assert name not in _at(packed.body, parent)
            elif held.path:
                assert _at(packed.body, held.path) == held.value


@pytest.mark.parametrize("operation", WITH_BODY, ids=lambda operation: operation.label)
def test_the_values_no_packed_body_holds_are_sent_first(operation: Operation) -> None:
    found = _found(operation)
    held = {id(boundary) for packed in found.packed for boundary in packed.holds}
    flags = [id(single) in held for single in found.singles]
    # Every unheld one before any held one: a small budget covers what packing could not first.
    assert flags == sorted(flags)


@pytest.mark.parametrize("operation", WITH_BODY, ids=lambda operation: operation.label)
def test_the_packed_bodies_are_far_fewer_than_the_values(operation: Operation) -> None:
    found = _found(operation)
    held = sum(len(packed.holds) for packed in found.packed)
    assert len(found.packed) * 4 < held, (len(found.packed), held)


def test_each_enum_value_and_each_optional_field_left_out_is_a_boundary() -> None:
    create = create_op(SPEC)
    labels = {single.label for single in _found(create).singles}
    # The nested enum's last value: the one edge_api.py breaks on.
    assert '$.config.sipOutbound.transportProtocol = "TLS"' in labels
    assert "$.config left out" in labels
    assert "$.friendlyName empty" in labels


@pytest.mark.parametrize("operation", WITH_BODY, ids=lambda operation: operation.label)
def test_the_identity_fields_are_never_varied(operation: Operation) -> None:
    resource = operation.semantics.resource
    identity = {name for name in (resource.id, resource.scope, resource.owner) if name} if resource else set()
    varied: list[Boundary] = [single for single in _found(operation).singles if single.path]
    assert not [single.label for single in varied if single.path[-1] in identity]


def test_a_value_an_update_makes_unique_is_held_to_the_update_items_own_limits() -> None:
    # The run makes a unique field its own (a suffix) within the request's maxLength, not the
    # stored resource's: the item's schema is where an update says what it accepts.
    update = next(operation for operation in SPEC.operations if operation.semantics.items)
    resource = update.semantics.resource
    assert resource is not None
    fields = properties_of(sent_schema(update))
    for name in resource.unique:
        assert isinstance(fields[name].get("maxLength"), int), (name, fields[name])
