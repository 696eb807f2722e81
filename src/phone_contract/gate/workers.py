"""Running the contract tests' units of work, ``--workers`` at once (gate.lanes), on seed resources.

Updates and lists address resources that exist. Which of the run's own they get must not depend on
which other units happen to have run before (a seeded run repeats its requests exactly, for one
worker or eight), so before the first unit that addresses anything, the run creates a few resources
of its own for them, in a lane of their own, in one scope: the seed resources. Every update and
list of the run addresses those (gate.ownership); the stateful properties address what they created.
"""

from __future__ import annotations

import copy
from typing import Any

from phone_contract._spec import JSON, Role, properties_of
from phone_contract.gate.conformance import send_and_check
from phone_contract.gate.lanes import Unit
from phone_contract.gate.properties import SMALLEST_SHARE
from phone_contract.gate.session import GateSession

SEED_LANE = "seed"
# Enough for an update of several items in one scope; few, as each costs a live API one creation:
# a small write budget (under ten times as many) pays for fewer, at least one.
SEED_RESOURCES = 3


def run_units(session: GateSession, units: list[Unit]) -> None:
    """Run ``units``, up to the run's ``--workers`` at once, after the seed resources if they need them;
    wave by wave, so that what comes first is done first however many run at once."""
    if any(unit.addresses for unit in units):
        seed_resources(session)
    # Where what the run has spent of the write budget may decide what it sends, the units that create
    # take turns in order. Against the mock there is no write budget, and a budget --max-requests keeps
    # the run from reaching decides nothing: every unit runs as soon as a worker is free.
    creates_in_turn = session.gatekeeper.budget.may_reach(SMALLEST_SHARE)
    for wave in sorted({unit.wave for unit in units}):
        in_wave = [unit for unit in units if unit.wave == wave]
        session.lanes.run(in_wave, session.settings.workers, creates_in_turn=creates_in_turn)


def seed_resources(session: GateSession) -> None:
    """Create the seed resources (once per run) from the first create's own example, all in one scope,
    each with its own unique values; from then on, updates and lists address them."""
    if session.seeded:
        return
    session.seeded = True
    creates = session.operations(Role.CREATE)
    if not creates:
        return  # nothing can be created: updates address ids that cannot exist
    operation = creates[0]
    resource = operation.semantics.resource
    examples = [value for value in operation.request_examples().values() if isinstance(value, dict)]
    schema = operation.request_schema()
    if resource is None or resource.id is None or not examples or schema is None:
        return
    validator = session.spec.validator(schema)
    limits = {name: (properties_of(schema).get(name) or {}).get("maxLength") for name in resource.unique}
    api_operation = session.api_operation(operation)
    with session.lanes.working_in(SEED_LANE):
        scope = session.own_scope()
        budget = session.gatekeeper.write_budget
        wanted = SEED_RESOURCES if budget is None else max(1, min(SEED_RESOURCES, budget // 10))
        for _ in range(wanted):
            if not session.gatekeeper.can_create(1):
                break
            body: dict[str, Any] = copy.deepcopy(examples[0])
            if resource.scope is not None:
                body[resource.scope] = scope
            if resource.owner is not None and resource.owner in body and session.settings.user_id:
                body[resource.owner] = session.settings.user_id
            for name in resource.unique:
                if isinstance(body.get(name), str):
                    limit = limits[name]
                    body[name] = session.made_unique(body[name], limit if isinstance(limit, int) else None)
            if validator.is_valid(body):
                send_and_check(session, api_operation.Case(body=body, media_type=JSON), prepared=True)
    session.ownership.pool_lane = SEED_LANE
