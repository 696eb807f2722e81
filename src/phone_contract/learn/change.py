"""What the rules read and produce: the evidence, a change (an edit and its evidence), a finding."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from phone_contract._redact import Redactor
from phone_contract._spec import JSON, Operation, Spec
from phone_contract._words import times
from phone_contract.coverage import NOT_JSON, of_operation
from phone_contract.learn.edit import Edit
from phone_contract.learn.evidence import Observation, clipped, is_json, shown

_SHOWN_REFS = 5
_SHOWN_VALUES = 3


@dataclass(frozen=True)
class Change:
    """One proposed edit, what it says in one line, and the evidence it rests on."""

    key: tuple[Any, ...]
    summary: str
    why: str  # what the learned element's description says after "Learned from the live API on DATE:"
    evidence: tuple[str, ...]
    edit: Edit


@dataclass(frozen=True)
class Finding:
    """Evidence that no spec change may cover: a bug to report (or a refusal no single field explains).

    ``summary`` names the operation, what is wrong and where (list items as ``[*]``): the same break in
    many answers is one finding, with every exchange that showed it and what each showed.
    """

    summary: str
    seen: tuple[Observation, ...] = ()
    evidence: tuple[str, ...] = ()
    observed: tuple[str, ...] = ()  # values as shown, secrets already redacted

    @property
    def headline(self) -> str:
        """``POST /phone-numbers: answered 500, a server error (45 times, in nightly.har entries 4, ...)``."""
        if not self.seen:
            return self.summary
        return f"{self.summary} ({times(len(self.seen))}, in {refs(self.seen)})"

    @property
    def lines(self) -> tuple[str, ...]:
        """What follows the headline: the evidence, then the values observed."""
        observed = (
            (f"observed: {listed([clipped(value) for value in self.observed])}",) if self.observed else ()
        )
        return (*self.evidence, *observed)


def grouped(findings: Sequence[Finding]) -> list[Finding]:
    """One finding per summary, in the order first seen: its exchanges (each once), evidence and values."""
    groups: dict[str, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.summary].append(finding)
    merged = []
    for summary, same in groups.items():
        seen = {(o.har, o.index): o for finding in same for o in finding.seen}
        merged.append(
            Finding(
                summary,
                tuple(seen.values()),
                tuple(dict.fromkeys(line for finding in same for line in finding.evidence)),
                tuple(value for finding in same for value in finding.observed),
            )
        )
    return merged


@dataclass
class Evidence:
    """The spec being learned and the exchanges it may learn from (the unlearnable ones left out)."""

    spec: Spec
    observations: Sequence[Observation]
    redactor: Redactor
    findings: list[Finding] = field(default_factory=list)

    def of_operation(self, operation: Operation) -> Iterator[Observation]:
        """The answered exchanges of ``operation``."""
        return (o for o in self.observations if of_operation(operation, o.exchange) and o.status is not None)

    def answers(self) -> Iterator[tuple[Observation, Operation, str, dict[str, Any]]]:
        """JSON answers with a documented JSON schema: (observation, operation, response key, schema)."""
        for operation in self.spec.operations:
            for observation in self.of_operation(operation):
                assert observation.status is not None
                response = operation.response_for(observation.status)
                schema = response.schema(JSON) if response is not None else None
                if schema is not None and observation.response is not NOT_JSON and is_json(observation):
                    yield observation, operation, response.key if response else "", schema


def refs(observations: Sequence[Observation]) -> str:
    """``gate.har entries 2, 5, 7 and 3 more``."""
    by_file: dict[str, list[int]] = defaultdict(list)
    for observation in observations:
        if observation.index not in by_file[observation.har]:
            by_file[observation.har].append(observation.index)
    parts = []
    for har, indexes in by_file.items():
        listed = ", ".join(map(str, indexes[:_SHOWN_REFS]))
        more = f" and {len(indexes) - _SHOWN_REFS} more" if len(indexes) > _SHOWN_REFS else ""
        parts.append(f"{har} {'entry' if len(indexes) == 1 else 'entries'} {listed}{more}")
    return "; ".join(parts)


def values_shown(redactor: Redactor, values: Sequence[Any], secret: bool = False) -> str:
    if secret:
        return "<redacted>"
    return listed([shown(redactor, value) for value in values])


def listed(values: Sequence[str]) -> str:
    """Values already shown, each once, the first few: ``"SCTP", "QUIC", "RTP" (+1 more)``."""
    distinct = list(dict.fromkeys(values))
    more = f" (+{len(distinct) - _SHOWN_VALUES} more)" if len(distinct) > _SHOWN_VALUES else ""
    return ", ".join(distinct[:_SHOWN_VALUES]) + more


def describe(schema: dict[str, Any]) -> str:
    kind = schema.get("type", "any")
    text = " or ".join(kind) if isinstance(kind, list) else str(kind)
    return f"{text} ({schema['format']})" if "format" in schema else text
