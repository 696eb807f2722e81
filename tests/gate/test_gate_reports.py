"""No secret in any output: terminal, JUnit XML, and no file written that was not asked for."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .support import SECRET_TOKEN, run_gate

pytestmark = pytest.mark.e2e

# A password value printed next to its key, in JSON or in a Python repr, that is not redacted.
UNREDACTED_PASSWORD = re.compile(r"""['"]password['"]\s*:\s*['"](?!<redacted>)""")


def test_a_failing_run_writes_a_secret_free_junit_report_and_nothing_else(tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "gate.xml"
    result = run_gate(
        ["--fault", "echo-token", "--max-examples", "10", "--junit-xml", str(junit)], cwd=tmp_path
    )
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    report = html.unescape(junit.read_text())  # XML escapes '<redacted>'
    for output in (result.stdout, result.stderr, report):
        assert SECRET_TOKEN not in output
        assert not UNREDACTED_PASSWORD.search(output)
    # The gate writes what it was asked to write, and nothing else (no .pytest_cache, no .hypothesis).
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*"))
    assert written == ["reports", "reports/gate.xml"]
    root = ET.fromstring(junit.read_text())  # noqa: S314 - our own file
    failures = root.findall(".//testcase/failure")
    text = "\n".join(failure.get("message", "") + (failure.text or "") for failure in failures)
    assert "- check token_not_leaked" in text
    assert '"Authorization: Bearer $FREYA_API_TOKEN"' in text
    # One test case per check, and one per failure group: a dashboard names what failed, and where.
    cases = {case.get("name"): case for case in root.iter("testcase")}
    assert cases["token_not_leaked: POST /phone-numbers: $ (body)"].find("failure") is not None
    assert cases["not_a_server_error"].find("failure") is None
    assert "test_api_conforms" not in cases
