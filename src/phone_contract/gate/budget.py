"""What a run may spend: creations (``--write-budget``), requests (``--max-requests``), and its pace.

The write budget counts what the API may have *created* (creates answered 2xx, and creates whose
answer was lost), never a refused write and never an update of the run's own resources; the last
tenth is kept for the writes the contract says must be refused, so negative cases still run when
valid ones are spent. The budget holds while requests are in flight at once (``--workers``): a create
counts against it from the moment it is admitted until its answer says whether it created. The pace
is kept the same way: each request is given its own time slot, so N requests in flight still start
one interval apart. ``clock`` is injectable, so pacing is tested without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from phone_contract.gate.door_errors import (
    RequestLimitReached,
    TimeLimitReached,
    WriteBudgetExhausted,
    WriteWithheld,
)

# Of the write budget, the share kept for writes the contract says the API must refuse.
REFUSED_WRITES_RESERVE = 0.1


class Budget:
    """The run's allowances, and what it has spent of them."""

    def __init__(
        self,
        write_budget: int | None,
        *,
        max_requests: int | None = None,
        max_duration: float | None = None,
        interval: float = 0.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.write_budget = write_budget
        self.max_requests = max_requests
        self.interval = interval
        self._clock = clock
        # Every request sent, retries included; of them, the writes (any unsafe method).
        self.requests = 0
        self.write_requests = 0
        # What --write-budget counts: creates answered 2xx, and creates whose answer was lost.
        self.creations = 0
        # Creates admitted and not yet answered: each may still create.
        self.pending = 0
        # Creates not sent because only the reserve for refused writes was left.
        self.withheld = 0
        self.write_budget_reached = False
        self.request_limit_reached = False
        self.last_sent: float | None = None
        # The run's time limit counts from here (the session opens as the first contract test starts).
        self.max_duration = max_duration
        self.started = clock()
        self.time_limit_reached = False

    @property
    def reached(self) -> bool:
        """Whether a budget stopped the run: later cases are not sent."""
        return self.write_budget_reached or self.request_limit_reached or self.time_limit_reached

    @property
    def stopped(self) -> bool:
        """Whether the run may send nothing more at all (the request or time limit)."""
        return self.request_limit_reached or self.time_limit_reached

    def may_reach(self, share: float) -> bool:
        """Whether the run could spend ``share`` of the write budget: not when ``--max-requests`` is
        smaller, as each creation takes a request of its own."""
        if self.write_budget is None:
            return False
        return self.max_requests is None or self.max_requests >= share * self.write_budget

    def can_create(self, count: int) -> bool:
        """Whether ``count`` more creations fit in the write budget."""
        return self.write_budget is None or self.creations + self.pending + count <= self.write_budget

    def admit_create(self, *, would_create: bool) -> None:
        """Before a request that may create: WriteBudgetExhausted, or WriteWithheld for a create a
        conforming API would make once only the reserve for refused writes is left. Admitted, it is
        pending until :meth:`answered`."""
        budget = self.write_budget
        if budget is None:
            return
        spent = self.creations + self.pending
        if spent >= budget:
            self.write_budget_reached = True
            raise WriteBudgetExhausted(f"write budget of {budget} reached")
        # A valid create costs a number; a write the contract says must be refused costs nothing from
        # a conforming API. Keeping the last tenth for the latter means the negative cases still run
        # once the valid ones have spent the rest, and an API that accepts what it must refuse is caught.
        if would_create and spent >= budget - int(budget * REFUSED_WRITES_RESERVE):
            self.withheld += 1
            raise WriteWithheld(f"write budget of {budget}: the rest is kept for writes that must be refused")
        self.pending += 1

    def answered(self) -> None:
        """An admitted create is done (its creations, if any, are counted by the door)."""
        if self.write_budget is not None:
            self.pending -= 1

    def admit_request(self, *, write: bool) -> float:
        """Before each attempt: RequestLimitReached or TimeLimitReached, else count it and give it its
        time slot: the seconds to wait before sending it (0 without a --rate-limit)."""
        if self.max_requests is not None and self.requests >= self.max_requests:
            self.request_limit_reached = True
            raise RequestLimitReached(f"--max-requests {self.max_requests} reached")
        if self.max_duration is not None and self._clock() - self.started >= self.max_duration:
            self.time_limit_reached = True
            raise TimeLimitReached(f"--max-duration {self.max_duration:g} s reached")
        now = self._clock()
        slot = now if self.last_sent is None else max(now, self.last_sent + self.interval)
        self.last_sent = slot
        self.requests += 1
        if write:
            self.write_requests += 1
        return slot - now
