"""What an operation itself stamps on a resource: a fresh id, the time, and the mask of a secret."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

# The spec's example answers a password as this mask, and the toolkit never writes a secret out.
PASSWORD_MASK = "********"  # noqa: S105  (a mask, not a password)


def rfc3339(moment: datetime) -> str:
    """``2026-11-26T10:15:30.123Z``: UTC, milliseconds, ``Z``."""
    return moment.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def new_id(prefix: str = "") -> str:
    """``prefix``, 48 bits of milliseconds and 64 random bits in hex: sorts by creation, unique alone."""
    # Hex rather than a base32 ULID: base64.b32encode is pure Python and cost a tenth of a request.
    return f"{prefix}{time.time_ns() // 1_000_000:012x}{os.urandom(8).hex()}"
