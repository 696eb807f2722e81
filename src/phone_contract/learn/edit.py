"""The spec file, edited in place: ruamel.yaml round-trip keeps comments, key order and quoting.

Every edit finds its place through :meth:`Spec.source`: the contract node a rule wants changed is
edited where it was written, in the component a ``$ref`` names. The file's own indentation is found
by trying the usual layouts until one writes the untouched file back byte for byte.
"""

from __future__ import annotations

import copy
import difflib
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import merge3
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from phone_contract._exit import UsageError
from phone_contract._spec import SERVED_METHODS_EXTENSION, Spec

Pointer = tuple[str | int, ...]
# (mapping, sequence, offset): block layouts seen in hand-written and generated OpenAPI files.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (2, 2, 2))
# Long lines kept whole (hand-written), or folded at 80 columns (PyYAML's and ruamel's default).
_WIDTHS = (4096, 80)


class SpecFile:
    """One spec file as editable round-trip data; ``text()`` is the file as it would be written."""

    def __init__(self, path: Path, original: str) -> None:
        self.path = path
        self.original = original
        self.is_json = path.suffix.lower() == ".json"
        if self.is_json:
            self.data: Any = json.loads(original)
        else:
            self._yaml = _round_tripping_yaml(original)
            self.data = self._yaml.load(original)
        # The file as this writer writes it, unedited: what it changes on its own is not an edit.
        self._base = self._dump()

    def text(self) -> str:
        """The edited file: the edits merged into the text as written (a three-way merge), so a line
        the writer would reformat but no edit touched stays exactly as it was."""
        edited = self._dump()
        if edited == self._base:
            return self.original
        merged: list[str] = []
        for group in merge3.Merge3(
            self._base.splitlines(keepends=True),
            self.original.splitlines(keepends=True),
            edited.splitlines(keepends=True),
        ).merge_groups():
            if group[0] == "conflict":
                return edited  # an edit inside a line the writer reformats: take the writer's file
            merged += group[1]
        return "".join(merged)

    def _dump(self) -> str:
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
    """The layout that writes ``text`` back unchanged, else the one that changes the fewest lines."""
    best: tuple[float, YAML] | None = None
    for width in _WIDTHS:
        for mapping, sequence, offset in _LAYOUTS:
            yaml = YAML()
            yaml.preserve_quotes = True
            yaml.width = width
            yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
            stream = io.StringIO()
            yaml.dump(yaml.load(text), stream)
            if stream.getvalue() == text:
                return yaml
            kept = difflib.SequenceMatcher(a=text.splitlines(), b=stream.getvalue().splitlines()).ratio()
            if best is None or kept > best[0]:
                best = (kept, yaml)
    assert best is not None
    return best[1]


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


def put(mapping: Any, key: Any, value: Any, position: int | None = None) -> None:
    """Set ``key``; a new key goes at ``position`` (default: last), and the comment lines that followed
    the key before it stay where the author wrote them: after the new key, before the next one."""
    if key in mapping:
        mapping[key] = value
        return
    keys = list(mapping)
    position = len(keys) if position is None else position
    if not isinstance(mapping, CommentedMap):
        # A JSON spec is plain dicts: rebuild the order around the new key.
        items = list(mapping.items())
        items.insert(position, (key, value))
        mapping.clear()
        mapping.update(items)
        return
    before = _deepest_last(mapping, keys[position - 1]) if position else None
    mapping.insert(position, key, value)
    if before is None:
        return
    comment = _comment(before)
    if comment is None or "\n" not in comment.value:
        return
    # The token holds the rest of the key's line and every comment line below it: only the lines move.
    own_line, _, below = comment.value.partition("\n")
    if not below:
        return
    comment.value = own_line + "\n"
    after = _deepest_last(mapping, key)
    if after is not None:
        after[0].ca.items.setdefault(after[1], [None, None, None, None])[2] = CommentToken(
            "\n" + below if not own_line else below, comment.start_mark, None
        )


def _deepest_last(mapping: CommentedMap, key: Any) -> tuple[CommentedMap, Any] | None:
    """The mapping and key of the last scalar written under ``mapping[key]``, where ruamel keeps the
    comment lines that follow it."""
    holder, last = mapping, key
    while isinstance(holder[last], CommentedMap) and holder[last]:
        holder, last = holder[last], list(holder[last])[-1]
    value = holder[last]
    # A block list keeps its comments elsewhere; a flow list sits on its key's line like a scalar.
    return None if isinstance(value, CommentedSeq) and not value.fa.flow_style() else (holder, last)


def remove(mapping: Any, key: Any) -> None:
    """Delete ``key``, keeping the comment lines that followed it (they belong to what comes next)."""
    keys = list(mapping)
    if key not in mapping:
        return
    if isinstance(mapping, CommentedMap) and keys.index(key) > 0:
        gone = _deepest_last(mapping, key)
        kept = _deepest_last(mapping, keys[keys.index(key) - 1])
        comment = _comment(gone)
        if comment is not None and kept is not None and "\n" in comment.value:
            below = comment.value.partition("\n")[2]
            if below:
                target = kept[0].ca.items.setdefault(kept[1], [None, None, None, None])
                if target[2] is None:
                    target[2] = CommentToken("\n" + below, comment.start_mark, None)
                else:
                    target[2].value += below
    del mapping[key]


def _comment(holder: tuple[CommentedMap, Any] | None) -> CommentToken | None:
    if holder is None:
        return None
    slots = holder[0].ca.items.get(holder[1]) or []
    return slots[2] if len(slots) > 2 else None


def note(node: Any, text: str) -> None:
    """Say in the node's description what was learned, keeping what it said before."""
    old = node.get("description")
    if old is None:
        put(node, "description", text)
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
            node = file.node(spec, self.schema)
            put(node, "properties", CommentedMap())
            properties = node["properties"]
        put(properties, self.name, to_yaml({**self.value, "description": text}))


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
            ref = written["$ref"]
            put(written, "anyOf", to_yaml([{"$ref": ref}, {"type": "null"}]))
            del written["$ref"]
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
            put(node, key, value)
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
                remove(node, "required")
        note(node, text)


@dataclass(frozen=True)
class RemoveProperty:
    """Property ``name`` of the request object at ``schema`` is gone, from its examples too."""

    schema: Pointer
    name: str
    examples: tuple[Pointer, ...] = ()

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        properties = file.node(spec, (*self.schema, "properties"), through_ref=False)
        remove(properties, self.name)
        note(file.node(spec, self.schema), text)
        for example in self.examples:
            try:
                value = file.node(spec, example, through_ref=False)
            except UsageError:
                continue
            if isinstance(value, dict):
                remove(value, self.name)


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
        put(responses, key, to_yaml(response), position)


@dataclass(frozen=True)
class ServedMethods:
    """The path item's list of methods the API serves outside this spec."""

    path_item: Pointer
    methods: tuple[str, ...]

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        item = file.node(spec, self.path_item)
        put(item, SERVED_METHODS_EXTENSION, to_yaml(list(self.methods)))
        if not isinstance(item, CommentedMap):
            return  # JSON has no comments: the list says it all
        moved = _comment((item, SERVED_METHODS_EXTENSION))
        if moved is None:
            item.yaml_add_eol_comment(text, SERVED_METHODS_EXTENSION)
        else:
            moved.value = f"  # {text}{moved.value}"


Edit = AddProperty | Widen | DropRequired | RemoveProperty | AddResponse | ServedMethods
