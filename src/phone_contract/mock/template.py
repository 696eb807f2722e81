"""A response schema compiled once into a tree of nodes that answer a request in a few dict builds.

Each :class:`Node` is one documented place of an answer. It knows the value the spec gives for it
(the success response's example at that place, else the property's example, default, const, first enum
value, or a realistic value of its format; see :mod:`phone_contract.mock.values`) and, for a value
sent in the request, whether it can come back as sent. A field the schema does not document is never
part of an answer; a documented one always is.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jsonschema_rs

from phone_contract._secrets import SECRET_KEYS
from phone_contract._spec import Spec, has_refs, properties_of
from phone_contract.mock.records import PASSWORD_MASK
from phone_contract.mock.values import derived, schema_type

# Keywords that describe a value without constraining it: a response leaf whose other keywords are all
# in the request's schema of the same field takes any value the (validated) request sent.
_ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "example",
        "examples",
        "default",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "externalDocs",
        "xml",
    }
)
# Deeper than any real answer; a recursive schema stops here instead of recursing forever.
_MAX_DEPTH = 12


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


class Node:
    """One documented place of an answer: its spec-derived value, and how a sent value comes back."""

    __slots__ = (
        "_spec",
        "_validator",
        "default",
        "items",
        "name",
        "properties",
        "schema",
        "secret",
        "trusted",
    )

    def __init__(self, spec: Spec, schema: Mapping[str, Any], name: str) -> None:
        self._spec = spec
        self._validator: Any = None
        self.schema = schema
        self.name = name
        self.properties: dict[str, Node] | None = None
        self.items: Node | None = None
        self.default: Any = None
        self.secret = schema.get("format") == "password" or name in SECRET_KEYS
        # Whether a value the request sent for this place is valid here without checking it again.
        self.trusted = False

    @property
    def kind(self) -> str | None:
        return schema_type(self.schema)

    def answer(self, sent: Any) -> Any:
        """The value of this place for ``sent`` (what the request holds here): as sent where that is valid
        here, with documented fields only; the spec's value where it is not."""
        children = self.properties
        if children is not None:
            if type(sent) is not dict:
                return self.default
            return {
                name: child.answer(sent[name]) if name in sent else child.default
                for name, child in children.items()
            }
        if self.secret:
            return PASSWORD_MASK if isinstance(sent, str) else self.default
        if self.items is not None:
            if type(sent) is not list:
                return self.default
            value = [self.items.answer(item) for item in sent]
            return value if self.trusted or self.accepts(value) else self.default
        if type(sent) is float and sent.is_integer() and self.kind == "integer":
            # JSON Schema counts 5060.0 as an integer; answer it as 5060 so no client sees a float.
            sent = int(sent)
        return sent if self.trusted or self.accepts(sent) else self.default

    def merged(self, stored: Any, sent: Any) -> Any:
        """What :meth:`answer` gives for ``sent`` merged into ``stored`` (objects field by field, anything
        else replaced), where ``stored`` is an earlier answer of this place (so it holds every documented
        field and nothing else, each valid here): only what was sent is answered again, so an update costs
        what it changes, not the whole resource."""
        children = self.properties
        if children is None:
            return self.answer(merge(stored, sent))
        if type(sent) is not dict or type(stored) is not dict:
            return self.answer(sent)
        return {
            **stored,
            **{
                name: children[name].merged(stored.get(name), value)
                for name, value in sent.items()
                if name in children
            },
        }

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` is valid here (formats asserted); compiled on first use."""
        if self._validator is None:
            self._validator = jsonschema_rs.Draft202012Validator(
                self._spec.standalone(self.schema) if has_refs(self.schema) else dict(self.schema),
                validate_formats=True,
            )
        try:
            return bool(self._validator.is_valid(value))
        except (ValueError, OverflowError, TypeError, RecursionError):
            return False

    def find(
        self, wanted: Any, *, skip: tuple[str, ...] | None = None, depth: int = _MAX_DEPTH
    ) -> tuple[str, ...] | None:
        """The path (breadth first, schema order) of the first place below this one where ``wanted(node)``,
        at most ``depth`` levels down and outside the subtree at ``skip``."""
        queue: list[tuple[tuple[str, ...], Node]] = [((), self)]
        while queue:
            path, node = queue.pop(0)
            if path == skip:
                continue
            if path and wanted(node):
                return path
            if node.properties is not None and len(path) < depth:
                queue += [((*path, name), child) for name, child in node.properties.items()]
        return None

    def at(self, path: tuple[str, ...]) -> Node | None:
        node: Node | None = self
        for name in path:
            node = (node.properties or {}).get(name) if node is not None else None
        return node


def with_value(tree: Any, path: tuple[str, ...], value: Any) -> Any:
    """``tree`` with ``value`` at ``path``; the dicts along the path are copied, the rest shared."""
    if not path:
        return value
    inner = tree.get(path[0]) if isinstance(tree, dict) else None
    return {**(tree if isinstance(tree, dict) else {}), path[0]: with_value(inner, path[1:], value)}


def merge(stored: Any, sent: Any) -> Any:
    """``sent`` merged into ``stored``: objects field by field, anything else replaced (the spec's
    decision for an update: a field left out keeps its value)."""
    if isinstance(stored, Mapping) and isinstance(sent, Mapping):
        return {**stored, **{key: merge(stored.get(key), value) for key, value in sent.items()}}
    return sent


def compile_node(
    spec: Spec,
    schema: Mapping[str, Any] | None,
    name: str,
    example: Any = MISSING,
    request: Mapping[str, Any] | None = None,
    *,
    depth: int = 0,
) -> Node:
    """The node of ``schema``; ``example`` is the success example's value here, ``request`` the request
    schema of the same place (where a sent value comes from), None where nothing is sent."""
    schema = schema if isinstance(schema, Mapping) else {}
    node = Node(spec, schema, name)
    if example is MISSING:
        example = _own_example(schema)
    properties = properties_of(schema)
    kind = node.kind
    if properties and kind in (None, "object") and depth < _MAX_DEPTH:
        sent_properties = properties_of(request) if request is not None else {}
        node.properties = {
            key: compile_node(spec, sub, key, _child(example, key), sent_properties.get(key), depth=depth + 1)
            for key, sub in properties.items()
            # A writeOnly property is documented for requests only (OpenAPI 3.1): never answered.
            if not (isinstance(sub, Mapping) and sub.get("writeOnly") is True)
        }
        node.default = {key: child.default for key, child in node.properties.items()}
        return node
    node.trusted = request is not None and _implied(schema, request)
    items = schema.get("items")
    if kind == "array" and isinstance(items, Mapping) and depth < _MAX_DEPTH:
        first = example[0] if isinstance(example, list) and example else MISSING
        sent_items = request.get("items") if request is not None else None
        node.items = compile_node(
            spec, items, name, first, sent_items if isinstance(sent_items, Mapping) else None, depth=depth + 1
        )
        if isinstance(example, list):
            node.default = [node.items.answer(item) for item in example]
        else:
            minimum = schema.get("minItems")
            node.default = [node.items.default] * (minimum if isinstance(minimum, int) else 0)
        return node
    candidates = [derived(schema, name)] if example is MISSING else [example, derived(schema, name)]
    if node.secret:
        candidates = [PASSWORD_MASK]
    # The first candidate valid here: the spec's examples are checked at load, derived values are not.
    node.default = next((value for value in candidates if node.accepts(value)), candidates[-1])
    return node


def _own_example(schema: Mapping[str, Any]) -> Any:
    if "example" in schema:
        return schema["example"]
    examples = schema.get("examples")
    if isinstance(examples, list) and examples:
        return examples[0]
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    return MISSING


def _child(example: Any, key: str) -> Any:
    return example.get(key, MISSING) if isinstance(example, Mapping) else MISSING


def _implied(schema: Mapping[str, Any], request: Mapping[str, Any]) -> bool:
    """Whether every constraint of the response ``schema`` is also one of the request's: then a value
    that passed request validation is valid in the answer as it is."""
    return all(
        key in request and request[key] == value
        for key, value in schema.items()
        if key not in _ANNOTATIONS and key != "items" and not key.startswith("x-")
    )
