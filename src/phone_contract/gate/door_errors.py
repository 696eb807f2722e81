"""What the door says when it does not let a request through, or cannot go on.

Two families that must never catch each other: a :class:`CaseWithdrawn` is one case the door did
not let the API judge (the run goes on, the summary says why); a :class:`TargetUnreachable` ends the
run without a verdict (exit 2).
"""

from __future__ import annotations


class CaseWithdrawn(Exception):
    """The door did not let this case be judged; the run goes on (the summary says why)."""


class WriteBudgetExhausted(CaseWithdrawn):
    """The run may create no more (``--write-budget``): no more creations are sent."""


class WriteWithheld(CaseWithdrawn):
    """A create that would count was not sent: the rest of the budget is kept for refused writes."""


class RequestLimitReached(CaseWithdrawn):
    """The run has sent ``--max-requests`` requests; no more are sent."""


class TimeLimitReached(CaseWithdrawn):
    """The run has used its ``--max-duration``: no more requests are sent; it reports what it found."""


class LatencyBreached(CaseWithdrawn):
    """An operation answered slower than ``--max-response-time`` often enough to establish it: its
    later cases are not sent (the breach is reported; more slow answers would only cost time)."""


class NotTheRunsOwn(CaseWithdrawn):
    """A request that could change a resource the run did not create was not sent.

    On a live API the gate changes only what it created in the same run: an update must address the
    run's own resources or ids that cannot exist, and a write whose effect the spec does not say is
    sent only when it addresses nothing.
    """


class AnswerLost(CaseWithdrawn):
    """A write's answer was lost, and re-sending it got 409: the first attempt created it.

    There is no answer left to judge: the case is not judged, and the creation is counted once.
    (Had the lost answer itself been a 409, the count is one too many: it errs on the budget's side.)
    """


class TargetUnreachable(Exception):
    """The live API could not be reached (DNS, TLS, connection); the message is one line."""


class RateLimited(TargetUnreachable):
    """The live API kept answering 429 Too Many Requests: the run stops, with no verdict."""


class APIUnavailable(TargetUnreachable):
    """The live API kept failing (502, 503, 504, lost connections): the run stops, with no verdict."""


class RunMisconfigured(TargetUnreachable):
    """The first answers show a wrong token or URL: the run stops before the budget is spent."""
