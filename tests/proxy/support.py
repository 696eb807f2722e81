"""The proxy in front of the mock, two ways: both in this process (the proxy's ``transport`` is the
mock's ASGI app), or each a real process on a free loopback port, as a user runs them."""

from __future__ import annotations

import asyncio
import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import httpx

from phone_contract import load_spec
from phone_contract._redact import Redactor
from phone_contract.har import HarRecorder
from phone_contract.mock import DEFAULT_TOKEN, MockApp, create_app
from phone_contract.proxy import ProxyApp, Upstream

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}

_numbers = iter(range(14155550000, 14155559999))


def valid_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "number": f"+{next(_numbers)}",
        "friendlyName": "Main Support Line",
        "workspaceId": str(uuid.uuid4()),
        "userId": "550e8400-e29b-41d4-a716-446655440001",
    }
    body.update(changes)
    return body


# --- in process ----------------------------------------------------------------------------------

# Where the in-process mock answers: mounted under the spec's server path, as `phone-contract mock` does.
MOCK_ROOT = "http://mock.test/api/v2"
PROXY_ROOT = "http://proxy.test"
T = TypeVar("T")


@dataclass
class InFront:
    """A proxy in front of a mock, both in this process; ``lines`` is what the proxy logged."""

    proxy: ProxyApp
    mock: MockApp
    lines: list[str]

    def violations(self) -> list[str]:
        return [line for line in self.lines if "violation:" in line]


def in_front_of_the_mock(
    *,
    fault: str | None = None,
    har: Path | None = None,
    upstream: str = MOCK_ROOT,
    timeout: float = 5,
    transport: httpx.AsyncBaseTransport | None = None,
) -> InFront:
    """The proxy as ``phone-contract proxy --upstream UPSTREAM [--timeout S] [--har PATH]`` builds it, in
    front of the mock (``fault`` breaking it) unless ``transport`` plays the upstream instead."""
    mock = create_app(fault=fault, mount=httpx.URL(MOCK_ROOT).path)
    redactor = Redactor()
    lines: list[str] = []
    proxy = ProxyApp(
        upstream=Upstream.parse(upstream),
        spec=load_spec(),
        timeout=timeout,
        recorder=HarRecorder(redactor) if har is not None else None,
        har_path=har,
        redactor=redactor,
        report=lines.append,
        transport=transport or httpx.ASGITransport(app=mock),
    )
    return InFront(proxy, mock, lines)


def talk(app: Any, conversation: Callable[[httpx.AsyncClient], Awaitable[T]], root: str = PROXY_ROOT) -> T:
    """Run ``conversation`` with a client of ``app`` (an ASGI app), in one event loop."""

    async def run() -> T:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=root) as client:
            return await conversation(client)

    return asyncio.run(run())


# --- real processes ------------------------------------------------------------------------------

_MOCK_BANNER = re.compile(r"serving (http://127\.0\.0\.1:\d+/api/v2) ")
_PROXY_BANNER = re.compile(r"phone-contract proxy: (http://127\.0\.0\.1:\d+) -> ")


@dataclass
class Served:
    """A running command: its base URL, and once stopped, what it printed and its exit status."""

    url: str
    process: subprocess.Popen[str]
    stdout: str = ""
    stderr: str = ""
    status: int | None = field(default=None)

    def lines(self, containing: str) -> list[str]:
        return [line for line in self.stdout.splitlines() if containing in line]


@contextmanager
def served(*args: str, banner: re.Pattern[str]) -> Iterator[Served]:
    """``python -m phone_contract.cli ARGS`` until the block ends, then Ctrl-C and collect its output."""
    process = subprocess.Popen(
        [sys.executable, "-m", "phone_contract.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    first = process.stdout.readline()  # printed once the socket listens
    match = banner.search(first)
    if match is None:
        process.kill()
        _, stderr = process.communicate(timeout=10)
        raise AssertionError(f"no banner from {args}: {first!r} {stderr}")
    result = Served(match[1], process)
    try:
        yield result
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        rest, result.stderr = process.communicate(timeout=20)
        result.stdout = first + rest
        result.status = process.returncode
    # Only when the block succeeded: a failure inside it must not be hidden behind this one.
    assert "Traceback" not in result.stderr, result.stderr


def mock(*args: str) -> AbstractContextManager[Served]:
    return served("mock", "--port", "0", "--no-access-log", *args, banner=_MOCK_BANNER)


def proxy(upstream: str, *args: str) -> AbstractContextManager[Served]:
    return served("proxy", "--upstream", upstream, "--port", "0", *args, banner=_PROXY_BANNER)
