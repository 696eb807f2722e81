"""Pytest-side helpers of the contract suite: clean, secret-free failure reports."""

from __future__ import annotations

import pytest

from phone_contract._redact import Redactor
from phone_contract.gate.conformance import ContractBroken
from phone_contract.gate.run import mark_unreachable
from phone_contract.gate.target import TargetUnreachable


def contract_messages(error: BaseException) -> list[str]:
    """The reports of every ContractBroken in ``error``, hypothesis' exception groups included."""
    if isinstance(error, ContractBroken):
        return [str(error)]
    messages: list[str] = []
    for inner in getattr(error, "exceptions", ()):
        for message in contract_messages(inner):
            if message not in messages:
                messages.append(message)
    return messages


def find(error: BaseException, kind: type[BaseException]) -> BaseException | None:
    """The first exception of ``kind`` in ``error`` or in its (nested) exception groups."""
    if isinstance(error, kind):
        return error
    for inner in getattr(error, "exceptions", ()):
        found = find(inner, kind)
        if found is not None:
            return found
    return None


def stop_if_unreachable(item: pytest.Item, call: pytest.CallInfo[None], redactor: Redactor) -> None:
    """A live API that stops answering ends the run: exit 2, not a contract verdict."""
    if call.excinfo is None:
        return
    error = find(call.excinfo.value, TargetUnreachable)
    if error is not None:
        reason = redactor.text(str(error))
        mark_unreachable(reason)
        item.session.shouldstop = reason


def scrub(report: pytest.TestReport, call: pytest.CallInfo[None], redactor: Redactor) -> None:
    """Replace a contract failure's traceback with its report; scrub secrets from every report.

    The traceback of a contract failure says nothing to the user, and hypothesis' notes print the
    generated case whole (password and all); the report already carries the request as curl.
    """
    if report.longrepr is None:
        return
    messages = contract_messages(call.excinfo.value) if call.excinfo is not None else []
    text = "\n\n".join(messages) if messages else str(report.longrepr)
    report.longrepr = redactor.text(text)
    report.sections = [(title, redactor.text(content)) for title, content in report.sections]
