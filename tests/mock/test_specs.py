"""``phone-contract mock --spec``: every restatement of the spec is served as the same contract, under the
mount its server names; every unusable spec is one line and exit 2.

The command builds its app here as a user's run does (``cli.main``), and the app is asked in process;
one restatement is served by a real process over the network, as a user runs it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from phone_contract import load_spec
from phone_contract._spec import Spec
from phone_contract.cli import main
from phone_contract.mock import DEFAULT_TOKEN
from phone_contract.responses import undocumented_fields
from tests.restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable

from .support import AUTH, commanded_app, create_of, request, served_mock, violations_of


def _assert_same_contract(
    spec: Spec, answers: dict[str, httpx.Response], served_spec: httpx.Response
) -> None:
    assert answers["created"].status_code == 201, answers["created"].text
    assert answers["duplicate"].status_code == 409
    assert answers["updated"].status_code == 200, answers["updated"].text
    assert answers["updated"].json()["data"]["result"]["updated"][0]["friendlyName"] == "Renamed"
    for response in answers.values():
        assert violations_of(response, spec) == []
        operation = spec.operation_for(response.request.method, response.request.url.path)
        assert operation is not None
        assert undocumented_fields(operation, response.status_code, response.json()) == []
    assert served_spec.status_code == 200
    assert served_spec.content == spec.serialized()[0]
    assert yaml.safe_load(served_spec.content)["info"]["title"] == spec.title


def _update_of(example: dict[str, Any], created: httpx.Response) -> dict[str, Any]:
    ident = created.json()["data"]["result"]["phoneNumber"]["id"]
    return {"workspaceId": example["workspaceId"], "phoneNumbers": [{"id": ident, "friendlyName": "Renamed"}]}


@pytest.mark.parametrize("name", list(RESTATEMENTS))
def test_a_restatement_is_served_as_the_same_contract(
    tmp_path: Path, name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write_restatement(name, tmp_path / name)
    spec = load_spec(path)
    (example,) = create_of(spec).request_examples().values()
    app = commanded_app(monkeypatch, "--spec", str(path))
    assert app.root == spec.base_path
    route = f"{app.root}/phone-numbers"
    answers = {"created": request(app, path=route, json=example)}
    answers["duplicate"] = request(app, path=route, json=example)
    answers["updated"] = request(app, "PUT", route, json=_update_of(example, answers["created"]))
    served_spec = request(app, "GET", app.spec_path, headers={})
    _assert_same_contract(spec, answers, served_spec)


@pytest.mark.e2e
def test_a_restatement_is_served_over_the_network_under_its_mount(tmp_path: Path) -> None:
    path = write_restatement("server-variables", tmp_path)
    spec = load_spec(path)
    (example,) = create_of(spec).request_examples().values()
    with served_mock("--spec", str(path)) as base_url:
        assert base_url.endswith(spec.base_path)
        answers = {"created": httpx.post(f"{base_url}/phone-numbers", json=example, headers=AUTH)}
        answers["duplicate"] = httpx.post(f"{base_url}/phone-numbers", json=example, headers=AUTH)
        update = _update_of(example, answers["created"])
        answers["updated"] = httpx.put(f"{base_url}/phone-numbers", json=update, headers=AUTH)
        served_spec = httpx.get(f"{base_url}/openapi.yaml")
    _assert_same_contract(spec, answers, served_spec)


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
