"""A documented success answer with what the request sent echoed in it, for ``Prefer``.

Prism answers a preferred response with its example as written. The spec says more of a create's or an
update's success: the fields its ``echo`` lists come back as they were sent (of the body for a create,
of each item for an update), and an update answers the resources its items address, in their order.
So a preferred success answer is the example (or the body derived from the schema) whose resource is
the example's with each echoed field as sent; an update answers one such resource per item, with the id
the item names and the request's scope. Nothing is stored or looked up: the answer is preferred.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from phone_contract._spec import Role, Semantics
from phone_contract.mock.asgi import dump
from phone_contract.mock.template import Node, with_value


class Echoing:
    """One documented success body of a create or an update, compiled at start-up, that answers a
    request with the fields it sent where the spec says they are echoed."""

    def __init__(self, semantics: Semantics, resource: Node, tree: Any) -> None:
        self._semantics = semantics
        self._resource = resource
        self._tree = tree
        named = semantics.resource
        # An update addresses each resource by its id in the request's scope: its answer names them.
        addressed = semantics.role is Role.UPDATE and named is not None
        self._id = named.id if addressed and named is not None else None
        self._scope = named.scope if addressed and named is not None else None

    @classmethod
    def of(cls, semantics: Semantics, body: Node) -> Echoing | None:
        """The echoing answer of the documented success ``body``; None for an operation that echoes
        nothing (not a create or an update) or a body without the place its resources go."""
        if semantics.role not in (Role.CREATE, Role.UPDATE) or not semantics.answer:
            return None
        place = body.at(semantics.answer)
        resource = place.items if place is not None and semantics.many else place
        if resource is None or resource.properties is None:
            return None
        return cls(semantics, resource, body.default)

    def body(self, payload: Mapping[str, Any]) -> bytes:
        """The documented body answering ``payload``, a valid request."""
        semantics = self._semantics
        scope = semantics.scope_in(payload) if self._scope is not None else None
        items = [item for item in semantics.items_in(payload) or [] if isinstance(item, Mapping)]
        resources = [self._resource.answer(self._sent(item, scope)) for item in items]
        if semantics.many:
            return dump(with_value(self._tree, semantics.answer, resources))
        answered = resources[0] if resources else self._resource.default
        return dump(with_value(self._tree, semantics.answer, answered))

    def _sent(self, item: Mapping[str, Any], scope: Any) -> dict[str, Any]:
        """What of ``item`` the resource answers as sent; :meth:`Node.answer` fills in the rest."""
        sent = {name: item[name] for name in self._semantics.echo if name in item}
        if self._id is not None and self._id in item:
            sent[self._id] = item[self._id]
        if self._scope is not None and scope is not None:
            sent[self._scope] = scope
        return sent
