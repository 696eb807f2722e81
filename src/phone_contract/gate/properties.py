"""The stateful properties of creating a number, as functions the hypothesis tests call.

Each sends its requests through the gatekeeper like every schemathesis case, records its outcome
under its own name in the run's tally, and raises :class:`ContractBroken` with a full report.
"""

from __future__ import annotations

from typing import Any

from schemathesis import Case, Response

from phone_contract._redact import Redactor
from phone_contract.gate.conformance import ContractBroken, send_and_check
from phone_contract.gate.report import reproduction
from phone_contract.gate.run import GATE_ORIGIN, GateRun
from phone_contract.gate.target import CaseWithdrawn, ResponseTimedOut
from phone_contract.responses import Violation, check_response

DUPLICATE = "duplicate_conflicts"
OTHER_WORKSPACE = "same_number_other_workspace"
PROPERTY_CHECKS = frozenset({DUPLICATE, OTHER_WORKSPACE})
FULLY_POPULATED = "fully_populated_create"  # a test, not a check: it runs the conformance checks
# Against a live API, the share of the write budget that may be used up when a property test starts
# another example (cumulative, in the order the tests run: the duplicate one first, as it needs three
# writes in a row); each always gets its first example, and the schemathesis cases get the rest.
DUPLICATE_SHARE = 0.25
FULLY_POPULATED_SHARE = 0.5
NO_OTHER_WORKSPACE = (
    "--workspace-id is pinned but --other-workspace-id is not, so there is no second workspace to create in"
)


def duplicate_in_workspace(run: GateRun, case: Case[Any]) -> None:
    """Same number twice in one workspace: 409 with the error envelope; in another: 201."""
    if not run.within_share(DUPLICATE, DUPLICATE_SHARE) or not isinstance(case.body, dict):
        return
    run.tally.cases += 1
    _own_identities(run, case.body)
    try:
        first = _send(run, case)
        if first.status_code != 201:
            # Creating a valid number at all is the conformance checks' property (positive_data_acceptance).
            return
        again = _send(run, case)
        _judge(run, DUPLICATE, again, 409, "the same number again in the same workspace")
        other = run.other_workspace()
        if other is None:
            run.tally.not_run[OTHER_WORKSPACE] = NO_OTHER_WORKSPACE
            return
        elsewhere = case.operation.Case(body={**case.body, "workspaceId": other}, media_type=case.media_type)
        _judge(run, OTHER_WORKSPACE, _send(run, elsewhere), 201, "the same number in another workspace")
    except CaseWithdrawn:
        return


def fully_populated_create(run: GateRun, case: Case[Any]) -> None:
    """A body with every config field and several SIP headers: all checks, as any other case."""
    if not run.within_share(FULLY_POPULATED, FULLY_POPULATED_SHARE):
        return
    if isinstance(case.body, dict):
        _own_identities(run, case.body)
    send_and_check(run, case)


def _own_identities(run: GateRun, body: dict[str, Any]) -> None:
    """Everything but the workspace, the user and the number comes from the spec's strategy.

    Fresh workspaces make the first create independent of what earlier cases (or, live, earlier
    runs) created; a pinned workspace lasts, so then the number is made unique to the run instead.
    """
    body["workspaceId"] = run.own_workspace()
    if run.settings.user_id is not None:
        body["userId"] = run.settings.user_id
    if isinstance(body.get("number"), str):
        body["number"] = run.property_number(body["number"])


def _send(run: GateRun, case: Case[Any]) -> Response:
    limit = run.settings.max_response_time
    try:
        response = case.call(base_url=GATE_ORIGIN, headers=run.auth_headers)
    except ResponseTimedOut as exc:
        run.tally.record("max_response_time", ok=False)
        raise ContractBroken(f"contract broken (max_response_time) on POST /phone-numbers\n- {exc}") from None
    # The schemathesis cases get this from the max_response_time check; these requests too.
    if response.elapsed > limit:
        run.tally.record("max_response_time", ok=False)
        raise ContractBroken(
            f"contract broken (max_response_time) on POST /phone-numbers\n"
            f"- check max_response_time: answered in {response.elapsed:.2f}s, limit {limit:g}s\n"
            f"- reproduce:\n    {reproduction(run.redactor, response, run.public_url)}"
        )
    run.tally.record("max_response_time", ok=True)
    return response


def _judge(run: GateRun, name: str, response: Response, status: int, what: str) -> None:
    spec = run.spec
    violations = check_response(response.status_code, _content_type(response), response.content, spec=spec)
    if response.status_code == status and not violations:
        run.tally.record(name, ok=True)
        return
    run.tally.record(name, ok=False)
    raise ContractBroken(
        _report(run.redactor, name, what, status, response, violations=violations, url=run.public_url)
    )


def _report(
    redactor: Redactor,
    name: str,
    what: str,
    status: int,
    response: Response,
    *,
    violations: list[Violation],
    url: str,
) -> str:
    lines = [
        f"contract broken ({name}) on POST /phone-numbers",
        f"- check {name}: {what}",
        *(
            [f"    status: expected {status}, got {response.status_code}"]
            if response.status_code != status
            else []
        ),
        *(f"    {redactor.text(str(violation))}" for violation in violations),
        f"- response: {response.status_code} {_content_type(response) or '(no content type)'}",
        f"    {redactor.body(response.content, limit=600)}",
        "- reproduce (the same request, sent twice when the first created the number):",
        f"    {reproduction(redactor, response, url)}",
    ]
    return "\n".join(lines)


def _content_type(response: Response) -> str | None:
    values = response.headers.get("content-type")
    return values[0] if values else None
