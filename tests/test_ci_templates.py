"""The CI templates: the GitHub workflow and the pre-commit config are valid and do their duties.

Both validators run offline: check-jsonschema ships the GitHub workflow schema
(``vendor.github-workflows``), and pre-commit validates its own config. Any attempt to reach the
network goes to a closed local port and fails the test.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "contract.yml"
PRE_COMMIT = ROOT / ".pre-commit-config.yaml"
OFFLINE = {"HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
LIVE_API = "https://app.freyavoice.ai/api/v2"


def _validate_workflow(path: Path) -> subprocess.CompletedProcess[str]:
    command = [
        sys.executable,
        "-m",
        "check_jsonschema",
        "--builtin-schema",
        "vendor.github-workflows",
        str(path),
    ]
    return subprocess.run(command, capture_output=True, text=True, check=False, env={**os.environ, **OFFLINE})


def _load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); BaseLoader keeps every key and value a string.
    document: dict[str, Any] = yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader)  # noqa: S506
    return document


def _pin(package: str) -> str:
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras: dict[str, list[str]] = pyproject["project"]["optional-dependencies"]
    [spec] = [entry for entries in extras.values() for entry in entries if entry.startswith(f"{package}==")]
    return spec.split("==", 1)[1]


@pytest.fixture(scope="module")
def workflow() -> dict[str, Any]:
    return _load(WORKFLOW)


def _steps(workflow: dict[str, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = workflow["jobs"][job]["steps"]
    return steps


def _runs(workflow: dict[str, Any], job: str) -> str:
    return "\n".join(step.get("run", "") for step in _steps(workflow, job))


def test_workflow_matches_the_github_schema() -> None:
    result = _validate_workflow(WORKFLOW)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    broken.write_text(WORKFLOW.read_text(encoding="utf-8").replace("runs-on:", "runs_on:"), encoding="utf-8")
    result = _validate_workflow(broken)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "runs-on" in result.stdout


def test_triggers(workflow: dict[str, Any]) -> None:
    triggers = workflow["on"]
    assert set(triggers) == {"push", "pull_request", "schedule", "workflow_dispatch"}
    assert triggers["pull_request"]["paths"] == ["spec/**"]
    assert triggers["schedule"][0]["cron"]


def test_push_runs_tests_drift_lint_and_the_mock_gate(workflow: dict[str, Any]) -> None:
    on_push = {name for name, job in workflow["jobs"].items() if job["if"] == "github.event_name == 'push'"}
    assert on_push == {"tests", "drift", "speclint", "gate-mock"}
    assert "./scripts/test" in _runs(workflow, "tests")
    assert "./scripts/check-generated" in _runs(workflow, "drift")
    assert "tox -e speclint" in _runs(workflow, "speclint")


def test_a_nightly_run_of_the_suite_explores_with_a_random_seed(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["tests-nightly"]
    assert job["if"] == "github.event_name == 'schedule'"
    assert "./scripts/test --hypothesis-profile nightly" in _runs(workflow, "tests-nightly")
    # The profile it names is the toolkit's tests' own (tests/conftest.py): random, and more examples.
    nightly, ci = settings.get_profile("nightly"), settings.get_profile("ci")
    assert not nightly.derandomize
    assert ci.derandomize
    assert nightly.max_examples > ci.max_examples


@pytest.mark.parametrize("job", ["gate-mock", "gate-live"])
def test_gate_reports_are_uploaded(workflow: dict[str, Any], job: str) -> None:
    [report] = re.findall(r"--junit-xml (\S+)", _runs(workflow, job))
    [upload] = [
        step for step in _steps(workflow, job) if step.get("uses", "").startswith("actions/upload-artifact@")
    ]
    assert report in upload["with"]["path"].split()
    assert upload["if"] == "${{ !cancelled() }}"  # uploaded when the gate fails too


def test_the_live_gate_keeps_what_was_said_and_what_was_created(workflow: dict[str, Any]) -> None:
    run = _runs(workflow, "gate-live")
    [har] = re.findall(r"--har (\S+)", run)
    [created] = re.findall(r"--created (\S+)", run)
    steps = _steps(workflow, "gate-live")
    [upload] = [step for step in steps if step.get("uses", "").startswith("actions/upload-artifact@")]
    assert {har, created} <= set(upload["with"]["path"].split())


def test_live_gate_is_scheduled_with_a_secret_token_and_a_small_budget(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["gate-live"]
    assert job["if"] == "github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'"
    assert job["env"]["FREYA_API_TOKEN"] == "${{ secrets.FREYA_API_TOKEN }}"
    run = _runs(workflow, "gate-live")
    assert f"--base-url {LIVE_API}" in run
    assert '--write-budget "$WRITE_BUDGET"' in run
    assert job["env"]["WRITE_BUDGET"] == "${{ inputs.write_budget || 10 }}"
    # The identities come from repository variables, read by the gate from the environment.
    for name in ("FREYA_WORKSPACE_ID", "FREYA_OTHER_WORKSPACE_ID", "FREYA_USER_ID"):
        assert job["env"][name] == f"${{{{ vars.{name} }}}}"
    assert int(workflow["on"]["workflow_dispatch"]["inputs"]["write_budget"]["default"]) <= 10
    assert "FREYA_API_TOKEN" not in run  # never on a command line


def test_pull_request_diff_is_commented_and_still_fails_the_job(workflow: dict[str, Any]) -> None:
    job = workflow["jobs"]["spec-diff"]
    assert job["if"] == "github.event_name == 'pull_request'"
    assert job["permissions"]["pull-requests"] == "write"
    diff, comment, verdict = job["steps"][-3:]
    assert "phone-contract diff" in diff["run"]
    assert "--format markdown > spec-diff.md || status=$?" in diff["run"]
    assert "git:origin/$BASE_REF:spec/phone-numbers.openapi.yaml" in diff["run"]
    assert comment["uses"].startswith("actions/github-script@")
    assert "spec-diff.md" in comment["with"]["script"]
    assert comment["if"] == "steps.diff.outputs.status == '0' || steps.diff.outputs.status == '1'"
    assert verdict["if"] == "steps.diff.outputs.status != '0'"
    assert verdict["run"] == 'exit "$STATUS"'


def test_no_step_may_fail_quietly() -> None:
    assert "continue-on-error" not in WORKFLOW.read_text(encoding="utf-8")


def test_actions_are_pinned_to_versions(workflow: dict[str, Any]) -> None:
    uses = [step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step]
    assert uses
    for action in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@v\d+\.\d+\.\d+", action), action


def test_workflow_runs_only_scripts_that_exist(workflow: dict[str, Any]) -> None:
    runs = "\n".join(_runs(workflow, job) for job in workflow["jobs"])
    scripts = set(re.findall(r"(?:\./|source )(scripts/[\w.-]+)", runs))
    assert {"scripts/test", "scripts/check-generated", "scripts/gate", "scripts/_bootstrap.sh"} <= scripts
    for script in sorted(scripts):
        assert (ROOT / script).is_file(), f"the workflow runs {script}, which does not exist"


def test_pre_commit_config_is_valid() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", str(PRE_COMMIT)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, **OFFLINE},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in (result.stdout + result.stderr).lower()


def test_pre_commit_runs_the_pinned_ruff_and_the_drift_gate() -> None:
    config = _load(PRE_COMMIT)
    [ruff] = [repo for repo in config["repos"] if repo["repo"].endswith("/ruff-pre-commit")]
    assert ruff["rev"] == f"v{_pin('ruff')}"
    assert [hook["id"] for hook in ruff["hooks"]] == ["ruff-check", "ruff-format"]
    [drift] = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    assert drift["entry"] == "scripts/check-generated"
    assert (ROOT / drift["entry"]).is_file()
    assert drift["pass_filenames"] == "false"
    files = re.compile(drift["files"])
    for touched in ("spec/phone-numbers.openapi.yaml", "generated/inputs.sha256"):
        assert files.search(touched), touched
    for untouched in ("src/phone_contract/cli.py", "tests/spec/x.yaml", "README.md"):
        assert not files.search(untouched), untouched


def test_a_red_live_gate_drafts_its_spec_update_with_learn(workflow: dict[str, Any]) -> None:
    [har] = re.findall(r"--har (\S+)", _runs(workflow, "gate-live"))
    [step] = [step for step in _steps(workflow, "gate-live") if "phone-contract learn" in step.get("run", "")]
    assert "failure()" in step["if"]  # only when the gate went red
    assert f"phone-contract learn {har}" in step["run"]  # the HAR that run recorded
    assert "GITHUB_STEP_SUMMARY" in step["run"]  # the proposal lands in the job summary
    # learn's 1 (a proposal) is the expected outcome of a red run; only 2 (could not run) fails the step.
    assert 'test "$status" -ne 2' in step["run"]
