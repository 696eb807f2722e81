"""The mock's memory: the resources it created, by id, with their unique values per scope; bounded in
size and safe to share.

What a resource is, what identifies it, where it lives and what is unique there, the spec says
(``x-phone-contract-resource``); the store only keeps them and keeps those promises, atomically.
"""

from __future__ import annotations

import itertools
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from phone_contract._spec import Resource

# Enough for any test run or a day of offline development; a resource is a few kilobytes, so ~60 MB.
DEFAULT_CAPACITY = 20_000


class NotFound(Exception):
    """An update named an id that is no resource of its scope; ``str(exc)`` is the id."""


class Conflict(Exception):
    """A unique value is taken in the scope; ``str(exc)`` names the value."""


class Repeated(Exception):
    """One request named the same id twice; ``str(exc)`` is the id."""


class ResourceStore:
    """Resources of one kind. When full, the oldest is forgotten, so every answer stays in the spec.

    Refusing new resources when full would need a status the spec does not document (507); forgetting
    the oldest only means that a long-forgotten number is created again, or unknown to an update.
    """

    def __init__(self, resource: Resource, capacity: int = DEFAULT_CAPACITY) -> None:
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, not {capacity}")
        self.capacity = capacity
        self._resource = resource
        self._items: OrderedDict[Any, dict[str, Any]] = OrderedDict()
        self._keys: dict[tuple[Any, ...], Any] = {}
        # For a resource the spec gives no id: a key of the store's own.
        self._serial = itertools.count()
        # The event loop alone would make each change atomic, but an embedded app may be driven from
        # several threads (one event loop each), so every check-and-change holds a real lock.
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._items)

    def create(self, resource: dict[str, Any]) -> None:
        """Keep a new resource; Conflict if one of its scope has its unique values."""
        key = self._resource.key(resource)
        with self._lock:
            if key is not None and key in self._keys:
                raise Conflict(self._shown(resource))
            ident = self._id(resource)
            self._items[ident] = resource
            if key is not None:
                self._keys[key] = ident
            while len(self._items) > self.capacity:
                _, oldest = self._items.popitem(last=False)
                self._keys.pop(self._resource.key(oldest) or (), None)

    def update(
        self,
        scope: Any,
        items: Sequence[Mapping[str, Any]],
        build: Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]],
        *,
        unique: bool = True,
    ) -> list[dict[str, Any]]:
        """All or nothing: each item's resource of ``scope`` rebuilt by ``build(stored, item)``, in order.

        NotFound, Repeated or Conflict (and nothing changed) when one item cannot be applied;
        ``unique=False`` lets unique values be taken twice (the accept-duplicate fault).
        """
        with self._lock:
            stored, updated = self._planned(scope, items, build, unique=unique)
            keys = [self._resource.key(new) for new in updated]
            idents = [self._id(old) for old in stored]
            for old in stored:
                self._keys.pop(self._resource.key(old) or (), None)
            for ident, new, key in zip(idents, updated, keys, strict=True):
                self._items[ident] = new
                if key is not None:
                    self._keys.setdefault(key, ident)
            return updated

    def preview(
        self,
        scope: Any,
        items: Sequence[Mapping[str, Any]],
        build: Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]],
        *,
        unique: bool = True,
    ) -> list[dict[str, Any]]:
        """What :meth:`update` would answer, storing nothing (the update-forgets fault)."""
        with self._lock:
            return self._planned(scope, items, build, unique=unique)[1]

    def _planned(
        self,
        scope: Any,
        items: Sequence[Mapping[str, Any]],
        build: Callable[[dict[str, Any], Mapping[str, Any]], dict[str, Any]],
        *,
        unique: bool,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Under the lock: the resources ``items`` address and what each becomes, or NotFound,
        Repeated or Conflict when one item cannot be applied."""
        stored = self._addressed(scope, items)
        updated = [build(old, item) for old, item in zip(stored, items, strict=True)]
        if unique:
            keys = [self._resource.key(new) for new in updated]
            self._check_unique([self._id(old) for old in stored], updated, keys)
        return stored, updated

    def knows(self, scope: Any, item: Mapping[str, Any]) -> bool:
        """Whether ``item`` names a resource of ``scope``."""
        ident = item.get(self._resource.id or "")
        found = self._items.get(ident) if _hashable(ident) else None
        return found is not None and self._in_scope(found, self._resource.scope_key(scope))

    def in_scope(self, scope: Any) -> list[dict[str, Any]]:
        """Every resource of ``scope`` (all of them when the spec names no scope), oldest first."""
        with self._lock:
            wanted = self._resource.scope_key(scope)
            return [item for item in self._items.values() if self._in_scope(item, wanted)]

    def _addressed(self, scope: Any, items: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        """The stored resource each item names, in order; NotFound or Repeated (under the lock)."""
        name = self._resource.id or ""
        # The request's scope as compared, once for all its items.
        wanted = self._resource.scope_key(scope)
        stored: list[dict[str, Any]] = []
        for item in items:
            ident = item.get(name)
            found = self._items.get(ident) if _hashable(ident) else None
            if found is None or not self._in_scope(found, wanted):
                raise NotFound(str(ident))
            if any(other is found for other in stored):
                raise Repeated(str(ident))
            stored.append(found)
        return stored

    def _check_unique(
        self,
        mine: Sequence[Any],
        new: Sequence[dict[str, Any]],
        keys: Sequence[tuple[Any, ...] | None],
    ) -> None:
        """Conflict when a new resource's unique values (``keys``) are taken by a resource other than
        the ones being changed (ids ``mine``), or by another new one."""
        changing = set(mine)
        taken: set[tuple[Any, ...]] = set()
        for resource, key in zip(new, keys, strict=True):
            if key is None:
                continue
            holder = self._keys.get(key)
            if key in taken or (holder is not None and holder not in changing):
                raise Conflict(self._shown(resource))
            taken.add(key)

    def _in_scope(self, resource: Mapping[str, Any], wanted: Any) -> bool:
        """Whether ``resource`` lives in the scope ``wanted`` (as :meth:`Resource.scope_key` gives it)."""
        name = self._resource.scope
        if name is None or wanted is None:
            return True  # the spec names no scope, or the request none: every resource is in it
        return bool(self._resource.scope_key(resource.get(name)) == wanted)

    def _id(self, resource: Mapping[str, Any]) -> Any:
        ident = resource.get(self._resource.id) if self._resource.id else None
        return ident if ident is not None and _hashable(ident) else ("serial", next(self._serial))

    def _shown(self, resource: Mapping[str, Any]) -> str:
        return ", ".join(str(resource.get(name)) for name in self._resource.unique)


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool)
