"""From the document as written to the contract: every ``$ref`` resolved, ``allOf`` wrappers merged.

One ``referencing`` registry resolves local and sibling-file references (never the network); a
reference back into a schema still being resolved (a recursive schema) stays a local pointer. The
layout a spec happens to use (``components/requestBodies``, one-item ``allOf``...) stops here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, PointerToNowhere, Unresolvable
from referencing.jsonschema import DRAFT202012

from phone_contract._spec.documents import parse_document, pointer_parts, read_text
from phone_contract._spec.errors import SpecError

# Keywords whose value is data, never a schema or an object that can hold a $ref.
_DATA_KEYWORDS = frozenset({"example", "default", "const", "enum"})
# Keywords that merely describe: when an ``allOf`` wrapper is merged, the wrapper's own win.
_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"}
)
# Keywords that apply subschemas to the same instance: an ``unevaluatedProperties`` beside any of
# them is not the same as ``additionalProperties``.
_APPLICATORS = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "dependentSchemas"})


@dataclass(frozen=True)
class Reference:
    """The ``$ref`` a node of the contract was written as: its absolute target and the name it gives."""

    target: str  # ``file:///.../spec.yaml#/components/schemas/PhoneNumber``
    name: str  # ``PhoneNumber``: the pointer's last segment, what a generated model class is named after

    @classmethod
    def to(cls, target: str) -> Reference:
        fragment = urldefrag(target)[1]
        parts = pointer_parts(fragment) if fragment.startswith("/") else (unquote(fragment),)
        return cls(target, parts[-1] if parts else "")


# Contract node id -> (the reference it came from, the node itself, kept alive so the id stays its own).
References = dict[int, tuple[Reference, Any]]


class Loader:
    """Builds the contract: the document with every ``$ref`` resolved and ``allOf`` wrappers merged.

    A reference back into a schema that is still being resolved (a recursive schema) stays a local
    ``#/...`` pointer, which the contract document keeps resolvable; one that crosses files cannot.
    """

    def __init__(self, origin: str, base_uri: str, document: dict[str, Any]) -> None:
        self.origin = origin
        self.base_uri = base_uri
        self.external = False
        # Which $ref each contract node came from: a side table, so the contract holds only what
        # the spec says (it is served, compared and validated as it is).
        self.references: References = {}
        root = Resource.from_contents(document, default_specification=DRAFT202012)
        # mypy reads attrs' private field names; `retrieve` is referencing's documented argument.
        registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self.registry = registry.with_resource(base_uri, root)

    def _retrieve(self, uri: str) -> Resource[Any]:
        parts = urlsplit(uri)
        if parts.scheme != "file":
            # Only files beside the spec: a spec must never make the toolkit fetch from a network.
            raise NoSuchResource(ref=uri)  # type: ignore[call-arg]  # attrs field, documented argument
        text = read_text(Path(unquote(parts.path)), uri)
        return Resource.from_contents(parse_document(text, uri), default_specification=DRAFT202012)

    def dereference(self) -> dict[str, Any]:
        result = self._node(self.registry.contents(self.base_uri), self.base_uri, (), None)
        assert isinstance(result, dict)
        return result

    def _node(self, node: Any, base: str, stack: tuple[str, ...], parent_key: str | None) -> Any:
        if isinstance(node, list):
            return [self._node(item, base, stack, None) for item in node]
        if not isinstance(node, dict):
            return node
        if isinstance(node.get("$ref"), str):
            return self._reference(node, base, stack)
        # Inside a map of names (properties, schemas, responses...), every value is a node.
        names = parent_key in _NAME_MAPS
        resolved = {
            key: value if not names and key in _DATA_KEYWORDS else self._node(value, base, stack, key)
            for key, value in node.items()
        }
        if parent_key == "examples" and not names:
            return resolved
        return self._carry(resolved, normalize(resolved))

    def _note(self, node: Any, reference: Reference) -> Any:
        if isinstance(node, dict):
            self.references[id(node)] = (reference, node)
        return node

    def _carry(self, wrapper: dict[str, Any], merged: dict[str, Any]) -> dict[str, Any]:
        """``merged``, named after the one ``$ref`` of the one-item ``allOf`` it was merged from."""
        parts = wrapper.get("allOf")
        if merged is not wrapper and isinstance(parts, list) and len(parts) == 1:
            found = self.references.get(id(parts[0]))
            if found is not None and found[1] is parts[0]:
                self._note(merged, found[0])
        return merged

    def _reference(self, node: dict[str, Any], base: str, stack: tuple[str, ...]) -> Any:
        ref: str = node["$ref"]
        # urljoin knows no urn: scheme, so a fragment is joined by hand.
        target = urldefrag(base)[0] + ref if ref.startswith("#") else urljoin(base, ref)
        if target in stack:
            document_uri, fragment = urldefrag(target)
            if document_uri != self.base_uri:
                raise SpecError(f"spec {self.origin}: recursive $ref {node['$ref']!r} across files")
            return self._note({**node, "$ref": f"#{fragment}"}, Reference.to(target))
        try:
            contents = self.registry.resolver().lookup(target).contents
        except (Unresolvable, PointerToNowhere, NoSuchResource):
            raise SpecError(f"spec {self.origin}: $ref {node['$ref']!r} points nowhere") from None
        document_uri = urldefrag(target)[0]
        if document_uri != self.base_uri:
            self.external = True
        # The ref written here names the node, even when its target is itself a ref.
        resolved = self._note(
            self._node(contents, document_uri, (*stack, target), None), Reference.to(target)
        )
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        if not siblings or not isinstance(resolved, dict):
            return resolved
        # OpenAPI 3.1: keywords beside a $ref apply too; as a one-item allOf, they merge or stay.
        wrapper = {"allOf": [resolved], **self._node(siblings, base, stack, None)}
        return self._carry(wrapper, normalize(wrapper))


# Maps whose keys are names chosen by the spec's author, not keywords.
_NAME_MAPS = frozenset(
    {
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "schemas",
        "responses",
        "parameters",
        "requestBodies",
        "headers",
        "securitySchemes",
        "links",
        "callbacks",
        "pathItems",
        "paths",
        "webhooks",
        "content",
        "encoding",
        "dependentSchemas",
    }
)


def normalize(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` with an ``allOf`` of object schemas merged into it, when that keeps its meaning."""
    parts = schema.get("allOf")
    if not isinstance(parts, list) or not parts or not all(isinstance(part, dict) for part in parts):
        return _closed(schema)
    outer = {key: value for key, value in schema.items() if key != "allOf"}
    if len(parts) > 1 and any(_restricts_extra(part) for part in parts):
        return schema  # each part's additionalProperties speaks of its own properties only
    if outer.get("additionalProperties", True) is not True and any("properties" in part for part in parts):
        return schema  # the wrapper's additionalProperties does not see the parts' properties
    merged: dict[str, Any] = {}
    for part in parts:
        combined = _merge(merged, part, outer_wins=False)
        if combined is None:
            return schema
        merged = combined
    if len(parts) == 1 and _restricts_extra(parts[0]) and "properties" in outer:
        return schema
    result = _merge(merged, outer, outer_wins=True)
    return schema if result is None else _closed(result)


def _restricts_extra(schema: Mapping[str, Any]) -> bool:
    return any(schema.get(key, True) is not True for key in ("additionalProperties", "unevaluatedProperties"))


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    # Once no applicator is left, unevaluatedProperties means exactly additionalProperties.
    if "unevaluatedProperties" in schema and not _APPLICATORS & schema.keys():
        rest = {key: value for key, value in schema.items() if key != "unevaluatedProperties"}
        if "additionalProperties" not in rest:
            rest["additionalProperties"] = schema["unevaluatedProperties"]
            return rest
    return schema


def _merge(base: dict[str, Any], extra: Mapping[str, Any], *, outer_wins: bool) -> dict[str, Any] | None:
    """Both schemas as one, or None where they constrain the same keyword differently."""
    merged = dict(base)
    for key, value in extra.items():
        if key not in merged or merged[key] == value:
            merged[key] = value
        elif key == "properties" and isinstance(value, dict) and isinstance(merged[key], dict):
            if any(name in merged[key] and merged[key][name] != sub for name, sub in value.items()):
                return None
            merged[key] = {**merged[key], **value}
        elif key == "required" and isinstance(value, list) and isinstance(merged[key], list):
            merged[key] = [*merged[key], *(name for name in value if name not in merged[key])]
        elif key in _ANNOTATIONS:
            if outer_wins:
                merged[key] = value
        else:
            return None
    return merged


def has_refs(node: Any) -> bool:
    """Whether a part of a resolved document still holds a ``$ref`` (a cycle kept as a local
    pointer): such a part needs its components beside it to stand alone."""
    if isinstance(node, Mapping):
        return "$ref" in node or any(has_refs(value) for value in node.values())
    if isinstance(node, list):
        return any(has_refs(item) for item in node)
    return False


def properties_of(schema: Any) -> dict[str, Any]:
    """Named properties of an object schema, with those of its ``allOf``/``anyOf``/``oneOf`` parts."""
    if not isinstance(schema, Mapping):
        return {}
    properties = dict(schema.get("properties") or {})
    for combinator in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(combinator) or []:
            properties.update(properties_of(part))
    return properties


def pattern_property(schema: Any, name: str) -> tuple[tuple[str | int, ...], Any] | None:
    """The ``patternProperties`` entry of an object schema (or of its ``allOf``/``anyOf``/``oneOf``
    parts) that documents field ``name``: (its pointer below the schema, its schema). The pattern is
    matched as the validator matches it (``re.search``), so what validates a field also documents it."""
    if not isinstance(schema, Mapping):
        return None
    patterns = schema.get("patternProperties")
    for pattern, part in patterns.items() if isinstance(patterns, Mapping) else ():
        try:
            if re.search(pattern, name):
                return ("patternProperties", pattern), part
        except re.error:
            continue  # not a pattern this validator reads: it documents nothing here either
    for combinator in ("allOf", "anyOf", "oneOf"):
        for index, part in enumerate(schema.get(combinator) or []):
            found = pattern_property(part, name)
            if found is not None:
                return (combinator, index, *found[0]), found[1]
    return None
