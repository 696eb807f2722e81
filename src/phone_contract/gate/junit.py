"""The run as JUnit XML for CI dashboards: one test case per check, one per failure group.

pytest's own report would hold three test functions, whatever failed; a dashboard should say which
check failed and where. Written from the tally after the run; every text is already redacted, and
is scrubbed once more on the way out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from phone_contract._redact import Redactor
from phone_contract.gate.report import render_finding
from phone_contract.gate.tally import Tally

SUITE = "phone-contract-gate"


def write_junit(path: Path, tally: Tally, *, redactor: Redactor, stopped: str | None) -> None:
    """Write ``tally`` to ``path`` (parents created); ``stopped`` is why the run ended without a verdict."""
    suite = ET.Element("testsuite", name=SUITE)
    failing = {finding.check for finding in tally.findings.values()}
    counts = {"tests": 0, "failures": 0, "skipped": 0, "errors": 0}
    for check in sorted(set(tally.passed) | set(tally.failed) | failing):
        if check in failing:
            continue
        _case(suite, check, check)
        counts["tests"] += 1
    for finding in sorted(
        tally.findings.values(), key=lambda found: (found.check, found.operation, found.where)
    ):
        case = _case(suite, f"{finding.check}: {finding.operation}: {finding.where}", finding.check)
        times = "once" if finding.count == 1 else f"{finding.count} times"
        message = f"{finding.check} failed on {finding.operation} at {finding.where} ({times})"
        failure = ET.SubElement(case, "failure", message=redactor.text(message))
        failure.text = redactor.text(render_finding(finding))
        counts["tests"] += 1
        counts["failures"] += 1
    for check, why in sorted(tally.not_run.items()):
        ET.SubElement(_case(suite, check, check), "skipped", message=redactor.text(f"not run: {why}"))
        counts["tests"] += 1
        counts["skipped"] += 1
    if stopped is not None:
        error = ET.SubElement(_case(suite, "run", "run"), "error", message=redactor.text(stopped))
        error.text = redactor.text(stopped)
        counts["tests"] += 1
        counts["errors"] += 1
    suite.attrib.update({key: str(value) for key, value in counts.items()})
    suite.set("time", f"{tally.seconds:.3f}")
    path.parent.mkdir(parents=True, exist_ok=True)
    root = ET.Element("testsuites")
    root.append(suite)
    ET.ElementTree(root).write(path, encoding="utf-8", xml_declaration=True)


def _case(suite: ET.Element, name: str, check: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=f"{SUITE}.{check}", name=name, time="0")
