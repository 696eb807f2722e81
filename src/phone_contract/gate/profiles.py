"""The suite's named hypothesis profiles: ``gate-ci`` (fixed seed) and ``gate-thorough`` (random seed).

They are applied to the suite's own tests as decorators, never loaded globally: loading one would
change every other hypothesis test of a session that also runs ``tests/``.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, Phase, settings

from phone_contract.gate.settings import GateSettings

_COMMON: dict[str, Any] = {
    # No example database: a seed must replay the same cases, whatever ran before.
    "database": None,
    "deadline": None,
    # No shrinking: each shrink step is another request, and against a live API another write.
    "phases": (Phase.explicit, Phase.generate),
    "print_blob": False,
    # Stop at the first failing case, for the same reason.
    "report_multiple_bugs": False,
    "suppress_health_check": (HealthCheck.too_slow, HealthCheck.filter_too_much),
}


def profile(gate: GateSettings) -> settings:
    """Register both profiles for this run's example budget; return the one it asked for."""
    for name in ("ci", "thorough"):
        settings.register_profile(f"gate-{name}", max_examples=gate.max_examples, **_COMMON)
    return settings.get_profile(f"gate-{gate.profile}")
