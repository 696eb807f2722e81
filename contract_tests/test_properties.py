"""Hypothesis property tests of the create operation, with strategies derived from the spec.

They run before the schemathesis cases (file order; the duplicate one first, as it needs three
writes in a row), each with its first example and then up to its share of a live API's write
budget, so that a small budget still tries every kind of test.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, seed
from schemathesis import Case, GenerationMode

from phone_contract.gate.profiles import profile
from phone_contract.gate.properties import duplicate_in_workspace, fully_populated_create
from phone_contract.gate.run import current

RUN = current()
PROFILE = profile(RUN.settings)
valid_cases = RUN.schema["/phone-numbers"]["POST"].as_strategy(generation_mode=GenerationMode.POSITIVE)
fully_populated_cases = RUN.deep_schema["/phone-numbers"]["POST"].as_strategy(
    generation_mode=GenerationMode.POSITIVE
)


@PROFILE
@seed(RUN.settings.seed)
@given(case=valid_cases)
def test_duplicate_number_conflicts_only_within_a_workspace(case: Case[Any]) -> None:
    duplicate_in_workspace(RUN, case)


@PROFILE
@seed(RUN.settings.seed)
@given(case=fully_populated_cases)
def test_fully_populated_config_is_created_and_echoed(case: Case[Any]) -> None:
    fully_populated_create(RUN, case)
