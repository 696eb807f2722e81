"""What the gate tells the user: one readable block per kind of failure, and a summary at the end.

Rendering only: what was seen lives in :mod:`phone_contract.gate.tally`.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from schemathesis import Case, Response

from phone_contract._http import content_type
from phone_contract._redact import TOKEN_PLACEHOLDER, Redactor, curl
from phone_contract._words import counted, times
from phone_contract.gate.checks import operation_of
from phone_contract.gate.tally import Finding, Tally
from phone_contract.responses import Violation, check_response, shown


def table(tally: Tally) -> list[str]:
    names = sorted(set(tally.passed) | set(tally.failed))
    width = max([len(name) for name in names] + [5])
    lines = [f"  {'check':<{width}}  passed  failed"]
    lines += [f"  {name:<{width}}  {tally.passed[name]:>6}  {tally.failed[name]:>6}" for name in names]
    return lines


def render_failure(
    redactor: Redactor,
    check: str,
    *,
    title: str,
    message: str,
    case: Case[Any],
    response: Response,
    public_url: str,
) -> str:
    """The body of the block for one check that failed on one response: what, where, curl."""
    lines: list[str] = []
    generic = title.startswith("Custom check failed")
    # Schemathesis' words hold what came off the wire (a content type, an Allow header): scrubbed as such.
    lines.append(f"- check {check}" + ("" if generic else f": {redactor.content(title)}"))
    lines += [f"    {redactor.content(line)}" for line in _essential(message)]
    if check == "unsupported_method":
        # The spec may hold some operations of a larger API: the path may serve more methods than it says.
        method = str(response.request.method).upper()
        lines.append(
            f"    if the API serves {method} on this path outside this spec, "
            f"pass --served-method {method} (not a contract break then)"
        )
    violations = schema_violations(case, response)
    if violations:
        lines.append("- where the response breaks the spec (path: expected, got):")
        lines += [f"    {shown(violation, redactor)}" for violation in violations]
    lines += response_lines(redactor, response)
    lines.append("- reproduce:")
    lines.append(f"    {reproduction(redactor, case, response, public_url)}")
    return "\n".join(lines)


def schema_violations(case: Case[Any], response: Response) -> list[Violation]:
    """How the answer breaks its operation's documented responses (none for an unknown operation)."""
    operation = operation_of(case)
    if operation is None:
        return []
    return check_response(operation, response.status_code, content_type(response), response.content)


def response_lines(redactor: Redactor, response: Response) -> list[str]:
    return [
        f"- response: {response.status_code} {content_type(response) or '(no content type)'}",
        f"    {redactor.body(response.content, limit=600)}",
    ]


def sorted_findings(tally: Tally) -> list[Finding]:
    """The findings in the order every report lists them: by check, operation, place."""
    return sorted(tally.findings.values(), key=lambda found: (found.check, found.operation, found.where))


def render_finding(finding: Finding) -> str:
    """A finding's block: its heading (check, operation, where, how often) and its first occurrence."""
    heading = (
        f"contract broken ({finding.check}) on {finding.operation}: {finding.where} ({times(finding.count)})"
    )
    return f"{heading}\n{finding.report}"


# Schemathesis follows its first lines with the whole schema and value; the body is shown once below.
_DETAIL_STARTS = ("Schema at", "Value:", "Validated against")


def _essential(message: str) -> list[str]:
    lines: list[str] = []
    for line in message.splitlines():
        if line.strip().startswith(_DETAIL_STARTS):
            break
        if line.strip():
            lines.append(line.strip())
    return lines


def reproduction(redactor: Redactor, case: Case[Any], response: Response, public_url: str) -> str:
    """curl for the request as sent, aimed at the real target, the token read from the environment.

    Schemathesis renders the case (its sanitization, configured in gate.session, takes the
    passwords out); the one thing it cannot write is a header the shell expands, so the token's
    header is ours. A probe that changed the method (unsupported_method) is not the case any more:
    it is rendered from the request that was sent.
    """
    request = response.request
    sent_auth = request.headers.get("Authorization")
    sent_auth = str(sent_auth) if sent_auth is not None else None
    if str(request.method).upper() != case.method.upper():
        return _sent_as_curl(redactor, response, public_url)
    headers: dict[str, str] = {}
    placeholder = None
    if sent_auth is not None:
        scheme = sent_auth.split(" ", 1)[0] if " " in sent_auth else "Bearer"
        credential = sent_auth.split(" ", 1)[1] if " " in sent_auth else sent_auth
        if redactor.knows(credential):  # the run's own token: read it from the environment
            placeholder = f"Authorization: {scheme} {TOKEN_PLACEHOLDER}"
            headers["Authorization"] = f"{scheme} {TOKEN_PLACEHOLDER}"
        else:  # a probe's wrong token: no secret, and part of what is reproduced
            headers["Authorization"] = sent_auth
    command = case.as_curl_command(headers=headers, base_url=public_url)
    if placeholder is not None:
        # Double quotes: the shell expands the variable, so the secret never sits in the command.
        command = command.replace(f"'{placeholder}'", f'"{placeholder}"')
    return redactor.text(command)


def _sent_as_curl(redactor: Redactor, response: Response, public_url: str) -> str:
    request = response.request
    path = str(request.url or "/").split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else "/"
    raw = request.body
    # requests keeps a prepared body as bytes or str; anything else (a stream) was never sent here.
    body = raw.encode() if isinstance(raw, str) else raw if isinstance(raw, bytes) else None
    headers = {name: str(value) for name, value in request.headers.items()}
    return curl(redactor, str(request.method), public_url.rstrip("/") + path, headers, body)


# How many boundary values a summary names of those not sent; the rest are counted.
SHOWN_SKIPPED = 6


def boundary_lines(tally: Tally) -> list[str]:
    """What the boundary values covered of each operation, and what the budget made the run skip."""
    lines = []
    for label, coverage in tally.boundaries.items():
        line = (
            f"  boundary values of {label}: {coverage.covered} of {coverage.total} covered "
            f"({counted(coverage.packed, 'body', 'bodies')} holding many at once, then "
            f"{coverage.singles} one field at a time)"
        )
        if coverage.skipped:
            shown = ", ".join(coverage.skipped[:SHOWN_SKIPPED])
            more = len(coverage.skipped) - SHOWN_SKIPPED
            line += f"; not sent ({coverage.why}): {shown}"
            line += f" and {more} more" if more > 0 else ""
        lines.append(line)
    return lines


def summary(
    tally: Tally,
    *,
    target: str,
    seed: int,
    requests: int,
    writes: int,
    fingerprint: str,
    door: Sequence[str] = (),
    notes: list[str] | None = None,
) -> list[str]:
    """The closing lines of every run."""
    lines = [
        "",
        f"phone-contract gate summary - target: {target}",
        f"  cases run: {tally.cases}; requests sent: {requests} ({counted(writes, 'write')}); "
        f"time: {tally.seconds:.1f}s; seed: {seed}; request fingerprint: {fingerprint}",
        *table(tally),
    ]
    if tally.findings:
        groups = f"{len(tally.findings)} group{'' if len(tally.findings) == 1 else 's'}"
        lines.append(f"  failures: {tally.failures} in {groups} (check, operation, where: count)")
        lines += [
            f"    {finding.check}, {finding.operation}, {finding.where}: {finding.count}"
            for finding in sorted_findings(tally)
        ]
    if tally.drift_allowed:
        fields = json.dumps(sorted(tally.drift_allowed))
        lines.append(f"  drift (allowed by --allow-undocumented): the API has grown: {fields}")
    lines += [f"  not run: {name}: {why}" for name, why in sorted(tally.not_run.items())]
    lines += boundary_lines(tally)
    lines += door
    lines += [f"  {note}" for note in notes or []]
    failed = sorted(name for name, count in tally.failed.items() if count)
    verdict = f"contract broken: {', '.join(failed)}" if failed else "no check failed"
    lines.append(f"  result: {verdict}")
    if tally.drift:
        lines.append("  drift to act on (update the spec, or fix the API):")
        lines += [
            f"    - {note.kind}: {note.text}"
            + (f"; {note.detail}" if note.detail else "")
            + (f" ({note.count} times)" if note.count > 1 else "")
            for note in sorted(tally.drift.values(), key=lambda seen: (seen.kind, seen.text))
        ]
    return lines
