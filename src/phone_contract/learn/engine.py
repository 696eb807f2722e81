"""The learning loop: rules propose, edits apply, the edited spec is read again, until nothing is left.

One round can reveal the next difference (a field widened to null must then also admit null in its
enum), so the rules run again on the edited spec, up to a few rounds. What is still off afterwards is
checked with the gate's own response checks and reported, never hidden.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from phone_contract._exit import UsageError
from phone_contract._paths import any_item
from phone_contract._redact import Redactor
from phone_contract._spec import Spec, SpecError, parse_spec
from phone_contract.coverage import SpecCoverage, coverage, of_operation
from phone_contract.learn.change import Change, Evidence, Finding, grouped
from phone_contract.learn.evidence import Observation, redactor_for
from phone_contract.learn.never import never_learn
from phone_contract.learn.rules import RULES
from phone_contract.learn.specfile import SpecFile
from phone_contract.responses import check_response, shown_actual

MAX_ROUNDS = 4
LEARNED = "Learned from the live API on {date}: {why}"


class InvalidProposal(Exception):
    """The edited spec is not a valid spec: ``diff`` shows it, ``str()`` says why."""

    def __init__(self, reason: str, diff: str) -> None:
        super().__init__(reason)
        self.diff = diff


@dataclass(frozen=True)
class Proposal:
    path: Path
    old: str
    new: str
    changes: tuple[Change, ...]
    findings: tuple[Finding, ...]
    coverage: SpecCoverage

    @property
    def diff(self) -> str:
        return unified_diff(self.path, self.old, self.new)


def unified_diff(path: Path, old: str, new: str) -> str:
    lines = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), str(path), str(path)
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)


def read_spec(path: Path) -> tuple[str, Spec]:
    """The spec file's text and model, read afresh (``load_spec`` caches, and ``--write`` changes it)."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise UsageError(f"cannot read spec {path}: {reason}") from None
    spec = parse_spec(text, str(path), base_uri=path.resolve().as_uri())
    spec.require_operations()
    return text, spec


def propose(
    path: Path, observations: Sequence[Observation], *, today: date, max_response_time: float
) -> Proposal:
    """The smallest edit of the spec at ``path`` under which every learnable answer keeps the contract."""
    text, spec = read_spec(path)
    redactor = redactor_for(observations)
    usable, findings = never_learn(spec, observations, redactor, max_response_time)
    file = SpecFile(path, text)
    current, changes, done = spec, [], set()
    last: list[Finding] = []
    for _ in range(MAX_ROUNDS):
        evidence = Evidence(current, usable, redactor)
        fresh = [change for rule in RULES for change in rule(evidence) if change.key not in done]
        last = evidence.findings  # every round reads all the evidence again: the last one's stand
        if not fresh:
            break
        for change in fresh:
            _apply(change, file, current, today)
            done.add(change.key)
        changes += fresh
        new_text = file.text()
        try:
            current = parse_spec(new_text, str(path), base_uri=path.resolve().as_uri())
        except SpecError as exc:
            raise InvalidProposal(str(exc), unified_diff(path, text, new_text)) from None
    findings += last
    findings += _still_broken(current, usable, redactor)
    return Proposal(
        path=path,
        old=text,
        new=file.text() if changes else text,
        changes=tuple(changes),
        findings=tuple(grouped(findings)),
        coverage=coverage(spec, [o.exchange for o in observations]),
    )


def _apply(change: Change, file: SpecFile, spec: Spec, today: date) -> None:
    try:
        change.edit.apply(file, spec, LEARNED.format(date=today.isoformat(), why=change.why))
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        # The written document is not shaped as the contract says (a YAML alias, say): say so, in one line.
        raise UsageError(
            f"spec {spec.origin}: cannot apply {change.summary!r}: {type(exc).__name__} {exc}"
        ) from None


def _still_broken(spec: Spec, usable: Sequence[Observation], redactor: Redactor) -> list[Finding]:
    """Answers the learned spec still calls broken, one finding per operation, place and expectation
    (what came instead is what each answer showed): bugs to report."""
    findings = []
    for operation in spec.operations:
        for observation in usable:
            if not of_operation(operation, observation.exchange) or observation.status is None:
                continue
            exchange = observation.exchange
            for violation in check_response(
                operation, observation.status, observation.content_type, exchange.response_body
            ):
                where = any_item(redactor.content(violation.path))
                findings.append(
                    Finding(
                        f"{operation.label}: {where}: expected {redactor.text(violation.expected)}",
                        (observation,),
                        observed=(shown_actual(violation, redactor),),
                    )
                )
    return findings
