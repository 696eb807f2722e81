"""``phone-contract mock``: the served mock as a real process, and its command-line mistakes."""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from phone_contract.cli import main
from phone_contract.mock import DEFAULT_TOKEN, FAULTS, command

from .support import commanded_app, request, served_mock, valid_body

ENV_TOKEN = "token-from-the-environment"


@pytest.fixture(scope="module")
def served() -> Iterator[str]:
    """The mock served by ``phone-contract mock`` on a free loopback port; yields its /api/v2 base URL."""
    with served_mock(env={**os.environ, command.TOKEN_ENV: ENV_TOKEN}) as base_url:
        # The project's spec names https://app.freyavoice.ai/api/v2: the mount comes from it.
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+/api/v2", base_url)
        yield base_url


def _post(base_url: str, body: Any, token: str = ENV_TOKEN) -> httpx.Response:
    return httpx.post(f"{base_url}/phone-numbers", json=body, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.e2e
@pytest.mark.smoke
def test_served_mock_creates_and_remembers(served: str) -> None:
    body = valid_body()
    created = _post(served, body)
    assert created.status_code == 201
    assert created.json()["data"]["result"]["phoneNumber"]["number"] == body["number"]
    assert _post(served, body).status_code == 409


@pytest.mark.e2e
@pytest.mark.smoke
def test_served_mock_takes_its_token_from_the_environment(served: str) -> None:
    assert _post(served, valid_body(), token=DEFAULT_TOKEN).status_code == 401


@pytest.mark.e2e
@pytest.mark.smoke
def test_served_mock_serves_its_spec_under_the_mount(served: str) -> None:
    response = httpx.get(f"{served}/openapi.yaml")
    assert response.status_code == 200
    assert response.text.startswith("openapi: 3.1")


@pytest.mark.e2e
@pytest.mark.smoke
def test_served_mock_405_and_404(served: str) -> None:
    assert httpx.get(f"{served}/phone-numbers").headers["allow"] == "PUT, POST"
    assert httpx.post(served.removesuffix("/api/v2") + "/phone-numbers").status_code == 404


@pytest.mark.e2e
@pytest.mark.smoke
def test_concurrent_identical_creates_over_the_network_give_one_201(served: str) -> None:
    body = valid_body()
    with httpx.Client() as client, ThreadPoolExecutor(max_workers=32) as pool:
        headers = {"Authorization": f"Bearer {ENV_TOKEN}"}

        def create(_: int) -> int:
            return client.post(f"{served}/phone-numbers", json=body, headers=headers).status_code

        statuses = sorted(pool.map(create, range(64)))
    assert statuses == [201] + [409] * 63


def test_list_faults_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "--list-faults"]) == 0
    table, *where = capsys.readouterr().out.split("\n\n")
    assert [line.split()[0] for line in table.splitlines()] == list(FAULTS)
    # Then, per operation of the spec, where the faults that name a field strike in it.
    assert [block.splitlines()[0].split(" (")[0] for block in where] == [
        "where they strike in POST /phone-numbers",
        "where they strike in PUT /phone-numbers",
    ]
    assert "  field-missing: userId" in where[0].splitlines()
    assert "  field-missing: number" in where[1].splitlines()


@pytest.mark.parametrize(
    "argv",
    [
        ["--fault", "nope"],
        ["--port", "65536"],
        ["--port", "http"],
        ["--capacity", "0"],
        ["--unknown-flag"],
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["mock", *argv])
    assert exited.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_port_in_use_is_one_line_and_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["mock", "--port", str(port)]) == 2
    err = capsys.readouterr().err
    assert err == f"phone-contract mock: error: cannot listen on 127.0.0.1:{port}: port already in use\n"


def test_unknown_host_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], unresolvable_host: str
) -> None:
    assert main(["mock", "--host", unresolvable_host, "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"phone-contract mock: error: cannot listen on {unresolvable_host}:0: ")
    assert err.count("\n") == 1


@pytest.mark.parametrize(
    ("argv", "env", "accepted"),
    [
        ([], None, [DEFAULT_TOKEN]),
        ([], "from-env", ["from-env"]),
        (["--token", "a", "--token", "b"], "from-env", ["a", "b"]),
    ],
)
def test_tokens_come_from_flags_then_env_then_the_dev_default(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], env: str | None, accepted: list[str]
) -> None:
    if env is None:
        monkeypatch.delenv(command.TOKEN_ENV, raising=False)
    else:
        monkeypatch.setenv(command.TOKEN_ENV, env)
    app = commanded_app(monkeypatch, "--fault", "echo-token", *argv)
    assert app.fault == "echo-token"
    assert app.root == "/api/v2"
    path = f"{app.root}/phone-numbers"
    for token in accepted:
        ok = request(app, path=path, headers={"Authorization": f"Bearer {token}"}, json=valid_body())
        assert ok.status_code == 201
    if DEFAULT_TOKEN not in accepted:
        assert request(app, path=path, json=valid_body()).status_code == 401


def test_empty_token_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["mock", "--token", ""]) == 2
    assert "token" in capsys.readouterr().err


@pytest.mark.e2e
@pytest.mark.smoke
def test_served_answers_are_json(served: str) -> None:
    response = _post(served, {"number": "+1"})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]["message"].startswith("workspaceId: ")
