"""What the gate tells the user: one readable block per failure, and a summary at the end."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from schemathesis import Case, Response

from phone_contract._redact import Redactor, curl
from phone_contract.gate.checks import contract_of
from phone_contract.responses import check_response


@dataclass
class Tally:
    """Per-check outcomes, cases run and drift seen; one per run."""

    passed: Counter[str] = field(default_factory=Counter)
    failed: Counter[str] = field(default_factory=Counter)
    cases: int = 0
    drift_allowed: set[str] = field(default_factory=set)
    # Checks that could not run at all, and why: reported as such, never counted as passed.
    not_run: dict[str, str] = field(default_factory=dict)
    started: float = field(default_factory=time.monotonic)

    def record(self, check: str, ok: bool) -> None:
        (self.passed if ok else self.failed)[check] += 1

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def table(self) -> list[str]:
        names = sorted(set(self.passed) | set(self.failed))
        width = max([len(name) for name in names] + [5])
        lines = [f"  {'check':<{width}}  passed  failed"]
        lines += [f"  {name:<{width}}  {self.passed[name]:>6}  {self.failed[name]:>6}" for name in names]
        return lines


@dataclass(frozen=True)
class FailedCheck:
    """One check that failed on one response, in words."""

    name: str
    title: str
    message: str


def render_failure(
    redactor: Redactor, failed: list[FailedCheck], case: Case[Any], response: Response, public_url: str
) -> str:
    """The block printed (and written to JUnit) for a failing case: checks, paths, curl."""
    names = ", ".join(sorted({check.name for check in failed}))
    lines = [f"contract broken ({names}) on {case.operation.label}"]
    for check in failed:
        generic = check.title.startswith("Custom check failed")
        lines.append(f"- check {check.name}" + ("" if generic else f": {redactor.text(check.title)}"))
        lines += [f"    {redactor.text(line)}" for line in _essential(check.message)]
        if check.name == "unsupported_method":
            # The spec has one operation of a larger API: the path may serve more methods than it says.
            method = case.method.upper()
            lines.append(
                f"    if the API serves {method} on this path outside this spec, "
                f"pass --served-method {method} (not a contract break then)"
            )
    spec = contract_of(case)
    violations = check_response(response.status_code, _content_type(response), response.content, spec=spec)
    if violations:
        lines.append("- where the response breaks the spec (path: expected, got):")
        lines += [f"    {redactor.text(str(violation))}" for violation in violations]
    lines.append(f"- response: {response.status_code} {_content_type(response) or '(no content type)'}")
    lines.append(f"    {redactor.body(response.content, limit=600)}")
    lines.append("- reproduce:")
    lines.append(f"    {reproduction(redactor, response, public_url)}")
    return "\n".join(lines)


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


def reproduction(redactor: Redactor, response: Response, public_url: str) -> str:
    """curl for the request as sent, aimed at the real target, token from the environment."""
    request = response.request
    path = str(request.url or "/").split("://", 1)[-1]
    path = path[path.find("/") :] if "/" in path else "/"
    raw = request.body
    # requests keeps a prepared body as bytes or str; anything else (a stream) was never sent here.
    body = raw.encode() if isinstance(raw, str) else raw if isinstance(raw, bytes) else None
    headers = {name: str(value) for name, value in request.headers.items()}
    return curl(redactor, str(request.method), public_url.rstrip("/") + path, headers, body)


def _content_type(response: Response) -> str | None:
    values = response.headers.get("content-type")
    return values[0] if values else None


def summary(
    tally: Tally,
    *,
    target: str,
    seed: int,
    requests: int,
    writes: int,
    fingerprint: str,
    door: Sequence[str] = (),
    no_verdict: str | None = None,
) -> list[str]:
    """The closing lines of every run."""
    lines = [
        "",
        f"phone-contract gate summary - target: {target}",
        f"  cases run: {tally.cases}; requests sent: {requests} ({writes} writes); "
        f"time: {tally.elapsed:.1f}s; seed: {seed}; request fingerprint: {fingerprint}",
        *tally.table(),
    ]
    if tally.drift_allowed:
        fields = json.dumps(sorted(tally.drift_allowed))
        lines.append(f"  drift (allowed by --allow-undocumented): the API has grown: {fields}")
    lines += [f"  not run: {name}: {why}" for name, why in sorted(tally.not_run.items())]
    lines += door
    failed = sorted(name for name, count in tally.failed.items() if count)
    verdict = f"contract broken: {', '.join(failed)}" if failed else "no check failed"
    if no_verdict is not None:
        verdict = f"no verdict: {no_verdict}"
    lines.append(f"  result: {verdict}")
    return lines
