"""What the door tells at the end of a run: its summary lines, whether anything was checked, its files."""

from __future__ import annotations

from pathlib import Path

from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract.gate.target import Gatekeeper


def door_lines(gatekeeper: Gatekeeper) -> list[str]:
    """The summary lines of the door (indented like the rest of the summary)."""
    door = gatekeeper.door
    limit = f" of --max-requests {door.max_requests}" if door.max_requests is not None else ""
    pace = f"; paced at {door.rate_limit}" if door.rate_limit else ""
    lines = [f"requests: {gatekeeper.requests} sent ({gatekeeper.write_requests} writes){limit}{pace}"]
    budget = gatekeeper.write_budget
    if budget is None:
        lines.append(f"creations: {gatekeeper.writes} (no write budget: in-process mock)")
    else:
        lines.append(
            f"creations: {gatekeeper.writes} used, {max(0, budget - gatekeeper.writes)} left "
            f"of --write-budget {budget} (writes answered 2xx or with a lost answer; refused ones are free)"
        )
    if gatekeeper.withheld:
        lines.append(
            f"withheld: {gatekeeper.withheld} valid writes, the rest of the budget kept for "
            "writes the contract says must be refused"
        )
    if gatekeeper.write_budget_reached:
        lines.append(f"write budget reached: later writes were not sent (--write-budget {budget})")
    if gatekeeper.request_limit_reached:
        lines.append(f"--max-requests {door.max_requests} reached: later cases were not sent")
    transient = gatekeeper.transients.summary()
    if transient is not None:
        lines.append(transient)
    created = len(gatekeeper.created)
    if door.created_path:
        lines.append(f"created numbers: {created} (listed in {door.created_path})")
    elif created and budget is not None:  # a live API's numbers may cost money until released
        lines.append(f"created numbers: {created} (list them with --created PATH, to release them)")
    if door.har_path:
        lines.append(f"exchanges recorded: {door.har_path}")
    return [f"  {line}" for line in lines]


def unchecked_reason(gatekeeper: Gatekeeper) -> str | None:
    """Why a run without failures still says nothing about the contract, if it does not."""
    if gatekeeper.valid_creates:
        return None
    if gatekeeper.budget_reached and gatekeeper.requests == 0:
        return "no request was sent: the budgets allow none"
    return (
        f"no valid create was answered 2xx in {gatekeeper.requests} requests, so the contract was not "
        f"checked: is the token in {TOKEN_ENV_VAR} allowed to create numbers?"
    )


def save_records(gatekeeper: Gatekeeper) -> None:
    """Write the files the user asked for (``--created``, ``--har``)."""
    if gatekeeper.door.created_path:
        gatekeeper.created.write(Path(gatekeeper.door.created_path))
    if gatekeeper.door.har_path and gatekeeper.recorder is not None:
        gatekeeper.recorder.write(Path(gatekeeper.door.har_path))
