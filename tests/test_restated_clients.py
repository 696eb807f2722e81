"""A client regenerated from each restatement of the spec: it type-checks, and its strict mode works.

Each restatement is generated once (``codegen.generate``, as ``scripts/regenerate`` does) under a
package name of its own, so that one ``mypy --strict`` run checks them all side by side and each can be
imported next to the others; the name is the only input that differs from the project's.
"""

from __future__ import annotations

import asyncio
import importlib
import subprocess
import sys
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import yaml

from phone_contract import load_spec
from phone_contract.codegen import CONFIG, CONTRACT_FILE, Inputs, generate
from phone_contract.mock import DEFAULT_TOKEN, create_app
from tests.operations import create_op

from .restatements import RESTATEMENTS, write_restatement

pytestmark = pytest.mark.e2e

BASE_URL = "http://mock"


@dataclass(frozen=True)
class Restated:
    spec: Path
    package: Path  # the generated package's directory; its parent is on sys.path during this module


@pytest.fixture(scope="module")
def restated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Restated]]:
    root = tmp_path_factory.mktemp("restated")
    config = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    found: dict[str, Restated] = {}
    for name in sorted(RESTATEMENTS):
        package = "restated_" + name.replace("-", "_")
        renamed = root / "configs" / f"{name}.yaml"
        renamed.parent.mkdir(parents=True, exist_ok=True)
        renamed.write_text(yaml.safe_dump({**config, "package_name_override": package}))
        spec = write_restatement(name, root / "specs" / name)
        project = generate(root / "clients" / name, Inputs(spec=spec, config=renamed))
        found[name] = Restated(spec, project / package)
    sys.path[:0] = [str(each.package.parent) for each in found.values()]
    try:
        yield found
    finally:
        for each in found.values():
            sys.path.remove(str(each.package.parent))
            for module in [m for m in sys.modules if m.split(".")[0] == each.package.name]:
                del sys.modules[module]


def test_every_restated_client_passes_mypy_strict(restated: dict[str, Restated], tmp_path: Path) -> None:
    packages = [each.package for each in restated.values()]
    command = [
        sys.executable,
        "-m",
        "mypy",
        "--strict",
        "--cache-dir",
        str(tmp_path / ".mypy_cache"),
        # The generated pyproject has no mypy section: --strict alone, as tox -e typecheck runs it.
        "--config-file",
        str(packages[0].parent / "pyproject.toml"),
        *map(str, packages),
    ]
    result = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=600, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    modules = sum(len(list(package.rglob("*.py"))) for package in packages)
    assert f"Success: no issues found in {modules} source files" in result.stdout


def strict_call(package: ModuleType, *, spec: Path, fault: str | None = None) -> Any:
    """The restated package's strict client, calling the mock built from the same restatement."""
    strict = importlib.import_module(f"{package.__name__}.strict")
    endpoint = importlib.import_module(f"{package.__name__}.api.phone_numbers.create_phone_number")
    # The request model's name follows the restatement's layout (inlined: CreatePhoneNumberBody).
    request_model = typing.get_type_hints(endpoint.asyncio_detailed)["body"]
    example = create_op(load_spec(spec)).request_examples()["mainSupportLine"]
    app = create_app(spec_path=spec, fault=fault)
    client = strict.strict_client(
        BASE_URL, DEFAULT_TOKEN, httpx_args={"transport": httpx.ASGITransport(app=app)}
    )

    async def call() -> Any:
        return await endpoint.asyncio_detailed(client=client, body=request_model.from_dict(example))

    return asyncio.run(call())


@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_a_restated_client_is_strict_against_the_mock_of_its_spec(
    restated: dict[str, Restated], name: str
) -> None:
    package = importlib.import_module(restated[name].package.name)
    spec_file = restated[name].spec
    assert (restated[name].package / CONTRACT_FILE).is_file()

    response = strict_call(package, spec=spec_file)
    assert response.status_code == 201
    assert response.parsed.to_dict()["data"]["result"]["phoneNumber"]["userId"]

    violation = importlib.import_module(f"{package.__name__}.strict").ContractViolation
    with pytest.raises(violation) as caught:
        strict_call(package, spec=spec_file, fault="field-missing")
    assert [str(v) for v in caught.value.violations] == [
        "$.data.result.phoneNumber.userId: expected required property 'userId', got nothing"
    ]
