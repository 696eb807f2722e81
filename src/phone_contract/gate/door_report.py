"""What the door tells at the end of a run: its summary lines, whether anything was checked, its files."""

from __future__ import annotations

from pathlib import Path

from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract._spec import Operation, Role
from phone_contract._words import counted
from phone_contract.gate.door import Gatekeeper


def door_lines(gatekeeper: Gatekeeper) -> list[str]:
    """The summary lines of the door (indented like the rest of the summary)."""
    door = gatekeeper.door
    limit = f" of --max-requests {door.max_requests}" if door.max_requests is not None else ""
    pace = f"; paced at {door.rate_limit}" if door.rate_limit else ""
    budget_state = gatekeeper.budget
    writes = counted(budget_state.write_requests, "write")
    lines = [f"requests: {gatekeeper.requests} sent ({writes}){limit}{pace}"]
    budget = gatekeeper.write_budget
    if budget is None:
        lines.append(f"creations: {gatekeeper.creations} (no write budget: in-process mock)")
    else:
        lines.append(
            f"creations: {gatekeeper.creations} used, {max(0, budget - gatekeeper.creations)} left "
            f"of --write-budget {budget} (creates answered 2xx or with a lost answer; refused ones are free)"
        )
    if budget_state.withheld:
        lines.append(
            f"withheld: {counted(budget_state.withheld, 'valid create')}, the rest of the budget kept for "
            "writes the contract says must be refused"
        )
    if gatekeeper.not_owned:
        lines.append(
            f"not sent: {counted(gatekeeper.not_owned, 'request')} that could have changed what the run "
            "did not create"
        )
    if budget_state.write_budget_reached:
        lines.append(f"write budget reached: later writes were not sent (--write-budget {budget})")
    if budget_state.request_limit_reached:
        lines.append(f"--max-requests {door.max_requests} reached: later cases were not sent")
    if budget_state.time_limit_reached:
        lines.append(
            f"stopped at the time limit (--max-duration {door.max_duration:g} s): later cases were not sent"
        )
    for name, skipped in gatekeeper.not_sent_slow.items():
        operation = gatekeeper.spec.find_operation(name)
        label = operation.label if operation is not None else name
        lines.append(
            f"{label}: {gatekeeper.slow_answers[name]} answers slower than {door.slow_after:g} s "
            f"(max_response_time) establish the breach: {counted(skipped, 'later request')} not sent"
        )
    transient = gatekeeper.transients.summary()
    if transient is not None:
        lines.append(transient)
    created = len(gatekeeper.created)
    if door.created_path:
        lines.append(f"created resources: {created} (listed in {door.created_path})")
    elif created and budget is not None:  # a live API's resources may cost money until released
        lines.append(f"created resources: {created} (list them with --created PATH, to release them)")
    if door.har_path:
        lines.append(f"exchanges recorded: {door.har_path}")
    return [f"  {line}" for line in lines]


def unchecked_reason(gatekeeper: Gatekeeper) -> str | None:
    """Why a run without failures still says nothing about the contract, if it does not.

    Green needs, for every operation the gate knows how to drive (one that creates, updates or lists),
    a valid request with the run's token answered 2xx, and so checked. Learned operations (their
    requests unknown) and operations whose effect the spec does not say are judged where they answer,
    but cannot be required to.
    """
    answered = gatekeeper.valid_answers
    required = [
        op
        for op in gatekeeper.spec.operations
        if op.semantics.role in (Role.CREATE, Role.UPDATE, Role.LIST) and not op.semantics.learned
    ]
    unchecked = [op for op in required if not answered.get(op.name)]
    if not unchecked:
        return None if required or any(answered.values()) else _nothing_answered(gatekeeper)
    if gatekeeper.budget_reached and gatekeeper.requests == 0:
        return "no request was sent: the budgets allow none"
    creates = [op for op in required if op.semantics.role is Role.CREATE]
    if creates and all(op in unchecked for op in creates):
        return (
            f"no valid create was answered 2xx in {counted(gatekeeper.requests, 'request')}, so the "
            f"contract was not checked: is the token in {TOKEN_ENV_VAR} allowed to use the API?"
        )
    return "; ".join(_not_checked(gatekeeper, op) for op in unchecked)


def _nothing_answered(gatekeeper: Gatekeeper) -> str:
    return (
        f"no valid request was answered 2xx in {counted(gatekeeper.requests, 'request')}, so the "
        f"contract was not checked: is the token in {TOKEN_ENV_VAR} allowed to use the API?"
    )


def _not_checked(gatekeeper: Gatekeeper, operation: Operation) -> str:
    sent = gatekeeper.sent_to.get(operation.name, 0)
    refused = gatekeeper.not_owned_to.get(operation.name, 0)
    why = [f"{counted(sent, 'request')} sent"]
    if refused:
        why.append(f"{refused} not sent, as they addressed what the run did not create")
    if gatekeeper.budget.request_limit_reached:
        why.append(f"--max-requests {gatekeeper.door.max_requests} reached")
    if gatekeeper.budget.time_limit_reached:
        why.append(f"--max-duration {gatekeeper.door.max_duration:g} s reached")
    return f"{operation.label} was not checked: no valid request of it was answered 2xx ({', '.join(why)})"


def save_records(gatekeeper: Gatekeeper) -> None:
    """Write the files the user asked for (``--created``, ``--har``)."""
    if gatekeeper.door.created_path:
        gatekeeper.created.write(Path(gatekeeper.door.created_path))
    if gatekeeper.door.har_path and gatekeeper.recorder is not None:
        gatekeeper.recorder.write(Path(gatekeeper.door.har_path))
