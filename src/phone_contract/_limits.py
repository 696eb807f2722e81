"""Limits more than one part judges by."""

from __future__ import annotations

# The slowest acceptable answer, in seconds: slower is a contract break (the gate's max_response_time,
# learn's "not learnable: a bug to report").
MAX_RESPONSE_TIME = 2.0
