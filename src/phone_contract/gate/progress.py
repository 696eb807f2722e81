"""A sign of life while the gate runs: phase, requests, creations against the budget, failures, time.

On a terminal it is one live status line (rich, redrawn in place, gone when the run ends); without
one (CI logs) it is a plain line every few seconds. Both go to stderr, beside pytest's own output on
stdout; ``-q`` turns them off. A background thread draws; it only reads the session's counters.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.live import Live

    from phone_contract.gate.session import GateSession

PREFIX = "phone-contract gate: progress"
# Often enough to show a long run is alive, rare enough not to flood a CI log.
PLAIN_INTERVAL = 5.0
LIVE_REFRESH_PER_SECOND = 4


class Progress:
    """Reports a session's progress until :meth:`stop`; ``interactive`` picks the live line.

    ``clock`` and ``wait`` are injectable, so the plain lines are tested without waiting: ``wait(seconds)``
    waits up to that long between two lines and says whether the run has stopped.
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        *,
        interactive: bool | None = None,
        interval: float = PLAIN_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
        wait: Callable[[float], bool] | None = None,
    ) -> None:
        self._stream = stream if stream is not None else sys.stderr
        self._interactive = self._stream.isatty() if interactive is None else interactive
        self._interval = interval
        self._clock = clock
        self._session: GateSession | None = None
        self._phase = "starting"
        self._started = clock()
        self._stopped = threading.Event()
        self._wait = wait if wait is not None else self._stopped.wait
        self._thread: threading.Thread | None = None
        self._live: Live | None = None

    def watch(self, session: GateSession) -> None:
        self._session = session
        self._started = self._clock()
        if self._interactive:
            # Imported here: only a terminal needs it, and every other run would pay for the import.
            from rich.console import Console  # noqa: PLC0415
            from rich.live import Live  # noqa: PLC0415
            from rich.text import Text  # noqa: PLC0415

            console = Console(file=self._stream, highlight=False, force_terminal=True)
            self._live = Live(
                get_renderable=lambda: Text(self.line()),
                console=console,
                transient=True,
                refresh_per_second=LIVE_REFRESH_PER_SECOND,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            self._live.start()
        else:
            self._thread = threading.Thread(target=self._plain_lines, name="gate-progress", daemon=True)
            self._thread.start()

    def phase(self, name: str) -> None:
        self._phase = name.removeprefix("test_")

    def line(self) -> str:
        session = self._session
        elapsed = self._clock() - self._started
        if session is None:
            return f"{PREFIX}: {self._phase}; {elapsed:.0f}s"
        gatekeeper = session.gatekeeper
        budget = f"/{gatekeeper.write_budget}" if gatekeeper.write_budget is not None else ""
        return (
            f"{PREFIX}: {self._phase}; requests {gatekeeper.requests}; "
            f"creations {gatekeeper.creations}{budget}; failures {session.tally.failures}; {elapsed:.0f}s"
        )

    def _plain_lines(self) -> None:
        while not self._wait(self._interval):
            print(self.line(), file=self._stream, flush=True)

    def stop(self) -> None:
        self._stopped.set()
        if self._live is not None:
            self._live.stop()
            self._live = None
        if self._thread is not None:
            self._thread.join(timeout=1.0)
            self._thread = None
