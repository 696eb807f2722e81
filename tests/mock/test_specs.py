"""``phone-contract mock --spec``: every restatement of the spec is served as the same contract, under the
mount its server names; every unusable spec is one line and exit 2. Real processes, as a user runs them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
import yaml

from phone_contract import load_spec
from phone_contract.mock import DEFAULT_TOKEN
from phone_contract.responses import undocumented_fields
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

from .support import AUTH, create_of, served_mock, violations_of


@pytest.mark.parametrize("name", list(RESTATEMENTS))
def test_a_restatement_is_served_as_the_same_contract(tmp_path: Path, name: str) -> None:
    path = write_restatement(name, tmp_path / name)
    spec = load_spec(path)
    (example,) = create_of(spec).request_examples().values()
    with served_mock("--spec", str(path)) as base_url:
        assert base_url.endswith(spec.base_path)
        created = httpx.post(f"{base_url}/phone-numbers", json=example, headers=AUTH)
        duplicate = httpx.post(f"{base_url}/phone-numbers", json=example, headers=AUTH)
        ident = created.json()["data"]["result"]["phoneNumber"]["id"]
        change = {"id": ident, "friendlyName": "Renamed"}
        update = {"workspaceId": example["workspaceId"], "phoneNumbers": [change]}
        updated = httpx.put(f"{base_url}/phone-numbers", json=update, headers=AUTH)
        served_spec = httpx.get(f"{base_url}/openapi.yaml")
    assert created.status_code == 201, created.text
    assert duplicate.status_code == 409
    assert updated.status_code == 200, updated.text
    assert updated.json()["data"]["result"]["updated"][0]["friendlyName"] == "Renamed"
    for response in (created, duplicate, updated):
        assert violations_of(response, spec) == []
        operation = spec.operation_for(response.request.method, response.request.url.path)
        assert operation is not None
        assert undocumented_fields(operation, response.status_code, response.json()) == []
    assert served_spec.status_code == 200
    assert served_spec.content == spec.serialized()[0]
    assert yaml.safe_load(served_spec.content)["info"]["title"] == spec.title


@pytest.mark.parametrize("name", list(UNUSABLE))
def test_an_unusable_spec_is_one_line_and_exit_2(tmp_path: Path, name: str) -> None:
    path, words = write_unusable(name, tmp_path / name)
    command = [sys.executable, "-m", "phone_contract.cli", "mock", "--spec", str(path), "--port", "0"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert len(lines) == 1, done.stderr
    assert lines[0].startswith("phone-contract mock: error: ")
    assert words in lines[0]
    assert DEFAULT_TOKEN not in done.stderr
