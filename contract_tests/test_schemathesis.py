"""Every applicable schemathesis check, plus the gate's own, over examples, coverage and fuzzing.

Positive and negative generation both; each case goes through the gatekeeper (budget, secrets),
and every failure is kept, grouped, with the check, the field paths and a curl reproduction. The
schema comes from the gate's plugin (a fixture), so nothing is built when this module is imported.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import Case

from phone_contract.gate.conformance import send_and_check
from phone_contract.gate.session import GateSession

schema = schemathesis.pytest.from_fixture("gate_schema")


@schema.parametrize()
# The example budget, seed, database and shrinking come from the session's schemathesis config.
@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
def test_api_conforms(case: Case[Any], gate: GateSession) -> None:
    send_and_check(gate, case)
