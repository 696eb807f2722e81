"""A third operation the toolkit has never seen, a read-only list (``tests/restatements.py``,
``with_a_list``), works in the mock, the gate, the client, the proxy, coverage and the diff with no
code change: what it does is in the spec (``x-phone-contract``), and nothing in the toolkit names it.
"""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from phone_contract import load_spec
from phone_contract._redact import Redactor
from phone_contract._spec import Role, Spec
from phone_contract._upstream import Upstream
from phone_contract.cli import main
from phone_contract.codegen import CONFIG, Inputs, generate
from phone_contract.coverage import coverage
from phone_contract.har import Exchange
from phone_contract.mock import DEFAULT_TOKEN, create_app
from phone_contract.proxy import ProxyApp

from .gate.support import run_gate
from .restatements import write_restatement

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
WORKSPACE = "550e8400-e29b-41d4-a716-446655440000"
LISTING = "GET /phone-numbers"


@pytest.fixture(scope="module")
def spec_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_restatement("with-a-list", tmp_path_factory.mktemp("third"))


@pytest.fixture(scope="module")
def spec(spec_path: Path) -> Spec:
    return load_spec(spec_path)


def _create_body(number: str, workspace: str = WORKSPACE) -> dict[str, Any]:
    return {"number": number, "workspaceId": workspace, "userId": "550e8400-e29b-41d4-a716-446655440001"}


def _talk(
    app: Any, calls: list[tuple[str, dict[str, Any]]], base_url: str = "http://mock"
) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=base_url) as client:
            return [
                await client.request(method, "/phone-numbers", headers=AUTH, **kw) for method, kw in calls
            ]

    return asyncio.run(run())


def test_the_spec_model_reads_what_the_list_does(spec: Spec) -> None:
    listing = spec.find_operation(LISTING)
    assert listing is not None
    assert (listing.semantics.role, listing.semantics.answer) == (
        Role.LIST,
        ("data", "result", "phoneNumbers"),
    )
    assert listing.semantics.resource is not None
    assert listing.semantics.resource.scope == "workspaceId"


def test_the_mock_lists_what_was_created_in_the_workspace_asked_for(spec_path: Path) -> None:
    app = create_app(spec_path=spec_path)
    answers = _talk(
        app,
        [
            ("POST", {"json": _create_body("+14155550101")}),
            ("POST", {"json": _create_body("+14155550102")}),
            ("POST", {"json": _create_body("+14155550103", "550e8400-e29b-41d4-a716-446655440009")}),
            ("GET", {"params": {"workspaceId": WORKSPACE}}),
            ("GET", {"params": {"workspaceId": "not-a-uuid"}}),
            ("GET", {}),
        ],
    )
    listed, malformed, missing = answers[3:]
    assert listed.status_code == 200
    numbers = [item["number"] for item in listed.json()["data"]["result"]["phoneNumbers"]]
    assert numbers == ["+14155550101", "+14155550102"]  # the workspace's, oldest first
    assert (malformed.status_code, missing.status_code) == (400, 400)  # its query parameter, checked


def test_the_proxy_judges_the_list_by_its_own_responses(spec: Spec, spec_path: Path) -> None:
    lines: list[str] = []
    mock = create_app(spec_path=spec_path, fault="field-missing", mount="/api/v2")
    proxy = ProxyApp(
        upstream=Upstream.parse("http://mock/api/v2"),
        spec=spec,
        timeout=5,
        redactor=Redactor(),
        report=lines.append,
        transport=httpx.ASGITransport(app=mock),
    )
    _talk(
        proxy,
        [("POST", {"json": _create_body("+14155550111")}), ("GET", {"params": {"workspaceId": WORKSPACE}})],
    )
    assert proxy.tally.checked == 2
    (listed,) = [line for line in lines if f"{LISTING} -> 200" in line]
    assert listed.startswith(
        "phone-contract proxy: violation: GET /phone-numbers -> 200: $.data.result.phoneNumbers[0]."
    )
    assert listed.endswith("expected required property 'updatedAt', got nothing")  # the list sends nothing


def test_coverage_counts_the_list(spec: Spec) -> None:
    answer = {"success": True, "data": {"result": {"phoneNumbers": []}}}
    exchange = Exchange(
        started=__import__("datetime").datetime(2026, 12, 2),
        method="GET",
        url=f"https://app.freyavoice.ai/api/v2/phone-numbers?workspaceId={WORKSPACE}",
        request_headers=[],
        request_body=b"",
        status=200,
        reason="OK",
        response_headers=[("content-type", "application/json")],
        response_body=json.dumps(answer).encode(),
        elapsed=0.01,
    )
    found = {operation.label: operation for operation in coverage(spec, [exchange]).operations}
    assert found[LISTING].exchanges == 1
    assert found[LISTING].lines()[1].startswith("  documented statuses: 1 of 3")


def test_the_diff_calls_the_list_an_addition_clients_can_ignore(
    spec_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = str(load_spec().origin)
    assert main(["diff", project, str(spec_path), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    added = [change for change in report["changes"] if change["operation"] == LISTING]
    assert [(change["rule"], change["client"]) for change in added] == [("operation-added", "compatible")]
    assert main(["diff", str(spec_path), project, "--format", "json"]) == 1  # and its removal breaks them
    removed = json.loads(capsys.readouterr().out)["changes"]
    assert ("operation-removed", "breaking") in {(change["rule"], change["client"]) for change in removed}


@pytest.mark.e2e
def test_the_gate_fuzzes_and_checks_the_list_and_catches_its_breaks(spec_path: Path) -> None:
    clean = run_gate(["--spec", str(spec_path), "--max-examples", "10", "-q"])
    assert clean.status == 0, clean.stdout[-3000:]
    broken = run_gate(["--spec", str(spec_path), "--max-examples", "10", "-q", "--fault", "field-missing"])
    assert broken.status == 1
    assert any(operation == LISTING for _, operation, _ in broken.groups), broken.stdout[-3000:]


@pytest.fixture(scope="module")
def client(spec_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The client generated from the restatement (its project folder), importable as ``third_client``."""
    root = tmp_path_factory.mktemp("third-client")
    config = root / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {**yaml.safe_load(CONFIG.read_text(encoding="utf-8")), "package_name_override": "third_client"}
        )
    )
    project = generate(root / "generated", Inputs(spec=spec_path, config=config))
    sys.path.insert(0, str(project))
    try:
        yield project
    finally:
        sys.path.remove(str(project))
        for module in [name for name in sys.modules if name.split(".")[0] == "third_client"]:
            del sys.modules[module]


@pytest.mark.e2e
def test_the_generated_client_calls_the_list_and_its_strict_mode_covers_it(
    spec_path: Path, client: str
) -> None:
    strict = importlib.import_module("third_client.strict")
    listing = importlib.import_module("third_client.api.phone_numbers.list_phone_numbers")
    contract = strict.Contract.packaged()
    assert contract.operation_for("GET", "/api/v2/phone-numbers").operation_id == "listPhoneNumbers"
    for fault, raises in ((None, False), ("field-missing", True)):
        app = create_app(spec_path=spec_path, fault=fault)
        http = strict.strict_client(
            "http://mock", DEFAULT_TOKEN, httpx_args={"transport": httpx.ASGITransport(app=app)}
        )

        async def call(http: Any = http, app: Any = app) -> Any:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mock", headers=AUTH) as plain:
                await plain.post("/phone-numbers", json=_create_body("+14155550121"))
            return await listing.asyncio_detailed(client=http, workspace_id=WORKSPACE)

        if raises:
            with pytest.raises(strict.ContractViolation, match="to GET /phone-numbers"):
                asyncio.run(call())
        else:
            answer = asyncio.run(call())
            assert answer.status_code == 200
            assert [item.number for item in answer.parsed.data.result.phone_numbers] == ["+14155550121"]


@pytest.mark.e2e
def test_the_generated_client_passes_mypy_strict(client: Path, tmp_path: Path) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path / ".mypy_cache")]
    command += ["--config-file", str(client / "pyproject.toml"), str(client / "third_client")]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
