"""The contract tests' units of work (gate.lanes), in the order a run with one worker takes them.

The properties first, in the order their share of a live write budget assumes (the boundary values,
then the duplicates, which need three creations in a row, then the lifecycle...); then schemathesis'
cases: for each operation its examples, its coverage phase and its fuzzing, each a unit, built the
way schemathesis builds them for ``st run --workers``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from hypothesis import HealthCheck, settings
from schemathesis import Case
from schemathesis.generation import derive_operation_seed, overrides
from schemathesis.generation.hypothesis.builder import HypothesisTestConfig, HypothesisTestMode, create_test

from phone_contract._spec import Operation, Role
from phone_contract.gate.conformance import send_and_check
from phone_contract.gate.lanes import Unit
from phone_contract.gate.lifecycle import run_lifecycle
from phone_contract.gate.properties import (
    boundary_values,
    duplicate_conflicts,
    fully_populated,
    run_property,
    user_strings,
)
from phone_contract.gate.session import GateSession

# Schemathesis' phases, as units: the spec's examples, the coverage phase's boundary and negative
# cases, then random generation (the only one --max-examples bounds).
MODES = (HypothesisTestMode.EXAMPLES, HypothesisTestMode.COVERAGE, HypothesisTestMode.FUZZING)


def property_units(session: GateSession) -> list[Unit]:
    units: list[Unit] = []
    for operation in session.operations(Role.CREATE, Role.UPDATE):
        run = partial(boundary_values, session, operation)
        # The first wave: with several workers, the other units must not spend the budget meanwhile.
        units.append(Unit(f"boundary values {operation.label}", run, **_kind(operation)))
    for operation in session.operations(Role.CREATE):
        run = partial(run_property, session, duplicate_conflicts, session.valid_cases(operation))
        units.append(Unit(f"duplicates {operation.label}", run, creates=True, wave=1))
    units.append(Unit("lifecycle", partial(run_lifecycle, session), creates=True, wave=1))
    for operation in session.operations(Role.CREATE, Role.UPDATE):
        if operation.name in session.deep_schemas:
            run = partial(run_property, session, fully_populated, session.fully_populated_cases(operation))
            units.append(Unit(f"fully populated {operation.label}", run, **_kind(operation), wave=1))
    for operation in session.operations(Role.CREATE, Role.UPDATE):
        run = partial(user_strings, session, operation)
        units.append(Unit(f"user strings {operation.label}", run, **_kind(operation), wave=1))
    return units


def conformance_units(session: GateSession) -> list[Unit]:
    units: list[Unit] = []
    for operation in session.spec.operations:
        api_operation = session.api_operation(operation)
        enabled = _enabled_modes(session, api_operation)
        for mode in MODES:
            if mode in enabled:
                test = _hypothesis_test(session, api_operation, mode)
                units.append(Unit(f"{mode.value} {operation.label}", test, **_kind(operation)))
    return units


def _kind(operation: Operation) -> dict[str, bool]:
    """A unit of ``operation``'s requests: whether they create (a create's, which spend the write
    budget) or may address existing resources (anything else's)."""
    creates = operation.semantics.role is Role.CREATE
    return {"creates": creates, "addresses": not creates}


def _enabled_modes(session: GateSession, api_operation: Any) -> set[HypothesisTestMode]:
    phases = session.schema.config.phases_for(operation=api_operation)
    enabled = {
        HypothesisTestMode.EXAMPLES: phases.examples.enabled,
        HypothesisTestMode.COVERAGE: phases.coverage.enabled,
        HypothesisTestMode.FUZZING: phases.fuzzing.enabled,
    }
    return {mode for mode, on in enabled.items() if on}


def _hypothesis_test(
    session: GateSession, api_operation: Any, mode: HypothesisTestMode
) -> Callable[[], None]:
    """One phase of schemathesis' cases of one operation, every case through send_and_check."""
    config = session.schema.config

    def one_case(case: Case[Any]) -> None:
        send_and_check(session, case)

    test: Callable[[], None] = create_test(
        operation=api_operation,
        test_func=one_case,
        config=HypothesisTestConfig(
            settings=config.get_hypothesis_settings(operation=api_operation, phase=mode.value),
            # The example budget, seed, database and shrinking come from the session's config.
            explicit_settings=settings(
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
            ),
            explicit_setting_names=config.explicit_hypothesis_settings(
                operation=api_operation, phase=mode.value
            ),
            modes=[mode],
            seed=derive_operation_seed(config.seed, api_operation.label),
            project=config,
            override=overrides.with_config_headers(config, operation=api_operation),
        ),
    )
    return test
