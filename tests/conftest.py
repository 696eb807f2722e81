"""Hypothesis profiles for the toolkit's own tests: deterministic in CI, exploring on a laptop.

The gate's own profiles live in ``phone_contract.gate.profiles``; the gate runs in subprocesses
here, so these never reach it.
"""

from __future__ import annotations

import os

from hypothesis import settings

# No deadline: a shared 2-core CI machine makes per-example timings noise, not signal.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")
