"""The stateful properties of creating a number, as functions the hypothesis tests call.

Each sends its requests through the gatekeeper like every schemathesis case and records its outcome
under its own name in the run's tally, failures with a full report; like the schemathesis cases,
a failing example does not stop the test (``--fail-fast`` does).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import given, seed
from hypothesis import strategies as st
from schemathesis import Case, Response

from phone_contract._spec import JSON
from phone_contract.gate.checks import probe_violations
from phone_contract.gate.conformance import PROBE_CHECK, send_and_check
from phone_contract.gate.profiles import profile
from phone_contract.gate.report import content_type, reproduction, response_lines
from phone_contract.gate.session import GATE_ORIGIN, GateSession
from phone_contract.gate.target import CaseWithdrawn, ResponseTimedOut
from phone_contract.gate.user_strings import user_string_bodies
from phone_contract.responses import shown

DUPLICATE = "duplicate_conflicts"
OTHER_WORKSPACE = "same_number_other_workspace"
PROPERTY_CHECKS = frozenset({DUPLICATE, OTHER_WORKSPACE})
FULLY_POPULATED = "fully_populated_create"  # a test, not a check: it runs the conformance checks
USER_STRINGS = "user_strings_echoed"  # a test, not a check: it runs the conformance checks
# Against a live API, the share of the write budget that may be used up when a property test starts
# another example (cumulative, in the order the tests run: the duplicate one first, as it needs three
# writes in a row); each always gets its first example, and the schemathesis cases get the rest.
DUPLICATE_SHARE = 0.25
FULLY_POPULATED_SHARE = 0.5
USER_STRINGS_SHARE = 0.6
NO_OTHER_WORKSPACE = (
    "a workspace is pinned (--workspace-id or $FREYA_WORKSPACE_ID) but no second one "
    "(--other-workspace-id or $FREYA_OTHER_WORKSPACE_ID), so there is no other workspace to create in"
)


def run_property(
    session: GateSession, prop: Callable[[GateSession, Case[Any]], None], cases: st.SearchStrategy[Case[Any]]
) -> None:
    """Run ``prop`` over ``cases`` with the run's hypothesis profile and seed (built here, when the
    test runs: they come from the session, not from anything known at import)."""

    @profile(session.settings)
    @seed(session.settings.seed)
    @given(case=cases)
    def examples(case: Case[Any]) -> None:
        if not session.failed_fast:
            prop(session, case)

    examples()


def duplicate_in_workspace(session: GateSession, case: Case[Any]) -> None:
    """Same number twice in one workspace: 409 with the error envelope; in another: 201."""
    if not session.within_share(DUPLICATE, DUPLICATE_SHARE) or not isinstance(case.body, dict):
        return
    session.tally.cases += 1
    _own_identities(session, case)
    body = case.body
    try:
        first = _send(session, case)
        if first is None or first.status_code != session.operation.success_status:
            # Creating a valid number at all is the conformance checks' property (positive_data_acceptance).
            return
        again = _send(session, case)
        if again is None:
            return
        _judge(
            session,
            DUPLICATE,
            case,
            response=again,
            status=409,
            what="the same number again in the same workspace",
        )
        other = session.other_workspace()
        if other is None:
            session.tally.not_run[OTHER_WORKSPACE] = NO_OTHER_WORKSPACE
            return
        elsewhere = case.operation.Case(body={**body, "workspaceId": other}, media_type=case.media_type)
        created = _send(session, elsewhere)
        if created is not None:
            success = session.operation.success_status
            what = "the same number in another workspace"
            _judge(session, OTHER_WORKSPACE, elsewhere, response=created, status=success, what=what)
    except CaseWithdrawn:
        return


def fully_populated_create(session: GateSession, case: Case[Any]) -> None:
    """A body with every config field and several SIP headers: all checks, as any other case."""
    if not session.within_share(FULLY_POPULATED, FULLY_POPULATED_SHARE):
        return
    if isinstance(case.body, dict):
        _own_identities(session, case)
    send_and_check(session, case)


def user_strings(session: GateSession) -> None:
    """The strings real users send (see gate.user_strings), in every free-text field: all checks,
    the echo above all, so an API that trims, truncates or normalises them is caught."""
    operation = session.operation
    api_operation = session.schema[operation.path][operation.method.upper()]
    for _, body in user_string_bodies(session.spec):
        if not session.within_share(USER_STRINGS, USER_STRINGS_SHARE):
            return
        case = api_operation.Case(body=body, media_type=JSON)
        _own_identities(session, case)
        send_and_check(session, case)


def _own_identities(session: GateSession, case: Case[Any]) -> None:
    """Everything but the workspace, the user and the number comes from the spec's strategy.

    Fresh workspaces make the first create independent of what earlier cases (or, live, earlier
    runs) created; a pinned workspace lasts, so then the number is made unique to the run instead.
    The body is a copy: a drawn body may be the spec's own example, which later cases send as is.
    """
    if not isinstance(case.body, dict):
        return
    body: dict[str, Any] = copy.deepcopy(case.body)
    case.body = body
    body["workspaceId"] = session.own_workspace()
    if session.settings.user_id is not None:
        body["userId"] = session.settings.user_id
    if isinstance(body.get("number"), str):
        body["number"] = session.property_number(body["number"])


def _send(session: GateSession, case: Case[Any]) -> Response | None:
    """The answer to ``case``; None when there was none in time (a max_response_time failure)."""
    limit = session.settings.max_response_time
    label = session.operation.label
    try:
        response = case.call(base_url=GATE_ORIGIN, headers=session.auth_headers)
    except ResponseTimedOut as exc:
        session.tally.record("max_response_time", ok=False)
        session.tally.add_failure("max_response_time", ["no answer in time"], f"- {exc}")
        return None
    # The schemathesis cases get this from the max_response_time check; these requests too.
    if response.elapsed > limit:
        session.tally.record("max_response_time", ok=False)
        report = (
            f"- check max_response_time: answered in {response.elapsed:.2f}s, limit {limit:g}s on {label}\n"
            f"- reproduce:\n    {reproduction(session.redactor, case, response, session.public_url)}"
        )
        session.tally.add_failure("max_response_time", [f"slower than {limit:g}s"], report)
    else:
        session.tally.record("max_response_time", ok=True)
    return response


def _judge(
    session: GateSession, name: str, case: Case[Any], *, response: Response, status: int, what: str
) -> None:
    """The property holds when ``status`` came back. Whether the answer keeps its status's contract is
    ``probe_answers_conform``'s to say, as for schemathesis' probes: a created answer that breaks the
    schema is no duplicate handled wrong."""
    redactor = session.redactor

    def evidence() -> list[str]:  # built only for a failure: a curl rendering per answer costs
        return [
            *response_lines(redactor, response),
            "- reproduce (the same request, sent twice when the first created the number):",
            f"    {reproduction(redactor, case, response, session.public_url)}",
        ]

    # An undocumented status has no contract of its own: the property's status line says it all.
    violations = probe_violations(
        session.spec, response.status_code, content_type(response), response.content
    )
    if violations is not None:
        session.tally.record(PROBE_CHECK, ok=not violations)
    if violations:
        lines = [
            f"- check {PROBE_CHECK}: the answer to {what} breaks the contract of its status",
            *(f"    {shown(violation, redactor)}" for violation in violations),
            *evidence(),
        ]
        places = sorted(
            {
                f"{redactor.content(violation.path)} (status {response.status_code})"
                for violation in violations
            }
        )
        session.tally.add_failure(PROBE_CHECK, places, "\n".join(lines))
    session.tally.record(name, ok=response.status_code == status)
    if response.status_code != status:
        lines = [
            f"- check {name}: {what}",
            f"    status: expected {status}, got {response.status_code}",
            *evidence(),
        ]
        session.tally.add_failure(name, [f"status {response.status_code}"], "\n".join(lines))
