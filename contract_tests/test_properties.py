"""Hypothesis property tests of the create operation, with strategies derived from the spec.

They run before the schemathesis cases (file order; the duplicate one first, as it needs three
writes in a row), each with its first example and then up to its share of a live API's write
budget, so that a small budget still tries every kind of test. Their hypothesis settings and
seed are the run's, so each test is built when it runs, from the session it receives.
"""

from __future__ import annotations

from phone_contract.gate.properties import (
    duplicate_in_workspace,
    fully_populated_create,
    run_property,
    user_strings,
)
from phone_contract.gate.session import GateSession


def test_duplicate_number_conflicts_only_within_a_workspace(gate: GateSession) -> None:
    run_property(gate, duplicate_in_workspace, gate.valid_cases())


def test_fully_populated_config_is_created_and_echoed(gate: GateSession) -> None:
    run_property(gate, fully_populated_create, gate.fully_populated_cases())


def test_strings_real_users_send_are_echoed(gate: GateSession) -> None:
    user_strings(gate)
