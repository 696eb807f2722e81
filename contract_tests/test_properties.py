"""Hypothesis property tests of every operation, with strategies derived from the spec.

They run before the schemathesis cases, as units of work (phone_contract.gate.units): the boundary
values first, as they break real APIs most often; then the duplicates, as they need three creations
in a row; then the lifecycle, fully populated bodies and the strings real users send. Each gets its
first example and then up to its share of a live API's write budget, so that a small budget still
tries every kind of test. Their hypothesis settings and seed are the run's, so each is built when
it runs, from the session it receives; with ``--workers N`` up to N of them run at once.
"""

from __future__ import annotations

from phone_contract.gate.session import GateSession
from phone_contract.gate.units import property_units
from phone_contract.gate.workers import run_units


def test_the_properties_hold(gate: GateSession) -> None:
    run_units(gate, property_units(gate))
