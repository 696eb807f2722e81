"""Every kind of change the diff reports, and how it classes it for clients and for servers.

The classes follow the direction of the data. Whoever *receives* data is broken when what may
arrive widens; whoever *sends* it is broken when what is accepted narrows. In a request the
client sends and the server receives; in a response it is the other way round. A change that is
neither a widening nor a narrowing (``string`` becomes ``integer``) breaks both.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Effect(StrEnum):
    BREAKING = "breaking"
    COMPATIBLE = "compatible"


class Side(StrEnum):
    """Which way the data flows: the client sends requests and receives responses."""

    REQUEST = "request"
    RESPONSE = "response"


B, C = Effect.BREAKING, Effect.COMPATIBLE


@dataclass(frozen=True)
class Rule:
    """One kind of change. ``additive``: changes the contract without breaking clients (minor bump)."""

    id: str
    client: Effect
    server: Effect
    additive: bool
    why: str


def _rule(rule_id: str, client: Effect, server: Effect, why: str, *, additive: bool = True) -> Rule:
    return Rule(rule_id, client, server, additive, why)


# Aspects of a schema that can widen or narrow, and whether they can also change incomparably.
ASPECTS: dict[str, bool] = {
    "type": True,
    "enum": True,
    "length": False,
    "range": True,
    "format": True,
    "pattern": True,
    "additional-properties": False,
    "composition": False,
}


def _directional_rules() -> list[Rule]:
    rules: list[Rule] = []
    for side in Side:
        receiver_is_client = side is Side.RESPONSE
        for aspect, can_change in ASPECTS.items():
            # Widening breaks the receiver, narrowing breaks the sender.
            widened = (B, C) if receiver_is_client else (C, B)
            narrowed = (C, B) if receiver_is_client else (B, C)
            who_recv = "clients" if receiver_is_client else "servers"
            who_send = "servers" if receiver_is_client else "clients"
            rules.append(
                _rule(f"{side}-{aspect}-widened", *widened, f"{who_recv} receive values they never saw")
            )
            rules.append(
                _rule(f"{side}-{aspect}-narrowed", *narrowed, f"{who_send} may send values now refused")
            )
            if can_change:
                rules.append(_rule(f"{side}-{aspect}-changed", B, B, "neither wider nor narrower"))
    return rules


_RULES: list[Rule] = [
    _rule("operation-added", C, B, "servers must implement it"),
    _rule("operation-removed", B, C, "clients that call it fail"),
    _rule("security-alternative-added", C, B, "servers must accept the new credentials"),
    _rule("security-alternative-removed", B, C, "clients that authenticate that way are refused"),
    _rule("security-scheme-changed", B, B, "credentials change form on both ends"),
    _rule("parameter-added", C, B, "servers must handle it"),
    _rule("parameter-added-required", B, C, "clients that do not send it are refused"),
    _rule("parameter-removed", B, C, "the client loses the argument; servers ignore it"),
    _rule("parameter-became-required", B, C, "clients that omit it are refused"),
    _rule("parameter-became-optional", C, B, "servers must cope without it"),
    _rule("request-body-became-required", B, C, "clients that send no body are refused"),
    _rule("request-body-became-optional", C, B, "servers must cope without a body"),
    _rule("request-media-type-added", C, B, "servers must accept the new format"),
    _rule("request-media-type-removed", B, C, "clients that send that format are refused"),
    # A response format is what the client parses: a new one is unknown to it, a removed one takes
    # away the body it reads. Servers keep conforming either way.
    _rule("response-media-type-added", B, C, "clients meet a body they cannot parse"),
    _rule("response-media-type-removed", B, C, "clients lose the body they parse"),
    _rule("response-status-added", B, C, "clients meet a status they do not handle"),
    _rule("response-status-removed", C, B, "servers that still answer it break the spec"),
    _rule("request-property-added", C, B, "servers must accept the new field"),
    _rule("request-property-added-required", B, C, "clients that do not send it are refused"),
    _rule("request-property-removed", B, C, "clients that send it are refused or lose the attribute"),
    _rule("request-property-became-required", B, C, "clients that omit it are refused"),
    _rule("request-property-became-optional", C, B, "servers must cope without it"),
    _rule("response-property-added", C, C, "clients see a new optional attribute"),
    _rule("response-property-added-required", C, B, "servers must now send it"),
    _rule("response-property-removed", B, C, "clients that read it get nothing"),
    _rule("response-property-became-optional", B, C, "clients that rely on it may get nothing"),
    _rule("response-property-became-required", C, B, "servers must now always send it"),
    _rule("ref-renamed", C, C, "same data under another schema name", additive=False),
    # What the spec's x-phone-contract extensions say the operation does (docs/spec-extensions.md).
    _rule("semantics-changed", B, B, "what the operation does, or how it names a resource, changed"),
    _rule("echo-added", C, B, "servers must now answer with the sent value"),
    _rule("echo-removed", B, C, "clients that read back what they sent may get something else"),
    _rule("unique-added", B, B, "requests accepted before may be refused; servers must refuse them"),
    _rule("unique-removed", B, C, "clients that rely on a duplicate being refused get a second one"),
    *_directional_rules(),
]

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
