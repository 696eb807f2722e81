"""The spec file as editable data: ruamel.yaml round trip, written back as the author wrote it.

Edits are made on ruamel's round-trip data (comments, key order and quoting kept), then merged into
the text as written with a three-way merge, so no line an edit did not touch is reformatted. The
file's own indentation is found by trying the usual layouts until one writes it back unchanged.
Every place is found through :meth:`Spec.source`: a contract node is edited where it was written.
"""

from __future__ import annotations

import difflib
import io
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import merge3
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import LiteralScalarString
from ruamel.yaml.tokens import CommentToken

from phone_contract._exit import UsageError
from phone_contract._spec import Spec
from phone_contract.learn.schemas import Pointer, resolve

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
        text = "".join(merged)
        # A merge aligns lines, and spec files repeat lines ("type: string"): keep it only if it says
        # exactly what the edited data says.
        return text if self._load(text) == self._load(edited) else edited

    def _load(self, text: str) -> Any:
        return json.loads(text) if self.is_json else YAML(typ="safe", pure=True).load(text)

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
                resolved = resolve(spec, tuple(pointer))
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
    comment = comment_of(before)
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
        comment = comment_of(gone)
        if comment is not None and kept is not None and "\n" in comment.value:
            below = comment.value.partition("\n")[2]
            if below:
                target = kept[0].ca.items.setdefault(kept[1], [None, None, None, None])
                if target[2] is None:
                    target[2] = CommentToken("\n" + below, comment.start_mark, None)
                else:
                    target[2].value += below
    del mapping[key]


def comment_of(holder: tuple[CommentedMap, Any] | None) -> CommentToken | None:
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
