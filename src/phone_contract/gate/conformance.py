"""Send one schemathesis case through the gatekeeper, run every check, report failures readably."""

from __future__ import annotations

from typing import Any

from schemathesis import Case, HookContext, Response
from schemathesis.checks import CheckResult
from schemathesis.core.failures import FailureGroup
from schemathesis.engine import Status

from phone_contract.gate.checks import contract_of, response_drift
from phone_contract.gate.pinning import pin_identities
from phone_contract.gate.report import FailedCheck, render_failure
from phone_contract.gate.run import GATE_ORIGIN, GateRun
from phone_contract.gate.target import CaseWithdrawn, ResponseTimedOut


class ContractBroken(AssertionError):
    """A case broke the contract; the message is the full, redacted report."""


def install_tally_hook(run: GateRun) -> None:
    """Count every check's outcome on every response, and keep this case's failures for the report."""

    def after_validate(
        context: HookContext, case: Case[Any], response: Response, results: list[CheckResult]
    ) -> None:
        for result in results:
            ok = result.status == Status.SUCCESS
            run.tally.record(result.name, ok)
            if ok and result.name == "ignored_auth" and 200 <= response.status_code < 300:
                run.auth_enforced = True  # it only probes after a success; see send_and_check
            if not ok and result.failure is not None:
                failure = result.failure
                run.last_failures.append(FailedCheck(result.name, failure.title, failure.message))

    def after_call(context: HookContext, case: Case[Any], response: Response) -> None:
        # A live answer's time is the API's own: pacing and waiting out transient answers is the gate's.
        if run.gatekeeper.waited:
            response.elapsed = max(0.0, response.elapsed - run.gatekeeper.waited)

    for schema in (run.schema, run.deep_schema):
        schema.hook(after_validate)
        schema.hook(after_call)


# The requests ignored_auth sends after a success: without a token, and with a wrong one.
IGNORED_AUTH_WRITES = 2


def send_and_check(run: GateRun, case: Case[Any]) -> None:
    """One conformance case: the request, all checks, and a report that leaks no secret."""
    if run.gatekeeper.budget_reached:
        return  # the budget stopped the run; the summary says so
    run.tally.cases += 1
    run.last_failures = []
    pin_identities(case, run.settings.pinned_fields)
    kwargs: dict[str, Any] = {"base_url": GATE_ORIGIN, "headers": run.auth_headers}
    checks = run.checks
    if run.auth_enforced or not run.gatekeeper.can_write(1 + IGNORED_AUTH_WRITES):
        # ignored_auth re-sends a created number without and with a wrong token: two more writes.
        # Once the API has refused both, enforcement is proven for the run (as in `st run`); where
        # the budget has no room for them, the case's other checks still count.
        checks = [check for check in checks if check.__name__ != "ignored_auth"]
    try:
        response = case.call(**kwargs)
        case.validate_response(response, checks=checks, headers=run.auth_headers, transport_kwargs=kwargs)
    except CaseWithdrawn:
        return
    except ResponseTimedOut as exc:
        run.tally.record("max_response_time", ok=False)
        raise ContractBroken(
            f"contract broken (max_response_time) on {case.operation.label}\n- {exc}"
        ) from None
    except FailureGroup:
        raise ContractBroken(
            render_failure(run.redactor, run.last_failures, case, response, run.public_url)
        ) from None
    if run.settings.allow_undocumented:
        run.tally.drift_allowed.update(response_drift(response, contract_of(case)))
