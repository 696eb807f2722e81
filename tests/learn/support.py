"""Helpers of the learn tests: exchanges recorded into HAR files, the evolved spec, and a small driver."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml

from phone_contract import default_spec_path
from phone_contract._redact import Redactor
from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract.har import Exchange, HarRecorder
from tests.processes import stop
from tests.restatements import Document, project_document

BASE = "http://api.test/api/v2"
TOKEN = "tok-NEVER-PRINT-9f8e7d6c5b4a"
WORKSPACE = "550e8400-e29b-41d4-a716-446655440000"
USER = "550e8400-e29b-41d4-a716-446655440001"


def body(**extra: Any) -> dict[str, Any]:
    """A valid create body, with ``extra`` fields."""
    return {"number": "+14155551234", "workspaceId": WORKSPACE, "userId": USER, **extra}


def created(**extra: Any) -> dict[str, Any]:
    """A valid 201 body, ``extra`` merged into the created phone number."""
    phone_number = {
        "id": "pn_0193",
        "number": "+14155551234",
        "workspaceId": WORKSPACE,
        "userId": USER,
        "createdAt": "2026-11-26T10:15:30.123Z",
        "updatedAt": "2026-11-26T10:15:30.123Z",
        **extra,
    }
    return {"success": True, "data": {"message": "created", "result": {"phoneNumber": phone_number}}}


def error(code: str, message: str) -> dict[str, Any]:
    return {"success": False, "error": {"code": code, "message": message}}


@dataclass(frozen=True)
class Call:
    """One exchange to record: what was sent and what came back."""

    status: int | None
    answer: Any = None
    sent: Any = None
    method: str = "POST"
    path: str = "/phone-numbers"
    content_type: str = "application/json"
    sent_type: str = "application/json"
    headers: Sequence[tuple[str, str]] = field(default_factory=tuple)
    elapsed: float = 0.05

    def exchange(self) -> Exchange:
        sent = b"" if self.sent is None else json.dumps(self.sent).encode()
        if isinstance(self.answer, bytes):
            answered = self.answer
        else:
            answered = b"" if self.answer is None else json.dumps(self.answer).encode()
        request_headers = [("Authorization", f"Bearer {TOKEN}")]
        if sent:
            request_headers.append(("Content-Type", self.sent_type))
        response_headers = [*([("Content-Type", self.content_type)] if answered else []), *self.headers]
        return Exchange(
            started=datetime(2026, 11, 27, 1, 0, tzinfo=UTC),
            method=self.method,
            url=BASE + self.path,
            request_headers=request_headers,
            request_body=sent,
            status=self.status,
            reason="",
            response_headers=response_headers,
            response_body=answered,
            elapsed=self.elapsed,
        )


def record(path: Path, calls: Iterable[Call]) -> Path:
    """Record ``calls`` into a HAR file as the gate and the proxy do (redacted as added)."""
    recorder = HarRecorder(Redactor(TOKEN))
    for call in calls:
        recorder.add(call.exchange())
    recorder.write(path)
    return path


def copy_project_spec(folder: Path) -> Path:
    target = folder / "spec.yaml"
    target.write_bytes(default_spec_path().read_bytes())
    return target


# --- the evolved API: the project's spec as the vendor changed it ----------------------------------


def evolved_document() -> Document:
    """The project's spec after the API evolved: a new config field, friendlyName no longer accepted on
    create, agent IDs no longer UUIDs, voiceConfig null when unset, longer numbers, and a list endpoint."""
    document = project_document()
    schemas = document["components"]["schemas"]
    for name in ("PhoneNumberConfigInput", "PhoneNumberConfig"):
        properties = schemas[name]["properties"]
        properties["configType"] = {"type": "string", "description": "Kind of configuration."}
        del properties["inboundAgentId"]["format"]
        properties["voiceConfig"]["type"] = ["string", "null"]
    request = schemas["CreatePhoneNumberRequest"]["properties"]
    del request["friendlyName"]
    request["number"]["maxLength"] = 30
    operation = document["paths"]["/phone-numbers"]["post"]
    example = operation["requestBody"]["content"]["application/json"]["examples"]["mainSupportLine"]
    del example["value"]["friendlyName"]
    operation["x-phone-contract"]["echo"].remove("friendlyName")  # no longer sent: not echoed either
    document["paths"]["/phone-numbers"]["get"] = {
        "operationId": "listPhoneNumbers",
        "responses": {"200": {"description": "The workspace's numbers."}},
    }
    return document


def write_evolved(folder: Path) -> Path:
    path = folder / "evolved.yaml"
    path.write_text(yaml.safe_dump(evolved_document(), sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def exercise(base_url: str, token: str) -> list[httpx.Response]:
    """Talk to the (evolved) API as an app would: creates of every kind the evolution touches, a list."""
    sends: list[tuple[str, Any]] = [
        (
            "POST",
            _create(config={"configType": "sip-trunk", "inboundAgentId": "agent_42", "voiceConfig": None}),
        ),
        ("POST", _create()),
        ("POST", _create(number="+1415555" + "0" * 17)),
        ("POST", _create(friendlyName="Main Support Line")),
        ("POST", _create(config={"configType": "pstn", "inboundAgentId": "agent_7"})),
        ("GET", None),
    ]
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=10) as client:
        return [client.request(method, "/phone-numbers", json=sent) for method, sent in sends]


def drive(base_url: str, har: Path, token: str) -> None:
    """:func:`exercise`, every exchange recorded into ``har`` by our own small recorder."""
    recorder = HarRecorder(Redactor(token))
    for response in exercise(base_url, token):
        request = response.request
        recorder.add(
            Exchange(
                started=datetime.now(UTC),
                method=request.method,
                url=str(request.url),
                request_headers=list(request.headers.items()),
                request_body=request.content,
                status=response.status_code,
                reason=response.reason_phrase,
                response_headers=list(response.headers.items()),
                response_body=response.content,
                elapsed=response.elapsed.total_seconds(),
            )
        )
    recorder.write(har)


@contextmanager
def serve(spec: Path, log_path: Path, token: str = TOKEN) -> Iterator[str]:
    """``python -m phone_contract.cli mock --spec SPEC --port 0``, as a user runs it; yields its base URL."""
    with _running(
        ["mock", "--spec", str(spec), "--port", "0"], log_path, r"serving (http://\S+) ", token
    ) as url:
        yield url


@contextmanager
def proxy(upstream: str, har: Path, log_path: Path) -> Iterator[str]:
    """``phone-contract proxy --upstream URL --port 0 --har PATH``; the HAR is complete once it stops."""
    command = ["proxy", "--upstream", upstream, "--port", "0", "--har", str(har)]
    with _running(command, log_path, r"proxy: (http://\S+) ->", TOKEN) as url:
        yield url


@contextmanager
def _running(arguments: list[str], log_path: Path, ready: str, token: str) -> Iterator[str]:
    command = [sys.executable, "-m", "phone_contract.cli", *arguments]
    env = {**os.environ, TOKEN_ENV_VAR: token}
    with log_path.open("w") as log:
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while not (found := re.search(ready, log_path.read_text())):
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{arguments[0]} did not start:\n{log_path.read_text()}")
            time.sleep(0.05)
        yield found.group(1)
    finally:
        stop(process)


def _create(**fields: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "number": f"+1415{uuid.uuid4().int % 10**7:07d}",
        "workspaceId": str(uuid.uuid4()),
        "userId": str(uuid.uuid4()),
    }
    payload.update(copy.deepcopy(fields))
    return payload
