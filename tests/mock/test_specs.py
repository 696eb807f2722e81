"""``phone-contract mock --spec``: every restatement of the spec is served as the same contract, under the
mount its server names; every unusable spec is one line and exit 2.

The command builds its app here as a user's run does (``cli.main``), and the app is asked in process;
one restatement is served by a real process over the network, as a user runs it.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
import yaml

from phone_contract import load_spec
from phone_contract._spec import Spec
from phone_contract.cli import main
from phone_contract.mock import DEFAULT_TOKEN
from phone_contract.responses import check_response, undocumented_fields
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

from .support import AUTH, commanded_app, request, served_mock


def _assert_same_contract(
    spec: Spec, created: httpx.Response, duplicate: httpx.Response, served_spec: httpx.Response
) -> None:
    assert created.status_code == 201, created.text
    assert duplicate.status_code == 409
    for response in (created, duplicate):
        content_type = response.headers["content-type"]
        assert check_response(response.status_code, content_type, response.content, spec=spec) == []
        assert undocumented_fields(response.status_code, response.json(), spec=spec) == []
    assert served_spec.status_code == 200
    assert served_spec.content == spec.serialized()[0]
    assert yaml.safe_load(served_spec.content)["info"]["title"] == spec.title


@pytest.mark.parametrize("name", list(RESTATEMENTS))
def test_a_restatement_is_served_as_the_same_contract(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_restatement(name, tmp_path / name)
    spec = load_spec(path)
    (example,) = spec.require_operation().request_examples().values()
    app = commanded_app(monkeypatch, "--spec", str(path))
    assert app.operation_path == f"{spec.base_path}/phone-numbers"
    created = request(app, path=app.operation_path, json=example)
    duplicate = request(app, path=app.operation_path, json=example)
    served_spec = request(app, "GET", app.spec_path, headers={})
    _assert_same_contract(spec, created, duplicate, served_spec)


@pytest.mark.e2e
def test_a_restatement_is_served_over_the_network_under_its_mount(tmp_path: Path) -> None:
    path = write_restatement("server-variables", tmp_path)
    spec = load_spec(path)
    (example,) = spec.require_operation().request_examples().values()
    with served_mock("--spec", str(path)) as base_url:
        assert base_url.endswith(spec.base_path)
        created = httpx.post(f"{base_url}/phone-numbers", json=example, headers=AUTH)
        duplicate = httpx.post(f"{base_url}/phone-numbers", json=example, headers=AUTH)
        served_spec = httpx.get(f"{base_url}/openapi.yaml")
    _assert_same_contract(spec, created, duplicate, served_spec)


@pytest.mark.parametrize("name", list(UNUSABLE))
def test_an_unusable_spec_is_one_line_and_exit_2(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, words = write_unusable(name, tmp_path / name)
    assert main(["mock", "--spec", str(path), "--port", "0"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("phone-contract mock: error: ")
    assert words in lines[0]
    assert DEFAULT_TOKEN not in captured.err
