"""The resources a run created, so the user can release them: counted, and written as JSON lines.

Against a live API every created number may cost money until it is released. The door sees every
answer, so it notes each create answered 2xx (from the created resource in the body, or from the
request where the body does not say) and each create whose answer was lost but that the API then
said already exists. What identifies a resource (its id, its scope, its unique fields) the spec says.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from phone_contract._spec import Operation, Resource


@dataclass
class CreatedResources:
    """Every resource created in one run, in order."""

    items: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    def from_answer(self, operation: Operation, resources: list[Mapping[str, Any]], sent: bytes) -> None:
        """A create answered 2xx: its resources, else what ``sent`` asked for."""
        resource = operation.semantics.resource
        if resource is None:
            return
        request = _json(sent)
        for found in resources or [{}]:
            self.items.append(
                {
                    name: _field(found, name) if _field(found, name) is not None else _field(request, name)
                    for name in _identifying(resource)
                }
            )

    def from_request(self, operation: Operation, sent: bytes, note: str) -> None:
        """A create the API made without its answer reaching the gate: what was sent, and why."""
        resource = operation.semantics.resource
        if resource is None:
            return
        request = _json(sent)
        self.items.append({name: _field(request, name) for name in _identifying(resource)} | {"note": note})

    def write(self, path: Path) -> None:
        # ASCII: a generated value may hold a line separator (U+2028) that line readers split on.
        lines = [json.dumps(item) + "\n" for item in self.items]
        path.write_text("".join(lines), encoding="utf-8")


def _identifying(resource: Resource) -> list[str]:
    """What identifies a resource for releasing it: its id, its scope, its unique fields."""
    names = [resource.id, resource.scope, *resource.unique]
    return list(dict.fromkeys(name for name in names if name is not None))


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def _field(document: Any, name: str) -> Any:
    if not isinstance(document, Mapping):
        return None
    value = document.get(name)
    return value if isinstance(value, str | int) else None
