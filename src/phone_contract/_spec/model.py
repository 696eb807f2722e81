"""The questions the parts ask of a spec: its operations, their bodies, responses, links and semantics.

A :class:`Spec` is a loaded, valid spec: ``raw`` as written, ``document`` the contract (every ``$ref``
resolved, ``allOf`` merged). Every part asks it, and its :class:`Operation` objects, instead of
walking the document: nothing else indexes ``paths`` or ``content``.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import yaml
from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, PointerToNowhere, Unresolvable
from referencing.jsonschema import DRAFT202012

from phone_contract._spec.documents import HTTP_METHODS, JSON, TEXT_URI, NoAliases
from phone_contract._spec.errors import SpecError
from phone_contract._spec.provenance import Source
from phone_contract._spec.resolution import Reference, References, normalize
from phone_contract._spec.semantics import Semantics, read_semantics

# Methods that change nothing on a server that keeps HTTP's rules (RFC 9110 section 9.2.1).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# On a path item: methods the API serves on the path that this spec does not document. Written by
# older versions of `learn`; read still, so such a spec keeps working (see Operation.served_elsewhere).
SERVED_METHODS_EXTENSION = "x-phone-contract-served-methods"
_TEMPLATE = re.compile(r"\{[^}/]+\}")


def media_examples(media: Any) -> dict[str, Any]:
    """The named examples of a media type object (``example`` is named "example")."""
    if not isinstance(media, Mapping):
        return {}
    found: dict[str, Any] = {}
    if "example" in media:
        found["example"] = media["example"]
    for name, example in (media.get("examples") or {}).items():
        if isinstance(example, Mapping) and "value" in example:
            found[str(name)] = example["value"]
    return found


@dataclass(frozen=True)
class ResponseSpec:
    """One documented response: its key (``201``, ``4XX``, ``default``), schemas, headers and links."""

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
        return media_examples((self.node.get("content") or {}).get(media_type))

    @property
    def headers(self) -> dict[str, Mapping[str, Any]]:
        return {str(name): header for name, header in (self.node.get("headers") or {}).items()}

    @property
    def links(self) -> dict[str, Mapping[str, Any]]:
        return {str(name): link for name, link in (self.node.get("links") or {}).items()}


@dataclass(frozen=True)
class Link:
    """An OpenAPI link: an answer of ``source`` (status ``status``) feeds a request of ``target``."""

    name: str
    source: Operation
    status: str
    target: Operation
    # The target's request body, with runtime expressions ($request.body#/..., $response.body#/...).
    request_body: Any
    parameters: Mapping[str, Any]


# Compared by identity: a spec builds each operation once, and parts key their views of it by it.
@dataclass(frozen=True, eq=False)
class Operation:
    """One operation of the contract: its request, its responses, and what it does (its semantics)."""

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
        """``POST /phone-numbers``: how every report names the operation."""
        return f"{self.method.upper()} {self.path}"

    @property
    def name(self) -> str:
        """The operationId where there is one, else the label."""
        return self.operation_id or self.label

    @property
    def safe(self) -> bool:
        """Whether the method changes nothing (GET, HEAD...): every other one may."""
        return self.method.upper() in SAFE_METHODS

    @functools.cached_property
    def semantics(self) -> Semantics:
        """What the operation does to the resources it touches (``x-phone-contract``, else defaults)."""
        return read_semantics(self)

    def matches(self, method: str, path: str) -> bool:
        """Whether a request ``method path`` calls this operation (path parameters match any segment)."""
        if method.upper() != self.method.upper():
            return False
        return self._path_pattern.fullmatch(path) is not None

    def path_values(self, path: str) -> dict[str, str]:
        """The path parameters' values in a request path this operation matches (percent-encoded)."""
        found = self._path_pattern.fullmatch(path)
        return {name: found.group(index) for index, name in enumerate(self._path_names, 1)} if found else {}

    @functools.cached_property
    def _path_names(self) -> list[str]:
        return [name[1:-1] for name in _TEMPLATE.findall(self.path)]

    @functools.cached_property
    def _path_pattern(self) -> re.Pattern[str]:
        parts = _TEMPLATE.split(self.path)
        return re.compile("([^/]+)".join(re.escape(part) for part in parts))

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
        media = self._request_content.get(media_type)
        base = (*self.pointer, "requestBody", "content", media_type)
        found = {"example": (*base, "example")} if isinstance(media, Mapping) and "example" in media else {}
        for name in (media or {}).get("examples") or {}:
            found[str(name)] = (*base, "examples", str(name), "value")
        return found

    # --- the request ---------------------------------------------------------------------------

    @property
    def _request_content(self) -> Mapping[str, Any]:
        return (self.node.get("requestBody") or {}).get("content") or {}

    @property
    def request_body_required(self) -> bool:
        return bool((self.node.get("requestBody") or {}).get("required", False))

    @property
    def request_media_types(self) -> list[str]:
        return list(self._request_content)

    @property
    def request_schemas(self) -> dict[str, dict[str, Any]]:
        """The request body's schema by media type; ``{}`` (any body) where a media type gives none."""
        found = {
            str(media_type): media.get("schema") if isinstance(media, Mapping) else None
            for media_type, media in self._request_content.items()
        }
        return {
            media_type: schema if isinstance(schema, dict) else {} for media_type, schema in found.items()
        }

    def request_schema(self, media_type: str = JSON) -> dict[str, Any] | None:
        """The request body's schema for ``media_type``; None when the operation takes no such body."""
        media = self._request_content.get(media_type)
        schema = media.get("schema") if isinstance(media, Mapping) else None
        return schema if isinstance(schema, dict) else None

    def request_examples(self, media_type: str = JSON) -> dict[str, Any]:
        """The request body's named examples (``example`` is named "example")."""
        return media_examples(self._request_content.get(media_type))

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

    # --- the responses -------------------------------------------------------------------------

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
        """The lowest documented 2xx status: what a valid request is answered with."""
        codes = [int(key) for key in self.responses if key.isdigit() and key.startswith("2")]
        return min(codes) if codes else 200

    @property
    def success_schema(self) -> dict[str, Any] | None:
        """The JSON schema of the success answer; None when it documents no JSON body."""
        response = self.response_for(self.success_status)
        return response.schema() if response is not None else None

    @property
    def error_statuses(self) -> list[int]:
        return sorted(int(key) for key in self.responses if key.isdigit() and key[0] in "45")

    @property
    def links(self) -> list[Link]:
        """Every link from one of this operation's answers to an operation of the spec."""
        found = []
        for key, response in self.responses.items():
            for name, link in response.links.items():
                target = self.spec.find_operation(str(link.get("operationId", "")))
                if target is not None:
                    body = link.get("requestBody")
                    parameters = link.get("parameters") or {}
                    found.append(Link(name, self, key, target, body, parameters))
        return found

    # --- the path and security -----------------------------------------------------------------

    @property
    def path_methods(self) -> list[str]:
        """Methods the spec documents on this operation's path, upper case (what ``Allow`` lists)."""
        item = self.spec.document["paths"][self.path]
        return [method.upper() for method in HTTP_METHODS if isinstance(item.get(method), Mapping)]

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
    _derived: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    def derived(self, name: str, build: Callable[[], Any]) -> Any:
        """What ``build`` makes of this spec, built once: the parts' compiled views of it (a checker,
        an index) live as long as the spec, and a spec never changes."""
        if name not in self._derived:
            self._derived[name] = build()
        return self._derived[name]

    @property
    def title(self) -> str:
        return str((self.document.get("info") or {}).get("title", ""))

    @property
    def version(self) -> str:
        return str((self.document.get("info") or {}).get("version", ""))

    # --- operations ----------------------------------------------------------------------------

    @functools.cached_property
    def operations(self) -> tuple[Operation, ...]:
        """Every operation the spec documents, in the order the spec writes them."""
        return tuple(
            Operation(self, str(path), str(method), operation)
            for path, item in (self.document.get("paths") or {}).items()
            if isinstance(item, Mapping)
            for method, operation in item.items()
            if method in HTTP_METHODS and isinstance(operation, Mapping)
        )

    def find_operation(self, key: str) -> Operation | None:
        """The operation with operationId ``key``, or labelled ``key`` (``PUT /phone-numbers``)."""
        return next(
            (op for op in self.operations if key in (op.operation_id, op.label, op.label.lower())), None
        )

    def require_operations(self) -> tuple[Operation, ...]:
        """Every operation; SpecError when there is none (nothing to serve, test or check)."""
        if not self.operations:
            raise SpecError(f"spec {self.origin} documents no operation")
        for operation in self.operations:
            operation.semantics  # noqa: B018 - read now, so a malformed extension is one line at start
        return self.operations

    def operation_for(self, method: str, path: str) -> Operation | None:
        """The operation a request calls: ``path`` as the API sees it (under the server's base path) or
        as written in the spec; an exact path wins over a templated one."""
        candidates = [path.rstrip("/") or "/"]
        base = self.base_path
        if base and (path == base or path.startswith(base + "/")):
            candidates.insert(0, path[len(base) :] or "/")
        for candidate in candidates:
            found = [op for op in self.operations if op.matches(method, candidate)]
            if found:
                return next((op for op in found if op.path == candidate), found[0])
        return None

    def on_path(self, path: str) -> list[Operation]:
        """Every operation documented on the path a request went to (any method)."""
        return [
            op
            for method in {op.method for op in self.operations}
            if (op := self.operation_for(method, path)) is not None
        ]

    def with_request_schema(self, operation: Operation, schema: dict[str, Any]) -> dict[str, Any]:
        """A copy of the contract whose ``operation`` takes ``schema`` as its (required) JSON body and
        has no request examples: a variant the gate generates from (see ``gate.deep``)."""
        variant = copy.deepcopy(self.document)
        variant["paths"][operation.path][operation.method]["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": schema}},
        }
        return variant

    # --- components, servers -------------------------------------------------------------------

    @property
    def security_schemes(self) -> dict[str, Mapping[str, Any]]:
        """``components/securitySchemes`` by name."""
        schemes = (self.document.get("components") or {}).get("securitySchemes") or {}
        return {str(name): scheme for name, scheme in schemes.items() if isinstance(scheme, Mapping)}

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

    # --- schemas -------------------------------------------------------------------------------

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
            target = self._contract_registry.resolver(TEXT_URI).lookup(pointer).contents
        except (Unresolvable, PointerToNowhere, NoSuchResource):
            raise SpecError(f"spec {self.origin}: recursive $ref {pointer!r} points nowhere") from None
        siblings = {key: value for key, value in schema.items() if key != "$ref"}
        if not siblings or not isinstance(target, dict):
            return target if isinstance(target, Mapping) else {}
        return normalize({"allOf": [target], **siblings})

    @functools.cached_property
    def _contract_registry(self) -> Registry[Any]:
        # The pointers the contract keeps are local (``#/...``): the contract alone resolves them.
        resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
        registry: Registry[Any] = Registry().with_resource(TEXT_URI, resource)
        return registry

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

    # --- the document as written ---------------------------------------------------------------

    def source(self, pointer: Sequence[str | int]) -> tuple[str, tuple[str | int, ...]] | None:
        """Where the contract node at ``pointer`` was written: (file URI, pointer in that file's raw
        document), following the ``$ref`` and ``allOf`` parts it was resolved from; None if nowhere.

        ``learn`` edits the file through this, so a change lands in the component a ``$ref`` names.
        """
        return Source(self).find(self.uri, (), self.raw, tuple(pointer))

    def serialized(self) -> tuple[bytes, str]:
        """What a mock serves at ``/openapi.yaml``: the spec as written, or the resolved contract when the
        written one reads sibling files a client could not fetch."""
        if self.text and not self.external:
            return self.text.encode("utf-8"), "application/yaml"
        text = yaml.dump(self.document, Dumper=NoAliases, sort_keys=False, allow_unicode=True)
        return text.encode("utf-8"), "application/yaml"
