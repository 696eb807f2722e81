"""When the write budget can decide anything: what lets units that create run at once (gate.workers)."""

from __future__ import annotations

import math
import threading
from functools import partial
from types import SimpleNamespace
from typing import cast

import pytest
from hypothesis import given
from hypothesis import strategies as st

from phone_contract.gate.budget import Budget
from phone_contract.gate.lanes import Lanes, Unit
from phone_contract.gate.properties import SMALLEST_SHARE
from phone_contract.gate.session import GateSession
from phone_contract.gate.workers import run_units


@given(
    budget=st.integers(1, 10**7),
    max_requests=st.integers(1, 10**7),
    share=st.floats(0.05, 1.0),
    data=st.data(),
)
def test_a_budget_the_run_cannot_reach_decides_nothing(
    budget: int, max_requests: int, share: float, data: st.DataObject
) -> None:
    allowance = Budget(budget, max_requests=max_requests)
    if allowance.may_reach(share):
        return
    # Every creation takes a request, and no request is sent past --max-requests: whatever the run
    # has created when it asks (as within_share asks), it is under the share.
    created = data.draw(st.integers(0, max_requests - 1))
    assert created < math.ceil(share * budget)


def test_no_write_budget_is_never_reached() -> None:
    assert not Budget(None).may_reach(SMALLEST_SHARE)
    assert Budget(50, max_requests=1500).may_reach(SMALLEST_SHARE)  # a live run's defaults
    assert Budget(50).may_reach(SMALLEST_SHARE)


@pytest.mark.parametrize(
    ("budget", "in_turn"), [(Budget(50, max_requests=1500), True), (Budget(10**6, max_requests=1000), False)]
)
def test_units_that_create_take_turns_only_where_the_budget_can_decide(budget: Budget, in_turn: bool) -> None:
    lanes = Lanes()
    session = cast(
        GateSession,
        SimpleNamespace(
            lanes=lanes, settings=SimpleNamespace(workers=2), gatekeeper=SimpleNamespace(budget=budget)
        ),
    )
    both_in_flight = threading.Barrier(2, timeout=2)
    met: list[bool] = []

    def creates() -> None:
        with lanes.waiting():
            try:
                both_in_flight.wait()
                met.append(True)
            except threading.BrokenBarrierError:
                met.append(False)

    run_units(session, [Unit(name, partial(creates), creates=True) for name in ("one", "two")])
    assert met == [not in_turn] * 2
