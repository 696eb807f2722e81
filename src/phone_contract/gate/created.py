"""The numbers a run created, so the user can release them: counted, and written as JSON lines.

Against a live API every created number may cost money until it is released. The door sees every
answer, so it notes each create answered 2xx (from the created resource in the body, or from the
request where the body does not say) and each create whose answer was lost but that the API then
said already exists.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# What identifies a number for releasing it; the JSON names the API uses.
FIELDS = ("id", "number", "workspaceId")


@dataclass
class CreatedNumbers:
    """Every number created in one run, in order."""

    # Where the success body holds the created resource (``Operation.created_path``).
    created_path: tuple[str, ...] = ()
    items: list[dict[str, Any]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.items)

    def from_answer(self, answer: bytes, sent: bytes) -> None:
        """A create answered 2xx: the resource in ``answer``, else what ``sent`` asked for."""
        resource = _at(_json(answer), self.created_path)
        request = _json(sent)
        item = {
            name: _field(resource, name) if _field(resource, name) is not None else _field(request, name)
            for name in FIELDS
        }
        self.items.append(item)

    def from_request(self, sent: bytes, note: str) -> None:
        """A create the API made without its answer reaching the gate: what was sent, and why."""
        request = _json(sent)
        self.items.append({name: _field(request, name) for name in FIELDS} | {"note": note})

    def write(self, path: Path) -> None:
        # ASCII: a generated number may hold a line separator (U+2028) that line readers split on.
        lines = [json.dumps(item) + "\n" for item in self.items]
        path.write_text("".join(lines), encoding="utf-8")


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def _at(document: Any, path: tuple[str, ...]) -> Any:
    for part in path:
        document = document.get(part) if isinstance(document, dict) else None
    return document


def _field(document: Any, name: str) -> Any:
    if not isinstance(document, dict):
        return None
    value = document.get(name)
    return value if isinstance(value, str | int) else None
