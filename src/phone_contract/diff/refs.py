"""Follow local ``$ref`` pointers of one spec, naming the schema each one lands on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from phone_contract._spec import SpecError

Node = dict[str, Any]


@dataclass(frozen=True)
class Resolved:
    node: Node
    # The pointer written at this place (``#/components/schemas/PhoneNumber``), None when inline.
    ref: str | None


@dataclass(frozen=True)
class Resolver:
    document: dict[str, Any]
    origin: str

    def lookup(self, pointer: str) -> Any:
        if not pointer.startswith("#"):
            raise SpecError(f"spec {self.origin}: only local $ref are supported, not {pointer!r}")
        node: Any = self.document
        for raw in pointer[1:].split("/")[1:]:
            key = raw.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and key.isdigit() and int(key) < len(node):
                node = node[int(key)]
            elif isinstance(node, dict) and key in node:
                node = node[key]
            else:
                raise SpecError(f"spec {self.origin}: $ref {pointer!r} points nowhere")
        return node

    def resolve(self, node: Any) -> Resolved:
        """``node`` with its ``$ref`` chain followed; siblings of a ``$ref`` override the target (3.1)."""
        if not isinstance(node, dict):
            return Resolved({}, None)
        first: str | None = None
        seen: set[str] = set()
        siblings: Node = {}
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            pointer = node["$ref"]
            if pointer in seen:
                raise SpecError(f"spec {self.origin}: $ref {pointer!r} refers to itself")
            seen.add(pointer)
            first = first or pointer
            siblings = {**{k: v for k, v in node.items() if k != "$ref"}, **siblings}
            node = self.lookup(pointer)
        if not isinstance(node, dict):
            return Resolved({}, first)
        return Resolved({**node, **siblings} if siblings else node, first)


def short_name(pointer: str | None) -> str:
    return "inline" if pointer is None else pointer.rsplit("/", 1)[-1]
