"""Strict mode as an application gets it: the generated client installed alone, against the served mock.

One virtual environment per session holds ``pip install ./generated/freya-phone-numbers-client`` and
nothing of the toolkit; the client runs in it (``python -I``, so nothing of this checkout leaks in),
and the mock runs as ``phone-contract mock`` does, from the project's environment.
"""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from phone_contract.responses import ContractViolation, check_response
from tests.operations import create_op

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
CLIENT_PROJECT = ROOT / "generated" / "freya-phone-numbers-client"
TOKEN = "installed-client-token"
PHONE = "$.data.result.phoneNumber"

# What an application runs: the strict client's answer, as JSON on stdout.
APP = """
import json, sys
from freya_phone_numbers_client.api.phone_numbers import create_phone_number
from freya_phone_numbers_client.models import CreatePhoneNumberRequest
from freya_phone_numbers_client.strict import ContractViolation, strict_client

base_url, token = sys.argv[1], sys.argv[2]
body = CreatePhoneNumberRequest.from_dict(json.loads(sys.stdin.read()))
try:
    created = create_phone_number.sync(client=strict_client(base_url, token), body=body)
except ContractViolation as error:
    print(json.dumps({"error": str(error), "paths": [violation.path for violation in error.violations]}))
else:
    print(json.dumps({"parsed": type(created).__name__, "body": created.to_dict()}))
"""

LIST_DISTRIBUTIONS = (
    "import importlib.metadata as m, json;"
    "print(json.dumps(sorted({d.metadata['Name'].lower() for d in m.distributions()})))"
)


@pytest.fixture(scope="session")
def client_python(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The interpreter of a fresh venv holding the generated client and its dependencies only."""
    venv = tmp_path_factory.mktemp("client-only") / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True, timeout=120)
    python = venv / "bin" / "python"
    # The project's pip installs into it (pip --python): quicker than bootstrapping a pip of its own.
    # The client's dependencies come from the package index, as they would for its users (at the
    # lock file's versions, so that the run repeats).
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "--disable-pip-version-check"]
    install += ["--constraint", str(ROOT / "requirements" / "lock.txt")]
    result = subprocess.run(
        [*install, "--quiet", str(CLIENT_PROJECT)], capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return python


@contextmanager
def served_mock(*options: str) -> Iterator[str]:
    """``phone-contract mock`` on a free loopback port, from the project's environment; its base URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "phone_contract.cli", "mock", "--port", "0", "--token", TOKEN, *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # printed once the socket listens
        match = re.search(r"serving (http://127\.0\.0\.1:\d+/api/v2) ", banner)
        assert match, banner + (process.stderr.read() if process.stderr else "")
        yield match[1]
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)


def page_example() -> dict[str, Any]:
    value = create_op().request_examples()["mainSupportLine"]
    assert isinstance(value, dict)
    return dict(value)


def run_app(python: Path, base_url: str, body: dict[str, Any], cwd: Path) -> dict[str, Any]:
    result = subprocess.run(
        [python, "-I", "-c", APP, base_url, TOKEN],
        input=json.dumps(body),
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    answer: dict[str, Any] = json.loads(result.stdout)
    return answer


def toolkit_message(base_url: str, body: dict[str, Any]) -> str:
    """What the toolkit says of the same kind of answer (another number: the first one now exists)."""
    other = {**body, "number": body["number"][:-1] + str((int(body["number"][-1]) + 1) % 10)}
    response = httpx.post(
        f"{base_url}/phone-numbers", json=other, headers={"Authorization": f"Bearer {TOKEN}"}
    )
    violations = check_response(
        create_op(), response.status_code, response.headers.get("content-type"), response.content
    )
    return str(ContractViolation(response.status_code, violations, create_op().label))


def test_the_venv_holds_the_client_and_its_few_dependencies(client_python: Path) -> None:
    result = subprocess.run(
        [client_python, "-I", "-c", LIST_DISTRIBUTIONS],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    installed = set(json.loads(result.stdout))
    assert {"freya-phone-numbers-client", "jsonschema", "httpx", "attrs"} <= installed
    assert not installed & {"phone-contract", "schemathesis", "hypothesis", "uvicorn", "starlette"}
    assert len(installed) <= 20, sorted(installed)


@pytest.mark.parametrize(
    ("fault", "path"),
    [
        ("field-missing", f"{PHONE}.userId"),
        ("bad-datetime", f"{PHONE}.createdAt"),  # only when rfc3339-validator came with the client
        ("field-wrong-type", f"{PHONE}.config.emergencyCalls"),
        ("enum-out-of-range", f"{PHONE}.config.sipOutbound.transportProtocol"),
        ("wrong-status", "status"),
        ("wrong-content-type", "content-type"),
    ],
)
def test_an_off_contract_answer_raises_naming_the_field(
    client_python: Path, tmp_path: Path, fault: str, path: str
) -> None:
    body = page_example()
    with served_mock("--fault", fault) as base_url:
        answer = run_app(client_python, base_url, body, tmp_path)
        expected = toolkit_message(base_url, body)
    assert answer["paths"] == [path]
    assert answer["error"] == expected  # the same words as the toolkit's own check


def test_a_clean_answer_parses_into_the_model(client_python: Path, tmp_path: Path) -> None:
    body = page_example()
    with served_mock() as base_url:
        answer = run_app(client_python, base_url, body, tmp_path)
    assert answer["parsed"] == "CreatePhoneNumberResponse", answer
    created = answer["body"]["data"]["result"]["phoneNumber"]
    assert (created["number"], created["workspaceId"]) == (body["number"], body["workspaceId"])
