"""What the operations do to a resource over time: a hypothesis state machine driven by the spec.

The spec's OpenAPI links say what one operation feeds the next (a create's answer addresses an
update); ``x-phone-contract`` says what each does. The machine creates resources, then updates them
through the links, and holds every answer to these properties, each recorded under its own name:

- ``own_id``: every created resource has an id of its own;
- ``unchanging_kept``: an update keeps the id, the scope, the owner and the creation time;
- ``updated_not_earlier``: an update's time is not earlier than before;
- ``changes_persist``: what was sent shows in later answers, and a refused request changed nothing;
- ``other_scope_untouched``: a resource addressed from another scope is refused as not found;
- ``unknown_ids_refused``: an id that cannot exist is refused as documented, and nothing changes.

Why a state machine of the gate's own rather than schemathesis' link-following one: every update must
address the run's own resources (or ids that cannot exist) on a live API, and schemathesis explores
links with generated values on purpose. Its expression evaluator reads the links all the same.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, multiple, rule, run_state_machine_as_test
from schemathesis import Case, Response
from schemathesis.generation.stateful.state_machine import StepOutput
from schemathesis.specs.openapi.expressions import evaluate

from phone_contract._paths import json_path
from phone_contract._spec import JSON, Link, Operation, Role, properties_of, sent_schema
from phone_contract.gate.boundaries import every_field
from phone_contract.gate.checks import echo_violations, json_equal, rfc3339
from phone_contract.gate.conformance import send_and_check
from phone_contract.gate.profiles import profile
from phone_contract.gate.properties import LIFECYCLE_SHARE, judge_status, own_identities
from phone_contract.gate.report import reproduction, response_lines
from phone_contract.gate.session import GateSession
from phone_contract.responses import Violation, shown

OWN_ID = "own_id"
UNCHANGING = "unchanging_kept"
UPDATED_AT = "updated_not_earlier"
PERSISTED = "changes_persist"
OTHER_SCOPE = "other_scope_untouched"
UNKNOWN = "unknown_ids_refused"
LIFECYCLE_CHECKS = frozenset({OWN_ID, UNCHANGING, UPDATED_AT, PERSISTED, OTHER_SCOPE, UNKNOWN})
TEST = "lifecycle"
# Steps per run of the machine, and runs per example budget: enough to create, update and refuse a
# few times in one sequence, few enough that the machine costs a fraction of the run.
STEPS = 6
RUNS_PER_EXAMPLES = 4


@dataclass
class Tracked:
    """A resource the run created, and what later answers must show of it."""

    create: Operation
    case: Case[Any]
    response: Response
    ident: Any
    scope: Any
    # The resource as last answered.
    latest: dict[str, Any]
    # What was sent for it and must show in every later answer (objects merged, as the spec says).
    expected: dict[str, Any] = field(default_factory=dict)


def usable_links(session: GateSession) -> dict[str, list[Link]]:
    """Per create operation, its links to update operations whose body the link addresses."""
    found: dict[str, list[Link]] = {}
    for operation in session.operations(Role.CREATE):
        for link in operation.links:
            if (
                link.target.semantics.role is Role.UPDATE
                and link.status == str(operation.success_status)
                and isinstance(link.request_body, dict)
            ):
                found.setdefault(operation.name, []).append(link)
    return found


def run_lifecycle(session: GateSession) -> None:
    """A tour first (create, update, refuse an unknown id, refuse another scope, update again: each
    property once, for one creation), then the state machine explores sequences of its own, as far as
    the run's budget and seed allow. Not run (and why) when the spec links no create to an update."""
    links = usable_links(session)
    if not links:
        reason = "the spec has no OpenAPI link from a create's answer to an update"
        for name in LIFECYCLE_CHECKS:
            session.tally.not_run.setdefault(name, reason)
        return
    steps = Steps(session, links)
    base = profile(session.settings)

    @settings(base, max_examples=1)
    @seed(session.settings.seed)
    @given(data=st.data())
    def tour(data: st.DataObject) -> None:
        tracked = steps.create(data)
        if tracked is None:
            return
        # The first update sends a change for sure: what follows it (a confirmation before each
        # refusal, the second update) then shows whether the change was kept.
        steps.update(tracked, data, changing=True)
        for step in (steps.update_unknown, steps.update_from_other_scope, steps.update):
            if session.failed_fast:
                return
            step(tracked, data)

    tour()
    runs = max(1, session.settings.max_examples // RUNS_PER_EXAMPLES)
    options = settings(
        base,
        max_examples=runs,
        stateful_step_count=STEPS,
        suppress_health_check=[*base.suppress_health_check, HealthCheck.filter_too_much],
    )
    # hypothesis reads a state machine's seed from the machine itself (stateful.run_state_machine).
    run_state_machine_as_test(seed(session.settings.seed)(_machine(steps)), settings=options)


class Steps:
    """What the tour and the state machine do, one request (or a refused one and its check) a step."""

    def __init__(self, session: GateSession, links: dict[str, list[Link]]) -> None:
        self.session = session
        self.links = links
        self.creates = [op for op in session.operations(Role.CREATE) if op.name in links]
        # Every id the run's creates were answered with: a new one must be new.
        self.ids: set[Any] = set()

    def create(self, data: st.DataObject) -> Tracked | None:
        session = self.session
        if session.failed_fast or not session.within_share(TEST, LIFECYCLE_SHARE):
            return None
        operation = data.draw(st.sampled_from(self.creates), label="create")
        case = data.draw(session.valid_cases(operation), label="body")
        own_identities(session, operation, case)
        response = send_and_check(session, case, prepared=True)
        created = _resources(operation, response)
        resource = operation.semantics.resource
        if response is None or not created or resource is None or resource.id is None:
            return None  # a resource without a named id cannot be followed
        found = dict(created[0])
        ident = found.get(resource.id)
        fresh = ident is not None and ident not in self.ids
        taken = Violation(
            json_path([*operation.semantics.answer, resource.id]),
            "an id no other resource of the run has",
            json.dumps(ident, default=str),
        )
        _record(session, OWN_ID, operation, case, response, found=[] if fresh else [taken])
        if not fresh:
            return None
        self.ids.add(ident)
        scope = found.get(resource.scope) if resource.scope else None
        return Tracked(operation, case, response, ident, scope, found, _echoed(operation, case.body))

    def update(self, tracked: Tracked, data: st.DataObject, *, changing: bool = False) -> None:
        session = self.session
        if session.failed_fast:
            return
        link = data.draw(st.sampled_from(self.links[tracked.create.name]), label="link")
        case = _linked_case(session, link, tracked, data, changing=changing)
        if case is None:
            return
        response = send_and_check(session, case, prepared=True)
        if response is None:
            return
        if response.status_code == link.target.success_status:
            _judge_update(session, link.target, case, response, tracked)
        else:
            # Refused (a unique value taken, say): the conformance checks judged the answer; what is
            # left to see is that nothing changed.
            _confirm(session, link, tracked, PERSISTED)

    def update_unknown(self, tracked: Tracked, data: st.DataObject) -> None:
        session = self.session
        link = data.draw(st.sampled_from(self.links[tracked.create.name]), label="link")
        target = link.target
        resource, not_found = target.semantics.resource, target.semantics.not_found
        if resource is None or resource.id is None or not_found is None:
            return
        case = _linked_case(session, link, tracked, data)
        if case is None:
            return
        # The run's own resource, changed, beside an id that cannot exist: all or nothing.
        _confirm(session, link, tracked, PERSISTED)
        minted = session.ownership.mint(resource)
        case.body = _with_items(target, case.body, [*_items(target, case.body), {resource.id: minted}])
        response = send_and_check(session, case, prepared=True)
        if response is None:
            return
        what = f"an {target.label} naming an id that cannot exist ({json.dumps(minted)})"
        judge_status(session, UNKNOWN, target, case, response=response, status=not_found, what=what)
        _confirm(session, link, tracked, UNKNOWN)

    def update_from_other_scope(self, tracked: Tracked, data: st.DataObject) -> None:
        session = self.session
        link = data.draw(st.sampled_from(self.links[tracked.create.name]), label="link")
        target = link.target
        resource, not_found = target.semantics.resource, target.semantics.not_found
        if resource is None or resource.scope is None or not_found is None:
            return
        other = session.other_scope()
        if other is None:
            session.tally.not_run.setdefault(OTHER_SCOPE, "no second workspace to address it from")
            return
        case = _linked_case(session, link, tracked, data)
        if case is None or not isinstance(case.body, dict):
            return
        case.body = {**case.body, resource.scope: other}
        _confirm(session, link, tracked, PERSISTED)
        response = send_and_check(session, case, prepared=True)
        if response is None:
            return
        what = f"an {target.label} of the run's resource, addressed from another {resource.scope}"
        judge_status(session, OTHER_SCOPE, target, case, response=response, status=not_found, what=what)
        _confirm(session, link, tracked, OTHER_SCOPE)


def _machine(steps: Steps) -> type[RuleBasedStateMachine]:
    class Lifecycle(RuleBasedStateMachine):
        tracked = Bundle("tracked")

        @rule(target=tracked, data=st.data())
        def create(self, data: st.DataObject) -> Any:
            found = steps.create(data)
            return multiple() if found is None else found

        @rule(tracked=tracked, data=st.data())
        def update(self, tracked: Tracked, data: st.DataObject) -> None:
            steps.update(tracked, data)

        @rule(tracked=tracked, data=st.data())
        def update_unknown(self, tracked: Tracked, data: st.DataObject) -> None:
            steps.update_unknown(tracked, data)

        @rule(tracked=tracked, data=st.data())
        def update_from_other_scope(self, tracked: Tracked, data: st.DataObject) -> None:
            steps.update_from_other_scope(tracked, data)

    return Lifecycle


def _linked_case(
    session: GateSession, link: Link, tracked: Tracked, data: st.DataObject, *, changing: bool = False
) -> Case[Any] | None:
    """An update of ``tracked``: a valid body drawn for the link's target, with what the link says
    (the created resource's id and scope) written over it; ``changing``: one that sends a value of an
    echoed field other than the one stored, when the drawn one does not and the spec's example does."""
    target = link.target
    generated = data.draw(session.valid_cases(target), label="update").body
    if changing and not _sends_a_change(target, generated, tracked):
        # The spec's own example with every field sent: no draw, so the tour draws alike each time.
        full = every_field(target)
        generated = full if full is not None and _sends_a_change(target, full, tracked) else generated
    linked = evaluate(link.request_body, StepOutput(tracked.response, tracked.case), evaluate_nested=True)
    if not isinstance(linked, dict) or not isinstance(generated, dict):
        return None
    body = _overlay(copy.deepcopy(generated), linked)
    if _addressed(target, body) != [tracked.ident]:
        return None  # the link did not resolve to the tracked resource (its answer lacked the id?)
    _unique_items(session, target, body)
    case: Case[Any] = session.api_operation(target).Case(body=body, media_type=JSON)
    return case


def _judge_update(
    session: GateSession, operation: Operation, case: Case[Any], response: Response, tracked: Tracked
) -> None:
    resource = operation.semantics.resource
    answered = _resources(operation, response)
    if resource is None or not answered:
        return
    mine = next((item for item in answered if item.get(resource.id or "") == tracked.ident), None)
    if mine is None:
        return  # addressed_resources_answered reports it
    index = answered.index(mine)
    base: list[str | int] = [*operation.semantics.answer, index]
    kept = [
        Violation(
            json_path([*base, name]),
            f"{_short(tracked.latest.get(name))} (unchanged)",
            _short(mine.get(name)),
        )
        for name in resource.unchanging
        if name in tracked.latest and not json_equal(tracked.latest[name], mine.get(name))
    ]
    _record(session, UNCHANGING, operation, case, response, found=kept)
    if resource.updated is not None:
        before, after = tracked.latest.get(resource.updated), mine.get(resource.updated)
        moments = _moment(before), _moment(after)
        earlier = moments[0] is not None and moments[1] is not None and moments[1] < moments[0]
        _record(
            session,
            UPDATED_AT,
            operation,
            case,
            response,
            found=[
                Violation(
                    json_path([*base, resource.updated]), f"not earlier than {_short(before)}", _short(after)
                )
            ]
            if earlier
            else [],
        )
    # What an earlier request sent that this one did not send again must still show.
    sent = _echoed(operation, _items(operation, case.body)[0] if _items(operation, case.body) else {})
    earlier_only = {name: value for name, value in tracked.expected.items() if name not in sent}
    _record(session, PERSISTED, operation, case, response, found=list(_missing(earlier_only, mine, base)))
    tracked.expected = _merge(tracked.expected, sent)
    tracked.latest = dict(mine)


def _confirm(session: GateSession, link: Link, tracked: Tracked, name: str) -> None:
    """An update naming only the resource (a change of nothing) shows that it is as the run last left
    it: before a request that must be refused (anything else is ``changes_persist``'s), and after it
    (anything else is that request's doing)."""
    target = link.target
    resource = target.semantics.resource
    if resource is None or resource.id is None:
        return
    linked = evaluate(link.request_body, StepOutput(tracked.response, tracked.case), evaluate_nested=True)
    if not isinstance(linked, dict):
        return
    body = _with_items(target, linked, [{resource.id: tracked.ident}])
    case = session.api_operation(target).Case(body=body, media_type=JSON)
    response = send_and_check(session, case, prepared=True)
    answered = _resources(target, response)
    if response is None or not answered:
        return
    mine = next((item for item in answered if item.get(resource.id) == tracked.ident), None)
    if mine is None:
        return
    base: list[str | int] = [*target.semantics.answer, answered.index(mine)]
    _record(session, name, target, case, response, found=_missing(tracked.expected, mine, base))
    tracked.latest = dict(mine)
    # From here on, what is stored now is what must stay: a change is reported once, where it showed.
    tracked.expected = {key: copy.deepcopy(mine[key]) for key in tracked.expected if key in mine}


def _record(
    session: GateSession,
    name: str,
    operation: Operation,
    case: Case[Any],
    response: Response,
    *,
    found: list[Violation],
) -> None:
    session.tally.record(name, ok=not found)
    if not found:
        return
    redactor = session.redactor
    lines = [
        f"- check {name}",
        *(f"    {shown(violation, redactor)}" for violation in found),
        *response_lines(redactor, response),
        "- reproduce (after the requests before it in the run, which it depends on):",
        f"    {reproduction(redactor, case, response, session.public_url)}",
    ]
    places = sorted({redactor.content(violation.path) for violation in found})
    session.tally.add_failure(name, operation.label, places, "\n".join(lines))


def _resources(operation: Operation, response: Response | None) -> list[Mapping[str, Any]]:
    if response is None or response.status_code != operation.success_status:
        return []
    try:
        body = json.loads(response.content)
    except (ValueError, UnicodeDecodeError):
        return []
    return operation.semantics.resources_in(body) or []


def _items(operation: Operation, body: Any) -> list[Any]:
    return operation.semantics.items_in(body) or []


def _with_items(operation: Operation, body: Any, items: list[Any]) -> Any:
    path = operation.semantics.items or ()
    result = copy.deepcopy(body)
    node = result
    for key in path[:-1]:
        node = node.setdefault(key, {})
    if path:
        node[path[-1]] = items
    return result


def _addressed(operation: Operation, body: Any) -> list[Any]:
    resource = operation.semantics.resource
    name = resource.id if resource is not None else None
    return [item.get(name) for item in _items(operation, body) if isinstance(item, Mapping) and name]


def _unique_items(session: GateSession, operation: Operation, body: dict[str, Any]) -> None:
    """A unique value an update sends, made unique to the run in a pinned (lasting) scope."""
    resource = operation.semantics.resource
    if resource is None:
        return
    # The request's own limits: a value made unique must still fit what the update accepts.
    fields = properties_of(sent_schema(operation))
    for item in _items(operation, body):
        if not isinstance(item, dict):
            continue
        for name in resource.unique:
            if isinstance(item.get(name), str):
                limit = (fields.get(name) or {}).get("maxLength")
                item[name] = session.unique_in_run(item[name], limit if isinstance(limit, int) else None)


def _sends_a_change(operation: Operation, body: Any, tracked: Tracked) -> bool:
    items = _items(operation, body)
    sent = _echoed(operation, items[0] if items else {})
    return any(not json_equal(value, tracked.latest.get(name)) for name, value in sent.items())


def _echoed(operation: Operation, sent: Any) -> dict[str, Any]:
    if not isinstance(sent, Mapping):
        return {}
    return {name: copy.deepcopy(sent[name]) for name in operation.semantics.echo if name in sent}


def _overlay(generated: Any, linked: Any) -> Any:
    """``generated`` with ``linked`` written over it: objects field by field, a list item by item
    and cut to the link's length (the link says exactly what is addressed)."""
    if isinstance(generated, dict) and isinstance(linked, dict):
        return {**generated, **{key: _overlay(generated.get(key), value) for key, value in linked.items()}}
    if isinstance(generated, list) and isinstance(linked, list):
        return [_overlay(generated[i] if i < len(generated) else {}, value) for i, value in enumerate(linked)]
    return linked


def _merge(stored: dict[str, Any], sent: dict[str, Any]) -> dict[str, Any]:
    merged = dict(stored)
    for key, value in sent.items():
        old = merged.get(key)
        merged[key] = _merge(old, value) if isinstance(old, dict) and isinstance(value, dict) else value
    return merged


def _missing(expected: Mapping[str, Any], got: Mapping[str, Any], base: list[str | int]) -> list[Violation]:
    """Where ``got`` shows another value than ``expected`` (objects as subsets). A field the answer
    leaves out says nothing of what is stored: that is the response schema's and the echo's to judge."""
    found: list[Violation] = []
    for name, value in expected.items():
        if name in got:
            found += list(echo_violations(value, got, name, [*base, name]))
    return found


def _moment(value: Any) -> datetime | None:
    return rfc3339(value)


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
