"""What the run owns, and the rule every request that could change state is held to.

On a live API the gate changes only what it created in the same run. So:

- every id an update addresses is one the run created (seen in a create's answer through the door),
  or one minted here so that it cannot exist (shaped like the spec's example id, random within it);
- a write the spec says nothing of (an operation of role ``other``, or a method the spec does not
  document on the path) is sent only when it addresses nothing: no body, no parameters;
- creates are new by definition; the write budget counts them.

:meth:`Ownership.address` rewrites a case before it is sent so that it keeps the rule (and so that
valid updates find the run's resources); :meth:`Ownership.foreign` is the door's last check, which
refuses any request that still breaks it, whichever check or probe sent it.
"""

from __future__ import annotations

import json
import random
import re
import string
import threading
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from phone_contract._spec import Operation, Resource, Role, Spec, properties_of


class Ownership:
    """The resources this run created (id -> scope), the ids it minted, and the rule above."""

    def __init__(self, spec: Spec, *, seed: int | None = None, lane: Callable[[], str] | None = None) -> None:
        self.spec = spec
        # Minted ids: drawn from the seed against the mock, one stream per lane (``lane`` names the
        # caller's), so a seed repeats its requests whatever ran beside them; at random against a
        # live API.
        self._seed = seed
        self._lane = lane or (lambda: "")
        self._rngs: dict[str, random.Random] = {}
        self._random = random.SystemRandom()
        # Every resource the run created (id -> scope), and the same by the lane that created it: the
        # lanes (gate.lanes) run at once, so each keeps its own order.
        self._owned: dict[Any, Any] = {}
        self._by_lane: dict[str, dict[Any, Any]] = {}
        # The lane whose resources requests are addressed to (the run's seed resources, see
        # GateSession.seed_resources); None: any of the run's own.
        self.pool_lane: str | None = None
        self._minted: set[Any] = set()
        # What the fingerprint sees instead of each value the run picked for itself or was given by
        # the API (ids, minted ids, fresh scopes, unique values): a label naming the lane and its
        # place there. Replaced whole, never changed in place: the door reads it while lanes write.
        self._stand_ins: dict[Any, str] = {}
        self._counts: dict[tuple[str, str], int] = {}
        # The lanes' threads and the door's name values at once.
        self._naming = threading.Lock()
        self._id_names = frozenset(name for resource in _resources(spec) if (name := resource.id) is not None)
        # An id as the spec's own answers show one: minted ids take its shape.
        self._example_ids = {name: _example_id(spec, name) for name in self._id_names}

    # --- what the run owns -------------------------------------------------------------------------

    def note_answer(self, operation: Operation, body: bytes, lane: str = "") -> list[Mapping[str, Any]]:
        """A create's 2xx answer (sent by ``lane``): its resources are the run's from now on; returns them."""
        semantics, resource = operation.semantics, operation.semantics.resource
        if semantics.role is not Role.CREATE or resource is None or resource.id is None:
            return []
        found = semantics.resources_in(_json(body)) or []
        for item in found:
            ident = item.get(resource.id)
            if _hashable(ident):
                scope = resource.scope_key(item.get(resource.scope)) if resource.scope else None
                # Copied, never changed in place: other lanes read them while this one writes.
                self._owned = {**self._owned, ident: scope}
                self._by_lane[lane] = {**self._by_lane.get(lane, {}), ident: scope}
                self.stands_for(ident, "own", lane)
        return found

    def stands_for(self, value: Any, kind: str, lane: str | None = None, label: str | None = None) -> None:
        """From now on the fingerprint sees ``value`` (a string or an integer the run did not draw
        from its seed: an id the API picked, an id, scope or unique value made with the run's random
        nonce) as ``label``, by default its ``kind``, the lane it came from and its place in that
        lane's order. So a seed's fingerprint is the same from run to run, on the mock or a live API,
        with one worker or eight."""
        if not _hashable(value) or value == "" or (isinstance(value, int) and abs(value) < _SMALL):
            return  # a small number stands for itself: it is as likely a count or a code as an id
        lane = self._lane() if lane is None else lane
        with self._naming:
            if value in self._stand_ins:
                return
            index = self._counts.get((lane, kind), 0)
            self._counts[(lane, kind)] = index + 1
            if label is None:
                label = f"<{kind} {lane} {index}>" if lane else f"<{kind} {index}>"
            self._stand_ins = {**self._stand_ins, value: label}

    def fingerprinted(self, body: bytes) -> bytes:
        """``body`` as a run's fingerprint sees it: each value :meth:`stands_for` names, as its label.
        One pass over the JSON strings and integers; what is not JSON stays as it is."""
        stand_ins = self._stand_ins
        if not stand_ins or not body:
            return body

        def label(match: re.Match[str]) -> str:
            token = match.group()
            found = stand_ins.get(_token_value(token))
            return token if found is None else json.dumps(found)

        # surrogateescape: a body that is not UTF-8 comes back byte for byte.
        text = body.decode("utf-8", "surrogateescape")
        return _JSON_TOKEN.sub(label, text).encode("utf-8", "surrogateescape")

    def fingerprinted_path(self, path: str) -> str:
        """``path`` as the fingerprint sees it: each segment that is one of the run's own values, labelled."""
        stand_ins = self._stand_ins
        if not stand_ins:
            return path
        return "/".join(_segment_label(stand_ins, segment) for segment in path.split("/"))

    def _pool(self) -> dict[Any, Any]:
        """The resources requests are addressed to: the pool lane's, else any of the run's own."""
        if self.pool_lane is not None and self._by_lane.get(self.pool_lane):
            return self._by_lane[self.pool_lane]
        return self._owned

    def newest_scope(self) -> Any:
        """The scope of the newest resource requests are addressed to (None before there is one)."""
        pool = self._pool()
        return next(reversed(pool.values()), None) if pool else None

    def owns(self, ident: Any) -> bool:
        return _hashable(ident) and ident in self._owned

    def owned_in(self, scope: Any, resource: Resource) -> list[Any]:
        """The run's own ids in ``scope`` (all of them where the spec names no scope), oldest first."""
        key = resource.scope_key(scope)
        return [ident for ident, where in self._pool().items() if resource.scope is None or where == key]

    @property
    def _rng(self) -> random.Random:
        if self._seed is None:
            return self._random
        lane = self._lane()
        found = self._rngs.get(lane)
        if found is None:
            found = self._rngs[lane] = random.Random(f"{self._seed}/{lane}")  # noqa: S311 - to repeat
        return found

    def mint(self, resource: Resource) -> Any:
        """An id that cannot exist: the spec's example id with every letter and digit drawn anew."""
        schema = properties_of(resource.schema).get(resource.id or "")
        example = self._example_ids.get(resource.id or "")
        minted: Any
        if isinstance(schema, Mapping) and schema.get("type") == "integer":
            minted = self._rng.randrange(2**52, 2**62)
        elif isinstance(schema, Mapping) and schema.get("format") == "uuid":
            minted = "-".join(
                "".join(self._rng.choice("0123456789abcdef") for _ in range(n)) for n in (8, 4, 4, 4, 12)
            )
        else:
            minted = _redraw(example if isinstance(example, str) and len(example) >= 16 else "", self._rng)
        self._note_minted(minted)
        return minted

    def _note_minted(self, minted: Any) -> None:
        self._minted.add(minted)
        # Drawn from the seed against the mock, at random against a live API: a stand-in either way.
        self.stands_for(minted, "minted")

    # --- the rule ----------------------------------------------------------------------------------

    def address(self, operation: Operation | None, body: Any, *, own: bool = True) -> Any:
        """``body`` with every id it addresses made the run's own (``own``, while any are left in its
        scope) or minted. Where the case's scope holds none of the run's resources and the case names
        a valid scope, it is moved to the scope of the run's newest resource, so a valid update finds
        something of the run's to change."""
        if operation is None or not isinstance(body, dict | list):
            return body
        semantics, resource = operation.semantics, operation.semantics.resource
        if semantics.role is not Role.UPDATE or resource is None or resource.id is None:
            return self._mint_all(body)
        scope = semantics.scope_in(body)
        pool = self.owned_in(scope, resource) if own else []
        newest = self.newest_scope()
        if own and not pool and newest is not None and self._valid_scope(operation, resource, scope):
            assert isinstance(body, dict)
            assert resource.scope is not None
            body = {**body, resource.scope: newest}
            pool = self.owned_in(newest, resource)
        items = semantics.items_in(body)
        if items is None:
            return self._mint_all(body)
        rewritten = []
        for index, item in enumerate(items):
            if isinstance(item, dict) and _addresses(item.get(resource.id)):
                value = item[resource.id]
                own_id = pool[index] if index < len(pool) and isinstance(value, str) else None
                ident = own_id if own_id is not None else self._minted_like(value, resource)
                rest = self._mint_all({k: v for k, v in item.items() if k != resource.id})
                rewritten.append({**rest, resource.id: ident})
            else:
                rewritten.append(self._mint_all(item))
        return _with(body, semantics.items or (), rewritten)

    def _valid_scope(self, operation: Operation, resource: Resource, scope: Any) -> bool:
        """Whether ``scope`` is a value the request schema takes for the scope field: moving a case
        whose scope is what makes it invalid would make it valid."""
        schema = properties_of(operation.request_schema() or {}).get(resource.scope or "")
        return isinstance(schema, Mapping) and self.spec.validator(schema).is_valid(scope)

    def foreign(self, operation: Operation | None, method: str, body: bytes, has_query: bool) -> str | None:
        """Why a request could change something the run does not own, or None when it cannot."""
        if method.upper() in ("GET", "HEAD", "OPTIONS", "TRACE"):
            return None
        if operation is None or (operation.semantics.role is Role.OTHER and not operation.safe):
            if body.strip() or has_query or (operation is not None and "{" in operation.path):
                what = (
                    "an operation whose effect the spec does not say"
                    if operation
                    else "an undocumented method"
                )
                return f"{what}, sent with something to address"
            return None
        if operation.semantics.role is Role.CREATE:
            return None
        strangers = [
            ident for ident in self._ids_in(_json(body)) if _addresses(ident) and not self._mine(ident)
        ]
        if strangers:
            return f"it addresses {json.dumps(strangers[0], default=str)[:60]}, which the run did not create"
        return None

    def _mine(self, ident: Any) -> bool:
        return _hashable(ident) and (ident in self._owned or ident in self._minted)

    def _ids_in(self, value: Any) -> Iterator[Any]:
        """Every value under a key named as a resource's id, anywhere in ``value``: whatever shape a
        body takes, a value there may address a resource."""
        if isinstance(value, Mapping):
            for key, item in value.items():
                if key in self._id_names and not isinstance(item, Mapping | list):
                    yield item
                else:
                    yield from self._ids_in(item)
        elif isinstance(value, list):
            for item in value:
                yield from self._ids_in(item)

    def _mint_all(self, value: Any) -> Any:
        """``value`` with every id-named scalar that is not the run's own replaced by a minted one."""
        if isinstance(value, dict):
            result = {}
            for key, item in value.items():
                if key in self._id_names and _addresses(item) and not self._mine(item):
                    result[key] = self._minted_like(item, self._resource_named(key))
                else:
                    result[key] = self._mint_all(item)
            return result
        if isinstance(value, list):
            return [self._mint_all(item) for item in value]
        return value

    def _minted_like(self, value: Any, resource: Resource) -> Any:
        """A minted id of ``value``'s JSON type: a case whose id has the wrong type keeps it."""
        if isinstance(value, int):
            minted = self._rng.randrange(2**52, 2**62)
            self._note_minted(minted)
            return minted
        return self.mint(resource)

    def _resource_named(self, name: str) -> Resource:
        return next(resource for resource in _resources(self.spec) if resource.id == name)


def _resources(spec: Spec) -> list[Resource]:
    return [op.semantics.resource for op in spec.operations if op.semantics.resource is not None]


def _example_id(spec: Spec, name: str) -> Any:
    """The first id the spec's success examples show for resources whose id field is ``name``."""
    for operation in spec.operations:
        semantics, resource = operation.semantics, operation.semantics.resource
        if resource is None or resource.id != name:
            continue
        success = operation.response_for(operation.success_status)
        for example in (success.examples() if success is not None else {}).values():
            for item in semantics.resources_in(example) or []:
                if item.get(name) is not None:
                    return item[name]
    return None


def _redraw(example: str, rng: random.Random) -> str:
    """``example`` with each digit, lower- and upper-case letter drawn anew (a prefix such as ``pn_``
    before the first underscore kept): the documented shape, a value no one has."""
    if not example:
        return "absent-" + "".join(rng.choice("0123456789abcdef") for _ in range(32))
    prefix, sep, rest = example.partition("_")
    if not sep or not prefix.isalpha():
        prefix, sep, rest = "", "", example
    drawn = []
    for char in rest:
        if char.isdigit():
            drawn.append(rng.choice(string.digits))
        elif char.isupper():
            drawn.append(rng.choice(string.ascii_uppercase))
        elif char.islower():
            drawn.append(rng.choice(string.ascii_lowercase))
        else:
            drawn.append(char)
    return prefix + sep + "".join(drawn)


def _with(body: Any, path: tuple[str, ...], value: Any) -> Any:
    if not path:
        return value
    if not isinstance(body, dict):
        return body
    return {**body, path[0]: _with(body.get(path[0]), path[1:], value)}


# A JSON string (escapes included) or an integer standing alone: the values a stand-in may replace.
# (Not the digits of a fraction or of an exponent such as 1e-05.)
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|(?<![\w.+-])-?\d+(?![\w.])')
# Numbers under this are not stood in for (the ids the gate mints are far larger).
_SMALL = 2**32


def _token_value(token: str) -> Any:
    if not token.startswith('"'):
        return int(token)
    if "\\" not in token:
        return token[1:-1]
    try:
        return json.loads(token)
    except ValueError:
        return None


def _segment_label(stand_ins: Mapping[Any, str], segment: str) -> str:
    """A path segment (ASGI's path is decoded already) as the string it is, else as the number."""
    found = stand_ins.get(segment)
    if found is None and segment.isascii() and segment.isdigit():
        found = stand_ins.get(int(segment))
    return segment if found is None else found


def _json(raw: bytes) -> Any:
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return None


def _addresses(value: Any) -> bool:
    """Whether a value could name a resource: a non-empty string or a number (null, true, "" cannot)."""
    if isinstance(value, bool):
        return False
    return (isinstance(value, str) and value != "") or isinstance(value, int | float)


def _hashable(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) and not isinstance(value, bool)
