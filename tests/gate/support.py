"""Helpers of the gate tests: run ``phone-contract gate`` as a user would, in its own process.

Each gate run takes seconds (schemathesis' coverage phase alone sends ~250 requests), so the
runs a test module needs are started together, as many at once as there are CPUs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from haralyzer import HarPage, HarParser

from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract.gate.progress import PREFIX as PROGRESS_PREFIX
from phone_contract.gate.settings import (
    OTHER_WORKSPACE_ENV_VAR,
    USER_ENV_VAR,
    WORKSPACE_ENV_VAR,
)
from tests.processes import stop

ROOT = Path(__file__).resolve().parents[2]
# Distinctive, so that finding them in any output is proof of a leak.
SECRET_TOKEN = "tok-NEVER-PRINT-9f8e7d6c5b4a"
GATE_TIMEOUT = 240


@dataclass(frozen=True)
class GateResult:
    status: int
    stdout: str
    stderr: str

    @property
    def failed_checks(self) -> set[str]:
        match = re.search(r"result: contract broken: (.+)", self.stdout)
        return set(match.group(1).split(", ")) if match else set()

    @property
    def passed_checks(self) -> dict[str, int]:
        """Each check of the summary's table with how often it passed."""
        rows = re.findall(r"^  ([a-z_]+) +(\d+) +\d+$", self.stdout, re.MULTILINE)
        return {name: int(passed) for name, passed in rows}

    @property
    def groups(self) -> dict[tuple[str, str, str], int]:
        """The summary's failure groups: (check, operation, where) -> count."""
        found = re.findall(r"^    ([a-z_]+), ([A-Z]+ /\S*), (.+): (\d+)$", self.stdout, re.MULTILINE)
        return {(check, operation, where): int(count) for check, operation, where, count in found}

    @property
    def not_run(self) -> dict[str, str]:
        """The checks the summary lists as *not run*, with the reason it gives."""
        return dict(re.findall(r"^  not run: ([a-z_]+): (.+)$", self.stdout, re.MULTILINE))

    @property
    def fingerprint(self) -> str:
        match = re.search(r"request fingerprint: ([0-9a-f]+)", self.stdout)
        assert match, self.stdout[-2000:]
        return match.group(1)


# What the gate reads from the environment: a run sees only what its test sets.
GATE_ENV_VARS = frozenset({TOKEN_ENV_VAR, WORKSPACE_ENV_VAR, OTHER_WORKSPACE_ENV_VAR, USER_ENV_VAR})
CLI = ("-m", "phone_contract.cli")


def gate_env(token: str | None = SECRET_TOKEN, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in GATE_ENV_VARS}
    if token is not None:
        env[TOKEN_ENV_VAR] = token
    return env | dict(extra or {})


def run_gate(
    args: Sequence[str],
    *,
    token: str | None = SECRET_TOKEN,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    launcher: Sequence[str] = CLI,
) -> GateResult:
    """``phone-contract gate ARGS`` in its own process; ``launcher`` replaces ``-m phone_contract.cli``."""
    command = [sys.executable, *launcher, "gate", *args]
    done = subprocess.run(
        command,
        cwd=cwd,
        env=gate_env(token, env),
        capture_output=True,
        text=True,
        timeout=GATE_TIMEOUT,
        check=False,
    )
    # The progress lines (a plain one every few seconds without a terminal) are not what tests judge.
    stderr = "".join(
        line for line in done.stderr.splitlines(keepends=True) if not line.startswith(PROGRESS_PREFIX)
    )
    return GateResult(done.returncode, done.stdout, stderr)


class GateRun(Protocol):
    """``phone-contract gate ARGS`` with ``token`` in FREYA_API_TOKEN (None: unset); its result."""

    def __call__(self, args: Sequence[str], *, token: str | None = SECRET_TOKEN) -> GateResult: ...


def run_many(runs: Mapping[str, Sequence[str]]) -> dict[str, GateResult]:
    """Several gate runs at once; name -> result."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(run_gate, args) for name, args in runs.items()}
        return {name: future.result() for name, future in futures.items()}


@dataclass(frozen=True)
class ServedMock:
    base_url: str
    log_path: Path

    def writes_received(self) -> int:
        """Requests with any method but GET, HEAD, OPTIONS, TRACE: what the gate counts as writes."""
        # uvicorn's access log: one line per request, e.g. '"POST /api/v2/phone-numbers HTTP/1.1" 201'
        methods = re.findall(r'"([A-Z]+) /\S* HTTP/', self.log_path.read_text(errors="replace"))
        return sum(method not in {"GET", "HEAD", "OPTIONS", "TRACE"} for method in methods)

    def creations(self) -> int:
        """Creates the mock answered 2xx: what the gate's write budget counts (an update of the run's
        own numbers creates nothing)."""
        answers = re.findall(
            r'"([A-Z]+) /\S* HTTP/[\d.]+" (\d{3})', self.log_path.read_text(errors="replace")
        )
        return sum(method == "POST" and status[0] == "2" for method, status in answers)


@contextmanager
def served_mock(
    tmp_path: Path, *extra: str, launcher: Sequence[str] = CLI, env: Mapping[str, str] | None = None
) -> Iterator[ServedMock]:
    """The mock served by a real ASGI server on a free loopback port, as ``phone-contract mock`` runs it.

    ``launcher`` replaces ``-m phone_contract.cli`` (a script that wraps the mock, say); ``env`` adds
    to its environment.
    """
    log_path = tmp_path / f"mock{'-'.join(extra)}.log"
    command = [
        sys.executable,
        *launcher,
        "mock",
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        *extra,
    ]
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=gate_env(extra=env), stdout=log, stderr=subprocess.STDOUT
        )
    try:
        base_url = _wait_for_url(process, log_path)
        yield ServedMock(base_url, log_path)
    finally:
        stop(process)


def _wait_for_url(process: subprocess.Popen[bytes], log_path: Path) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        match = re.search(r"serving (http://\S+) ", log_path.read_text())
        if match:
            return match.group(1)
        if process.poll() is not None:
            pytest.fail(f"the served mock exited early:\n{log_path.read_text()}")
        time.sleep(0.05)
    pytest.fail(f"the served mock did not start:\n{log_path.read_text()}")


@dataclass(frozen=True)
class Sent:
    """One exchange of a gate run, as its HAR recorded it (read with a third-party HAR reader)."""

    method: str
    url: str
    status: int
    request: Any
    response: Any


def exchanges_in(har: Path) -> list[Sent]:
    """Every exchange of a HAR file, in order; bodies as JSON (None where they are not JSON)."""
    entries = HarPage("unknown", har_parser=HarParser.from_file(har)).entries
    return [
        Sent(
            entry.request.method,
            entry.request.url,
            entry.response.status,
            _json(entry.request.text),
            _json(entry.response.text),
        )
        for entry in entries
    ]


def creates_in(har: Path) -> list[dict[str, Any]]:
    """The request bodies of the creates a run's API answered 201 to: what the run created."""
    return [sent.request for sent in exchanges_in(har) if sent.method == "POST" and sent.status == 201]


def _json(text: str | None) -> Any:
    try:
        return json.loads(text or "")
    except ValueError:
        return None
