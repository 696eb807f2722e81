"""Equivalent restatements of the project's spec, and specs the toolkit cannot use.

Each restatement says exactly what the project's spec says, in another valid OpenAPI 3.1 layout
(a ``$ref``'d request body, responses in components, everything inlined, ``allOf`` wrappers, JSON,
a sibling file...). They are built from the project's spec by a transformation each, so they follow
the spec as it changes; every part of the toolkit must treat each one as the same contract.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from phone_contract import default_spec_path

Document = dict[str, Any]
# A restatement: the project's spec in, the files to write out (the first one is the spec itself).
Transform = Callable[[Document], dict[str, str]]

SCHEMA_PREFIX = "#/components/schemas/"


def project_document() -> Document:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def _yaml(document: Document) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def _operation(document: Document, method: str = "post") -> Document:
    operation: Document = document["paths"]["/phone-numbers"][method]
    return operation


def _rewrite_refs(node: Any, rewrite: Callable[[str], Any]) -> Any:
    """``node`` with every ``{"$ref": r}`` replaced by ``rewrite(r)``."""
    if isinstance(node, list):
        return [_rewrite_refs(item, rewrite) for item in node]
    if not isinstance(node, dict):
        return node
    if isinstance(node.get("$ref"), str) and len(node) == 1:
        return rewrite(node["$ref"])
    # The project's examples hold no {"$ref": ...} of their own, so descending into them is safe.
    return {key: _rewrite_refs(value, rewrite) for key, value in node.items()}


def request_body_ref(document: Document) -> dict[str, str]:
    bodies = document.setdefault("components", {}).setdefault("requestBodies", {})
    for method, name in (("post", "CreatePhoneNumber"), ("put", "UpdatePhoneNumbers")):
        operation = _operation(document, method)
        bodies[name] = operation["requestBody"]
        operation["requestBody"] = {"$ref": f"#/components/requestBodies/{name}"}
    return {"spec.yaml": _yaml(document)}


def responses_ref(document: Document) -> dict[str, str]:
    responses = document.setdefault("components", {}).setdefault("responses", {})
    for method in ("post", "put"):
        operation = _operation(document, method)
        for status, response in list(operation["responses"].items()):
            name = f"{method.title()}Status{status}"
            responses[name] = response
            operation["responses"][status] = {"$ref": f"#/components/responses/{name}"}
    return {"spec.yaml": _yaml(document)}


def examples_ref(document: Document) -> dict[str, str]:
    examples = document.setdefault("components", {}).setdefault("examples", {})
    for method in ("post", "put"):
        operation = _operation(document, method)
        media = [operation["requestBody"]["content"]["application/json"]]
        media += [response["content"]["application/json"] for response in operation["responses"].values()]
        for item in media:
            for name, example in list(item.get("examples", {}).items()):
                key = f"{method}-{name}"
                examples[key] = example
                item["examples"][name] = {"$ref": f"#/components/examples/{key}"}
    return {"spec.yaml": _yaml(document)}


def inlined(document: Document) -> dict[str, str]:
    schemas = document["components"].pop("schemas")

    def inline(ref: str) -> Any:
        return _rewrite_refs(copy.deepcopy(schemas[ref.removeprefix(SCHEMA_PREFIX)]), inline)

    document["paths"] = _rewrite_refs(document["paths"], inline)
    return {"spec.yaml": _yaml(document)}


def allof_wrapped(document: Document) -> dict[str, str]:
    """Every schema ``$ref`` as a one-item ``allOf`` with a description beside it."""

    def wrap(ref: str) -> Any:
        if not ref.startswith(SCHEMA_PREFIX):
            return {"$ref": ref}
        return {"allOf": [{"$ref": ref}], "description": f"See {ref.removeprefix(SCHEMA_PREFIX)}."}

    document["paths"] = _rewrite_refs(document["paths"], wrap)
    document["components"]["schemas"] = _rewrite_refs(document["components"]["schemas"], wrap)
    return {"spec.yaml": _yaml(document)}


def _split(schema: Document, first: list[str]) -> Document:
    """An object schema as ``allOf`` of two parts, closed (if it was) with unevaluatedProperties."""
    properties, required = schema["properties"], schema.get("required", [])
    parts = []
    for names in (first, [name for name in properties if name not in first]):
        part: Document = {"type": "object", "properties": {name: properties[name] for name in names}}
        needed = [name for name in required if name in names]
        if needed:
            part["required"] = needed
        parts.append(part)
    result: Document = {"description": schema.get("description", ""), "allOf": parts}
    result |= {key: value for key, value in schema.items() if key.startswith("x-")}
    if schema.get("additionalProperties") is False:
        result["unevaluatedProperties"] = False
    return result


def allof_split(document: Document) -> dict[str, str]:
    """The request object and the created phone number, each split in two by ``allOf``."""
    schemas = document["components"]["schemas"]
    schemas["CreatePhoneNumberRequest"] = _split(
        schemas["CreatePhoneNumberRequest"], ["number", "workspaceId"]
    )
    schemas["PhoneNumber"] = _split(schemas["PhoneNumber"], ["id", "number", "workspaceId", "userId"])
    return {"spec.yaml": _yaml(document)}


def as_json(document: Document) -> dict[str, str]:
    return {"spec.json": json.dumps(document, indent=2, ensure_ascii=False)}


def _reversed(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _reversed(node[key]) for key in reversed(list(node))}
    if isinstance(node, list):
        return [_reversed(item) for item in node]
    return node


def reordered(document: Document) -> dict[str, str]:
    """Every mapping's keys in reverse order (lists, whose order means something, kept)."""
    return {"spec.yaml": _yaml(_reversed(document))}


def server_variables(document: Document) -> dict[str, str]:
    document["servers"] = [
        {
            "url": "https://{host}/api/{version}",
            "variables": {
                "host": {"default": "app.freyavoice.ai"},
                "version": {"default": "v2", "enum": ["v2"]},
            },
        }
    ]
    return {"spec.yaml": _yaml(document)}


def sibling_file(document: Document) -> dict[str, str]:
    """The schemas in a file of their own beside the spec, referred to as ``schemas.yaml#/Name``."""
    schemas = document["components"].pop("schemas")

    def local(ref: str) -> Any:
        return {"$ref": "#/" + ref.removeprefix(SCHEMA_PREFIX)}

    def sibling(ref: str) -> Any:
        return {"$ref": "schemas.yaml#/" + ref.removeprefix(SCHEMA_PREFIX)}

    document["paths"] = _rewrite_refs(document["paths"], sibling)
    return {"spec.yaml": _yaml(document), "schemas.yaml": _yaml(_rewrite_refs(schemas, local))}


RESTATEMENTS: dict[str, Transform] = {
    "request-body-ref": request_body_ref,
    "responses-ref": responses_ref,
    "examples-ref": examples_ref,
    "inlined": inlined,
    "allof-wrapped": allof_wrapped,
    "allof-split": allof_split,
    "json": as_json,
    "reordered": reordered,
    "server-variables": server_variables,
    "sibling-file": sibling_file,
}


# --- a third operation the toolkit has never seen: a read-only list, in the spec's own terms -------


def with_a_list(document: Document) -> dict[str, str]:
    """The project's spec with ``GET /phone-numbers``: a workspace's numbers, oldest first. Nothing in the
    toolkit names it: it says what it does in ``x-phone-contract`` (role list, where its answer holds
    the numbers), and its scope is the query parameter named as the resource's scope."""
    schemas = document["components"]["schemas"]
    schemas["PhoneNumberList"] = {
        "type": "object",
        "description": "A workspace's numbers.",
        "required": ["success", "data"],
        "properties": {
            "success": {"type": "boolean", "const": True, "description": "Always `true` on success."},
            "data": {
                "type": "object",
                "description": "Payload of the list.",
                "required": ["result"],
                "properties": {
                    "result": {
                        "type": "object",
                        "description": "The numbers.",
                        "required": ["phoneNumbers"],
                        "properties": {
                            "phoneNumbers": {
                                "type": "array",
                                "description": "Every number of the workspace, oldest first.",
                                "items": {"$ref": "#/components/schemas/PhoneNumber"},
                            }
                        },
                    }
                },
            },
        },
    }
    error = {"$ref": "#/components/schemas/ErrorResponse"}
    document["paths"]["/phone-numbers"]["get"] = {
        "operationId": "listPhoneNumbers",
        "summary": "List phone numbers",
        "description": "The numbers of one workspace.",
        "tags": ["Phone numbers"],
        "x-phone-contract": {"role": "list", "answer": "/data/result/phoneNumbers"},
        "parameters": [
            {
                "name": "workspaceId",
                "in": "query",
                "required": True,
                "description": "The workspace whose numbers to list.",
                "schema": {"type": "string", "format": "uuid"},
            }
        ],
        "responses": {
            "200": {
                "description": "The workspace's numbers.",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PhoneNumberList"}}},
            },
            "400": {
                "description": "A malformed workspace.",
                "content": {"application/json": {"schema": error}},
            },
            "401": {
                "description": "No or a wrong token.",
                "content": {"application/json": {"schema": error}},
            },
        },
    }
    document["info"]["version"] = "1.2.0"
    return {"spec.yaml": _yaml(document)}


def write_restatement(name: str, folder: Path) -> Path:
    """Write restatement ``name`` into ``folder``; return the path of its spec file."""
    files = (with_a_list if name == "with-a-list" else RESTATEMENTS[name])(project_document())
    folder.mkdir(parents=True, exist_ok=True)
    for filename, text in files.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder / next(iter(files))


# --- specs the toolkit cannot use: (files, the words its one line must contain) -----------------


def _without_operation(document: Document) -> dict[str, str]:
    document["paths"] = {}
    return {"spec.yaml": _yaml(document)}


def _misspelt_role(document: Document) -> dict[str, str]:
    _operation(document, "put")["x-phone-contract"]["role"] = "updat"
    return {"spec.yaml": _yaml(document)}


def _resource_names_no_field(document: Document) -> dict[str, str]:
    document["components"]["schemas"]["PhoneNumber"]["x-phone-contract-resource"]["unique"] = ["phone"]
    return {"spec.yaml": _yaml(document)}


def _update_without_items(document: Document) -> dict[str, str]:
    del _operation(document, "put")["x-phone-contract"]["items"]
    return {"spec.yaml": _yaml(document)}


def _update_without_id(document: Document) -> dict[str, str]:
    # Its resources name no id: no request of the update could be shown to address the run's own.
    del document["components"]["schemas"]["PhoneNumber"]["x-phone-contract-resource"]["id"]
    return {"spec.yaml": _yaml(document)}


def _without_request_body(document: Document) -> dict[str, str]:
    del _operation(document)["requestBody"]
    return {"spec.yaml": _yaml(document)}


def _xml_request_body(document: Document) -> dict[str, str]:
    content = _operation(document)["requestBody"]["content"]
    content["application/xml"] = content.pop("application/json")
    return {"spec.yaml": _yaml(document)}


def _example_breaks_schema(document: Document) -> dict[str, str]:
    example = _operation(document)["requestBody"]["content"]["application/json"]["examples"]
    example["mainSupportLine"]["value"]["number"] = "+1"
    return {"spec.yaml": _yaml(document)}


def _ref_nowhere(document: Document) -> dict[str, str]:
    _operation(document)["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Nowhere"
    }
    return {"spec.yaml": _yaml(document)}


def _missing_sibling(document: Document) -> dict[str, str]:
    _operation(document)["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "missing.yaml#/CreatePhoneNumberRequest"
    }
    return {"spec.yaml": _yaml(document)}


UNUSABLE: dict[str, tuple[Transform, str]] = {
    "no-operation": (_without_operation, "documents no operation"),
    "no-request-body": (_without_request_body, "echo names 'number', which the request does not send"),
    "xml-request-body": (_xml_request_body, "echo names 'number', which the request does not send"),
    "misspelt-role": (_misspelt_role, "x-phone-contract at /role: 'updat' is not one of"),
    "resource-names-no-field": (_resource_names_no_field, "unique names 'phone'"),
    "update-without-items": (_update_without_items, "an update names its request's 'items'"),
    "update-without-id": (_update_without_id, "the resources an update answers name their 'id'"),
    "example-breaks-schema": (_example_breaks_schema, "example 'mainSupportLine'"),
    "ref-nowhere": (_ref_nowhere, "points nowhere"),
    "missing-sibling": (_missing_sibling, "missing.yaml"),
    "not-yaml": (lambda document: {"spec.yaml": "openapi: 3.1.0\ninfo: [unclosed\n"}, "at line 3, column 1"),
    "not-openapi": (lambda document: {"spec.yaml": "hello: world\n"}, "not valid OpenAPI"),
    "not-a-mapping": (lambda document: {"spec.yaml": "- a list\n"}, "not an OpenAPI document"),
}


def write_unusable(name: str, folder: Path) -> tuple[Path, str]:
    """Write unusable spec ``name`` into ``folder``; return its path and the words its error must hold."""
    transform, words = UNUSABLE[name]
    files = transform(project_document())
    folder.mkdir(parents=True, exist_ok=True)
    for filename, text in files.items():
        (folder / filename).write_text(text, encoding="utf-8")
    return folder / next(iter(files)), words
