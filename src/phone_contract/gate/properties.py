"""Hypothesis property tests of what one request does, with strategies derived from the spec.

Each sends its requests through the gatekeeper like every schemathesis case, with every check, and
records its own outcome under its own name in the run's tally, failures with a full report naming
the operation; like the schemathesis cases, a failing example does not stop the test
(``--fail-fast`` does). What they test the spec says: which values are unique in a scope and what a
duplicate gets (``x-phone-contract-resource`` ``unique``, ``x-phone-contract`` ``conflict``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from hypothesis import given, seed
from hypothesis import strategies as st
from schemathesis import Case, Response

from phone_contract._spec import JSON, Operation, Role, properties_of
from phone_contract.gate.boundaries import boundaries
from phone_contract.gate.conformance import send_and_check
from phone_contract.gate.profiles import profile
from phone_contract.gate.report import reproduction, response_lines
from phone_contract.gate.session import GateSession
from phone_contract.gate.tally import BoundaryCoverage
from phone_contract.gate.user_strings import user_string_bodies

DUPLICATE = "duplicate_conflicts"
OTHER_SCOPE = "duplicate_in_other_scope_created"
PROPERTY_CHECKS = frozenset({DUPLICATE, OTHER_SCOPE})
FULLY_POPULATED = "fully_populated"  # a test, not a check: it runs the conformance checks
USER_STRINGS = "user_strings_echoed"  # a test, not a check: it runs the conformance checks
BOUNDARIES = "boundary_values"  # a test, not a check: it runs the conformance checks
# Against a live API, the share of the write budget that may be used up when a property test starts
# another example (cumulative, in the order the tests run: the boundary values first, as they break
# real APIs most often; then the duplicate one, as it needs three creations in a row); each always
# gets its first example, and the schemathesis cases get the rest.
BOUNDARIES_SHARE = 0.5
DUPLICATE_SHARE = 0.6
LIFECYCLE_SHARE = 0.7
FULLY_POPULATED_SHARE = 0.75
USER_STRINGS_SHARE = 0.8
# Below this share of the write budget, no property test's decision depends on what the run has spent
# (send_and_check's room for ignored_auth's probes, 3 creations, is always there below half a budget
# of 6 or more).
SMALLEST_SHARE = min(
    BOUNDARIES_SHARE, DUPLICATE_SHARE, LIFECYCLE_SHARE, FULLY_POPULATED_SHARE, USER_STRINGS_SHARE
)
NO_OTHER_SCOPE = (
    "a workspace is pinned (--workspace-id or $FREYA_WORKSPACE_ID) but no second one "
    "(--other-workspace-id or $FREYA_OTHER_WORKSPACE_ID), so there is no other workspace to create in"
)


def run_property(
    session: GateSession,
    prop: Callable[[GateSession, Case[Any]], None],
    cases: st.SearchStrategy[Case[Any]],
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


def duplicate_conflicts(session: GateSession, case: Case[Any]) -> None:
    """The same unique values twice in one scope: the documented conflict; in another scope: created."""
    operation = _operation(session, case)
    resource = operation.semantics.resource
    conflict = operation.semantics.conflict
    if resource is None or not resource.unique or conflict is None or not isinstance(case.body, dict):
        return
    if not session.within_share(DUPLICATE, DUPLICATE_SHARE):
        return
    own_identities(session, operation, case)
    body = case.body
    first = send_and_check(session, case, prepared=True)
    if first is None or first.status_code != operation.success_status:
        # Creating a valid resource at all is the conformance checks' property (positive_data_acceptance).
        return
    again = send_and_check(session, _copy(case), prepared=True)
    if again is None:
        return
    what = f"the same {_names(resource.unique)} again in the same {resource.scope or 'API'}"
    _judge(session, DUPLICATE, operation, case, response=again, status=conflict, what=what)
    if resource.scope is None:
        return
    other = session.other_scope()
    if other is None:
        session.tally.not_run[OTHER_SCOPE] = NO_OTHER_SCOPE
        return
    elsewhere = case.operation.Case(body={**body, resource.scope: other}, media_type=case.media_type)
    created = send_and_check(session, elsewhere, prepared=True)
    if created is not None:
        what = f"the same {_names(resource.unique)} in another {resource.scope}"
        _judge(
            session,
            OTHER_SCOPE,
            operation,
            elsewhere,
            response=created,
            status=operation.success_status,
            what=what,
        )


def fully_populated(session: GateSession, case: Case[Any]) -> None:
    """A body with every optional field and several items in every array: all checks, as any case."""
    operation = _operation(session, case)
    if not _within_share(session, operation, FULLY_POPULATED, FULLY_POPULATED_SHARE):
        return
    if isinstance(case.body, dict) and operation.semantics.items is None:
        own_identities(session, operation, case)
    send_and_check(session, case)


def user_strings(session: GateSession, operation: Operation) -> None:
    """The strings real users send (see gate.user_strings), in every free-text field of ``operation``:
    all checks, the echo above all, so an API that trims, truncates or normalises them is caught."""
    api_operation = session.api_operation(operation)
    for _, body in user_string_bodies(operation):
        if not _within_share(session, operation, USER_STRINGS, USER_STRINGS_SHARE):
            return
        case = api_operation.Case(body=body, media_type=JSON)
        if operation.semantics.items is None:
            own_identities(session, operation, case)
        send_and_check(session, case)


def boundary_values(session: GateSession, operation: Operation) -> None:
    """Each field's boundary values (gate.boundaries): packed many to a body first, then one field at
    a time, every field's first value before any field's second; all checks on each. What the write
    budget's share could not pay for is listed in the summary, never passed over in silence."""
    found = boundaries(operation)
    covered: set[int] = set()
    singles = packed = 0
    bodies = [(packed.body, packed.holds) for packed in found.packed]
    bodies += [(single.body, (single,)) for single in found.singles]
    for body, holds in bodies:
        if session.failed_fast or not _within_share(session, operation, BOUNDARIES, BOUNDARIES_SHARE):
            break
        case = session.api_operation(operation).Case(body=copy.deepcopy(body), media_type=JSON)
        if operation.semantics.items is None:
            own_identities(session, operation, case)
        # A unique value made the run's own (a pinned scope) is not that boundary any more.
        kept = [held for held in holds if not held.path or _at(case.body, held.path) == _at(body, held.path)]
        if kept and send_and_check(session, case) is not None:
            covered |= {id(held) for held in kept}
            singles += len(holds) == 1
            packed += len(holds) > 1
    if found.singles:
        skipped = [single.label for single in found.singles if id(single) not in covered]
        session.tally.boundaries[operation.label] = BoundaryCoverage(
            len(found.singles) - len(skipped),
            len(found.singles),
            skipped,
            _why_not_sent(session, operation),
            packed=packed,
            singles=singles,
        )


def _within_share(session: GateSession, operation: Operation, test: str, share: float) -> bool:
    """Whether ``test`` may send another body of ``operation``: only creates spend the write budget."""
    return operation.semantics.role is not Role.CREATE or session.within_share(test, share)


def _why_not_sent(session: GateSession, operation: Operation) -> str:
    gatekeeper = session.gatekeeper
    if gatekeeper.not_sent_slow.get(operation.name):
        return "its answers were established as too slow"
    if gatekeeper.budget.time_limit_reached:
        return "the time limit (--max-duration) came first"
    if gatekeeper.budget.request_limit_reached:
        return "--max-requests came first"
    if session.failed_fast:
        return "--fail-fast stopped the run"
    return "the write budget's share for them was spent"


def _at(body: Any, path: tuple[str | int, ...]) -> Any:
    node = body
    for key in path:
        if isinstance(key, int):
            node = node[key] if isinstance(node, list) and key < len(node) else None
        else:
            node = node.get(key) if isinstance(node, dict) else None
    return node


def own_identities(session: GateSession, operation: Operation, case: Case[Any]) -> None:
    """Everything but the scope, the owner and the unique values comes from the spec's strategy.

    Fresh scopes make the first create independent of what earlier cases (or, live, earlier runs)
    created; a pinned scope lasts, so then the unique values are made unique to the run instead.
    The body is a copy: a drawn body may be the spec's own example, which later cases send as is.
    """
    resource = operation.semantics.resource
    if not isinstance(case.body, dict) or resource is None:
        return
    body: dict[str, Any] = copy.deepcopy(case.body)
    case.body = body
    if resource.scope is not None and resource.scope in body:
        body[resource.scope] = session.own_scope()
    if resource.owner is not None and resource.owner in body and session.settings.user_id is not None:
        body[resource.owner] = session.settings.user_id
    request = properties_of(operation.request_schema() or {})
    for name in resource.unique:
        if isinstance(body.get(name), str):
            limit = (request.get(name) or {}).get("maxLength")
            body[name] = session.unique_in_run(body[name], limit if isinstance(limit, int) else None)


def _operation(session: GateSession, case: Case[Any]) -> Operation:
    found = session.spec.find_operation(case.operation.label)
    assert found is not None, case.operation.label
    return found


def _copy(case: Case[Any]) -> Case[Any]:
    copied: Case[Any] = case.operation.Case(body=copy.deepcopy(case.body), media_type=case.media_type)
    return copied


def _names(names: tuple[str, ...]) -> str:
    return " and ".join(names)


def judge_status(
    session: GateSession,
    name: str,
    operation: Operation,
    case: Case[Any],
    *,
    response: Response,
    status: int,
    what: str,
) -> bool:
    """The property ``name`` holds when ``status`` came back; whether it did."""
    _judge(session, name, operation, case, response=response, status=status, what=what)
    return response.status_code == status


def _judge(
    session: GateSession,
    name: str,
    operation: Operation,
    case: Case[Any],
    *,
    response: Response,
    status: int,
    what: str,
) -> None:
    """The property holds when ``status`` came back. Whether the answer keeps its status's contract is
    the conformance checks' to say (the answer went through them): a created answer that breaks the
    schema is no duplicate handled wrong."""
    redactor = session.redactor
    session.tally.record(name, ok=response.status_code == status)
    if response.status_code == status:
        return
    lines = [
        f"- check {name}: {what}",
        f"    status: expected {status}, got {response.status_code}",
        *response_lines(redactor, response),
        "- reproduce (after the requests before it, which it depends on):",
        f"    {reproduction(redactor, case, response, session.public_url)}",
    ]
    session.tally.add_failure(name, operation.label, [f"status {response.status_code}"], "\n".join(lines))
