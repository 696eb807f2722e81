"""The spec model: the one place that reads the OpenAPI document; every other part asks it.

:func:`load_spec` reads YAML or JSON, validates it as OpenAPI, resolves every ``$ref`` (local and
sibling-file, with one ``referencing`` registry), merges ``allOf`` wrappers into plain object schemas,
checks the spec's own examples, and answers the questions the parts ask: the create operation, its
request schema, its responses by status, its security and servers. The layout a spec happens to use
(``components/requestBodies``, one-item ``allOf``, JSON...) stops here.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

import yaml
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError, ValidatorDetectError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, PointerToNowhere, Unresolvable
from referencing.jsonschema import DRAFT202012

from phone_contract._paths import json_path

SPEC_FILENAME = "phone-numbers.openapi.yaml"
# The operation every part of the toolkit is about: found by its id, else by its path and method.
OPERATION_ID = "createPhoneNumber"
OPERATION_PATH = "/phone-numbers"
OPERATION_METHOD = "post"
JSON = "application/json"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# On the operation's path item: methods the API serves on the path that this spec does not document
# (a list endpoint, say). The gate neither probes nor flags them; `learn` writes it from evidence.
SERVED_METHODS_EXTENSION = "x-phone-contract-served-methods"

# Where a text spec without a file lives, for its $refs: ``#/...`` resolves, sibling files cannot.
_TEXT_URI = "urn:phone-contract:spec"
# Keywords whose value is data, never a schema or an object that can hold a $ref.
_DATA_KEYWORDS = frozenset({"example", "default", "const", "enum"})
# Keywords that merely describe: when an ``allOf`` wrapper is merged, the wrapper's own win.
_ANNOTATIONS = frozenset(
    {"title", "description", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"}
)
# Keywords that apply subschemas to the same instance: an ``unevaluatedProperties`` beside any of
# them is not the same as ``additionalProperties``.
_APPLICATORS = frozenset({"allOf", "anyOf", "oneOf", "not", "if", "then", "else", "$ref", "dependentSchemas"})


class SpecError(Exception):
    """The spec could not be read, is not valid OpenAPI, or lacks what the toolkit needs; one line."""


def default_spec_path() -> Path:
    """The spec of this checkout (``spec/``), or the copy packaged into an installed wheel."""
    # In a checkout (editable install, tests, scripts) the source of truth is spec/ itself.
    checkout = Path(__file__).resolve().parents[2] / "spec" / SPEC_FILENAME
    if checkout.is_file():
        return checkout
    packaged = resources.files("phone_contract") / "_data" / SPEC_FILENAME
    return Path(str(packaged))


def load_spec(path: Path | None = None) -> Spec:
    """The spec model of the file at ``path`` (default: :func:`default_spec_path`); SpecError if unusable."""
    return _load_file(str((path or default_spec_path()).resolve()))


@functools.cache
def _load_file(path: str) -> Spec:
    # Cached per path: the mock, the gate and the strict client all ask for it at start-up.
    return parse_spec(_read(Path(path), path), path, base_uri=Path(path).as_uri())


def parse_spec(text: str, origin: str, *, base_uri: str | None = None) -> Spec:
    """The spec model of spec text; ``origin`` names it in errors (a path, or ``git:REV:path``)."""
    document = parse_document(text, origin)
    uri = base_uri or _TEXT_URI
    _validate_openapi(document, origin, uri)
    loader = _Loader(origin, uri, document)
    contract = loader.dereference()
    spec = Spec(
        origin=origin,
        raw=document,
        document=contract,
        external=loader.external,
        text=text,
        uri=uri,
        _references=loader.references,
    )
    _check_examples(spec)
    return spec


def spec_from_document(document: dict[str, Any], origin: str) -> Spec:
    """The spec model of a document another tool already loaded and checked (schemathesis' schema in
    a check): its local ``$ref``s resolved and ``allOf`` merged, as :func:`parse_spec` does."""
    loader = _Loader(origin, _TEXT_URI, document)
    contract = loader.dereference()
    return Spec(origin=origin, raw=document, document=contract, uri=_TEXT_URI, _references=loader.references)


def parse_document(text: str, origin: str) -> dict[str, Any]:
    """YAML or JSON text as a mapping; SpecError naming the line and column of a syntax error."""
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or (str(exc).splitlines() or [type(exc).__name__])[0]
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
        raise SpecError(f"spec {origin} is not valid YAML or JSON{where}: {problem}") from None
    if not isinstance(document, dict):
        raise SpecError(f"spec {origin} is not an OpenAPI document (top level is not a mapping)")
    return document


def _read(path: Path, origin: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise SpecError(f"cannot read spec {origin}: {reason}") from None


def _validate_openapi(document: dict[str, Any], origin: str, base_uri: str) -> None:
    try:
        validate(document, base_uri=base_uri if base_uri != _TEXT_URI else "")
    except OpenAPIValidationError as exc:
        where = "/".join(str(part) for part in exc.path) or "<root>"
        # The validator's message may go on with the failing schema over many lines: keep the first.
        reason = exc.message.splitlines()[0] if exc.message else type(exc).__name__
        raise SpecError(f"spec {origin} is not valid OpenAPI at {where}: {reason}") from None
    except ValidatorDetectError:
        raise SpecError(f"spec {origin} is not valid OpenAPI: no 'openapi: 3.x' version field") from None
    except Unresolvable as exc:
        raise SpecError(f"spec {origin} is not valid OpenAPI: $ref {exc.ref!r} points nowhere") from None
    except (ValueError, TypeError, OSError) as exc:
        # ValueError: keys that are not strings, such as an unquoted 201 status; OSError: a sibling file.
        raise SpecError(f"spec {origin} is not valid OpenAPI: {_first_line(exc)}") from None


# --- $ref resolution and allOf merging -------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    """The ``$ref`` a node of the contract was written as: its absolute target and the name it gives."""

    target: str  # ``file:///.../spec.yaml#/components/schemas/PhoneNumber``
    name: str  # ``PhoneNumber``: the pointer's last segment, what a generated model class is named after

    @classmethod
    def to(cls, target: str) -> Reference:
        last = urldefrag(target)[1].rsplit("/", 1)[-1]
        return cls(target, unquote(last).replace("~1", "/").replace("~0", "~"))


# Contract node id -> (the reference it came from, the node itself, kept alive so the id stays its own).
References = dict[int, tuple[Reference, Any]]


class _Loader:
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
        text = _read(Path(unquote(parts.path)), uri)
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
        return self._carry(resolved, _normalize(resolved))

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
        return self._carry(wrapper, _normalize(wrapper))


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


def _normalize(schema: dict[str, Any]) -> dict[str, Any]:
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


# --- the model -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ResponseSpec:
    """One documented response: its key (``201``, ``4XX``, ``default``), schemas and headers."""

    key: str
    node: Mapping[str, Any]

    @property
    def description(self) -> str:
        return str(self.node.get("description", ""))

    @property
    def media_types(self) -> list[str]:
        return list(self.node.get("content") or {})

    def schema(self, media_type: str = JSON) -> dict[str, Any] | None:
        """The body's schema for ``media_type``; None when the response documents no such body."""
        media = (self.node.get("content") or {}).get(media_type)
        schema = media.get("schema") if isinstance(media, Mapping) else None
        return schema if isinstance(schema, dict) else None

    def examples(self, media_type: str = JSON) -> dict[str, Any]:
        return _media_examples((self.node.get("content") or {}).get(media_type))

    @property
    def headers(self) -> dict[str, Mapping[str, Any]]:
        return {str(name): header for name, header in (self.node.get("headers") or {}).items()}


@dataclass(frozen=True)
class Operation:
    """The create operation as the contract documents it."""

    spec: Spec
    path: str
    method: str
    node: Mapping[str, Any]

    @property
    def operation_id(self) -> str | None:
        value = self.node.get("operationId")
        return str(value) if value is not None else None

    @property
    def label(self) -> str:
        return f"{self.method.upper()} {self.path}"

    # Pointers into the contract document, for :meth:`Spec.source` (where a part was written).

    @property
    def pointer(self) -> tuple[str, ...]:
        return ("paths", self.path, self.method)

    def request_schema_pointer(self, media_type: str = JSON) -> tuple[str, ...]:
        return (*self.pointer, "requestBody", "content", media_type, "schema")

    def response_schema_pointer(self, key: str, media_type: str = JSON) -> tuple[str, ...]:
        return (*self.pointer, "responses", key, "content", media_type, "schema")

    def request_example_pointers(self, media_type: str = JSON) -> dict[str, tuple[str, ...]]:
        """Where each request example's value sits (names as in :meth:`request_examples`)."""
        media = ((self.node.get("requestBody") or {}).get("content") or {}).get(media_type)
        base = (*self.pointer, "requestBody", "content", media_type)
        found = {"example": (*base, "example")} if isinstance(media, Mapping) and "example" in media else {}
        for name in (media or {}).get("examples") or {}:
            found[str(name)] = (*base, "examples", str(name), "value")
        return found

    @property
    def request_body_required(self) -> bool:
        return bool((self.node.get("requestBody") or {}).get("required", False))

    @property
    def request_media_types(self) -> list[str]:
        return list((self.node.get("requestBody") or {}).get("content") or {})

    @property
    def request_schemas(self) -> dict[str, dict[str, Any]]:
        """The request body's schema by media type; ``{}`` (any body) where a media type gives none."""
        content = (self.node.get("requestBody") or {}).get("content") or {}
        found = {
            str(media_type): media.get("schema") if isinstance(media, Mapping) else None
            for media_type, media in content.items()
        }
        return {
            media_type: schema if isinstance(schema, dict) else {} for media_type, schema in found.items()
        }

    def request_schema(self, media_type: str = JSON) -> dict[str, Any]:
        """The request body's schema; SpecError when the operation takes no such body."""
        media = ((self.node.get("requestBody") or {}).get("content") or {}).get(media_type)
        schema = media.get("schema") if isinstance(media, Mapping) else None
        if not isinstance(schema, dict):
            kind = "JSON " if media_type == JSON else f"{media_type} "
            raise SpecError(f"spec {self.spec.origin}: {self.label} has no {kind}request body")
        return schema

    def request_examples(self, media_type: str = JSON) -> dict[str, Any]:
        """The request body's named examples (``example`` is named "example")."""
        return _media_examples(((self.node.get("requestBody") or {}).get("content") or {}).get(media_type))

    @property
    def responses(self) -> dict[str, ResponseSpec]:
        # An unquoted 201 in YAML is an int, a quoted one a string: the same status either way.
        return {
            str(key): ResponseSpec(str(key), node) for key, node in (self.node.get("responses") or {}).items()
        }

    @property
    def documented_statuses(self) -> list[str]:
        return sorted(self.responses)

    def response_for(self, status: int) -> ResponseSpec | None:
        """The response documented for ``status``: its exact code, else ``4XX``-style range, else default."""
        responses = self.responses
        for key in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default"):
            if key in responses:
                return responses[key]
        return None

    @property
    def success_status(self) -> int:
        """The lowest documented 2xx status: what a create answers (201 in the project's spec)."""
        codes = [int(key) for key in self.responses if key.isdigit() and key.startswith("2")]
        return min(codes) if codes else 200

    @property
    def error_statuses(self) -> list[int]:
        return sorted(int(key) for key in self.responses if key.isdigit() and key[0] in "45")

    @property
    def path_methods(self) -> list[str]:
        """Methods the spec documents on this operation's path, upper case (what ``Allow`` lists)."""
        item = self.spec.document["paths"][self.path]
        return [method.upper() for method in HTTP_METHODS if isinstance(item.get(method), Mapping)]

    @property
    def parameters(self) -> dict[tuple[str, str], Mapping[str, Any]]:
        """Parameters by (location, name), the path item's and the operation's own; the operation's
        replace the path item's of the same place and name (header names are case-insensitive)."""
        item = self.spec.document["paths"][self.path]
        found: dict[tuple[str, str], Mapping[str, Any]] = {}
        for parameter in [*(item.get("parameters") or []), *(self.node.get("parameters") or [])]:
            if not isinstance(parameter, Mapping):
                continue
            location, name = str(parameter.get("in", "")), str(parameter.get("name", ""))
            found[(location, name.lower() if location == "header" else name)] = parameter
        return found

    @property
    def served_elsewhere(self) -> list[str]:
        """Methods the API serves on the path outside this spec (:data:`SERVED_METHODS_EXTENSION`)."""
        item = self.spec.document["paths"][self.path]
        return sorted({str(method).upper() for method in item.get(SERVED_METHODS_EXTENSION) or []})

    @property
    def security(self) -> list[dict[str, list[str]]]:
        """The ways to authenticate (any one suffices); ``[]`` or ``[{}]`` means none is needed."""
        found = self.node.get("security", self.spec.document.get("security") or [])
        return [dict(requirement) for requirement in found]

    @property
    def bearer_required(self) -> bool:
        """Whether every way to call the operation needs an HTTP bearer token."""
        schemes = self.spec.security_schemes
        requirements = self.security
        if not requirements:
            return False

        def is_bearer(name: str) -> bool:
            scheme = schemes.get(name) or {}
            return scheme.get("type") == "http" and str(scheme.get("scheme", "")).lower() == "bearer"

        return all(requirement and any(map(is_bearer, requirement)) for requirement in requirements)

    @functools.cached_property
    def created_path(self) -> tuple[str, ...]:
        """Where the success body holds the created resource (``data.result.phoneNumber``): the object of
        the success schema that names the most fields of the request (breadth first on a tie). A request
        field the answer never carries (a new required one, say) does not hide the resource."""
        sent = set(properties_of(self.request_schema()))
        success = self.response_for(self.success_status)
        schema = success.schema() if success is not None else None
        best: tuple[int, tuple[str, ...]] = (0, ())
        queue: list[tuple[tuple[str, ...], Any]] = [((), schema)]
        while queue:
            parts, node = queue.pop(0)
            properties = properties_of(node)
            shared = len(sent & properties.keys())
            if parts and shared > best[0]:
                best = (shared, parts)
            queue += [((*parts, name), child) for name, child in properties.items() if len(parts) < 8]
        return best[1]


@dataclass(frozen=True)
class Spec:
    """A loaded, valid spec: ``raw`` as written, ``document`` the contract (refs resolved, allOf merged)."""

    origin: str
    raw: dict[str, Any]
    document: dict[str, Any]
    # Whether the spec reads sibling files: then the raw document alone is not the whole spec.
    external: bool = False
    # The text as written, when it was read from text.
    text: str = field(default="", repr=False)
    # The URI its $refs resolve against (a file:// URI for a file).
    uri: str = field(default="", repr=False)
    _validators: dict[int, Draft202012Validator] = field(default_factory=dict, compare=False, repr=False)
    _references: References = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_contract(cls, document: dict[str, Any], origin: str) -> Spec:
        """A model of an already resolved contract document (one that came out of :func:`parse_spec`)."""
        return cls(origin=origin, raw=document, document=document)

    @property
    def title(self) -> str:
        return str((self.document.get("info") or {}).get("title", ""))

    @property
    def version(self) -> str:
        return str((self.document.get("info") or {}).get("version", ""))

    @functools.cached_property
    def operations(self) -> tuple[Operation, ...]:
        """Every operation the spec documents, in the order of its paths and of :data:`HTTP_METHODS`."""
        return tuple(
            Operation(self, str(path), method, item[method])
            for path, item in (self.document.get("paths") or {}).items()
            if isinstance(item, Mapping)
            for method in HTTP_METHODS
            if isinstance(item.get(method), Mapping)
        )

    @functools.cached_property
    def operation(self) -> Operation:
        """The create operation: by ``operationId``, else ``POST /phone-numbers``; SpecError if neither."""
        fallback: Operation | None = None
        for operation in self.operations:
            if operation.operation_id == OPERATION_ID:
                return operation
            if operation.path == OPERATION_PATH and operation.method == OPERATION_METHOD:
                fallback = operation
        if fallback is None:
            raise SpecError(
                f"spec {self.origin} has no operation {OPERATION_ID} "
                f"({OPERATION_METHOD.upper()} {OPERATION_PATH})"
            )
        return fallback

    def with_request_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
        """A copy of the contract whose create operation takes ``schema`` as its (required) JSON body and
        has no request examples: a variant the gate generates from (see ``gate.deep``)."""
        operation = self.require_operation()
        variant = copy.deepcopy(self.document)
        variant["paths"][operation.path][operation.method]["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": schema}},
        }
        return variant

    def require_operation(self) -> Operation:
        """The create operation with its JSON request body: what every command needs before it starts."""
        operation = self.operation
        operation.request_schema()
        return operation

    @property
    def security_schemes(self) -> dict[str, Mapping[str, Any]]:
        """``components/securitySchemes`` by name."""
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        return {str(name): scheme for name, scheme in schemes.items() if isinstance(scheme, Mapping)}

    def reference(self, node: Any) -> Reference | None:
        """The ``$ref`` a node of the contract was written as (through a one-item ``allOf`` wrapper
        too); None when it was written inline, or is not a node of this contract."""
        found = self._references.get(id(node))
        return found[0] if found is not None and found[1] is node else None

    def follow(self, schema: Mapping[str, Any]) -> Mapping[str, Any]:
        """``schema``, or the contract schema it stands for when it is a recursive ``$ref`` the contract
        keeps (``#/components/schemas/PhoneNumber`` inside PhoneNumber itself)."""
        pointer = schema.get("$ref")
        if not isinstance(pointer, str):
            return schema
        try:
            target = self._contract_registry.resolver(_TEXT_URI).lookup(pointer).contents
        except (Unresolvable, PointerToNowhere, NoSuchResource):
            raise SpecError(f"spec {self.origin}: recursive $ref {pointer!r} points nowhere") from None
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        if not siblings or not isinstance(target, dict):
            return target if isinstance(target, Mapping) else {}
        return _normalize({"allOf": [target], **siblings})

    @functools.cached_property
    def _contract_registry(self) -> Registry[Any]:
        # The pointers the contract keeps are local (``#/...``): the contract alone resolves them.
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        registry: Registry[Any] = Registry().with_resource(_TEXT_URI, resource)
        return registry

    @property
    def server_urls(self) -> list[str]:
        """Every server URL with its variables set to their defaults."""
        urls = []
        for server in self.document.get("servers") or [{"url": "/"}]:
            url = str(server.get("url", "/"))
            for name, variable in (server.get("variables") or {}).items():
                url = url.replace("{" + str(name) + "}", str(variable.get("default", "")))
            urls.append(url)
        return urls

    @property
    def base_path(self) -> str:
        """The path part of the first server URL (``/api/v2``), where the API's paths are mounted."""
        path = urlsplit(self.server_urls[0]).path.rstrip("/")
        return path if path.startswith("/") or not path else "/" + path

    def source(self, pointer: Sequence[str | int]) -> tuple[str, tuple[str | int, ...]] | None:
        """Where the contract node at ``pointer`` was written: (file URI, pointer in that file's raw
        document), following the ``$ref`` and ``allOf`` parts it was resolved from; None if nowhere.

        ``learn`` edits the file through this, so a change lands in the component a ``$ref`` names.
        """
        return _Source(self).find(self.uri, (), self.raw, tuple(pointer))

    def standalone(self, schema: Mapping[str, Any]) -> dict[str, Any]:
        """``schema`` with what a JSON Schema validator needs to resolve it alone (recursive refs)."""
        result = dict(schema)
        if "components" in self.document and "components" not in result:
            result["components"] = self.document["components"]
        return result

    def validator(self, schema: Mapping[str, Any]) -> Draft202012Validator:
        """A cached validator (formats asserted) of a schema of the contract."""
        key = id(schema)
        found = self._validators.get(key)
        if found is None:
            found = Draft202012Validator(
                self.standalone(schema), format_checker=Draft202012Validator.FORMAT_CHECKER
            )
            # Keyed by identity: contract schemas live as long as the spec; keep the schema alive too.
            self._validators[key] = found
        return found

    def serialized(self) -> tuple[bytes, str]:
        """What a mock serves at ``/openapi.yaml``: the spec as written, or the resolved contract when the
        written one reads sibling files a client could not fetch."""
        if self.text and not self.external:
            return self.text.encode("utf-8"), "application/yaml"
        text = yaml.dump(self.document, Dumper=_NoAliases, sort_keys=False, allow_unicode=True)
        return text.encode("utf-8"), "application/yaml"


class _Source:
    """Walks the written documents along a contract pointer, the way :class:`_Loader` resolved them."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.documents: dict[str, Any] = {spec.uri: spec.raw}

    def find(  # noqa: PLR0911 - one return per way a step can go, in the order the loader takes them
        self, uri: str, at: tuple[str | int, ...], node: Any, rest: tuple[str | int, ...]
    ) -> tuple[str, tuple[str | int, ...]] | None:
        if not rest:
            return uri, at
        key, tail = rest[0], rest[1:]
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and not any(str(k) == str(key) for k in node):
                if key == "allOf" and tail[:1] == (0,):
                    # A $ref with siblings became ``allOf: [target]`` in the contract.
                    return self._follow(uri, ref, tail[1:])
                return self._follow(uri, ref, rest)
            # An unquoted status (201) is an int key in YAML, "201" in a pointer.
            written = next((k for k in node if str(k) == str(key)), None)
            if written is not None:
                found = self.find(uri, (*at, written), node[written], tail)
                if found is not None:
                    return found
            parts = node.get("allOf")
            if key != "allOf" and isinstance(parts, list):
                # A merged allOf: the key lives in one of its parts.
                for index, part in enumerate(parts):
                    found = self.find(uri, (*at, "allOf", index), part, rest)
                    if found is not None:
                        return found
        elif isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
            return self.find(uri, (*at, key), node[key], tail)
        return None

    def _follow(
        self, uri: str, ref: str, rest: tuple[str | int, ...]
    ) -> tuple[str, tuple[str | int, ...]] | None:
        target = urldefrag(uri)[0] + ref if ref.startswith("#") else urljoin(uri, ref)
        document_uri, fragment = urldefrag(target)
        if document_uri not in self.documents:
            if urlsplit(document_uri).scheme != "file":
                return None
            self.documents[document_uri] = parse_document(
                _read(Path(unquote(urlsplit(document_uri).path)), document_uri), document_uri
            )
        node: Any = self.documents[document_uri]
        at: tuple[str | int, ...] = ()
        for token in [part for part in unquote(fragment).split("/") if part]:
            step: str | int = token.replace("~1", "/").replace("~0", "~")
            if isinstance(node, list) and str(step).isdigit():
                step = int(step)
            elif isinstance(node, dict):
                step = next((k for k in node if str(k) == step), step)
            try:
                node = node[step]
            except (KeyError, IndexError, TypeError):
                return None
            at = (*at, step)
        return self.find(document_uri, at, node, rest)


class _NoAliases(yaml.SafeDumper):
    """The contract shares schema objects between places; YAML readers want them written out."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


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


def _media_examples(media: Any) -> dict[str, Any]:
    if not isinstance(media, Mapping):
        return {}
    found: dict[str, Any] = {}
    if "example" in media:
        found["example"] = media["example"]
    for name, example in (media.get("examples") or {}).items():
        if isinstance(example, Mapping) and "value" in example:
            found[str(name)] = example["value"]
    return found


def _examples(spec: Spec) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    """Every media-type example of every operation: (where, its schema, its value)."""
    for path, item in (spec.document.get("paths") or {}).items():
        for method in HTTP_METHODS:
            operation = item.get(method) if isinstance(item, Mapping) else None
            if not isinstance(operation, Mapping):
                continue
            label = f"{method.upper()} {path}"
            body = (operation.get("requestBody") or {}).get("content") or {}
            for media_type, media in body.items():
                yield from _media(media, f"the {media_type} request body of {label}")
            for status, response in (operation.get("responses") or {}).items():
                for media_type, media in (response.get("content") or {}).items():
                    yield from _media(media, f"the {status} {media_type} response of {label}")


def _media(media: Any, where: str) -> Iterator[tuple[str, Mapping[str, Any], Any]]:
    schema = media.get("schema") if isinstance(media, Mapping) else None
    if not isinstance(schema, Mapping):
        return
    for name, value in _media_examples(media).items():
        yield f"example {name!r} of {where}", schema, value


def _check_examples(spec: Spec) -> None:
    """A spec whose own examples break its schemas contradicts itself: the first such example, named."""
    for where, schema, value in _examples(spec):
        validator = Draft202012Validator(
            spec.standalone(schema), format_checker=Draft202012Validator.FORMAT_CHECKER
        )
        error = next(iter(sorted(validator.iter_errors(value), key=lambda e: list(map(str, e.path)))), None)
        if error is not None:
            raise SpecError(
                f"spec {spec.origin}: {where} does not match its schema: "
                f"{json_path(list(error.absolute_path))}: {_first_line(error.message)}"
            )


def _first_line(exc: BaseException | str) -> str:
    text = exc if isinstance(exc, str) else str(exc) or type(exc).__name__
    return (text.splitlines() or [text])[0][:300]


# What callers may pass where a spec is wanted: a loaded one, or None for the project's.
SpecLike = Spec | None


def spec_or_default(spec: SpecLike) -> Spec:
    return load_spec() if spec is None else spec


__all__ = [
    "HTTP_METHODS",
    "JSON",
    "OPERATION_ID",
    "SERVED_METHODS_EXTENSION",
    "Operation",
    "Reference",
    "ResponseSpec",
    "Spec",
    "SpecError",
    "default_spec_path",
    "load_spec",
    "parse_document",
    "parse_spec",
    "properties_of",
    "spec_from_document",
    "spec_or_default",
]
