"""Pinned identities: the scope and owner a live API knows, written into the bodies the gate sends.

Whether a workspace exists, and whether the token may use it, is context that no spec can express:
a real API refuses made-up IDs with a status the spec does not document, so random UUIDs would make
every live run fail ``status_code_conformance``. With ``--workspace-id``/``--user-id`` the gate puts
the user's IDs into every body that is meant to be valid, before it is sent (the echo check
compares what was sent), and never makes a negative case valid. Which fields they go into the spec
says: a resource's ``scope`` and ``owner`` (``x-phone-contract-resource``).
"""

from __future__ import annotations

import re
import uuid
from typing import TYPE_CHECKING, Any

from phone_contract._exit import UsageError
from phone_contract._spec import Spec

if TYPE_CHECKING:
    # Only for types: the command imports this module, and schemathesis takes a second to import.
    from schemathesis import Case

# The textual form the spec's `format: uuid` accepts; only such a value is swapped for a pinned one.
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_NONCE_DIGITS = 6
_COUNTER_DIGITS = 6


def parse_uuid(value: str, source: str) -> str:
    """``value`` in canonical form; UsageError naming ``source`` (an option or variable) if it is no UUID."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise UsageError(f"{source} must be a UUID, not {value!r}") from None


def pinned_fields(spec: Spec, *, scope: str | None, owner: str | None) -> dict[str, str]:
    """The request fields to pin, with their values: every resource's scope and owner fields."""
    fields: dict[str, str] = {}
    for operation in spec.operations:
        resource = operation.semantics.resource
        if resource is None:
            continue
        for name, value in ((resource.scope, scope), (resource.owner, owner)):
            if name is not None and value is not None:
                fields[name] = value
    return fields


def pin_identities(case: Case[Any], pinned: dict[str, str]) -> None:
    """Write the pinned IDs into ``case``'s body where it carries a well-formed one.

    A malformed ID is where a negative case is invalid: it stays. A negative case whose invalidity
    lies elsewhere gets the pinned IDs too (so a real API answers about that, not about an unknown
    workspace), unless they would make it valid: then it is left exactly as generated.
    """
    body = case.body
    if not pinned or not isinstance(body, dict):
        return
    was_negative = _is_negative(case)
    original = body
    # A copy: the body may be the spec's own example, shared with every later case drawn from it.
    body = dict(body)
    for name, value in pinned.items():
        current = body.get(name)
        if isinstance(current, str) and _UUID.match(current):
            body[name] = value
    case.body = body
    if was_negative and not _is_negative(case):
        case.body = original


def _is_negative(case: Case[Any]) -> bool:
    # Reading `meta` revalidates a modified body, so this is the mode of the body as it is now.
    meta = case.meta
    return meta is not None and meta.generation.mode.is_negative


def unique_value(generated: str, nonce: int, count: int, max_length: int | None) -> str:
    """``generated`` made unique to this run: its start, then a run nonce and a per-run counter.

    A pinned scope outlives the run, and a live API remembers what earlier runs created there, so a
    property test's first create of a value the spec says is unique would often be a conflict. The
    suffix makes that unlikely (one in a million between two runs) and keeps within ``max_length``.
    """
    suffix = f"{nonce % 10**_NONCE_DIGITS:0{_NONCE_DIGITS}d}{count % 10**_COUNTER_DIGITS:0{_COUNTER_DIGITS}d}"
    keep = len(generated) if max_length is None else max(0, max_length - len(suffix))
    return generated[:keep] + suffix


def without_nonce(unique: str) -> str:
    """A :func:`unique_value` as a run's fingerprint sees it: the run's nonce left out (a live run
    draws it at random), the generated start and the counter kept."""
    counter = unique[len(unique) - _COUNTER_DIGITS :]
    return unique[: len(unique) - _NONCE_DIGITS - _COUNTER_DIGITS] + "<nonce>" + counter
