"""``Prefer: code=N`` and ``Prefer: example=NAME``, as Prism reads them: answer a documented response.

So an app's error handling can be developed against the mock: ``code`` picks the documented response
of a status (its first example, else a body derived from its schema), ``example`` picks a named example
of the operation's responses (of that status, when both are given). Other preferences are ignored, as
RFC 7240 asks of a server; a status or example the spec does not document is a 400 naming what is.
Unlike Prism, a create's or an update's success echoes what the request sent (``mock.echo``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from phone_contract.mock.answers import Answers

# Prefer values come from the client: quote at most this much of one back.
_MAX_QUOTED = 40


class PreferError(Exception):
    """The preferred status or example is not documented; ``str(exc)`` says what is."""


@dataclass(frozen=True)
class Preferred:
    status: int
    body: bytes | None


def preferences(values: Iterable[bytes]) -> dict[str, str]:
    """The ``code`` and ``example`` preferences of the ``Prefer`` header values (RFC 7240: comma-separated
    ``name=value`` tokens, each with optional ``;`` parameters); the first of each name wins."""
    found: dict[str, str] = {}
    for value in values:
        for item in value.decode("latin-1").split(","):
            name, equals, rest = item.partition(";")[0].partition("=")
            name = name.strip().lower()
            if name in ("code", "example") and equals:
                found.setdefault(name, rest.strip().strip('"'))
    return found


def choose(answers: Answers, wanted: dict[str, str], payload: Mapping[str, Any] | None = None) -> Preferred:
    """The documented answer ``wanted`` names, answering ``payload`` (the valid request body: a create's
    or an update's success echoes what it sent); PreferError if the spec documents no such answer."""
    operation = answers.operation
    code, example = wanted.get("code"), wanted.get("example")
    candidates = [(entry.status, entry) for entry in answers.documented.values()]
    if code is not None:
        response = operation.response_for(int(code)) if code.isdigit() and 100 <= int(code) <= 599 else None
        if response is None:
            documented = ", ".join(operation.documented_statuses)
            raise PreferError(
                f"Prefer: code={code[:_MAX_QUOTED]} is not documented for {operation.label}; "
                f"documented statuses: {documented}"
            )
        candidates = [(int(code), answers.documented[response.key])]
    if example is None:
        status, entry = candidates[0]
        return Preferred(status, entry.answer(None, payload))
    for status, entry in candidates:
        if example in entry.examples:
            return Preferred(status, entry.answer(example, payload))
    names = [name for _, entry in candidates for name in entry.examples]
    where = f"the {code} response of " if code is not None else ""
    raise PreferError(
        f"Prefer: example={example[:_MAX_QUOTED]} is not documented for {where}{operation.label}; "
        f"documented examples: {', '.join(names) or 'none'}"
    )
