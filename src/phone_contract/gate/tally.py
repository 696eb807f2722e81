"""What a gate run has seen so far: per-check outcomes and the failures, grouped. No rendering here.

A run does not stop at its first failing case: every case is sent and every check looks at every
response. So the same break shows up many times; it is kept once per (check, where it is: a field
path or a status), with how often it was seen and the report of its first occurrence.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from phone_contract._paths import any_item


@dataclass
class Finding:
    """One kind of failure: a check, the operation and where it failed, how often, its first report."""

    check: str
    operation: str
    where: str
    report: str
    count: int = 1


@dataclass
class DriftNote:
    """One line of the closing drift list, with how often it was seen."""

    kind: str
    text: str
    # From the first time it was seen: an example value, the API's message, the broken constraint.
    detail: str = ""
    count: int = 1


@dataclass
class BoundaryCoverage:
    """How many of an operation's boundary values a run covered, and which it did not."""

    covered: int
    total: int
    skipped: list[str]
    # Why those were not sent, in words ("the write budget's share for them was spent").
    why: str = ""
    # Bodies that held many values at once, and values sent one field at a time.
    packed: int = 0
    singles: int = 0


@dataclass
class Tally:
    """Per-check outcomes, cases run, failures and drift seen; one per run."""

    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    cases: int = 0
    drift_allowed: set[str] = field(default_factory=set)
    # Checks that could not run at all, and why: reported as such, never counted as passed.
    not_run: dict[str, str] = field(default_factory=dict)
    findings: dict[tuple[str, str, str], Finding] = field(default_factory=dict)
    drift: dict[tuple[str, str], DriftNote] = field(default_factory=dict)
    # By operation label: the boundary values sent first (gate.boundaries), and those left out.
    boundaries: dict[str, BoundaryCoverage] = field(default_factory=dict)
    # Time spent in the gate's own tests (a test session may run other tests around them).
    seconds: float = 0.0
    # The run's lanes record at once (gate.lanes): one at a time here.
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def record(self, check: str, ok: bool) -> None:
        with self._lock:
            (self.passed if ok else self.failed)[check] += 1

    def count_case(self) -> None:
        with self._lock:
            self.cases += 1

    def add_failure(self, check: str, operation: str, places: list[str], report: str) -> None:
        """Count one failure of ``check`` on ``operation`` at each of ``places``; the first of each keeps
        ``report``."""
        # Items of a list fail alike: headers[0].key and headers[3].key are one kind of failure.
        with self._lock:
            for where in sorted({any_item(place) for place in places} or {"(the response)"}):
                key = (check, operation, where)
                finding = self.findings.get(key)
                if finding is None:
                    self.findings = {**self.findings, key: Finding(check, operation, where, report)}
                else:
                    finding.count += 1

    def add_drift(self, kind: str, text: str, detail: str = "") -> None:
        with self._lock:
            note = self.drift.get((kind, text))
            if note is None:
                self.drift = {**self.drift, (kind, text): DriftNote(kind, text, detail)}
            else:
                note.count += 1

    def counts(self) -> dict[tuple[str, str, str], int]:
        """How often each finding was seen so far."""
        with self._lock:
            return {key: finding.count for key, finding in self.findings.items()}

    @property
    def failures(self) -> int:
        """How many failures were seen, all groups together."""
        with self._lock:
            return sum(finding.count for finding in self.findings.values())
