"""The spec file, edited in place: ruamel.yaml round-trip keeps comments, key order and quoting.

Every edit finds its place through :meth:`Spec.source`: the contract node a rule wants changed is
edited where it was written, in the component a ``$ref`` names. The file's own indentation is found
by trying the usual layouts until one writes the untouched file back byte for byte.
"""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString

from phone_contract._exit import UsageError
from phone_contract._spec import SERVED_METHODS_EXTENSION, Spec

Pointer = tuple[str | int, ...]
# (mapping, sequence, offset): block layouts seen in hand-written and generated OpenAPI files.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 2, 2))


class SpecFile:
    """One spec file as editable round-trip data; ``text()`` is the file as it would be written."""

    def __init__(self, path: Path, original: str) -> None:
        self.path = path
        self.original = original
        self.is_json = path.suffix.lower() == ".json"
        if self.is_json:
            self.data: Any = json.loads(original)
            return
        self._yaml = _round_tripping_yaml(original)
        self.data = self._yaml.load(original)

    def text(self) -> str:
        if self.is_json:
            indent = _json_indent(self.original)
            text = json.dumps(self.data, indent=indent, ensure_ascii=False)
            return text + "\n" if self.original.endswith("\n") else text
        stream = io.StringIO()
        self._yaml.dump(self.data, stream)
        return stream.getvalue()

    def node(self, spec: Spec, pointer: Sequence[str | int], *, through_ref: bool = True) -> Any:
        """The written node of the contract node at ``pointer``; with ``through_ref``, a ``$ref`` there
        is followed to what it names (where the schema itself was written)."""
        found = spec.source(pointer)
        if found is not None and through_ref:
            node = self._at(spec, found)
            if isinstance(node, Mapping) and "$ref" in node:
                # Ask for a keyword the resolved node has and the $ref node lacks: its parent is the target.
                resolved = _contract_node(spec, pointer)
                for key in resolved if isinstance(resolved, Mapping) else ():
                    if key not in node:
                        inner = spec.source((*pointer, key))
                        if inner is not None:
                            found = (inner[0], inner[1][:-1])
                            break
        if found is None:
            raise UsageError(f"spec {spec.origin}: cannot find where {_show(pointer)} is written")
        return self._at(spec, found)

    def _at(self, spec: Spec, found: tuple[str, Pointer]) -> Any:
        uri, at = found
        if uri != spec.uri:
            raise UsageError(
                f"spec {spec.origin}: the change lands in {uri.rsplit('/', 1)[-1]}, a file beside the spec; "
                "learn edits the spec file only"
            )
        node = self.data
        for step in at:
            node = node[step]
        return node


def _round_tripping_yaml(text: str) -> YAML:
    fallback = None
    for mapping, sequence, offset in _LAYOUTS:
        yaml = YAML()
        yaml.preserve_quotes = True
        yaml.width = 4096  # never fold a long line the author wrote on one
        yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
        fallback = fallback or yaml
        stream = io.StringIO()
        yaml.dump(yaml.load(text), stream)
        if stream.getvalue() == text:
            return yaml
    assert fallback is not None
    return fallback


def _json_indent(text: str) -> int:
    for line in text.splitlines()[1:]:
        stripped = line.lstrip(" ")
        if stripped:
            return len(line) - len(stripped) or 2
    return 2


def _contract_node(spec: Spec, pointer: Sequence[str | int]) -> Any:
    node: Any = spec.document
    for step in pointer:
        node = node[step]
    return node


def _show(pointer: Sequence[str | int]) -> str:
    return "/".join(str(step) for step in pointer)


# --- writing values --------------------------------------------------------------------------------


def to_yaml(value: Any) -> Any:
    """A plain JSON value as round-trip data; short lists of scalars (types, enums) in flow style."""
    if isinstance(value, Mapping):
        result = CommentedMap()
        for key, item in value.items():
            result[key] = to_yaml(item)
        return result
    if isinstance(value, list):
        seq = CommentedSeq(to_yaml(item) for item in value)
        if all(not isinstance(item, (Mapping, list)) for item in value):
            seq.fa.set_flow_style()
        return seq
    return value


def _insert(mapping: Any, position: int, key: Any, value: Any) -> None:
    if isinstance(mapping, CommentedMap):
        mapping.insert(position, key, value)
        return
    # A JSON spec is plain dicts: rebuild the order around the new key.
    items = list(mapping.items())
    items.insert(position, (key, value))
    mapping.clear()
    mapping.update(items)


def note(node: Any, text: str) -> None:
    """Say in the node's description what was learned, keeping what it said before."""
    old = node.get("description")
    if old is None:
        node["description"] = text
    elif isinstance(old, LiteralScalarString):
        node["description"] = LiteralScalarString(str(old).rstrip("\n") + "\n" + text + "\n")
    else:
        node["description"] = f"{str(old).rstrip()} {text}"


# --- the edits -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddProperty:
    """An optional property ``name`` on the object schema at ``schema``."""

    schema: Pointer
    name: str
    value: Mapping[str, Any]

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        try:
            properties = file.node(spec, (*self.schema, "properties"), through_ref=False)
        except UsageError:
            properties = file.node(spec, self.schema).setdefault("properties", CommentedMap())
        properties[self.name] = to_yaml({**self.value, "description": text})


@dataclass(frozen=True)
class Widen:
    """Loosen the schema at ``schema``: more types, enum values, keywords dropped or set."""

    schema: Pointer
    types: tuple[str, ...] = ()
    enum: tuple[Any, ...] = ()
    drop: tuple[str, ...] = ()
    set: tuple[tuple[str, Any], ...] = ()

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        written = file.node(spec, self.schema, through_ref=False)
        null_only = self.types == ("null",) and self.enum in ((), (None,)) and not (self.drop or self.set)
        if null_only and "$ref" in written:
            # Null on a shared component would loosen every place that names it: only this one.
            ref = written.pop("$ref")
            written["anyOf"] = to_yaml([{"$ref": ref}, {"type": "null"}])
            note(written, text)
            return
        node = file.node(spec, self.schema)
        if self.types:
            current = node.get("type")
            types = [current] if isinstance(current, str) else list(current or [])
            if types:
                types += [name for name in self.types if name not in types]
                node["type"] = types[0] if len(types) == 1 else to_yaml(types)
        if self.enum and isinstance(node.get("enum"), list):
            node["enum"].extend(value for value in self.enum if value not in node["enum"])
        for key in self.drop:
            node.pop(key, None)
        for key, value in self.set:
            node[key] = value
        note(node, text)


@dataclass(frozen=True)
class DropRequired:
    """``name`` is no longer required by the object schema at ``schema``."""

    schema: Pointer
    name: str

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        node = file.node(spec, self.schema)
        required = node.get("required")
        if isinstance(required, list) and self.name in required:
            required.remove(self.name)
            if not required:
                del node["required"]
        note(node, text)


@dataclass(frozen=True)
class RemoveProperty:
    """Property ``name`` of the request object at ``schema`` is gone, from its examples too."""

    schema: Pointer
    name: str
    examples: tuple[Pointer, ...] = ()

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        properties = file.node(spec, (*self.schema, "properties"), through_ref=False)
        properties.pop(self.name, None)
        note(file.node(spec, self.schema), text)
        for example in self.examples:
            try:
                value = file.node(spec, example, through_ref=False)
            except UsageError:
                continue
            if isinstance(value, dict):
                value.pop(self.name, None)


@dataclass(frozen=True)
class AddResponse:
    """Status ``status`` documented on the operation at ``operation``, with its body's schema."""

    operation: Pointer
    status: str
    media_type: str | None
    schema: Mapping[str, Any] | None
    # A documented response whose schema this one shares (``$ref`` kept as written), if any.
    same_as: Pointer | None = None

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        responses = file.node(spec, (*self.operation, "responses"))
        response: dict[str, Any] = {"description": text}
        if self.media_type is not None:
            schema: Any = self.schema
            if self.same_as is not None:
                schema = copy.deepcopy(file.node(spec, self.same_as, through_ref=False))
            response["content"] = {self.media_type: {"schema": schema if schema is not None else {}}}
        key: str | int = int(self.status) if any(isinstance(k, int) for k in responses) else self.status
        position = sum(1 for k in responses if str(k) < self.status)
        _insert(responses, position, key, to_yaml(response))


@dataclass(frozen=True)
class ServedMethods:
    """The path item's list of methods the API serves outside this spec."""

    path_item: Pointer
    methods: tuple[str, ...]

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        item = file.node(spec, self.path_item)
        item[SERVED_METHODS_EXTENSION] = to_yaml(list(self.methods))
        if isinstance(item, CommentedMap):
            item.yaml_add_eol_comment(text, SERVED_METHODS_EXTENSION)


Edit = AddProperty | Widen | DropRequired | RemoveProperty | AddResponse | ServedMethods
