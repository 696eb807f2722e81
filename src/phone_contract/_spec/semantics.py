"""What an operation does to the resources it touches, where OpenAPI has no word for it.

Two documented extensions say it (docs/spec-extensions.md):

- ``x-phone-contract`` on an operation: its ``role`` (``create``, ``update``, ``list`` or ``other``),
  where its success answer holds the resource or resources (``answer``, a JSON Pointer), where an
  update's request lists the items it addresses (``items``), which sent fields come back as sent
  (``echo``), and the statuses of an unknown id (``notFound``) and of a taken unique value
  (``conflict``); ``learned`` marks an operation ``learn`` documented from answers alone.
- ``x-phone-contract-resource`` on the resource's schema: the field that identifies it (``id``), the
  field naming the scope it lives in (``scope``: a workspace, say), the field naming who it belongs
  to (``owner``: a user a live API must know), what is unique in a scope (``unique``), the creation
  and update timestamps (``created``, ``updated``: ordered) and what else never changes (``fixed``).

Without ``x-phone-contract``, a POST with a JSON body and a JSON success answer is taken to create the
object of the answer that names the most request fields, and echo every sent field that object names;
any other operation is ``other``: fuzzed and judged by its schemas, no more.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from jsonschema import Draft202012Validator

from phone_contract._spec.documents import Pointer, pointer_parts, pointer_text
from phone_contract._spec.errors import SpecError
from phone_contract._spec.resolution import properties_of

if TYPE_CHECKING:
    from phone_contract._spec.model import Operation

OPERATION_EXTENSION = "x-phone-contract"
RESOURCE_EXTENSION = "x-phone-contract-resource"


class Role(StrEnum):
    """What an operation does: makes a resource, changes existing ones, lists them, or else."""

    CREATE = "create"
    UPDATE = "update"
    LIST = "list"
    OTHER = "other"


_FIELD = {"type": "string", "minLength": 1}
_FIELDS = {"type": "array", "items": _FIELD, "uniqueItems": True}
_POINTER = {"type": "string", "pattern": "^(/.*)?$"}
_STATUS = {"type": "integer", "minimum": 400, "maximum": 499}
# The extensions' own schemas: a misspelt key or a wrong type is one line at start-up, not a silent
# default. Kept here, beside the code that reads them; docs/spec-extensions.md explains each key.
OPERATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["role"],
    "properties": {
        "role": {"enum": [role.value for role in Role]},
        "answer": _POINTER,
        "items": _POINTER,
        "echo": _FIELDS,
        "notFound": _STATUS,
        "conflict": _STATUS,
        "learned": {"type": "string"},
    },
}
RESOURCE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "id": _FIELD,
        "scope": _FIELD,
        "owner": _FIELD,
        "unique": _FIELDS,
        "created": _FIELD,
        "updated": _FIELD,
        "fixed": _FIELDS,
    },
}
_MAX_DEPTH = 8
_UUID_LENGTH = 36
# A UUID already in the form str(uuid.UUID(...)) gives (the form clients nearly always send): no parse.
_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class Resource:
    """What the spec says of a resource (``x-phone-contract-resource``); fields absent say nothing."""

    schema: Mapping[str, Any]
    id: str | None = None
    scope: str | None = None
    owner: str | None = None
    unique: tuple[str, ...] = ()
    created: str | None = None
    updated: str | None = None
    fixed: tuple[str, ...] = ()

    @property
    def unchanging(self) -> tuple[str, ...]:
        """Fields an update never changes: the id, the scope, the owner, the creation time, the fixed ones."""
        named = (self.id, self.scope, self.owner, self.created, *self.fixed)
        return tuple(name for name in named if name is not None)

    def key(self, resource: Mapping[str, Any]) -> tuple[Any, ...] | None:
        """The unique values of ``resource`` in its scope, or None when the spec names none."""
        if not self.unique:
            return None
        scope = self.scope_key(resource.get(self.scope)) if self.scope else None
        return (scope, *map(resource.get, self.unique))

    def scope_key(self, value: Any) -> Any:
        """A scope as compared: a UUID in any letter case is the same UUID (RFC 9562)."""
        if isinstance(value, str) and len(value) == _UUID_LENGTH:
            if _CANONICAL_UUID.fullmatch(value):
                return value
            try:
                return str(uuid.UUID(value))
            except ValueError:
                return value
        return value


@dataclass(frozen=True)
class Semantics:
    """What one operation does, as the spec says it (or as the defaults read it)."""

    role: Role
    # Where the success answer holds the resource (create) or the list of resources (update, list).
    answer: Pointer = ()
    # Update: where the request lists its items, each addressing one resource by its id.
    items: Pointer | None = None
    # Sent fields (of the body, or of each item) that come back in the resource as they were sent.
    echo: tuple[str, ...] = ()
    not_found: int | None = None
    conflict: int | None = None
    # Documented by `learn` from answers alone: its requests are unknown, only its answers are judged.
    learned: bool = False
    resource: Resource | None = None
    # Whether the spec said it (x-phone-contract), or these are the defaults.
    declared: bool = False

    @property
    def many(self) -> bool:
        """Whether the answer holds a list of resources (update, list) rather than one (create)."""
        return self.role in (Role.UPDATE, Role.LIST)

    def resources_in(self, body: Any) -> list[Mapping[str, Any]] | None:
        """The resources a success answer holds, in order; None when it is not shaped as the spec says."""
        found = at(body, self.answer)
        if self.many:
            if not isinstance(found, list) or not all(isinstance(item, Mapping) for item in found):
                return None
            return list(found)
        return [found] if isinstance(found, Mapping) else None

    def items_in(self, body: Any) -> list[Any] | None:
        """What a request addresses: an update's items, or a create's whole body (one item)."""
        if self.items is None:
            return [body] if isinstance(body, Mapping) else None
        found = at(body, self.items)
        return list(found) if isinstance(found, list) else None

    def scope_in(self, body: Any) -> Any:
        """The scope a request's body names (its field named as the resource's scope), if any."""
        scope = self.resource.scope if self.resource is not None else None
        return body.get(scope) if scope is not None and isinstance(body, Mapping) else None


def at(document: Any, parts: Pointer) -> Any:
    """The value at ``parts`` in a JSON document; None when the document has no such place."""
    for part in parts:
        if isinstance(document, Mapping):
            document = document.get(part)
        elif isinstance(document, list) and part.isdigit() and int(part) < len(document):
            document = document[int(part)]
        else:
            return None
    return document


def read_semantics(operation: Operation) -> Semantics:  # noqa: PLR0912 - each key of the extension, in turn
    """The semantics of ``operation``: its ``x-phone-contract``, checked against its schemas."""
    declared = operation.node.get(OPERATION_EXTENSION)
    if declared is None:
        return _defaults(operation)
    _validate(operation, declared, OPERATION_SCHEMA, OPERATION_EXTENSION)
    role = Role(declared["role"])
    where = f"spec {operation.spec.origin}: {operation.label}: {OPERATION_EXTENSION}"
    success = operation.success_schema
    answer: Pointer = ()
    if "answer" in declared:
        answer = pointer_parts(declared["answer"])
    elif role is Role.CREATE:
        answer = _created_object(operation)
    elif role in (Role.UPDATE, Role.LIST):
        article = "an" if str(role)[0] in "aeiou" else "a"
        raise SpecError(f"{where}: {article} {role} operation names its 'answer' (where the resources are)")
    items = pointer_parts(declared["items"]) if "items" in declared else None
    if role is Role.UPDATE and items is None:
        raise SpecError(f"{where}: an update names its request's 'items' (what it addresses)")
    resource = None
    if role is not Role.OTHER:
        schema = _schema_at(operation, success, answer, where, "answer")
        if role is not Role.CREATE:
            schema = _items_of(operation, schema, where, f"answer {declared['answer']}")
        resource = read_resource(operation, schema)
    if role is Role.UPDATE and (resource is None or resource.id is None):
        # Without it no request of the update can be shown to address only the run's own resources.
        raise SpecError(
            f"{where}: the resources an update answers name their 'id' ({RESOURCE_EXTENSION}), "
            "the field it addresses them by"
        )
    sent = _sent_schema(operation, items, resource, where)
    echo = tuple(declared.get("echo", ()))
    if "echo" not in declared and resource is not None:
        echo = _default_echo(sent, resource.schema)
    for name in echo:
        if name not in properties_of(sent):
            raise SpecError(f"{where}: echo names {name!r}, which the request does not send")
        if resource is not None and name not in properties_of(resource.schema):
            raise SpecError(f"{where}: echo names {name!r}, which the resource does not have")
    statuses = {}
    for key in ("notFound", "conflict"):
        status = declared.get(key)
        if status is not None and operation.response_for(status) is None:
            raise SpecError(f"{where}: {key} {status} is not a documented status of the operation")
        statuses[key] = status
    return Semantics(
        role=role,
        answer=answer,
        items=items,
        echo=echo,
        not_found=statuses["notFound"],
        conflict=statuses["conflict"],
        learned="learned" in declared,
        resource=resource,
        declared=True,
    )


def read_resource(operation: Operation, schema: Mapping[str, Any]) -> Resource:
    """The resource the spec describes at ``schema`` (its ``x-phone-contract-resource``)."""
    declared = schema.get(RESOURCE_EXTENSION)
    if declared is None:
        return Resource(schema)
    _validate(operation, declared, RESOURCE_SCHEMA, RESOURCE_EXTENSION)
    names = properties_of(schema)
    for key in ("id", "scope", "owner", "created", "updated"):
        if key in declared and declared[key] not in names:
            raise SpecError(
                f"spec {operation.spec.origin}: {RESOURCE_EXTENSION}: {key} {declared[key]!r} "
                "is not a property of the resource"
            )
    for key in ("unique", "fixed"):
        for name in declared.get(key, ()):
            if name not in names:
                raise SpecError(
                    f"spec {operation.spec.origin}: {RESOURCE_EXTENSION}: {key} names {name!r}, "
                    "which is not a property of the resource"
                )
    return Resource(
        schema=schema,
        id=declared.get("id"),
        scope=declared.get("scope"),
        owner=declared.get("owner"),
        unique=tuple(declared.get("unique", ())),
        created=declared.get("created"),
        updated=declared.get("updated"),
        fixed=tuple(declared.get("fixed", ())),
    )


def _defaults(operation: Operation) -> Semantics:
    request, success = operation.request_schema(), operation.success_schema
    if operation.method != "post" or request is None or success is None:
        return Semantics(Role.OTHER)
    answer = _created_object(operation)
    if not answer:
        return Semantics(Role.OTHER)
    schema = _schema_at(operation, success, answer, "", "answer")
    resource = read_resource(operation, schema)
    return Semantics(Role.CREATE, answer=answer, echo=_default_echo(request, schema), resource=resource)


def _default_echo(sent: Mapping[str, Any], resource: Mapping[str, Any]) -> tuple[str, ...]:
    named = properties_of(resource)
    return tuple(name for name in properties_of(sent) if name in named)


def _created_object(operation: Operation) -> Pointer:
    """Where the success body holds the created resource, when the spec does not say: the object of
    the success schema that names the most fields of the request (breadth first on a tie). A request
    field the answer never carries (a new required one, say) does not hide the resource."""
    sent = set(properties_of(operation.request_schema() or {}))
    best: tuple[int, Pointer] = (0, ())
    queue: list[tuple[Pointer, Any]] = [((), operation.success_schema)]
    while queue:
        parts, node = queue.pop(0)
        properties = properties_of(node)
        shared = len(sent & properties.keys())
        if parts and shared > best[0]:
            best = (shared, parts)
        queue += [((*parts, name), child) for name, child in properties.items() if len(parts) < _MAX_DEPTH]
    return best[1]


def _schema_at(
    operation: Operation, schema: Mapping[str, Any] | None, parts: Pointer, where: str, key: str
) -> Mapping[str, Any]:
    """The schema of the place ``parts`` of an instance of ``schema`` (through properties only)."""
    node: Mapping[str, Any] | None = schema
    for part in parts:
        node = properties_of(operation.spec.follow(node)).get(part) if node is not None else None
    if not isinstance(node, Mapping):
        raise SpecError(f"{where}: {key} {pointer_text(parts)!r} names no place its schema documents")
    return operation.spec.follow(node)


def _items_of(operation: Operation, schema: Mapping[str, Any], where: str, what: str) -> Mapping[str, Any]:
    items = schema.get("items")
    if schema.get("type") not in ("array", None) or not isinstance(items, Mapping):
        raise SpecError(f"{where}: {what} is not an array of objects")
    return operation.spec.follow(items)


def sent_schema(operation: Operation) -> Mapping[str, Any]:
    """What one addressed item of ``operation``'s request looks like: the body (a create), or one
    item of its ``items`` (an update); its limits are what a value sent for one resource must keep."""
    semantics = operation.semantics
    return _sent_schema(operation, semantics.items, semantics.resource, operation.label)


def _sent_schema(
    operation: Operation, items: Pointer | None, resource: Resource | None, where: str
) -> Mapping[str, Any]:
    """What one addressed item of the request looks like: the body (create), or an item (update)."""
    request = operation.request_schema() or {}
    if items is None:
        return request
    item = _items_of(operation, _schema_at(operation, request, items, where, "items"), where, "items")
    if resource is not None and resource.id is not None and resource.id not in properties_of(item):
        raise SpecError(f"{where}: an item of 'items' has no {resource.id!r} to address the resource by")
    return item


def _validate(operation: Operation, value: Any, schema: dict[str, Any], name: str) -> None:
    error = next(iter(Draft202012Validator(schema).iter_errors(value)), None)
    if error is not None:
        place = "".join(f"/{part}" for part in error.absolute_path) or "/"
        raise SpecError(
            f"spec {operation.spec.origin}: {operation.label}: {name} at {place}: {error.message}"
        )
