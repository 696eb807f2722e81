"""Reports: readable failures with curl, a JUnit XML file, a summary, and no secret anywhere."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

from .support import SECRET_TOKEN, run_gate

# A password value printed next to its key, in JSON or in a Python repr, that is not redacted.
UNREDACTED_PASSWORD = re.compile(r"""['"]password['"]\s*:\s*['"](?!<redacted>)""")


def test_a_failing_run_writes_a_secret_free_junit_report_and_nothing_else(tmp_path: Path) -> None:
    junit = tmp_path / "reports" / "gate.xml"
    result = run_gate(
        ["--fault", "echo-token", "--max-examples", "10", "--junit-xml", str(junit)], cwd=tmp_path
    )
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    report = junit.read_text()
    for output in (result.stdout, result.stderr, report):
        assert SECRET_TOKEN not in output
        assert not UNREDACTED_PASSWORD.search(output)
    # The gate writes what it was asked to write, and nothing else (no .pytest_cache, no .hypothesis).
    assert sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*")) == [
        "reports",
        "reports/gate.xml",
    ]
    failures = ET.fromstring(report).findall(".//testcase/failure")
    assert failures
    text = "\n".join(failure.get("message", "") + (failure.text or "") for failure in failures)
    assert "token_not_leaked" in text
    assert '"Authorization: Bearer $FREYA_API_TOKEN"' in text
    assert '"password":"<redacted>"' in text or "password" not in text


def test_a_failure_names_check_path_expected_actual_and_curl() -> None:
    result = run_gate(["--fault", "field-missing", "--max-examples", "10"])
    assert result.status == 1
    out = result.stdout
    assert "- check response_schema_conformance" in out
    assert "$.data.result.phoneNumber.userId: expected required property 'userId', got nothing" in out
    assert "curl --request POST --url http://127.0.0.1:8000/api/v2/phone-numbers" in out
    assert SECRET_TOKEN not in out


def test_the_summary_counts_cases_checks_time_and_seed() -> None:
    result = run_gate(["--max-examples", "5", "--seed", "42"])
    assert result.status == 0, result.stdout[-4000:]
    summary = result.stdout[result.stdout.index("phone-contract gate summary") :]
    assert re.search(r"cases run: [1-9]\d*; requests sent: \d+ \(\d+ writes\); time: [\d.]+s; seed: 42", summary)
    for check in ("not_a_server_error", "ignored_auth", "echoes_sent_fields", "duplicate_conflicts"):
        assert re.search(rf"^  {check} +[1-9]\d* +0$", summary, re.MULTILINE), summary
    assert "result: no check failed" in summary


def test_the_thorough_profile_prints_its_random_seed() -> None:
    result = run_gate(["--profile", "thorough", "--max-examples", "3"])
    assert result.status == 0, result.stdout[-4000:]
    header = result.stdout.splitlines()[0]
    match = re.search(r"seed (\d+); max examples 3; profile thorough", header)
    assert match
    assert f"seed: {match.group(1)}" in result.stdout
