"""The mock's memory: which numbers exist in which workspace, bounded in size and safe to share."""

from __future__ import annotations

import threading
from collections import OrderedDict

# Enough for any test run or a day of offline development, small enough (~20 MB) to never matter.
DEFAULT_CAPACITY = 100_000


class NumberStore:
    """Numbers per workspace. When full, the oldest number is forgotten, so every answer stays in the spec.

    Refusing new numbers when full would need a status the spec does not document (507); forgetting the
    oldest only means that re-creating a long-forgotten number answers 201 instead of 409.
    """

    def __init__(self, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._keys: OrderedDict[tuple[str, str], None] = OrderedDict()
        # The event loop alone would make add() atomic, but an embedded app may be driven from
        # several threads (one event loop each), so the check-and-insert holds a real lock.
        self._lock = threading.Lock()

    def add(self, workspace_id: str, number: str) -> bool:
        """Remember ``number`` in ``workspace_id``; False if it was already there (a duplicate)."""
        # UUIDs are case-insensitive (RFC 9562); numbers are compared exactly as sent.
        key = (workspace_id.lower(), number)
        with self._lock:
            if key in self._keys:
                return False
            self._keys[key] = None
            if len(self._keys) > self.capacity:
                self._keys.popitem(last=False)
            return True

    def __contains__(self, key: tuple[str, str]) -> bool:
        workspace_id, number = key
        with self._lock:
            return (workspace_id.lower(), number) in self._keys

    def __len__(self) -> int:
        return len(self._keys)
