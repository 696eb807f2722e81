"""Hypothesis property tests of every operation, with strategies derived from the spec.

They run before the schemathesis cases (file order: the boundary values first, as they break real
APIs most often; then the duplicate one, as it needs three creations in a row), each with its first
example and then up to its share of a live API's write budget, so that a small budget still tries
every kind of test. Their hypothesis settings and seed
are the run's, so each test is built when it runs, from the session it receives; each loops over
the operations the spec gives the role it tests.
"""

from __future__ import annotations

from phone_contract._spec import Role
from phone_contract.gate.lifecycle import run_lifecycle
from phone_contract.gate.properties import (
    boundary_values,
    duplicate_conflicts,
    fully_populated,
    run_property,
    user_strings,
)
from phone_contract.gate.session import GateSession


def test_boundary_values_come_first(gate: GateSession) -> None:
    for operation in gate.operations(Role.CREATE, Role.UPDATE):
        boundary_values(gate, operation)


def test_duplicates_conflict_only_within_a_scope(gate: GateSession) -> None:
    for operation in gate.operations(Role.CREATE):
        run_property(gate, duplicate_conflicts, gate.valid_cases(operation))


def test_a_resource_keeps_its_contract_through_its_lifecycle(gate: GateSession) -> None:
    run_lifecycle(gate)


def test_fully_populated_bodies_are_answered_and_echoed(gate: GateSession) -> None:
    for operation in gate.operations(Role.CREATE, Role.UPDATE):
        if operation.name in gate.deep_schemas:
            run_property(gate, fully_populated, gate.fully_populated_cases(operation))


def test_strings_real_users_send_are_echoed(gate: GateSession) -> None:
    for operation in gate.operations(Role.CREATE, Role.UPDATE):
        user_strings(gate, operation)
