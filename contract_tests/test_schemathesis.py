"""Every applicable schemathesis check, plus the gate's own, over examples, coverage and fuzzing.

Positive and negative generation both; each case goes through the gatekeeper (budget, secrets)
and fails with a report naming the checks, the field paths and a curl reproduction.
"""

from __future__ import annotations

from typing import Any

from schemathesis import Case

from phone_contract.gate.conformance import send_and_check
from phone_contract.gate.profiles import profile
from phone_contract.gate.run import current

RUN = current()


@RUN.schema.parametrize()  # type: ignore[untyped-decorator]  # schemathesis is imported untyped (pyproject)
@profile(RUN.settings)
def test_api_conforms(case: Case[Any]) -> None:
    send_and_check(RUN, case)
