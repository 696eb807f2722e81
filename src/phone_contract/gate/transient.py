"""Answers that say nothing about the contract: rate limits, gateway errors and lost connections.

A live API sits behind load balancers and gateways. A ``503`` from one of them, a ``502`` while a
backend restarts, a connection reset or an answer that never comes are the infrastructure's, not
the API's: the door retries them and lists them in the summary, and only an API that keeps failing
stops the run (exit 2, never a contract verdict). A ``500`` is the API failing on its input: that
stays a contract break.
"""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

TRANSIENT_STATUSES = frozenset({429, 502, 503, 504})
# 429 says "later", often with the time to wait: worth more patience than a gateway error.
RATE_LIMIT_RETRIES = 5
TRANSIENT_RETRIES = 3
FIRST_RETRY_WAIT = 1.0
MAX_RETRY_WAIT = 30.0
# "Most recent requests transient": over the last RECENT attempts, more than this share.
RECENT = 20
UNAVAILABLE_SHARE = 0.5


class AttemptLost(Exception):
    """A request got no answer. ``sent``: it may have reached the API (its outcome is unknown)."""

    def __init__(self, kind: str, *, sent: bool, detail: str) -> None:
        super().__init__(detail)
        self.kind = kind
        self.sent = sent


def transient_kind(status: int) -> str | None:
    """How the summary names a transient status ("503"), or None for an answer to judge."""
    return str(status) if status in TRANSIENT_STATUSES else None


def retries_allowed(kind: str) -> int:
    return RATE_LIMIT_RETRIES if kind == "429" else TRANSIENT_RETRIES


def retry_wait(retry_after: str | None, attempt: int, *, clock: Callable[[], float] = time.time) -> float:
    """Seconds to wait before retry ``attempt`` (from 0): Retry-After if it is given, else doubling.

    ``clock`` is the time an HTTP date in Retry-After is counted from (injectable for the tests)."""
    fallback = FIRST_RETRY_WAIT * 2.0**attempt
    if retry_after is None:
        return min(fallback, MAX_RETRY_WAIT)
    try:
        seconds = float(retry_after)
    except ValueError:
        try:  # the other form RFC 9110 allows: an HTTP date
            seconds = float(parsedate_to_datetime(retry_after).timestamp()) - clock()
        except (TypeError, ValueError):
            seconds = fallback
    return min(max(seconds, 0.0), MAX_RETRY_WAIT)


@dataclass
class Transients:
    """The transient answers of a run: counted for the summary, watched for an outage."""

    seen: Counter[str] = field(default_factory=Counter)
    # A write whose answer was lost, re-sent and answered 409: the first attempt had created it.
    conflicts_after_loss: int = 0
    _recent: deque[bool] = field(default_factory=lambda: deque(maxlen=RECENT))

    def note(self, kind: str | None) -> None:
        """One attempt's outcome: a transient ``kind``, or None for an answer to judge."""
        if kind is not None:
            self.seen[kind] += 1
        self._recent.append(kind is not None)

    def mostly_transient(self) -> bool:
        return len(self._recent) == RECENT and sum(self._recent) > UNAVAILABLE_SHARE * RECENT

    def counts(self) -> str:
        """``2 x 503, 1 x 502``: most frequent first."""
        return ", ".join(f"{count} x {kind}" for kind, count in self.seen.most_common())

    def summary(self) -> str | None:
        if not self.seen:
            return None
        line = f"transient: {self.counts()}, retried"
        if self.conflicts_after_loss:
            line += (
                f"; {self.conflicts_after_loss} x 409 on re-sending a write whose answer was lost, "
                "read as created by the first attempt (not judged)"
            )
        return line
