"""A live API that rate-limits (429) is waited out and retried, never reported as a contract break.

The retries count against --max-requests like any request (not against the write budget: a 429
created nothing); an API that keeps refusing stops the run with exit 2 and one line, since the
gate then has no verdict to give. The door's own tests (tests/gate/test_door.py) script the API.
"""

from __future__ import annotations

import email.utils
import os
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from phone_contract.gate.transient import MAX_RETRY_WAIT, retry_wait

from .support import GateResult, run_gate, served_mock

API = "http://api.test/api/v2"
LAUNCHER = (str(Path(__file__).with_name("rate_limiting_mock.py")),)


# The clock the Retry-After dates are read against: a fixed moment, so no test depends on when it runs.
NOW = 1_795_000_000.0


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
        (email.utils.formatdate(NOW - 60, usegmt=True), 0, 0.0),  # a date in the past
        (email.utils.formatdate(NOW + 20, usegmt=True), 0, 20.0),  # a date in the future
        (email.utils.formatdate(NOW + 86400, usegmt=True), 0, MAX_RETRY_WAIT),
    ],
)
def test_retry_wait(retry_after: str | None, attempt: int, wait: float) -> None:
    assert retry_wait(retry_after, attempt, clock=lambda: NOW) == wait


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


@pytest.mark.e2e
@pytest.mark.parametrize("plan", ["often", "long waits"])
def test_an_api_that_rate_limits_now_and_then_still_passes(results: dict[str, GateResult], plan: str) -> None:
    result = results[plan]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    # Listed as transient in the summary, never as a failure.
    assert re.search(r"^  transient: \d+ x 429, retried$", result.stdout, re.MULTILINE), result.stdout[-2000:]
    assert "contract broken" not in result.stdout


@pytest.mark.e2e
def test_an_api_that_only_rate_limits_gives_no_verdict(results: dict[str, GateResult]) -> None:
    result = results["always"]
    assert result.status == 2, result.stdout[-4000:] + result.stderr
    lines = result.stderr.strip().splitlines()
    assert "kept answering 429 Too Many Requests" in lines[-1], result.stderr
    assert "result: contract broken" not in result.stdout
