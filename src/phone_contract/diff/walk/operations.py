"""Compare two specs operation by operation: security, parameters, request body, responses.

Operations are matched by method and path, with path-parameter names ignored
(``/numbers/{id}`` and ``/numbers/{numberId}`` are one operation). Response headers, links,
callbacks, webhooks and parameters described by ``content`` (not ``schema``) are not compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from phone_contract.diff.model import Change
from phone_contract.diff.refs import Node, Resolver
from phone_contract.diff.rules import RULES, Side
from phone_contract.diff.walk.schemas import SchemaWalk

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_TEMPLATE = re.compile(r"\{[^}]*\}")

Alternative = tuple[tuple[str, tuple[str, ...]], ...]


@dataclass(frozen=True)
class Operation:
    label: str  # "POST /phone-numbers"
    node: Node
    path_item: Node


def _operations(resolver: Resolver) -> dict[tuple[str, str], Operation]:
    found: dict[tuple[str, str], Operation] = {}
    for path, raw_item in (resolver.document.get("paths") or {}).items():
        item = resolver.resolve(raw_item).node
        for method in METHODS:
            if isinstance(item.get(method), dict):
                key = (method, _TEMPLATE.sub("{}", path))
                found[key] = Operation(f"{method.upper()} {path}", item[method], item)
    return found


def _label(alternative: Alternative) -> str:
    if not alternative:
        return "no authentication"
    return " + ".join(f"{name}{list(scopes) if scopes else ''}" for name, scopes in alternative)


@dataclass
class SpecWalk:
    old: Resolver
    new: Resolver
    changes: list[Change] = field(default_factory=list)

    def _add(self, rule_id: str, operation: str, part: str, message: str, **where: Any) -> None:
        self.changes.append(Change(RULES[rule_id], operation, part, message, **where))

    def run(self) -> list[Change]:
        old_ops, new_ops = _operations(self.old), _operations(self.new)
        for key in sorted(old_ops.keys() | new_ops.keys()):
            before, after = old_ops.get(key), new_ops.get(key)
            if after is None:
                assert before is not None
                self._add("operation-removed", before.label, "operation", "operation removed")
            elif before is None:
                self._add("operation-added", after.label, "operation", "new operation")
            else:
                self._operation(before, after)
        return self.changes

    def _operation(self, before: Operation, after: Operation) -> None:
        self._security(after.label, before.node, after.node)
        self._parameters(after.label, before, after)
        self._request_body(after.label, before.node, after.node)
        self._responses(after.label, before.node, after.node)

    def _schemas(self, side: Side, operation: str, part: str, **where: Any) -> SchemaWalk:
        def emit(rule_id: str, path: str, message: str) -> None:
            self._add(rule_id, operation, part, message, path=path, **where)

        return SchemaWalk(self.old, self.new, side, emit)

    # --- security -------------------------------------------------------------------------------

    @staticmethod
    def _alternatives(resolver: Resolver, operation: Node) -> set[Alternative]:
        # An operation's own `security` replaces the document's; each entry is one way to authenticate.
        requirements = operation.get("security", resolver.document.get("security") or [])
        return {
            tuple(sorted((name, tuple(sorted(scopes or ()))) for name, scopes in requirement.items()))
            for requirement in requirements
        }

    def _security(self, label: str, before: Node, after: Node) -> None:
        old_alts, new_alts = self._alternatives(self.old, before), self._alternatives(self.new, after)
        for alt in sorted(old_alts - new_alts):
            self._add("security-alternative-removed", label, "security", f"{_label(alt)} no longer accepted")
        for alt in sorted(new_alts - old_alts):
            self._add("security-alternative-added", label, "security", f"{_label(alt)} now accepted")
        for name in sorted({name for alt in old_alts & new_alts for name, _ in alt}):
            old_scheme, new_scheme = (
                {k: v for k, v in self._scheme(resolver, name).items() if k != "description"}
                for resolver in (self.old, self.new)
            )
            if old_scheme != new_scheme:
                self._add(
                    "security-scheme-changed", label, "security", f"scheme {name!r} changed its definition"
                )

    @staticmethod
    def _scheme(resolver: Resolver, name: str) -> Node:
        schemes = (resolver.document.get("components") or {}).get("securitySchemes") or {}
        return resolver.resolve(schemes.get(name)).node

    # --- parameters -----------------------------------------------------------------------------

    @staticmethod
    def _parameters_of(resolver: Resolver, operation: Operation) -> dict[tuple[str, str], Node]:
        found: dict[tuple[str, str], Node] = {}
        # Operation-level parameters override path-level ones with the same location and name.
        for raw in [
            *(operation.path_item.get("parameters") or []),
            *(operation.node.get("parameters") or []),
        ]:
            parameter = resolver.resolve(raw).node
            name = str(parameter.get("name", ""))
            location = str(parameter.get("in", ""))
            found[(location, name.lower() if location == "header" else name)] = parameter
        return found

    def _parameters(self, label: str, before: Operation, after: Operation) -> None:
        old_params, new_params = self._parameters_of(self.old, before), self._parameters_of(self.new, after)
        for key in sorted(old_params.keys() | new_params.keys()):
            where = f"{key[0]}.{key[1]}"
            old_param, new_param = old_params.get(key), new_params.get(key)
            if new_param is None:
                self._add("parameter-removed", label, "parameter", f"{where} removed", path=where)
            elif old_param is None:
                required = bool(new_param.get("required"))
                rule = "parameter-added-required" if required else "parameter-added"
                kind = "required" if required else "optional"
                self._add(rule, label, "parameter", f"new {kind} {where}", path=where)
            else:
                was, now = bool(old_param.get("required")), bool(new_param.get("required"))
                if was != now:
                    rule = "parameter-became-required" if now else "parameter-became-optional"
                    self._add(
                        rule,
                        label,
                        "parameter",
                        f"{where} is {'now' if now else 'no longer'} required",
                        path=where,
                    )
                walk = self._schemas(Side.REQUEST, label, "parameter")
                walk.compare(old_param.get("schema", {}), new_param.get("schema", {}), where)

    # --- bodies ---------------------------------------------------------------------------------

    def _request_body(self, label: str, before: Node, after: Node) -> None:
        old_body = self.old.resolve(before.get("requestBody")).node
        new_body = self.new.resolve(after.get("requestBody")).node
        was, now = bool(old_body.get("required")), bool(new_body.get("required"))
        if was != now:
            rule = "request-body-became-required" if now else "request-body-became-optional"
            self._add(rule, label, "request", f"the body is {'now' if now else 'no longer'} required")
        self._content(Side.REQUEST, label, old_body, new_body, status=None)

    def _responses(self, label: str, before: Node, after: Node) -> None:
        # An unquoted 201 in YAML is an int, a quoted one a string: the same status either way.
        old_responses = {str(code): node for code, node in (before.get("responses") or {}).items()}
        new_responses = {str(code): node for code, node in (after.get("responses") or {}).items()}
        for code in sorted(old_responses.keys() | new_responses.keys()):
            if code not in new_responses:
                self._add("response-status-removed", label, "response", f"status {code} removed", status=code)
            elif code not in old_responses:
                self._add("response-status-added", label, "response", f"new status {code}", status=code)
            else:
                old_response = self.old.resolve(old_responses[code]).node
                new_response = self.new.resolve(new_responses[code]).node
                self._content(Side.RESPONSE, label, old_response, new_response, status=code)

    def _content(self, side: Side, label: str, before: Node, after: Node, status: str | None) -> None:
        old_content: Node = before.get("content") or {}
        new_content: Node = after.get("content") or {}
        for media_type in sorted(old_content.keys() | new_content.keys()):
            where = {"status": status, "media_type": media_type}
            if media_type not in new_content:
                self._add(f"{side}-media-type-removed", label, str(side), f"{media_type} removed", **where)
            elif media_type not in old_content:
                self._add(f"{side}-media-type-added", label, str(side), f"{media_type} added", **where)
            else:
                walk = self._schemas(side, label, str(side), **where)
                walk.compare(
                    old_content[media_type].get("schema", {}), new_content[media_type].get("schema", {})
                )
