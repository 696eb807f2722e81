"""The edits a rule can propose, each applied to the spec file where the contract node was written."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.comments import CommentedMap

from phone_contract._exit import UsageError
from phone_contract._spec import OPERATION_EXTENSION, Spec
from phone_contract.learn.infer import distinct, same_json
from phone_contract.learn.schemas import Pointer
from phone_contract.learn.specfile import SpecFile, note, put, remove, to_yaml


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
                if "number" in self.types and "integer" in types:
                    types.remove("integer")  # number holds every integer: one type says it
                node["type"] = types[0] if len(types) == 1 else to_yaml(types)
        if self.enum and isinstance(node.get("enum"), list):
            node["enum"].extend(
                distinct(v for v in self.enum if not any(same_json(v, w) for w in node["enum"]))
            )
        for key in self.drop:
            node.pop(key, None)
        for key, value in self.set:
            put(node, key, _outward(key, node.get(key), value))
        note(node, text)


def _outward(keyword: str, written: Any, value: Any) -> Any:
    """The bound ``value`` asks for, unless the written one is already wider: a widening never moves a
    bound in (another operation's evidence may have moved it farther out)."""
    numbers = isinstance(written, int | float) and isinstance(value, int | float)
    if not numbers or isinstance(written, bool) or isinstance(value, bool):
        return value
    if keyword in ("maximum", "maxLength", "maxItems", "maxProperties"):
        return max(written, value)
    if keyword in ("minimum", "minLength", "minItems", "minProperties"):
        return min(written, value)
    return value


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
    """Property ``name`` of the request object at ``schema`` is gone, from its examples too, and from
    the ``echo`` of the operation at ``operation`` (what is not sent cannot come back as sent)."""

    schema: Pointer
    name: str
    examples: tuple[Pointer, ...] = ()
    operation: Pointer | None = None

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
        if self.operation is not None:
            declared = file.node(spec, self.operation).get(OPERATION_EXTENSION)
            echo = declared.get("echo") if isinstance(declared, dict) else None
            if isinstance(echo, list) and self.name in echo:
                echo.remove(self.name)


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
class AddOperation:
    """An operation the API serves that the spec lacks, documented from its answers alone: the
    statuses seen (status -> media type, schema, or a documented schema it shares), marked learned."""

    path_item: Pointer
    method: str
    statuses: Mapping[str, tuple[str | None, Mapping[str, Any] | None, Pointer | None]]
    operation_id: str

    def apply(self, file: SpecFile, spec: Spec, text: str) -> None:
        item = file.node(spec, self.path_item)
        responses: dict[str, Any] = {}
        for status, (media, schema, same_as) in self.statuses.items():
            response: dict[str, Any] = {"description": text}
            if media is not None:
                body: Any = schema
                if same_as is not None:
                    body = copy.deepcopy(file.node(spec, same_as, through_ref=False))
                response["content"] = {media: {"schema": body if body is not None else {}}}
            responses[status] = response
        if not responses:
            # Listed in Allow, never answered: whatever it answers is all the spec can say.
            responses["default"] = {"description": text}
        operation = {
            "operationId": self.operation_id,
            "summary": f"{self.method.upper()} (learned)",
            "description": text,
            OPERATION_EXTENSION: {"role": "other", "learned": text},
            "responses": responses,
        }
        put(item, self.method, to_yaml(operation))


Edit = AddProperty | Widen | DropRequired | RemoveProperty | AddResponse | AddOperation
