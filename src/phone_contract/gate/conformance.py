"""Send one schemathesis case through the gatekeeper, run every check, keep every failure.

A failing case does not stop the test: its failures go into the tally, grouped by check, operation
and place, and the next case is sent (the plugin fails the test at its end). With ``--fail-fast`` no
case is sent after the first failure (raising instead would make hypothesis send the failing case
again, to report it).
"""

from __future__ import annotations

from typing import Any

from schemathesis import Case, HookContext, Response
from schemathesis.checks import CheckResult
from schemathesis.core import NOT_SET
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.engine import Status
from schemathesis.engine.recorder import ScenarioRecorder
from schemathesis.generation.meta import CoveragePhaseData, CoverageScenario

from phone_contract._http import content_type
from phone_contract._spec import Operation, Role
from phone_contract.gate import drift
from phone_contract.gate.checks import CheckFailed, operation_of, probe_violations, response_drift
from phone_contract.gate.door import WAITED_HEADER
from phone_contract.gate.door_errors import CaseWithdrawn
from phone_contract.gate.pinning import pin_identities
from phone_contract.gate.report import render_failure, render_finding, schema_violations
from phone_contract.gate.session import GATE_ORIGIN, GateSession


class ContractBroken(AssertionError):
    """A case broke the contract; the message is the full, redacted report."""


def install_tally_hook(session: GateSession) -> None:
    """Count every check's outcome on every response, and keep every failure (grouped) in the tally."""

    def after_validate(
        context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        for result in results:
            ok = result.status == Status.SUCCESS
            session.tally.record(result.name, ok)
            if ok and result.name == "ignored_auth" and 200 <= response.status_code < 300:
                session.auth_enforced = True  # it only probes after a success; see send_and_check
            if not ok and result.failure is not None:
                record_failure(session, result.name, result.failure, case, response)
        drift.note_response(case, response, session.tally)
        operation = operation_of(case)
        if session.settings.allow_undocumented and operation is not None:
            session.tally.drift_allowed.update(response_drift(response, operation))

    def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
        # A live answer's time is the API's own: pacing and waiting out transient answers is the
        # gate's, which the door says in a header of its own (taken off before any check sees it).
        waited = response.headers.pop(WAITED_HEADER.decode(), None)
        if waited:
            response.elapsed = max(0.0, response.elapsed - float(waited[0]))

    for schema in (session.schema, *session.deep_schemas.values()):
        schema.hook(after_validate)
        schema.hook(after_call)


def record_failure(
    session: GateSession, check: str, failure: Failure, case: Case[Any], response: Response
) -> None:
    report = render_failure(
        session.redactor,
        check,
        title=failure.title,
        message=failure.message,
        case=case,
        response=response,
        public_url=session.public_url,
    )
    # A place names the answer's own keys: wire content, scrubbed as such before anything shows it.
    where = [session.redactor.content(place) for place in places(check, failure, case, response)]
    session.tally.add_failure(check, case.operation.label, where, report)
    drift.note_failure(session.tally, session.redactor, check, failure=failure, case=case, response=response)


def places(check: str, failure: Failure, case: Case[Any], response: Response) -> list[str]:
    """Where a failure is, for grouping: the field paths it names, else the status it got."""
    status = response.status_code
    if check == "unsupported_method":
        return [f"{str(response.request.method).upper()} answered {status}"]
    error = getattr(failure, "exception", None)
    if isinstance(error, CheckFailed):
        return sorted({violation.path for violation in error.violations})
    if check == "response_schema_conformance":
        paths = sorted({violation.path for violation in schema_violations(case, response)})
        if paths:
            return [f"{path} (status {status})" for path in paths]
    return [f"status {status}"]


# The requests ignored_auth sends after a success: without a token, and with a wrong one.
IGNORED_AUTH_WRITES = 2
# Checks that judge whether the API accepted what it should (valid requests) and refused the rest.
JUDGE_REQUESTS = frozenset({"positive_data_acceptance", "negative_data_rejection", "missing_required_header"})


def prepare(session: GateSession, case: Case[Any]) -> None:
    """Make ``case`` keep the run's rules before it is sent: pinned identities, the run's own ids
    (or ids that cannot exist) wherever it addresses a resource, and no body on a probe of a method
    the spec does not document (its effect is unknown: it must address nothing, by body or query)."""
    if _probes_another_method(case):
        case.body = NOT_SET
        case.query = {}
        return
    pin_identities(case, session.pinned)
    operation = operation_of(case)
    if isinstance(case.body, dict | list):
        case.body = session.ownership.address(operation, case.body)
    if operation is not None and operation.semantics.role is Role.LIST:
        _list_the_runs_scope(session, operation, case)


def _list_the_runs_scope(session: GateSession, operation: Operation, case: Case[Any]) -> None:
    """A list asked of a scope the run has resources in (a made-up one lists nothing to judge), where
    the case names a valid one: a case whose scope is what makes it invalid stays as it is."""
    resource = operation.semantics.resource
    scope = session.ownership.newest_scope()
    query = case.query if isinstance(case.query, dict) else None
    if resource is None or resource.scope is None or scope is None or query is None:
        return
    parameter = operation.parameters.get(("query", resource.scope))
    schema = parameter.get("schema") if parameter is not None else None
    if (
        resource.scope in query
        and isinstance(schema, dict)
        and operation.spec.validator(schema).is_valid(query[resource.scope])
    ):
        case.query = {**query, resource.scope: scope}


def send_and_check(session: GateSession, case: Case[Any], *, prepared: bool = False) -> Response | None:
    """One conformance case: the request, all checks, every failure kept; no secret in any report.

    The answer, or None when the case was not sent or not answered. ``prepared``: the caller built
    the case to keep the run's rules itself (the stateful properties address their own resources).
    """
    operation = operation_of(case)
    creates = operation is not None and operation.semantics.role is Role.CREATE
    budget = session.gatekeeper.budget
    if budget.stopped or session.failed_fast or (creates and budget.write_budget_reached):
        # The request or time limit (or --fail-fast) stopped the run; a spent write budget, its creates only
        # (updates of the run's own and reads still go). The summary says so.
        return None
    session.tally.count_case()
    if not prepared:
        prepare(session, case)
    kwargs: dict[str, Any] = {"base_url": GATE_ORIGIN, "headers": session.request_headers}
    checks = session.checks
    if session.auth_enforced or (creates and not session.gatekeeper.can_create(1 + IGNORED_AUTH_WRITES)):
        # ignored_auth re-sends a created resource without and with a wrong token: two more creations.
        # Once the API has refused both, enforcement is proven for the run (as in `st run`); where
        # the budget has no room for them, the case's other checks still count.
        checks = [check for check in checks if check.__name__ != "ignored_auth"]
    # Where ignored_auth records the probes it sends (without and with a wrong token).
    if operation is not None and operation.semantics.learned:
        # Documented from its answers alone (`learn`): what a valid request is, nobody knows yet.
        checks = [check for check in checks if check.__name__ not in JUDGE_REQUESTS]
    probes = ScenarioRecorder(label=case.operation.label)
    try:
        with session.lanes.waiting():
            response = case.call(**kwargs)
    except CaseWithdrawn:
        return None
    try:
        case.validate_response(
            response, checks=checks, headers=session.request_headers, transport_kwargs=kwargs, recorder=probes
        )
    except CaseWithdrawn:
        return response
    except FailureGroup:
        pass  # every failure is in the tally already (the after_validate hook)
    judge_probes(session, case, probes)
    return response


def _probes_another_method(case: Case[Any]) -> bool:
    meta = case.meta
    data = meta.phase.data if meta is not None else None
    return isinstance(data, CoveragePhaseData) and data.scenario == CoverageScenario.UNSPECIFIED_HTTP_METHOD


PROBE_CHECK = "probe_answers_conform"


def judge_probes(session: GateSession, case: Case[Any], probes: ScenarioRecorder) -> None:
    """Hold the answers to the probes a check sent to the contract of their status (see
    checks.probe_answers_conform, which does the same for the probes that are cases of their own)."""
    operation = operation_of(case)
    if operation is None:
        return
    for case_id, interaction in probes.interactions.items():
        node = probes.cases.get(case_id)
        response = interaction.response
        if case_id == case.id or node is None or response is None:
            continue
        violations = probe_violations(
            operation, response.status_code, content_type(response), response.content
        )
        if violations is None:
            continue
        session.tally.record(PROBE_CHECK, ok=not violations)
        if violations:
            message = [
                *(str(violation) for violation in violations),
                "the answer to a probe breaks the contract",
            ]
            report = render_failure(
                session.redactor,
                PROBE_CHECK,
                title="Custom check failed",
                message="\n".join(message),
                case=node.value,
                response=response,
                public_url=session.public_url,
            )
            status = response.status_code
            session.tally.add_failure(
                PROBE_CHECK,
                operation.label,
                sorted(
                    {
                        f"{session.redactor.content(violation.path)} (status {status})"
                        for violation in violations
                    }
                ),
                report,
            )


def findings_report(session: GateSession, *, since: dict[tuple[str, str, str], int]) -> str:
    """The findings seen since the counts ``since``: new ones in full, others in one line each."""
    blocks: list[str] = []
    again: list[str] = []
    for key, finding in session.tally.findings.items():
        seen = since.get(key, 0)
        if finding.count > seen and seen == 0:
            blocks.append(render_finding(finding))
        elif finding.count > seen:
            again.append(
                f"- seen again: {finding.check} on {finding.operation} at {finding.where} (reported above)"
            )
    return "\n\n".join([*blocks, "\n".join(again)] if again else blocks)
