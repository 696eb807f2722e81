"""Real processes for the proxy's tests: the served mock and the proxy, each on a free loopback port."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any

from phone_contract.mock import DEFAULT_TOKEN

AUTH = {"Authorization": f"Bearer {DEFAULT_TOKEN}"}
_MOCK_BANNER = re.compile(r"(http://127\.0\.0\.1:\d+/api/v2)/phone-numbers")
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
