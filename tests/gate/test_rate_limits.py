"""A live API that rate-limits (429) is waited out and retried, never reported as a contract break.

The retries count against the write budget like any request; an API that keeps refusing stops
the run with exit 2 and one line, since the gate then has no verdict to give.
"""

from __future__ import annotations

import asyncio
import email.utils
import os
import re
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from phone_contract._redact import Redactor
from phone_contract.gate.target import (
    MAX_RETRY_WAIT,
    RATE_LIMIT_RETRIES,
    Forwarder,
    Gatekeeper,
    RateLimited,
    WriteBudgetExhausted,
    retry_wait,
)

from .support import GateResult, run_gate, served_mock

API = "http://api.test/api/v2"
LAUNCHER = (str(Path(__file__).with_name("rate_limiting_mock.py")),)


def _forwarder(statuses: list[tuple[int, dict[str, str]]], waits: list[float]) -> Forwarder:
    """A forwarder whose API answers ``statuses`` in turn (the last one from then on)."""
    answers: Iterator[tuple[int, dict[str, str]]] = iter(statuses)
    last = statuses[-1]

    def handler(request: httpx.Request) -> httpx.Response:
        status, headers = next(answers, last)
        return httpx.Response(status, headers=headers, json={"success": status < 400})

    return Forwarder(API, timeout=5.0, transport=httpx.MockTransport(handler), sleep=waits.append)


def test_a_429_is_waited_out_and_retried() -> None:
    waits: list[float] = []
    counted: list[str] = []
    forwarder = _forwarder([(429, {"Retry-After": "3"}), (429, {}), (201, {})], waits)
    forwarder.count = counted.append
    response = forwarder.request("POST", f"{API}/phone-numbers", [], b"{}")
    assert response.status_code == 201
    assert waits == [3.0, 2.0]  # Retry-After first, then the doubling wait of the second retry
    assert counted == ["POST", "POST"]  # each retry is one more request sent


def test_an_api_that_keeps_refusing_stops_the_run_in_one_line() -> None:
    waits: list[float] = []
    forwarder = _forwarder([(429, {"Retry-After": "1"})], waits)
    with pytest.raises(RateLimited) as refused:
        forwarder.request("POST", f"{API}/phone-numbers", [], b"{}")
    assert len(waits) == RATE_LIMIT_RETRIES
    assert str(refused.value).startswith(f"{API} kept answering 429 Too Many Requests")
    assert "\n" not in str(refused.value)


def test_retries_count_against_the_write_budget() -> None:
    forwarder = _forwarder([(429, {"Retry-After": "0"}), (201, {})], [])
    gatekeeper = Gatekeeper(forwarder, Redactor(), write_budget=1)
    forwarder.count = gatekeeper.count
    with pytest.raises(WriteBudgetExhausted):
        asyncio.run(_post(gatekeeper))
    assert (gatekeeper.writes, gatekeeper.budget_reached) == (1, True)


async def _post(app: Gatekeeper) -> None:
    scope = {"type": "http", "method": "POST", "path": "/phone-numbers", "query_string": b"", "headers": []}

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": b"{}", "more_body": False}

    async def send(message: object) -> None:
        return None

    await app(scope, receive, send)


@pytest.mark.parametrize(
    ("retry_after", "attempt", "wait"),
    [
        (None, 0, 1.0),
        (None, 3, 8.0),
        (None, 10, MAX_RETRY_WAIT),  # doubling, but never longer than the cap
        ("7", 0, 7.0),
        ("-5", 0, 0.0),
        ("86400", 0, MAX_RETRY_WAIT),
        ("soon", 1, 2.0),  # unreadable: the doubling wait
        (email.utils.formatdate(time.time() - 60, usegmt=True), 0, 0.0),  # a date in the past
    ],
)
def test_retry_wait(retry_after: str | None, attempt: int, wait: float) -> None:
    assert retry_wait(retry_after, attempt) == wait


def test_a_date_in_the_future_is_waited_for() -> None:
    later = email.utils.formatdate(time.time() + 20, usegmt=True)
    assert 17.0 <= retry_wait(later, 0) <= 20.0


# --- whole runs against a served mock behind a rate limiter ------------------------------------


# Every third POST (waits of 0 s), every 90th with a wait longer than the default
# --max-response-time of 2 s (a wait is the gate's time, not the API's: never reported slow), or all.
PLANS = {"often": ("3", "0"), "long waits": ("90", "2.5"), "always": ("always", "0")}


def _gate_rate_limited(tmp_path: Path, every: str, wait: str) -> GateResult:
    with served_mock(tmp_path, launcher=(*LAUNCHER, every, wait)) as mock:
        return run_gate(["--base-url", mock.base_url, "--max-examples", "3", "--write-budget", "1000"])


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GateResult]:
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {
            name: pool.submit(_gate_rate_limited, tmp_path_factory.mktemp("rate"), *plan)
            for name, plan in PLANS.items()
        }
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.parametrize("plan", ["often", "long waits"])
def test_an_api_that_rate_limits_now_and_then_still_passes(results: dict[str, GateResult], plan: str) -> None:
    result = results[plan]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    # A word of its own: the request fingerprint (hex) may hold the digits by chance.
    assert not re.search(r"\b429\b", result.stdout)


def test_an_api_that_only_rate_limits_gives_no_verdict(results: dict[str, GateResult]) -> None:
    result = results["always"]
    assert result.status == 2, result.stdout[-4000:] + result.stderr
    lines = result.stderr.strip().splitlines()
    assert "kept answering 429 Too Many Requests" in lines[-1], result.stderr
    assert "result: contract broken" not in result.stdout
