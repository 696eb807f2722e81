"""Lanes: units run in their own lane, take turns except while waiting, and report what they raised."""

from __future__ import annotations

import threading
import unittest
from functools import partial
from types import SimpleNamespace
from typing import cast

import pytest

from phone_contract.gate.budget import Budget
from phone_contract.gate.lanes import Lanes, Unit
from phone_contract.gate.session import GateSession
from phone_contract.gate.workers import run_units


@pytest.mark.parametrize("workers", [1, 3])
def test_each_unit_runs_once_in_a_lane_of_its_name(workers: int) -> None:
    lanes = Lanes()
    seen: list[tuple[str, str]] = []

    def note(name: str) -> None:
        seen.append((name, lanes.current.name))

    units = [Unit(name, partial(note, name)) for name in "abcde"]
    lanes.run(units, workers)
    assert sorted(seen) == [(name, name) for name in "abcde"]
    assert lanes.current.name == ""  # the caller's own lane is left as it was


def test_one_worker_runs_the_units_in_the_order_given() -> None:
    lanes = Lanes()
    order: list[str] = []
    lanes.run([Unit(name, partial(order.append, name)) for name in "cab"], 1)
    assert order == ["c", "a", "b"]


def test_units_take_turns_and_give_theirs_up_only_while_waiting() -> None:
    lanes = Lanes()
    inside = 0
    most = 0
    both_waiting = threading.Barrier(2, timeout=10)
    guard = threading.Lock()

    def unit() -> None:
        nonlocal inside, most
        with guard:
            inside += 1
            most = max(most, inside)
        with guard:
            inside -= 1
        with lanes.waiting():
            # Both units wait at once: only possible if each gave up its turn while waiting.
            both_waiting.wait()

    lanes.run([Unit("one", unit), Unit("two", unit)], 2)
    assert most == 1


def test_a_unit_with_nothing_to_generate_is_not_an_error() -> None:
    def nothing() -> None:
        raise unittest.SkipTest("Hypothesis has been told to run no test cases for this test.")

    ran: list[str] = []
    Lanes().run([Unit("empty", nothing), Unit("next", lambda: ran.append("next"))], 1)
    assert ran == ["next"]


def test_one_error_is_raised_as_it_is_and_several_together() -> None:
    def fails(message: str) -> Unit:
        def run() -> None:
            raise ValueError(message)

        return Unit(message, run)

    with pytest.raises(ValueError, match="alone"):
        Lanes().run([fails("alone"), Unit("fine", lambda: None)], 1)
    with pytest.raises(ExceptionGroup) as raised:
        Lanes().run([fails("first"), fails("second")], 2)
    assert sorted(str(error) for error in raised.value.exceptions) == ["first", "second"]


@pytest.mark.parametrize("workers", [1, 4])
def test_an_earlier_wave_ends_before_a_later_one_starts(workers: int) -> None:
    lanes = Lanes()
    session = cast(
        GateSession,
        SimpleNamespace(
            lanes=lanes,
            settings=SimpleNamespace(workers=workers),
            gatekeeper=SimpleNamespace(budget=Budget(None)),
        ),
    )
    done: list[str] = []
    seen_when_started: dict[str, set[str]] = {}

    def unit(name: str) -> None:
        seen_when_started[name] = set(done)
        with lanes.waiting():
            pass  # a request in flight: the others may take their turns
        done.append(name)

    first = [Unit(f"first {index}", partial(unit, f"first {index}")) for index in range(3)]
    later = [Unit(f"later {index}", partial(unit, f"later {index}"), wave=1) for index in range(3)]
    run_units(session, [later[0], *first, *later[1:]])
    for index in range(3):
        assert {unit.name for unit in first} <= seen_when_started[f"later {index}"]


def test_with_creates_in_turn_the_units_that_create_go_one_by_one_in_order_beside_the_others() -> None:
    lanes = Lanes()
    started: list[str] = []
    inside: set[str] = set()
    overlaps: list[set[str]] = []
    # A unit that creates and one that does not wait for each other: they must run at the same time.
    side_by_side = threading.Barrier(2, timeout=10)

    def unit(name: str, *, meets: bool = False) -> None:
        started.append(name)
        overlaps.append({other for other in inside if other.startswith("create")})
        inside.add(name)
        with lanes.waiting():
            if meets:
                side_by_side.wait()
        inside.discard(name)

    units = [
        Unit("create 1", partial(unit, "create 1", meets=True), creates=True),
        Unit("read 1", partial(unit, "read 1", meets=True)),
        Unit("create 2", partial(unit, "create 2"), creates=True),
        Unit("read 2", partial(unit, "read 2")),
        Unit("create 3", partial(unit, "create 3"), creates=True),
    ]
    lanes.run(units, 4, creates_in_turn=True)
    creating = [name for name in started if name.startswith("create")]
    assert creating == ["create 1", "create 2", "create 3"]
    # No unit that creates started while another one was still running.
    assert all(
        not overlap for name, overlap in zip(started, overlaps, strict=True) if name.startswith("create")
    )
