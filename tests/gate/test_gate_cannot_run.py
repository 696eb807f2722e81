"""When the gate cannot run, it says why in one line and exits 2: never a traceback, never a verdict.

Every mistake here stops the command before its suite starts, so each runs through ``cli.main`` in this
process (see ``support.gate_in_process``); one run in its own process proves the console entry point.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .support import GateRun, run_gate

A_TOKEN = "a-token-value"


def _closed_port() -> int:
    # Bound then released: nothing listens there for the moment the test needs.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def _assert_one_line_exit_2(
    gate: GateRun, args: list[str], reason: str, *, token: str | None = A_TOKEN
) -> None:
    result = gate(args, token=token)
    assert result.status == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]
    assert lines[0].startswith("phone-contract gate: error: ")
    assert "result:" not in result.stdout  # no verdict: the run never started


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not-a-url", "--base-url must be an http(s) URL"),
        ("ftp://example.com/api", "--base-url must be an http(s) URL"),
        ("https://example.com/api?x=1", "without query or fragment"),
    ],
)
def test_a_bad_url(gate_in_process: GateRun, url: str, reason: str) -> None:
    _assert_one_line_exit_2(gate_in_process, ["--base-url", url], reason)


def test_an_unreachable_port(gate_in_process: GateRun) -> None:
    port = _closed_port()
    _assert_one_line_exit_2(
        gate_in_process, ["--base-url", f"http://127.0.0.1:{port}/api/v2"], "connection refused"
    )


def test_a_host_that_does_not_resolve(gate_in_process: GateRun, unresolvable_host: str) -> None:
    _assert_one_line_exit_2(
        gate_in_process,
        ["--base-url", f"https://{unresolvable_host}/api/v2"],
        f"cannot reach https://{unresolvable_host}/api/v2: DNS lookup failed",
    )


def test_a_missing_token(gate_in_process: GateRun) -> None:
    port = _closed_port()
    _assert_one_line_exit_2(
        gate_in_process, ["--base-url", f"http://127.0.0.1:{port}"], "FREYA_API_TOKEN is not set", token=None
    )


def test_an_unreadable_spec(gate_in_process: GateRun, tmp_path: Path) -> None:
    _assert_one_line_exit_2(gate_in_process, ["--spec", str(tmp_path / "missing.yaml")], "cannot read spec")


def test_a_spec_that_is_not_yaml(gate_in_process: GateRun, tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    _assert_one_line_exit_2(gate_in_process, ["--spec", str(spec)], "is not valid YAML")


def test_a_spec_that_is_not_openapi(gate_in_process: GateRun, tmp_path: Path) -> None:
    spec = tmp_path / "not-openapi.yaml"
    spec.write_text("openapi: 3.1.0\ninfo:\n  title: x\npaths: 3\n")
    _assert_one_line_exit_2(gate_in_process, ["--spec", str(spec)], "is not valid OpenAPI")


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (["--fault", "no-such-fault"], "unknown fault 'no-such-fault'"),
        (["--max-examples", "0"], "--max-examples: must be at least 1"),
        (["--max-response-time", "-1"], "--max-response-time: must be more than 0"),
        (["--write-budget", "many"], "error: argument --write-budget: not a whole number: 'many'"),
        (["--seed", "x"], "error: argument --seed: not a whole number: 'x'"),
        (["--max-response-time", "nan"], "--max-response-time: not a finite number: 'nan'"),
        # Named by the sub-command, like every other mistake in its arguments.
        (
            ["--max-exmaples", "3"],
            "phone-contract gate: error: unrecognized option --max-exmaples (did you mean --max-examples?)",
        ),
        (["--base-url", "http://127.0.0.1:9", "--fault", "slow"], "apply to the embedded mock"),
        (["--workspace-id", "not-a-uuid"], "--workspace-id must be a UUID, not 'not-a-uuid'"),
        (["--rate-limit", "fast"], "argument --rate-limit: not a rate like 10/s or 100/m: 'fast'"),
        (["--rate-limit", "10/w"], "argument --rate-limit: not a rate like 10/s or 100/m"),
        (["--max-requests", "0"], "argument --max-requests: must be at least 1"),
        (["--request-timeout", "0"], "argument --request-timeout: must be more than 0"),
    ],
)
def test_bad_arguments(gate_in_process: GateRun, args: list[str], reason: str) -> None:
    _assert_one_line_exit_2(gate_in_process, args, reason)


def test_the_token_is_never_an_argument(gate_in_process: GateRun) -> None:
    result = gate_in_process(["--token", "tok-typed-on-the-command-line"])
    assert (result.status, result.stdout) == (2, "")
    assert result.stderr == (
        "phone-contract gate: error: there is no --token option: "
        "the token is read from FREYA_API_TOKEN only\n"
    )


@pytest.mark.parametrize("option", ["--har", "--created", "--junit-xml"])
def test_a_report_that_cannot_be_written_stops_the_run_before_it_starts(
    gate_in_process: GateRun, option: str, tmp_path: Path
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    _assert_one_line_exit_2(
        gate_in_process, [option, str(a_file / "report")], "a part of its folder is a file"
    )
    _assert_one_line_exit_2(gate_in_process, [option, str(tmp_path)], "is a directory, not a file")


@pytest.mark.e2e
def test_the_command_in_its_own_process_is_one_line_too(tmp_path: Path) -> None:
    # The console entry point, as a user types it: the same line, and no traceback from the process.
    result = run_gate(["--spec", str(tmp_path / "missing.yaml")], token=A_TOKEN)
    assert result.status == 2, result.stdout + result.stderr
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("phone-contract gate: error: cannot read spec")
