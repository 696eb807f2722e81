"""``phone-contract diff`` as a user runs it: sources, exit statuses and the three formats (through
``cli.main`` in this process, and in its own process for the console entry point)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from phone_contract.cli import main

BASE = Path(__file__).parent / "corpus" / "base.yaml"


def write(path: Path, document: dict[str, Any]) -> str:
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return str(path)


def base() -> dict[str, Any]:
    document: dict[str, Any] = yaml.safe_load(BASE.read_text(encoding="utf-8"))
    return document


@pytest.fixture
def breaking(tmp_path: Path) -> str:
    """BASE without the response's required ``id``: breaks clients."""
    document = base()
    del document["components"]["schemas"]["PhoneNumber"]["properties"]["id"]
    document["components"]["schemas"]["PhoneNumber"]["required"].remove("id")
    return write(tmp_path / "breaking.yaml", document)


@pytest.fixture
def additive(tmp_path: Path) -> str:
    """BASE with a new optional response field and info.version raised to 1.1.0."""
    document = base()
    document["components"]["schemas"]["PhoneNumber"]["properties"]["carrier"] = {"type": "string"}
    document["info"]["version"] = "1.1.0"
    return write(tmp_path / "additive.yaml", document)


def test_no_change_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(BASE), str(BASE)]) == 0
    out = capsys.readouterr().out
    assert "no changes to the contract" in out
    assert "no info.version bump is needed" in out


def test_compatible_change_exits_0_and_sees_the_version_bump(
    additive: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(BASE), additive]) == 0
    out = capsys.readouterr().out
    assert "response-property-added" in out
    assert "needs a minor bump of info.version (to 1.1.0); NEW's info.version 1.1.0 already makes it" in out


def test_breaking_change_exits_1_and_asks_for_a_major_bump(
    breaking: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["diff", str(BASE), breaking]) == 1
    out = capsys.readouterr().out
    assert "BREAKS CLIENTS" in out
    assert "clients: BREAKING" in out
    assert "$.id" in out
    advice = "needs a major bump of info.version (to 2.0.0); NEW's info.version 1.0.0 does not make it yet"
    assert advice in out


def test_json_format(breaking: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(BASE), breaking, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["breaks_clients"] is True
    assert report["version"] == {
        "required_bump": "major",
        "suggested": "2.0.0",
        "new_version_bump": "none",
        "satisfied": False,
    }
    [change] = report["changes"]
    assert change == {
        "rule": "response-property-removed",
        "client": "breaking",
        "server": "compatible",
        "operation": "POST /phone-numbers",
        "part": "response",
        "status": "201",
        "media_type": "application/json",
        "path": "$.id",
        "message": "required field 'id' removed",
        "why": "clients that read it get nothing",
    }


def test_markdown_format_is_a_table(breaking: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(BASE), breaking, "--format", "markdown"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "<!-- phone-contract-diff -->"
    header = lines.index("| Clients | Servers | Operation | Where | Change |")
    assert lines[header + 1] == "|---|---|---|---|---|"
    row = lines[header + 2]
    assert row.startswith("| **breaking** | compatible | `POST /phone-numbers` |")
    assert row.count(" | ") == 4  # five cells, no stray pipe from the content


def test_git_sources(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    git = shutil.which("git")
    assert git is not None
    repo = tmp_path / "repo"
    (repo / "spec").mkdir(parents=True)
    identity = ["-c", "user.name=test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]

    def commit(document: dict[str, Any], message: str) -> None:
        write(repo / "spec" / "api.yaml", document)
        subprocess.run([git, "-C", str(repo), "add", "."], check=True)
        subprocess.run([git, "-C", str(repo), *identity, "commit", "-qm", message], check=True)

    subprocess.run([git, "init", "-q", str(repo)], check=True)
    commit(base(), "first")
    document = base()
    document["components"]["schemas"]["CreateRequest"]["required"].append("friendlyName")
    commit(document, "second")
    monkeypatch.chdir(repo)
    assert main(["diff", "git:HEAD~1:spec/api.yaml", "git:HEAD:spec/api.yaml"]) == 1
    assert "request-property-became-required" in capsys.readouterr().out
    # A file of the working tree against a revision.
    assert main(["diff", "git:HEAD:spec/api.yaml", "spec/api.yaml"]) == 0
    # From a folder inside the repository: REV:path is still read from its root, as `git show` does.
    monkeypatch.chdir(repo / "spec")
    assert main(["diff", "git:HEAD~1:spec/api.yaml", "api.yaml"]) == 1


@pytest.mark.parametrize(
    ("old", "expected"),
    [
        ("missing.yaml", "cannot read missing.yaml: No such file or directory"),
        ("git:no-such-rev:spec/x.yaml", "git:no-such-rev:spec/x.yaml: "),
        ("git:HEAD", "expected git:REV:path"),
        ("not-yaml.yaml", "is not valid YAML"),
        ("not-openapi.yaml", 'is not valid OpenAPI at <root>: "info" is a required property'),
        ("dangling-ref.yaml", "$ref '#/components/schemas/Nope' points nowhere"),
        ("int-status.yaml", "is not valid OpenAPI: Dict key must be str"),
    ],
)
def test_cannot_run_exits_2_with_one_line(
    old: str,
    expected: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "not-yaml.yaml").write_text("openapi: [3.1.0\n", encoding="utf-8")
    (tmp_path / "not-openapi.yaml").write_text("openapi: 3.1.0\npaths: {}\n", encoding="utf-8")
    dangling = base()
    dangling["paths"]["/phone-numbers"]["post"]["requestBody"]["content"]["application/json"]["schema"] = {
        "$ref": "#/components/schemas/Nope"
    }
    write(tmp_path / "dangling-ref.yaml", dangling)
    # YAML reads an unquoted 201 as a number, which OpenAPI does not allow as a key.
    int_status = BASE.read_text(encoding="utf-8").replace("'201':", "201:")
    (tmp_path / "int-status.yaml").write_text(int_status, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["diff", old, str(BASE)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("phone-contract diff: error: ")
    assert expected in line


@pytest.mark.smoke
@pytest.mark.e2e
def test_the_command_in_its_own_process_names_a_breaking_change(breaking: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "phone_contract.cli", "diff", str(BASE), breaking],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert (result.returncode, result.stderr) == (1, "")
    assert "BREAKS CLIENTS" in result.stdout
    assert "response-property-removed" in result.stdout


@pytest.mark.e2e
def test_console_entry_point_prints_no_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "phone_contract.cli", "diff", str(tmp_path / "gone.yaml"), str(BASE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1
