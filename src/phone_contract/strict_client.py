"""The generated client, strict, against any spec the toolkit is given.

Strict mode ships with the generated client (``freya_phone_numbers_client.strict``), checking the
answers against the spec it was generated from; an application needs nothing else installed. This
module is the toolkit's door to the same code for a spec of its own choosing (``--spec``, a
restatement, a spec being edited)::

    from freya_phone_numbers_client.api.phone_numbers import create_phone_number
    from phone_contract.strict_client import strict_client

    client = strict_client("https://app.freyavoice.ai/api/v2", token, spec=load_spec(path))
    created = create_phone_number.sync(client=client, body=request)  # or raises ContractViolation

:class:`ContractViolation` is the client's own class, re-exported: one ``except`` catches it from
either door.
"""

from __future__ import annotations

from typing import Any

import httpx
from freya_phone_numbers_client import AuthenticatedClient
from freya_phone_numbers_client import strict as _strict
from freya_phone_numbers_client.strict import ContractViolation

from phone_contract._spec import Spec
from phone_contract.responses import contract

__all__ = ["ContractHook", "ContractViolation", "raise_for_contract", "strict_client"]


def raise_for_contract(response: httpx.Response, *, spec: Spec | None = None) -> None:
    """Raise :class:`ContractViolation` if ``response`` (already read) breaks the spec."""
    _strict.raise_for_contract(response, contract=contract(spec))


class ContractHook(_strict.ContractHook):
    """The client's httpx response hook, checking against ``spec`` (default: the project's)."""

    def __init__(self, spec: Spec | None = None) -> None:
        super().__init__(contract(spec))


def strict_client(
    base_url: str, token: str, *, spec: Spec | None = None, **kwargs: Any
) -> AuthenticatedClient:
    """An ``AuthenticatedClient`` whose every response is checked against ``spec`` (default: ours).

    ``kwargs`` go to ``AuthenticatedClient`` as they are; a ``httpx_args["event_hooks"]`` of
    your own is kept, the contract hook runs after your response hooks.
    """
    return _strict.strict_client(base_url, token, contract=contract(spec), **kwargs)
