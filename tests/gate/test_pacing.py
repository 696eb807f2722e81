"""The pace a --rate-limit sets, as the budget hands out time slots: whatever is in flight at once.

Pure: a clock the test turns, no waiting.
"""

from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from phone_contract.gate.budget import Budget


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@given(
    interval=st.sampled_from([0.05, 0.1, 0.25]),
    # Between one admission and the next, the clock moves on by this much (0: admitted at once).
    steps=st.lists(st.sampled_from([0.0, 0.0, 0.01, 0.07, 0.3]), min_size=2, max_size=30),
)
def test_every_request_has_a_slot_of_its_own_one_interval_after_the_last(
    interval: float, steps: list[float]
) -> None:
    clock = Clock()
    budget = Budget(None, interval=interval, clock=clock)
    admitted, starts = [], []
    for step in steps:
        clock.now += step
        wait = budget.admit_request(write=False)
        assert wait >= 0
        admitted.append(clock.now)
        starts.append(clock.now + wait)
    for earlier, later in itertools.pairwise(starts):
        assert later - earlier >= interval - 1e-9
    # And none waits longer than the pace asks: it starts when admitted, or one interval after the last.
    for index in range(1, len(starts)):
        assert abs(starts[index] - max(admitted[index], starts[index - 1] + interval)) < 1e-9


def test_requests_admitted_at_once_are_spread_one_interval_apart() -> None:
    clock = Clock()
    budget = Budget(None, interval=0.05, clock=clock)
    waits = [budget.admit_request(write=True) for _ in range(4)]
    assert [round(wait, 6) for wait in waits] == [0.0, 0.05, 0.1, 0.15]
    assert budget.requests == budget.write_requests == 4
