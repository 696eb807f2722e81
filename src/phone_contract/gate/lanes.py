"""Lanes: the run's units of work, each sending its requests in its own order, several at once.

A live API answers in 100-300 ms; sent one at a time, a run spends minutes waiting. So the gate
splits its work into units (the boundary values of one operation, one property, schemathesis'
examples of one operation...) and runs up to ``--workers`` of them at once, each in a thread of its
own. A unit's requests depend only on its own seed and on what it created itself, so each sends the
same requests whatever runs beside it: the door keeps a fingerprint per lane, and the run's is made
of them in a fixed order, the same for one worker or eight. One thing units share is the write
budget: where it may run out, the units that create take their turns one after another, in order.

A lane is named after its unit. The thread that works in a lane says so (:meth:`Lanes.working_in`);
every request a unit sends carries the lane's name in a header only the door reads (it never reaches
the API), since the requests themselves are sent from schemathesis' own event-loop thread.

What runs at once is the waiting, not the Python: the units take turns (one lock), and a unit gives
up its turn only while its request is in flight (:meth:`Lanes.waiting`). Generating cases and judging
answers is work for one core anyway, and Hypothesis' caches are not all safe to share between threads
generating at the same moment; waiting for answers is what a slow API makes long.
"""

from __future__ import annotations

import threading
import unittest
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field

from phone_contract.gate.door import LANE_HEADER


@dataclass
class Lane:
    """What one lane counts for itself: its fresh scopes and unique values, and whether the API has
    shown it enforces authentication (then ignored_auth stops probing in this lane)."""

    name: str
    scopes: int = 0
    uniques: int = 0
    auth_enforced: bool = False


@dataclass(frozen=True)
class Unit:
    """One unit of work, run in the lane of its name. ``addresses``: its requests address existing
    resources (an update, a list), so the run's seed resources must exist before it starts.
    ``creates``: its requests may create (they spend the write budget). ``wave``: what must be done
    first (the boundary values) is an earlier wave."""

    name: str
    run: Callable[[], None]
    addresses: bool = False
    creates: bool = False
    # Units of an earlier wave all end before any of a later one starts (gate.workers.run_units).
    wave: int = 0


@dataclass
class Lanes:
    """Which lane each thread works in, and each lane's own counts."""

    _lanes: dict[str, Lane] = field(default_factory=dict)
    _local: threading.local = field(default_factory=threading.local)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    # Held by the unit whose turn it is, while several run at once.
    _turn: threading.Lock = field(default_factory=threading.Lock)

    @property
    def current(self) -> Lane:
        """The lane of the calling thread (the unnamed one outside any unit)."""
        return self.named(getattr(self._local, "name", ""))

    def named(self, name: str) -> Lane:
        with self._lock:
            return self._lanes.setdefault(name, Lane(name))

    def header(self) -> dict[str, str]:
        """The header that tells the door which lane a request belongs to (none for the unnamed one)."""
        name = self.current.name
        return {LANE_HEADER.decode(): name} if name else {}

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Around a request in flight: the other units take their turns meanwhile."""
        if not getattr(self._local, "turn", False):
            yield
            return
        self._turn.release()
        try:
            yield
        finally:
            self._turn.acquire()

    @contextmanager
    def _taking_turns(self) -> Iterator[None]:
        with self._turn:
            self._local.turn = True
            try:
                yield
            finally:
                self._local.turn = False

    @contextmanager
    def working_in(self, name: str) -> Iterator[Lane]:
        before = getattr(self._local, "name", "")
        self._local.name = name
        try:
            yield self.named(name)
        finally:
            self._local.name = before

    def run(self, units: list[Unit], workers: int, *, creates_in_turn: bool = False) -> None:
        """Run every unit, up to ``workers`` at once, in the order given; then raise what they raised
        (a run that had to stop first, else all the errors together).

        ``creates_in_turn`` (a write budget that may run out): the units that create run one after
        another, in their order, beside the others. Which unit gets the budget's last creations is
        then the same as with one worker, not whichever unit's answers came first."""
        errors: list[BaseException] = []

        def work(unit: Unit) -> None:
            with self.working_in(unit.name):
                try:
                    unit.run()
                except unittest.SkipTest:
                    # hypothesis' word for a test with nothing to generate (an operation that takes
                    # no input has no coverage cases): nothing to run, nothing failed.
                    pass
                except Exception as error:
                    errors.append(error)

        def take_turns(task: list[Unit]) -> None:
            with self._taking_turns():
                for unit in task:
                    work(unit)

        if workers <= 1:
            for unit in units:
                work(unit)
        else:
            with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gate-lane") as pool:
                list(pool.map(take_turns, _tasks(units, creates_in_turn=creates_in_turn)))
        if len(errors) == 1:
            raise errors[0]
        if errors:
            failed = [error for error in errors if isinstance(error, Exception)]
            raise ExceptionGroup(f"{len(errors)} units of the run failed", failed)


def _tasks(units: list[Unit], *, creates_in_turn: bool) -> list[list[Unit]]:
    """What each worker takes in turn: a unit, or (``creates_in_turn``) all the units that create, in
    their order, where the first of them stands."""
    tasks: list[list[Unit]] = []
    in_turn: list[Unit] = []
    for unit in units:
        if creates_in_turn and unit.creates:
            if not in_turn:
                tasks.append(in_turn)
            in_turn.append(unit)
        else:
            tasks.append([unit])
    return tasks
