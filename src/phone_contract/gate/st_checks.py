"""The gate's own checks for any schemathesis run: ``SCHEMATHESIS_HOOKS=phone_contract.gate.st_checks``.

Importing this module registers them in schemathesis' check registry; that is its one purpose, so
nothing else of the toolkit imports it (the gate hands its checks to schemathesis explicitly).
"""

from __future__ import annotations

import schemathesis

from phone_contract.gate.checks import GATE_CHECKS

for _check in GATE_CHECKS:
    schemathesis.check(_check)
