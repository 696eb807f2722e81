"""The learning rules, in the order they run: each turns evidence the spec does not cover into the
smallest edit that covers it, with the entries it rests on. A rule never guesses: no evidence, no change.
"""

from __future__ import annotations

from collections.abc import Callable

from phone_contract.learn.change import Change, Evidence
from phone_contract.learn.request_rules import loosened_request_constraints, refused_request_fields
from phone_contract.learn.response_rules import (
    undocumented_operations,
    undocumented_response_fields,
    undocumented_statuses,
    widened_response_fields,
)

Rule = Callable[[Evidence], list[Change]]
RULES: tuple[Rule, ...] = (
    undocumented_response_fields,
    widened_response_fields,
    undocumented_statuses,
    undocumented_operations,
    loosened_request_constraints,
    refused_request_fields,
)
