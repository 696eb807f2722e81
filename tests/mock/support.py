"""Helpers of the mock's tests: an in-process client, valid bodies, and the spec as the judge."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator, Mapping
from typing import Any

import httpx
import pytest

from phone_contract import load_spec
from phone_contract._spec import Operation, Spec
from phone_contract.cli import main
from phone_contract.mock import DEFAULT_TOKEN, MockApp, command
from phone_contract.responses import Violation, check_response

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
BASE_URL = "http://mock"
_numbers = itertools.count(14155550000)


def unique_number() -> str:
    """A valid number no other test has used, so state never couples tests."""
    return f"+{next(_numbers)}"


def valid_body(**overrides: Any) -> dict[str, Any]:
    """The vendor page's example with a fresh number and workspace; ``overrides`` replace top-level fields."""
    body: dict[str, Any] = {
        "number": unique_number(),
        "friendlyName": "Main Support Line",
        "workspaceId": str(uuid.uuid4()),
        "userId": "550e8400-e29b-41d4-a716-446655440001",
        "config": {
            "inboundAgentId": "550e8400-e29b-41d4-a716-446655440002",
            "outboundAgentId": "550e8400-e29b-41d4-a716-446655440003",
        },
    }
    body.update(overrides)
    return body


def request(
    app: MockApp,
    method: str = "POST",
    path: str = "/phone-numbers",
    *,
    headers: Mapping[str, str | bytes] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    """One request to the embedded app, no network; authorized with the dev token unless headers say."""
    return asyncio.run(_request(app, method, path, headers=AUTH if headers is None else headers, **kwargs))


async def _request(app: MockApp, method: str, path: str, **kwargs: Any) -> httpx.Response:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE_URL) as client:
        return await client.request(method, path, **kwargs)


def post_raw(app: MockApp, content: bytes, content_type: str | None = "application/json") -> httpx.Response:
    headers: dict[str, str | bytes] = dict(AUTH)
    if content_type is not None:
        headers["Content-Type"] = content_type
    return request(app, headers=headers, content=content)


def violations_of(response: httpx.Response, spec: Spec | None = None) -> list[Violation]:
    """How an answer breaks the documented responses of the operation its request called."""
    spec = spec or load_spec()
    operation = spec.operation_for(response.request.method, response.request.url.path)
    assert operation is not None, f"{response.request.method} {response.request.url.path} is no operation"
    return check_response(
        operation, response.status_code, response.headers.get("content-type"), response.content
    )


def assert_conforms(response: httpx.Response) -> None:
    """The response is one the spec documents for the operation called, body and all."""
    violations = violations_of(response)
    assert violations == [], f"{response.status_code} {response.text[:300]}: {violations}"


def error_of(response: httpx.Response) -> dict[str, Any]:
    """The error object of an error envelope (and proof that the envelope has the documented shape)."""
    body = json.loads(response.content)
    assert body["success"] is False
    error: dict[str, Any] = body["error"]
    return error


def phone_number_of(response: httpx.Response) -> dict[str, Any]:
    body = json.loads(response.content)
    phone_number: dict[str, Any] = body["data"]["result"]["phoneNumber"]
    return phone_number


def commanded_app(monkeypatch: pytest.MonkeyPatch, *argv: str) -> MockApp:
    """The app ``phone-contract mock ARGV`` builds (tokens, spec, mount, fault), built by the command
    through ``cli.main`` in this process and handed back instead of served."""
    app = served_app(monkeypatch, *argv)
    assert isinstance(app, MockApp), app  # no --cors-origin: the app itself
    return app


def served_app(monkeypatch: pytest.MonkeyPatch, *argv: str) -> Any:
    """What ``phone-contract mock ARGV`` would serve (with ``--cors-origin``, the app inside its CORS
    middleware), built by the command through ``cli.main`` in this process, handed back instead."""
    built: list[object] = []

    def keep(app: object, sock: socket.socket, **_: object) -> None:
        built.append(app)
        sock.close()

    monkeypatch.setattr(command, "_serve", keep)
    assert main(["mock", "--port", "0", *argv]) == 0
    (app,) = built
    return app


@contextlib.contextmanager
def served_mock(*argv: str, env: Mapping[str, str] | None = None) -> Iterator[str]:
    """``phone-contract mock ARGV`` as a real process on a free loopback port; yields its base URL
    (``http://127.0.0.1:PORT/api/v2``: where the spec's server mounts the API)."""
    command = [sys.executable, "-m", "phone_contract.cli", "mock", "--port", "0", "--no-access-log", *argv]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=dict(env or os.environ)
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()  # printed once the socket listens
        match = re.search(r"serving (http://127\.0\.0\.1:\d+\S*) ", banner)
        assert match, banner + (process.stderr.read() if process.stderr else "")
        yield match[1]
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=10)
        assert "Traceback" not in stderr, stderr


def create_of(spec: Spec | None = None) -> Operation:
    """The create operation of ``spec`` (default: the project's)."""
    found = (spec or load_spec()).find_operation("createPhoneNumber")
    assert found is not None
    return found


def stored(app: MockApp) -> int:
    """How many resources the mock holds, of every kind."""
    return sum(len(store) for store in app.stores.values())
