"""What a diff produces: located, classified changes and the version bump they call for."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from phone_contract.diff.rules import Effect, Rule


class Bump(IntEnum):
    """Semantic-version bumps of ``info.version``, ordered so that a bigger one covers a smaller one."""

    NONE = 0
    PATCH = 1
    MINOR = 2
    MAJOR = 3

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Change:
    """One change, located by operation, part (request, response, ...), status code and JSON path."""

    rule: Rule
    operation: str
    part: str
    message: str
    status: str | None = None
    media_type: str | None = None
    path: str = ""

    @property
    def client(self) -> Effect:
        return self.rule.client

    @property
    def server(self) -> Effect:
        return self.rule.server

    @property
    def where(self) -> str:
        bits = [self.part, self.status or "", self.media_type or "", self.path]
        return " ".join(bit for bit in bits if bit)


@dataclass(frozen=True)
class Version:
    """``info.version`` of one side, and where that side came from."""

    origin: str
    version: str


@dataclass(frozen=True)
class DiffResult:
    old: Version
    new: Version
    changes: tuple[Change, ...]
    documents_differ: bool
    # Examples of either side that no longer fit their schemas: named, never a reason not to compare.
    warnings: tuple[str, ...] = ()

    @property
    def breaks_clients(self) -> bool:
        return any(change.client is Effect.BREAKING for change in self.changes)

    @property
    def breaks_servers(self) -> bool:
        return any(change.server is Effect.BREAKING for change in self.changes)

    @property
    def required_bump(self) -> Bump:
        if self.breaks_clients:
            return Bump.MAJOR
        if any(change.rule.additive for change in self.changes):
            return Bump.MINOR
        # Renames and prose (descriptions, examples) change no data: a patch release.
        return Bump.PATCH if self.changes or self.documents_differ else Bump.NONE
