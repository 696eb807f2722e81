"""Example counts that follow the hypothesis profile of the run (see tests/conftest.py).

A test that needs more (or fewer) examples than the profile's default states its count under the ``ci``
profile; ``fast`` runs a tenth of it, ``nightly`` five times as many.
"""

from __future__ import annotations

from hypothesis import settings

CI_MAX_EXAMPLES = 100  # the ci profile's, and hypothesis' default


def scaled(ci_count: int) -> int:
    """``ci_count`` examples under the ci profile, scaled like the loaded profile's default (at least 1)."""
    return max(1, round(ci_count * settings().max_examples / CI_MAX_EXAMPLES))
