"""The gate in a CI job, as the job meets it: the real command, served APIs, the real streams, files on disk.

Never green unchecked (every budget), boundary values first, progress while it runs, one summary
and only why when it cannot run, reports on every exit, what the API sees on the wire, a time
limit, a latency breach not paid for, and ``--workers`` keeping a seed's requests and the budgets
exact.
"""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from haralyzer import HarPage, HarParser

from phone_contract._version import user_agent
from phone_contract.gate.progress import PREFIX as PROGRESS_PREFIX
from tests.gate.support import (
    CLI,
    ROOT,
    GateResult,
    ServedMock,
    gate_env,
    run_gate,
    served_mock,
)

pytestmark = pytest.mark.e2e

EDGE_API = (str(Path(__file__).with_name("edge_api.py")),)
PROXY_BANNER = re.compile(r"phone-contract proxy: (http://127\.0\.0\.1:\d+) -> ")
# What pytest's own terminal would print: none of it belongs in the gate's output.
PYTEST_NOISE = re.compile(
    r"= FAILURES =|Interrupted|\d+ (passed|failed|errors?)\b|subtests|short test summary|^(PASSED|FAILED) ",
    re.MULTILINE,
)


def _no_pytest_noise(result: GateResult) -> None:
    noise = PYTEST_NOISE.search(result.stdout)
    assert noise is None, (noise, result.stdout[-3000:])


@pytest.fixture(scope="module")
def edge_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedMock]:
    with served_mock(tmp_path_factory.mktemp("edge"), "--no-access-log", launcher=EDGE_API) as api:
        yield api


# --- never green unchecked ------------------------------------------------------------------------


def test_a_budget_of_one_creation_still_checks_that_creation(tmp_path: Path) -> None:
    with served_mock(tmp_path, "--fault", "field-missing") as api:
        result = run_gate(["--base-url", api.base_url, "--write-budget", "1", "-q"])
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert ("response_schema_conformance", "POST /phone-numbers") in {
        (check, operation) for check, operation, _ in result.groups
    }
    assert api.creations() == 1


def test_a_budget_of_one_creation_against_a_good_api_is_green_and_checked(tmp_path: Path) -> None:
    with served_mock(tmp_path) as api:
        result = run_gate(["--base-url", api.base_url, "--write-budget", "1", "-q"])
    assert result.status == 0, result.stdout[-3000:] + result.stderr
    # The one creation was judged against the response schema, and the updates of it were too.
    assert result.passed_checks["response_schema_conformance"] > 1
    assert "write budget 1 creation (" in result.stdout
    assert "1 creations" not in result.stdout
    assert "(1 writes)" not in result.stdout


# --- boundary values first ------------------------------------------------------------------------


def test_a_break_at_one_boundary_of_an_optional_field_is_caught_at_the_default_budget(
    edge_api: ServedMock,
) -> None:
    result = run_gate(["--base-url", edge_api.base_url, "-q"])
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert ("not_a_server_error", "POST /phone-numbers", "status 500") in result.groups
    # What the budget covered of each operation's boundary values, and what it skipped, is said.
    assert re.search(r"boundary values of POST /phone-numbers: (\d+) of \1 covered", result.stdout)
    assert re.search(r"boundary values of PUT /phone-numbers: (\d+) of \1 covered", result.stdout)


# --- visible while it runs ------------------------------------------------------------------------


def test_progress_reaches_the_real_stderr_while_the_run_goes() -> None:
    with subprocess.Popen(
        [sys.executable, *CLI, "gate"],
        cwd=ROOT,
        env=gate_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stderr is not None
        first = process.stderr.readline()
        running = process.poll() is None
        rest = process.stderr.read()
        process.wait(timeout=240)
    assert first.startswith(PROGRESS_PREFIX), first + rest
    assert running, "the first progress line came only after the run had ended"
    assert process.returncode == 0, rest


def test_quiet_means_no_progress() -> None:
    result = subprocess.run(
        [sys.executable, *CLI, "gate", "-q", "--max-examples", "5"],
        cwd=ROOT,
        env=gate_env(),
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr
    assert PROGRESS_PREFIX not in result.stderr


# --- one summary; when it cannot run, only why; reports on every exit -------------------------------


def test_a_run_ends_with_the_gates_own_summary_and_nothing_of_pytests() -> None:
    result = run_gate(["--fault", "field-missing", "-q", "--max-examples", "5"])
    assert result.status == 1, result.stderr
    _no_pytest_noise(result)
    # The gate's summary is the last thing printed: one of it, and every line after its head is its own.
    assert result.stdout.count("phone-contract gate summary - ") == 1
    tail = result.stdout.split("phone-contract gate summary - ", 1)[1].splitlines()[1:]
    assert all(line.startswith("  ") for line in tail), tail
    assert any(line.startswith("  result: contract broken") for line in tail)
    # Each failure group says one count, the same in its block and in the summary.
    assert result.groups
    for (check, operation, where), count in result.groups.items():
        times = "once" if count == 1 else f"{count} times"
        assert f"contract broken ({check}) on {operation}: {where} ({times})" in result.stdout


def test_an_unreachable_api_leaves_junit_har_and_created_saying_why(tmp_path: Path) -> None:
    junit, har, created = tmp_path / "out" / "junit.xml", tmp_path / "out" / "run.har", tmp_path / "c.jsonl"
    result = run_gate(
        [
            "--base-url",
            "http://127.0.0.1:9/api/v2",
            "--junit-xml",
            str(junit),
            "--har",
            str(har),
            "--created",
            str(created),
            "-H",
            "X-Api-Key: key-NEVER-PRINT-1234",
        ]
    )
    assert result.status == 2
    assert result.stdout == ""  # only why, on stderr, in one line
    assert result.stderr.splitlines() == [
        "phone-contract gate: error: cannot reach http://127.0.0.1:9/api/v2: connection refused "
        "([Errno 111] Connection refused)"
    ]
    suite = ET.fromstring(junit.read_text()).find("testsuite")  # noqa: S314 - our own file
    assert suite is not None
    assert (suite.get("tests"), suite.get("errors")) == ("1", "1")
    error = suite.find("testcase/error")
    assert error is not None
    assert "connection refused" in (error.get("message") or "")
    (entry,) = HarPage("unknown", har_parser=HarParser.from_file(har)).entries
    sent = {header["name"].lower(): header["value"] for header in entry.request.headers}
    assert sent["user-agent"] == user_agent()
    assert sent["x-api-key"] == "<redacted>"
    assert created.read_text() == ""
    for written in (junit, har):
        assert "key-NEVER-PRINT-1234" not in written.read_text()


def test_a_refused_token_stops_the_run_with_only_why(tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    with served_mock(tmp_path, "--no-access-log") as api:
        result = run_gate(
            ["--base-url", api.base_url, "--junit-xml", str(junit), "-q"], token="not-the-token-123"
        )
    assert result.status == 2, result.stdout[-3000:]
    _no_pytest_noise(result)
    assert result.stdout.splitlines()[0].startswith("phone-contract gate: target ")
    assert "summary" not in result.stdout
    # Without pinned IDs a live run warns first (made-up IDs): that warning is not the run's answer.
    lines = [line for line in result.stderr.splitlines() if "gate: warning: " not in line]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("phone-contract gate: error: ")
    error = ET.fromstring(junit.read_text()).find("testsuite/testcase/error")  # noqa: S314 - our own file
    assert error is not None
    assert error.get("message") == lines[0].removeprefix("phone-contract gate: error: ").strip()


# --- what the API sees ----------------------------------------------------------------------------


def test_the_api_sees_the_gates_user_agent_and_headers_and_the_har_records_them(tmp_path: Path) -> None:
    gate_har, proxy_har = tmp_path / "gate.har", tmp_path / "proxy.har"
    with served_mock(tmp_path, "--no-access-log") as api:
        proxy = subprocess.Popen(
            [
                sys.executable,
                *CLI,
                "proxy",
                "--upstream",
                api.base_url,
                "--port",
                "0",
                "--har",
                str(proxy_har),
            ],
            cwd=ROOT,
            env=gate_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            assert proxy.stdout is not None
            banner = PROXY_BANNER.search(proxy.stdout.readline())
            assert banner, proxy.stderr.read() if proxy.stderr else ""
            result = run_gate(
                [
                    "--base-url",
                    banner[1],
                    "--write-budget",
                    "3",
                    "--max-requests",
                    "20",
                    "--har",
                    str(gate_har),
                    "-H",
                    "X-Request-Source: nightly",
                    "-q",
                ]
            )
        finally:
            proxy.send_signal(2)
            proxy.communicate(timeout=30)
    assert result.status in (0, 2), result.stdout[-3000:] + result.stderr
    received = HarPage("unknown", har_parser=HarParser.from_file(proxy_har)).entries
    assert received
    for entry in received:
        headers = {header["name"].lower(): header["value"] for header in entry.request.headers}
        assert headers["user-agent"] == user_agent()
        assert headers["x-request-source"] == "nightly"
        assert "x-phone-contract-lane" not in headers
    recorded = HarPage("unknown", har_parser=HarParser.from_file(gate_har)).entries
    host = banner[1].removeprefix("http://")
    for entry in recorded:
        headers = {header["name"].lower(): header["value"] for header in entry.request.headers}
        assert (headers["host"], headers["user-agent"]) == (host, user_agent())


def test_a_user_agent_of_the_users_own_replaces_the_gates(tmp_path: Path) -> None:
    har = tmp_path / "run.har"
    result = run_gate(["-q", "--max-examples", "2", "--har", str(har), "-H", "User-Agent: my-ci/1.0"])
    assert result.status == 0, result.stdout[-3000:] + result.stderr
    agents = {
        header["value"]
        for entry in HarPage("unknown", har_parser=HarParser.from_file(har)).entries
        for header in entry.request.headers
        if header["name"].lower() == "user-agent"
    }
    assert agents == {"my-ci/1.0"}


@pytest.mark.parametrize(
    ("header", "words"),
    [
        ("Authorization: Bearer x", "read from FREYA_API_TOKEN only"),
        ("Host: elsewhere", "set by each request itself"),
        ("no colon here", "no colon"),
    ],
)
def test_a_header_the_gate_cannot_send_is_one_line(header: str, words: str) -> None:
    result = run_gate(["-H", header])
    assert result.status == 2
    assert words in result.stderr
    assert len(result.stderr.splitlines()) == 1  # why, in one line (no usage page)
    assert "Bearer x" not in result.stderr
    assert "no colon here" not in result.stderr


# --- as long as the job allows, and no longer than a breach needs -----------------------------------


def test_at_the_time_limit_it_stops_sending_and_reports_what_it_found(tmp_path: Path) -> None:
    full = run_gate(["-q"])
    with served_mock(tmp_path, "--no-access-log") as api:
        limited = run_gate(["--base-url", api.base_url, "--max-duration", "3s", "-q"])
    assert "stopped at the time limit (--max-duration 3 s): later cases were not sent" in limited.stdout
    sent = int(re.search(r"requests sent: (\d+)", limited.stdout)[1])  # type: ignore[index]
    assert sent < int(re.search(r"requests sent: (\d+)", full.stdout)[1])  # type: ignore[index]
    # It exits by what it found: green only if every operation was checked before the limit.
    assert limited.status in (0, 2)
    # What the limit left unchecked says so, not "no case reached it".
    for check, why in limited.not_run.items():
        assert why == "the time limit (--max-duration) came first", (check, why)
    if limited.status == 2:
        assert "was not checked" in limited.stderr
        assert "--max-duration 3 s reached" in limited.stderr


def test_an_established_latency_breach_is_not_paid_for() -> None:
    result = run_gate(["--fault", "slow", "-q"])
    assert result.status == 1, result.stdout[-3000:] + result.stderr
    assert result.failed_checks == {"max_response_time"}
    for operation in ("POST /phone-numbers", "PUT /phone-numbers"):
        assert re.search(
            rf"{operation}: 3 answers slower than 2 s \(max_response_time\) establish the breach: "
            r"\d+ later requests not sent",
            result.stdout,
        ), result.stdout[-3000:]


# --- --workers ------------------------------------------------------------------------------------


def test_workers_send_a_seeds_requests_exactly() -> None:
    one = run_gate(["-q", "--workers", "1"])
    four = run_gate(["-q", "--workers", "4"])
    assert one.status == four.status == 0, one.stdout[-2000:] + four.stdout[-2000:]
    assert one.fingerprint == four.fingerprint
    assert re.search(r"cases run: (\d+)", one.stdout)[1] == re.search(r"cases run: (\d+)", four.stdout)[1]  # type: ignore[index]


def test_a_live_runs_seed_sends_the_same_requests_for_any_workers_though_the_budget_runs_out(
    tmp_path: Path,
) -> None:
    # Against a served API every run draws its own scopes, unique values and minted ids (a live API
    # remembers earlier runs), and the write budget runs out part way: which unit gets its last
    # creations must not depend on which answers came first. A fresh API each time, so that it answers
    # each run alike.
    runs = []
    for workers in ("1", "4", "4"):
        with served_mock(tmp_path, "--no-access-log") as api:
            options = ["--write-budget", "10", "--max-examples", "5", "--workers", workers, "-q"]
            runs.append(run_gate(["--base-url", api.base_url, *options]))
    for result in runs:
        assert result.status == 0, result.stdout[-2000:] + result.stderr
        used = re.search(r"creations: (\d+) used, (\d+) left of --write-budget 10", result.stdout)
        assert used is not None, result.stdout[-2000:]
        assert int(used[2]) <= 1  # the budget did run out (its last creation is kept for refused writes)
    assert len({result.fingerprint for result in runs}) == 1, [result.fingerprint for result in runs]
    assert len({re.search(r"cases run: (\d+)", result.stdout)[1] for result in runs}) == 1  # type: ignore[index]


def test_workers_keep_the_write_budget_and_the_request_limit_exact(tmp_path: Path) -> None:
    with served_mock(tmp_path) as api:
        result = run_gate(
            [
                "--base-url",
                api.base_url,
                "--workers",
                "6",
                "--write-budget",
                "7",
                "--max-requests",
                "90",
                "-q",
            ]
        )
        created = api.creations()
        received = len(re.findall(r'"[A-Z]+ /\S* HTTP/', api.log_path.read_text(errors="replace")))
    assert created <= 7
    assert "creations: 7 used, 0 left of --write-budget 7" in result.stdout or created < 7
    assert received == 90 + 1  # every request the limit allows, and the reachability probe
    assert "--max-requests 90 reached" in result.stdout


def test_workers_keep_the_pace(tmp_path: Path) -> None:
    har = tmp_path / "run.har"
    with served_mock(tmp_path, "--no-access-log") as api:
        result = run_gate(
            [
                "--base-url",
                api.base_url,
                "--workers",
                "4",
                "--rate-limit",
                "20/s",
                "--max-requests",
                "30",
                "--har",
                str(har),
                "-q",
            ]
        )
    assert "paced at 20/s" in result.stdout, result.stdout[-2000:] + result.stderr
    starts = sorted(
        datetime.fromisoformat(entry.raw_entry["startedDateTime"]).timestamp()
        for entry in HarPage("unknown", har_parser=HarParser.from_file(har)).entries
        if entry.raw_entry.get("comment") != "reachability probe"
    )
    assert len(starts) == 30
    # Each request has a time slot of its own, 50 ms after the one before, however many are in flight
    # (tests/gate/test_pacing.py holds that exactly). Seen from the HAR, whose times are taken a little
    # after each slot, a lower bound on the whole span is what a busy machine cannot break.
    assert starts[-1] - starts[0] >= 0.9 * 29 * 0.05, starts
