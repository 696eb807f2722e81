"""Compare two specs operation by operation: security, parameters, request body, responses.

Operations are matched by method and path, with path-parameter names ignored
(``/numbers/{id}`` and ``/numbers/{numberId}`` are one operation). What the spec's extensions say
an operation does (its role, its resource's identity, echo, uniqueness) is compared as well. Response
headers, links, callbacks, webhooks and parameters described by ``content`` (not ``schema``) are not.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from phone_contract._spec import Operation, Semantics, Spec, SpecError
from phone_contract.diff.model import Change
from phone_contract.diff.rules import RULES, Side
from phone_contract.diff.walk.schemas import SchemaWalk

_TEMPLATE = re.compile(r"\{[^}]*\}")

Alternative = tuple[tuple[str, tuple[str, ...]], ...]


def _operations(spec: Spec) -> dict[tuple[str, str], Operation]:
    return {
        (operation.method, _TEMPLATE.sub("{}", operation.path)): operation for operation in spec.operations
    }


def _label(alternative: Alternative) -> str:
    if not alternative:
        return "no authentication"
    return " + ".join(f"{name}{list(scopes) if scopes else ''}" for name, scopes in alternative)


def _alternatives(operation: Operation) -> set[Alternative]:
    # Each security requirement is one way to authenticate.
    return {
        tuple(sorted((name, tuple(sorted(scopes or ()))) for name, scopes in requirement.items()))
        for requirement in operation.security
    }


def _without_prose(node: Mapping[str, Any] | None) -> dict[str, Any]:
    return {key: value for key, value in (node or {}).items() if key != "description"}


@dataclass
class SpecWalk:
    old: Spec
    new: Spec
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
        self._security(before, after)
        self._parameters(before, after)
        self._request_body(before, after)
        self._responses(before, after)
        self._semantics(before, after)

    def _schemas(self, side: Side, operation: str, part: str, **where: Any) -> SchemaWalk:
        def emit(rule_id: str, path: str, message: str) -> None:
            self._add(rule_id, operation, part, message, path=path, **where)

        return SchemaWalk(self.old, self.new, side, emit)

    # --- security -------------------------------------------------------------------------------

    def _security(self, before: Operation, after: Operation) -> None:
        label = after.label
        old_alts, new_alts = _alternatives(before), _alternatives(after)
        for alt in sorted(old_alts - new_alts):
            self._add("security-alternative-removed", label, "security", f"{_label(alt)} no longer accepted")
        for alt in sorted(new_alts - old_alts):
            self._add("security-alternative-added", label, "security", f"{_label(alt)} now accepted")
        for name in sorted({name for alt in old_alts & new_alts for name, _ in alt}):
            old_scheme = _without_prose(self.old.security_schemes.get(name))
            new_scheme = _without_prose(self.new.security_schemes.get(name))
            if old_scheme != new_scheme:
                self._add(
                    "security-scheme-changed", label, "security", f"scheme {name!r} changed its definition"
                )

    # --- parameters -----------------------------------------------------------------------------

    def _parameters(self, before: Operation, after: Operation) -> None:
        label = after.label
        old_params, new_params = before.parameters, after.parameters
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

    def _request_body(self, before: Operation, after: Operation) -> None:
        label = after.label
        was, now = before.request_body_required, after.request_body_required
        if was != now:
            rule = "request-body-became-required" if now else "request-body-became-optional"
            self._add(rule, label, "request", f"the body is {'now' if now else 'no longer'} required")
        self._content(Side.REQUEST, label, before.request_schemas, after.request_schemas, status=None)

    def _responses(self, before: Operation, after: Operation) -> None:
        label = after.label
        old_responses, new_responses = before.responses, after.responses
        for code in sorted(old_responses.keys() | new_responses.keys()):
            if code not in new_responses:
                self._add("response-status-removed", label, "response", f"status {code} removed", status=code)
            elif code not in old_responses:
                self._add("response-status-added", label, "response", f"new status {code}", status=code)
            else:
                old_response, new_response = old_responses[code], new_responses[code]
                self._content(
                    Side.RESPONSE,
                    label,
                    {media: old_response.schema(media) or {} for media in old_response.media_types},
                    {media: new_response.schema(media) or {} for media in new_response.media_types},
                    status=code,
                )

    def _content(
        self,
        side: Side,
        label: str,
        before: Mapping[str, Mapping[str, Any]],
        after: Mapping[str, Mapping[str, Any]],
        status: str | None,
    ) -> None:
        """Compare two bodies given as their schema by media type."""
        for media_type in sorted(before.keys() | after.keys()):
            where = {"status": status, "media_type": media_type}
            if media_type not in after:
                self._add(f"{side}-media-type-removed", label, str(side), f"{media_type} removed", **where)
            elif media_type not in before:
                self._add(f"{side}-media-type-added", label, str(side), f"{media_type} added", **where)
            else:
                self._schemas(side, label, str(side), **where).compare(before[media_type], after[media_type])

    # --- what the operation does (x-phone-contract) ----------------------------------------------

    def _semantics(self, before: Operation, after: Operation) -> None:
        label = after.label
        old, new = _semantics_of(before), _semantics_of(after)
        if old is None or new is None:
            return  # an extension that does not read: the spec checks name it, the diff compares the rest
        for what, was, now in _identity(old, new):
            self._add("semantics-changed", label, "semantics", f"{what}: {was} -> {now}")
        for name in sorted(set(new.echo) - set(old.echo)):
            self._add("echo-added", label, "semantics", f"{name} is now answered as sent", path=name)
        for name in sorted(set(old.echo) - set(new.echo)):
            self._add("echo-removed", label, "semantics", f"{name} is no longer answered as sent", path=name)
        old_unique = old.resource.unique if old.resource else ()
        new_unique = new.resource.unique if new.resource else ()
        for name in sorted(set(new_unique) - set(old_unique)):
            self._add("unique-added", label, "semantics", f"{name} is now unique", path=name)
        for name in sorted(set(old_unique) - set(new_unique)):
            self._add("unique-removed", label, "semantics", f"{name} is no longer unique", path=name)


def _semantics_of(operation: Operation) -> Semantics | None:
    try:
        return operation.semantics
    except SpecError:
        return None


def _identity(old: Semantics, new: Semantics) -> list[tuple[str, Any, Any]]:
    """What changed of the operation's role, where its answer and items are, the statuses it gives
    an unknown id and a taken value, and the fields that identify, scope, own and time a resource."""
    pairs: list[tuple[str, Any, Any]] = [
        ("role", str(old.role), str(new.role)),
        ("answer", _pointer(old.answer), _pointer(new.answer)),
        ("items", _pointer(old.items), _pointer(new.items)),
        ("notFound", old.not_found, new.not_found),
        ("conflict", old.conflict, new.conflict),
    ]
    for key in ("id", "scope", "owner", "created", "updated"):
        pairs.append(
            (
                f"resource {key}",
                getattr(old.resource, key, None) if old.resource else None,
                getattr(new.resource, key, None) if new.resource else None,
            )
        )
    return [(what, was, now) for what, was, now in pairs if was != now]


def _pointer(parts: tuple[str, ...] | None) -> str | None:
    return None if parts is None else "/" + "/".join(map(str, parts))
