"""Every applicable schemathesis check, plus the gate's own, over examples, coverage and fuzzing.

Positive and negative generation both; each case goes through the gatekeeper (budget, secrets),
and every failure is kept, grouped, with the check, the field paths and a curl reproduction. Each
phase of each operation is a unit of work (phone_contract.gate.units), built as schemathesis builds
them for ``st run``; with ``--workers N`` up to N run at once. Nothing is built at import.
"""

from __future__ import annotations

from phone_contract.gate.session import GateSession
from phone_contract.gate.units import conformance_units
from phone_contract.gate.workers import run_units


def test_api_conforms(gate: GateSession) -> None:
    run_units(gate, conformance_units(gate))
