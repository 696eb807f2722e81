"""The reports of a run that could not start (exit 2 before its first test).

A CI job uploads the JUnit XML, the HAR and the created list whatever the exit status; a run that
could not reach the API must still leave them, each saying why: the JUnit one error test case, the
HAR what was sent (the reachability probe, if it went out), the created list empty.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from phone_contract._redact import Redactor

if TYPE_CHECKING:
    from phone_contract.har import Exchange


@dataclass
class Unstarted:
    """The files a run was asked for, and what it sent before it had to stop."""

    junit: Path | None = None
    har: Path | None = None
    created: Path | None = None
    sent: list[Exchange] = field(default_factory=list)

    def write(self, why: str, redactor: Redactor) -> None:
        """Write each file asked for, as far as it can be written (a folder that cannot hold it is
        itself the reason the run stopped, and already said)."""
        # Imported here: a run that starts never needs them, and they load the gate's reporting.
        from phone_contract.gate.created import CreatedResources  # noqa: PLC0415
        from phone_contract.gate.junit import write_junit  # noqa: PLC0415
        from phone_contract.gate.tally import Tally  # noqa: PLC0415
        from phone_contract.har import HarRecorder  # noqa: PLC0415

        if self.junit is not None:
            with contextlib.suppress(OSError):
                write_junit(self.junit, Tally(), redactor=redactor, stopped=why)
        if self.har is not None:
            recorder = HarRecorder(redactor)
            for exchange in self.sent:
                recorder.add(exchange)
            with contextlib.suppress(OSError):
                recorder.write(self.har)
        if self.created is not None:
            with contextlib.suppress(OSError):
                self.created.parent.mkdir(parents=True, exist_ok=True)
                CreatedResources().write(self.created)
