"""Compare two schemas that sit at the same place, one keyword family at a time.

Each check names what it found as widened, narrowed or changed; :mod:`..rules` turns that into
breaking or compatible according to the side (request or response) the schema is on. The schemas
are the contract's (refs resolved, allOf wrappers merged); the spec model says which named schema
each one was written as, which is how renames are seen and recursion is stopped.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from phone_contract._spec import Spec
from phone_contract.diff.rules import Side

Node = Mapping[str, Any]
# (rule id, JSON path, message)
Emit = Callable[[str, str, str], None]
# The pairs of named schemas (their $ref targets) being compared above the current place.
Stack = tuple[tuple[str | None, str | None], ...]

_LENGTH_LOWER = ("minLength", "minItems", "minProperties")
_LENGTH_UPPER = ("maxLength", "maxItems", "maxProperties")
_RANGE_LOWER = ("minimum", "exclusiveMinimum")
_RANGE_UPPER = ("maximum", "exclusiveMaximum")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _show(value: Any) -> str:
    return "none" if value is None else json.dumps(value)


def _member(path: str, name: str) -> str:
    return f"{path}.{name}" if _IDENTIFIER.match(name) else f"{path}[{json.dumps(name)}]"


def _types(schema: Node) -> frozenset[str] | None:
    """The JSON types a schema admits; None when it does not say (any type)."""
    declared = schema.get("type")
    if declared is None:
        return None
    types = {declared} if isinstance(declared, str) else set(declared)
    if schema.get("nullable") is True:  # OpenAPI 3.0 spelling of "or null"
        types.add("null")
    if "number" in types:  # every integer is a number
        types.add("integer")
    return frozenset(types)


def _show_types(types: frozenset[str] | None) -> str:
    if types is None:
        return "any"
    implied = {"integer"} if "number" in types else set()
    return " | ".join(sorted(types - implied))


def _values(schema: Node) -> set[str] | None:
    """The allowed values (``enum``, or ``const`` as an enum of one), canonical JSON; None if any."""
    if "enum" in schema:
        return {json.dumps(value, sort_keys=True) for value in schema["enum"]}
    if "const" in schema:
        return {json.dumps(schema["const"], sort_keys=True)}
    return None


def _set_direction(old: frozenset[str] | set[str] | None, new: frozenset[str] | set[str] | None) -> str:
    """widened / narrowed / changed / "" between two value sets where None means unrestricted."""
    if old == new:
        return ""
    if new is None:
        return "widened"
    if old is None:
        return "narrowed"
    if new > old:
        return "widened"
    return "narrowed" if new < old else "changed"


@dataclass(frozen=True)
class SchemaWalk:
    old: Spec
    new: Spec
    side: Side
    emit: Emit

    def _directed(self, aspect: str, direction: str, path: str, message: str) -> None:
        if direction:
            self.emit(f"{self.side}-{aspect}-{direction}", path, message)

    def compare(self, old: Any, new: Any, path: str = "$", stack: Stack = ()) -> None:
        # A boolean schema has none of the keywords compared here: it reads as {}.
        old, new = (schema if isinstance(schema, Mapping) else {} for schema in (old, new))
        before, after = self.old.reference(old), self.new.reference(new)
        if before is not None or after is not None:
            # Recursive schemas: a pair of places already being compared higher up is not entered again.
            key = (before.target if before else None, after.target if after else None)
            if key in stack:
                return
            stack = (*stack, key)
            if before is not None and after is not None and before.name != after.name:
                self.emit(
                    "ref-renamed",
                    path,
                    f"schema {before.name} is now {after.name}, and so is its generated model class",
                )
        o, n = self.old.follow(old), self.new.follow(new)
        self._type(o, n, path)
        self._enum(o, n, path)
        self._bounds(o, n, path)
        self._text_keyword("format", o, n, path)
        self._text_keyword("pattern", o, n, path)
        self._properties(o, n, path, stack)
        self._additional(o, n, path, stack)
        if "items" in o or "items" in n:
            self.compare(o.get("items", {}), n.get("items", {}), f"{path}[*]", stack)
        self._composition(o, n, path, stack)

    def _type(self, o: Node, n: Node, path: str) -> None:
        before, after = _types(o), _types(n)
        message = f"type {_show_types(before)} -> {_show_types(after)}"
        self._directed("type", _set_direction(before, after), path, message)

    def _enum(self, o: Node, n: Node, path: str) -> None:
        before, after = _values(o), _values(n)
        direction = _set_direction(before, after)
        if not direction:
            return
        if before is not None and after is not None:
            gained, lost = sorted(after - before), sorted(before - after)
            bits = [
                f"gains {', '.join(gained)}" if gained else "",
                f"loses {', '.join(lost)}" if lost else "",
            ]
            message = "enum " + " and ".join(bit for bit in bits if bit)
        else:
            message = "values are now restricted to an enum" if after is not None else "the enum is gone"
        self._directed("enum", direction, path, message)

    def _bounds(self, o: Node, n: Node, path: str) -> None:
        for aspect, lower, upper in (
            ("length", _LENGTH_LOWER, _LENGTH_UPPER),
            ("range", _RANGE_LOWER, _RANGE_UPPER),
        ):
            for keyword in (*lower, *upper):
                a, b = o.get(keyword), n.get(keyword)
                if a == b or isinstance(a, bool) or isinstance(b, bool):
                    continue
                is_lower = keyword in lower
                unset = (0 if aspect == "length" else -math.inf) if is_lower else math.inf
                old_bound, new_bound = unset if a is None else a, unset if b is None else b
                tighter = new_bound > old_bound if is_lower else new_bound < old_bound
                self._directed(
                    aspect, "narrowed" if tighter else "widened", path, f"{keyword} {_show(a)} -> {_show(b)}"
                )
        self._multiple_of(o.get("multipleOf"), n.get("multipleOf"), path)

    def _multiple_of(self, a: Any, b: Any, path: str) -> None:
        if a == b:
            return
        if a is None or b is None:
            direction = "narrowed" if a is None else "widened"
        else:
            ratio = Fraction(str(b)) / Fraction(str(a))
            # Multiples of 4 are all multiples of 2: a new step that the old one divides narrows.
            direction = (
                "narrowed" if ratio.denominator == 1 else "widened" if ratio.numerator == 1 else "changed"
            )
        self._directed("range", direction, path, f"multipleOf {_show(a)} -> {_show(b)}")

    def _text_keyword(self, keyword: str, o: Node, n: Node, path: str) -> None:
        a, b = o.get(keyword), n.get(keyword)
        if a == b:
            return
        direction = "narrowed" if a is None else "widened" if b is None else "changed"
        self._directed(keyword, direction, path, f"{keyword} {_show(a)} -> {_show(b)}")

    def _properties(self, o: Node, n: Node, path: str, stack: Stack) -> None:
        old_props: Node = o.get("properties") or {}
        new_props: Node = n.get("properties") or {}
        old_req, new_req = set(o.get("required") or ()), set(n.get("required") or ())
        side = self.side
        for name in sorted(set(old_props) | set(new_props) | old_req | new_req):
            where = _member(path, name)
            in_old = name in old_props or name in old_req
            in_new = name in new_props or name in new_req
            if not in_new:
                kind = "required" if name in old_req else "optional"
                closed = o.get("additionalProperties") is False and side is Side.REQUEST
                detail = " from a closed body" if closed else ""
                self.emit(f"{side}-property-removed", where, f"{kind} field {name!r} removed{detail}")
            elif not in_old:
                required = name in new_req
                self.emit(
                    f"{side}-property-added-required" if required else f"{side}-property-added",
                    where,
                    f"new {'required' if required else 'optional'} field {name!r}",
                )
            else:
                if name in new_req and name not in old_req:
                    self.emit(f"{side}-property-became-required", where, f"field {name!r} is now required")
                elif name in old_req and name not in new_req:
                    self.emit(
                        f"{side}-property-became-optional", where, f"field {name!r} is no longer required"
                    )
                self.compare(old_props.get(name, {}), new_props.get(name, {}), where, stack)

    def _additional(self, o: Node, n: Node, path: str, stack: Stack) -> None:
        a, b = o.get("additionalProperties", True), n.get("additionalProperties", True)
        if isinstance(a, dict) and isinstance(b, dict) and a and b:
            self.compare(a, b, f"{path}.*", stack)
            return

        def openness(value: Any) -> int:
            # Closed < open with a schema < open to anything ({} is the same as true).
            return 0 if value is False else 1 if isinstance(value, dict) and value else 2

        before, after = openness(a), openness(b)
        if before != after:
            direction = "widened" if after > before else "narrowed"
            message = f"additionalProperties {_show(a)} -> {_show(b)}"
            self._directed("additional-properties", direction, path, message)

    def _composition(self, o: Node, n: Node, path: str, stack: Stack) -> None:
        # Branches are paired by position: a reordered oneOf shows as changes inside its branches.
        for keyword in ("anyOf", "oneOf", "allOf"):
            a, b = o.get(keyword) or [], n.get(keyword) or []
            for index, (x, y) in enumerate(zip(a, b, strict=False)):
                self.compare(x, y, f"{path}({keyword}[{index}])", stack)
            if len(a) == len(b):
                continue
            if keyword == "allOf":
                narrowed = len(b) > len(a)  # every allOf branch is one more constraint
            elif not a or not b:
                narrowed = not a  # an anyOf/oneOf appearing adds a constraint, disappearing drops it
            else:
                narrowed = len(b) < len(a)  # fewer alternatives
            direction = "narrowed" if narrowed else "widened"
            message = f"{keyword} has {len(b)} branches, had {len(a)}"
            self._directed("composition", direction, path, message)
