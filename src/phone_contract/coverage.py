"""How much of the spec a set of exchanges exercised, as Optic reported it: per operation, counts, and
what was never seen.

``coverage(spec, exchanges)`` takes the spec model and recorded exchanges (``phone_contract.har``): `learn`
prints it for its evidence, the gate for the exchanges its run recorded (``--har``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from phone_contract._spec import JSON, Operation, Spec, properties_of
from phone_contract.har import Exchange

# Deep enough for the project's schemas; a recursive schema stops here instead of looping.
_MAX_DEPTH = 12
_SHOWN = 12
# A body that is not JSON, told apart from a JSON null.
NOT_JSON: Any = object()


def parse_json(body: bytes) -> Any:
    if not body:
        return NOT_JSON
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return NOT_JSON


def on_path(operation: Operation, exchange: Exchange) -> bool:
    """Whether the exchange went to the operation's path, bare or under the spec's server path
    (``/api/v2/phone-numbers``). A request the app sent to another path that merely ends the same way
    (``/api/v2/api/v2/phone-numbers``, a base URL given twice) is not the operation's evidence."""
    path = urlsplit(exchange.url).path.rstrip("/") or "/"
    base = operation.spec.base_path
    relative = path[len(base) :] if base and path.startswith(base + "/") else None
    return any(operation.matches(operation.method, candidate) for candidate in (path, relative) if candidate)


def of_operation(operation: Operation, exchange: Exchange) -> bool:
    return on_path(operation, exchange) and exchange.method.lower() == operation.method


@dataclass(frozen=True)
class Tally:
    """One kind of thing the spec documents: which were seen and which never were."""

    name: str
    seen: tuple[str, ...]
    unseen: tuple[str, ...]

    @property
    def total(self) -> int:
        return len(self.seen) + len(self.unseen)

    def line(self) -> str:
        percent = f" ({100 * len(self.seen) // self.total}%)" if self.total else ""
        text = f"{self.name}: {len(self.seen)} of {self.total}{percent}"
        if self.unseen:
            shown = ", ".join(self.unseen[:_SHOWN])
            more = f" and {len(self.unseen) - _SHOWN} more" if len(self.unseen) > _SHOWN else ""
            text += f"; never seen: {shown}{more}"
        return text


@dataclass(frozen=True)
class Coverage:
    """What one operation's exchanges exercised."""

    label: str
    exchanges: int
    tallies: tuple[Tally, ...]

    def lines(self) -> list[str]:
        head = f"Coverage of {self.label} by {self.exchanges} exchange(s):"
        return [head, *(f"  {tally.line()}" for tally in self.tallies)]


@dataclass(frozen=True)
class SpecCoverage:
    """What the exchanges exercised of every operation of the spec."""

    operations: tuple[Coverage, ...]

    @property
    def exchanges(self) -> int:
        return sum(operation.exchanges for operation in self.operations)

    @property
    def label(self) -> str:
        return ", ".join(operation.label for operation in self.operations)

    def lines(self) -> list[str]:
        return [line for operation in self.operations for line in operation.lines()]


def coverage(spec: Spec, exchanges: Sequence[Exchange]) -> SpecCoverage:
    """What of each operation ``exchanges`` exercised: statuses, fields both ways, enum values."""
    return SpecCoverage(tuple(operation_coverage(operation, exchanges) for operation in spec.operations))


def operation_coverage(operation: Operation, exchanges: Sequence[Exchange]) -> Coverage:
    """What of ``operation`` the exchanges exercised: statuses, fields both ways, enum values."""
    mine = [exchange for exchange in exchanges if of_operation(operation, exchange)]
    statuses: set[str] = set()
    response_seen: set[str] = set()
    for exchange in mine:
        response = operation.response_for(exchange.status) if exchange.status else None
        if response is None:
            continue
        statuses.add(response.key)
        body = parse_json(exchange.response_body)
        if body is not NOT_JSON:
            response_seen |= {f"{response.key} {path}" for path in _value_paths(body, "$")}
    response_fields = [
        f"{key} {path}"
        for key, response in sorted(operation.responses.items())
        for path, _ in _schema_paths(response.schema(JSON), "$", 0)
    ]
    sent = [parse_json(exchange.request_body) for exchange in mine]
    sent_paths: set[str] = set()
    sent_values: set[str] = set()
    for body in sent:
        if body is not NOT_JSON:
            for path, value in _value_items(body, "$"):
                sent_paths.add(path)
                sent_values.add(f"{path}={json.dumps(value)}")
    request_fields = list(_schema_paths(operation.request_schema(), "$", 0))
    enum_values = [
        (path, value)
        for path, schema in request_fields
        for value in (schema.get("enum") or [])
        if isinstance(schema, Mapping)
    ]
    return Coverage(
        label=operation.label,
        exchanges=len(mine),
        tallies=(
            _tally("documented statuses", operation.documented_statuses, statuses.__contains__),
            _tally("response fields", response_fields, response_seen.__contains__),
            _tally("request fields sent", [path for path, _ in request_fields], sent_paths.__contains__),
            _tally(
                "request enum values sent",
                [f"{path}={json.dumps(value)}" for path, value in enum_values],
                sent_values.__contains__,
            ),
        ),
    )


def _tally(name: str, documented: Sequence[str], seen: Any) -> Tally:
    unique = list(dict.fromkeys(documented))
    return Tally(
        name,
        tuple(item for item in unique if seen(item)),
        tuple(item for item in unique if not seen(item)),
    )


def _schema_paths(schema: Any, path: str, depth: int) -> Iterator[tuple[str, Any]]:
    """Every field path a schema documents, list items as ``[]``: ``$.config.sipOutbound.headers[].key``."""
    if not isinstance(schema, Mapping) or depth > _MAX_DEPTH:
        return
    for name, child in properties_of(schema).items():
        child_path = f"{path}.{name}"
        yield child_path, child
        yield from _schema_paths(child, child_path, depth + 1)
    items = schema.get("items")
    if isinstance(items, Mapping):
        yield from _schema_paths(items, f"{path}[]", depth + 1)


def _value_items(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            child = f"{path}.{key}"
            yield child, item
            yield from _value_items(item, child)
    elif isinstance(value, list):
        for item in value:
            yield from _value_items(item, f"{path}[]")


def _value_paths(value: Any, path: str) -> Iterator[str]:
    return (child for child, _ in _value_items(value, path))
