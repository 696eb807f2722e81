"""The project's spec itself: valid OpenAPI, with examples, clean under Redocly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from phone_contract import default_spec_path, load_spec

ROOT = Path(__file__).resolve().parents[1]
REDOCLY = "@redocly/cli@2.77.0"  # pinned here and in tox.ini


def raw_spec() -> dict[str, Any]:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_spec_is_valid_openapi() -> None:
    validate(raw_spec())


def test_the_request_and_every_response_have_examples() -> None:
    # The spec model checks each of them against its schema as it loads (tests/test_spec_model.py).
    for operation in load_spec().require_operations():
        assert operation.request_examples(), operation.label
        for status, response in operation.responses.items():
            assert response.examples(), (operation.label, status)


def redocly_lint(spec: Path) -> dict[str, Any]:
    npx = shutil.which("npx")
    if npx is None:
        # CI machines have Node.js, so there the lint must run; a laptop with only python3 may skip it.
        if os.environ.get("CI"):
            pytest.fail("npx (Node.js) is not installed, and CI must lint the spec with Redocly CLI")
        pytest.skip("npx (Node.js) is not installed: Redocly CLI cannot run; tox -e speclint needs it too")
    command = [
        npx,
        "--yes",
        REDOCLY,
        "lint",
        "--config",
        str(ROOT / "redocly.yaml"),
        str(spec),
        "--format=json",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"Redocly printed no JSON report (exit {result.returncode}):\n{result.stderr[-2000:]}")
    assert isinstance(report, dict)
    return report


def test_redocly_recommended_finds_no_error_and_no_warning() -> None:
    report = redocly_lint(default_spec_path())
    messages = [f"{p['severity']} {p['ruleId']}: {p['message']}" for p in report["problems"]]
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, "\n".join(messages)


def test_redocly_does_report_a_broken_spec(tmp_path: Path) -> None:
    # Proves the check above reads Redocly's report right: an operation without an operationId
    # breaks the recommended ruleset.
    spec = raw_spec()
    del spec["paths"]["/phone-numbers"]["post"]["operationId"]
    broken = tmp_path / "broken.openapi.yaml"
    broken.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    report = redocly_lint(broken)
    assert report["totals"]["errors"] + report["totals"]["warnings"] > 0
    assert "operation-operationId" in {problem["ruleId"] for problem in report["problems"]}
