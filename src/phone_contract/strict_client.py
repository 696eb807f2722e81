"""The generated client, strict: any response that breaks the spec raises one :class:`ContractViolation`.

The plain generated client trusts the API. Faced with a broken response it raises a bare
``KeyError`` (missing field), accepts ``"success": "yes"`` silently, or fails with
``ValueError: 520 is not a valid HTTPStatus``. Here an httpx response hook checks every response of
``POST /phone-numbers`` against the spec before the generated code parses it::

    from freya_phone_numbers_client.api.phone_numbers import create_phone_number
    from phone_contract.strict_client import strict_client

    client = strict_client("https://app.freyavoice.ai/api/v2", token)
    created = create_phone_number.sync(client=client, body=request)  # or raises ContractViolation

Building your own client instead: add ``ContractHook()`` to its ``event_hooks["response"]``.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any

import httpx
from freya_phone_numbers_client import AuthenticatedClient

from phone_contract._spec import Spec, load_spec
from phone_contract.responses import ContractViolation, check_response

__all__ = ["ContractHook", "ContractViolation", "raise_for_contract", "strict_client"]

# The one operation the spec documents; responses to anything else are not this module's business.
_METHOD, _PATH = "POST", "/phone-numbers"


def raise_for_contract(response: httpx.Response, *, spec: Spec | None = None) -> None:
    """Raise :class:`ContractViolation` if ``response`` (already read) breaks the spec."""
    violations = check_response(
        response.status_code, response.headers.get("content-type"), response.content, spec=spec
    )
    if violations:
        raise ContractViolation(response.status_code, violations)


class ContractHook:
    """An httpx response event hook that raises :class:`ContractViolation`; for sync and async clients.

    The generated client passes one ``httpx_args`` to both its ``httpx.Client`` and its
    ``httpx.AsyncClient``, and the async one awaits its hooks, so one hook must serve both: it checks
    a sync response at once and returns a coroutine for an async one.
    """

    def __init__(self, spec: Spec | None = None) -> None:
        self.spec = load_spec() if spec is None else spec

    def __call__(self, response: httpx.Response) -> Coroutine[Any, Any, None] | None:
        request = response.request
        if request.method != _METHOD or not request.url.path.endswith(_PATH):
            return None if isinstance(response.stream, httpx.SyncByteStream) else _noop()
        if isinstance(response.stream, httpx.SyncByteStream):
            # Hooks run before the body is read; the check needs it, and the client reuses it.
            response.read()
            raise_for_contract(response, spec=self.spec)
            return None
        return self._check_async(response)

    async def _check_async(self, response: httpx.Response) -> None:
        await response.aread()
        raise_for_contract(response, spec=self.spec)


async def _noop() -> None:
    return None


def strict_client(
    base_url: str, token: str, *, spec: Spec | None = None, **kwargs: Any
) -> AuthenticatedClient:
    """An ``AuthenticatedClient`` whose every response is checked against ``spec`` (default: ours).

    ``kwargs`` go to ``AuthenticatedClient`` as they are; a ``httpx_args["event_hooks"]`` of
    your own is kept, the contract hook runs after your response hooks.
    """
    httpx_args = dict(kwargs.pop("httpx_args", None) or {})
    hooks = {name: list(found) for name, found in httpx_args.get("event_hooks", {}).items()}
    hooks["response"] = [*hooks.get("response", []), ContractHook(spec)]
    httpx_args["event_hooks"] = hooks
    return AuthenticatedClient(base_url=base_url, token=token, httpx_args=httpx_args, **kwargs)
