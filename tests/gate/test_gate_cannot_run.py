"""When the gate cannot run, it says why in one line and exits 2: never a traceback, never a verdict."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from .support import run_gate


def _closed_port() -> int:
    # Bound then released: nothing listens there for the few seconds the test needs.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


A_TOKEN = "a-token-value"


def _assert_one_line_exit_2(args: list[str], reason: str, *, token: str | None = A_TOKEN) -> None:
    result = run_gate(args, token=token)
    assert result.status == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert reason in lines[0]
    assert "result:" not in result.stdout  # no verdict: the run never started


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("not-a-url", "--base-url must be an http(s) URL"),
        ("ftp://example.com/api", "--base-url must be an http(s) URL"),
        ("https://example.com/api?x=1", "without query or fragment"),
    ],
)
def test_a_bad_url(url: str, reason: str) -> None:
    _assert_one_line_exit_2(["--base-url", url], reason)


def test_an_unreachable_port() -> None:
    port = _closed_port()
    _assert_one_line_exit_2(["--base-url", f"http://127.0.0.1:{port}/api/v2"], "connection refused")


def test_a_host_that_does_not_resolve() -> None:
    # .invalid is reserved (RFC 2606): it never resolves, and resolvers fail it without asking anyone.
    _assert_one_line_exit_2(["--base-url", "https://freya.invalid/api/v2"], "DNS lookup failed")


def test_a_missing_token() -> None:
    port = _closed_port()
    _assert_one_line_exit_2(
        ["--base-url", f"http://127.0.0.1:{port}"], "FREYA_API_TOKEN is not set", token=None
    )


def test_an_unreadable_spec(tmp_path: Path) -> None:
    _assert_one_line_exit_2(["--spec", str(tmp_path / "missing.yaml")], "cannot read spec")


def test_a_spec_that_is_not_yaml(tmp_path: Path) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo: [unclosed\n")
    _assert_one_line_exit_2(["--spec", str(spec)], "is not valid YAML")


def test_a_spec_that_is_not_openapi(tmp_path: Path) -> None:
    spec = tmp_path / "not-openapi.yaml"
    spec.write_text("openapi: 3.1.0\ninfo:\n  title: x\npaths: 3\n")
    _assert_one_line_exit_2(["--spec", str(spec)], "is not valid OpenAPI")


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
    ],
)
def test_bad_arguments(args: list[str], reason: str) -> None:
    _assert_one_line_exit_2(args, reason)


@pytest.mark.parametrize("option", ["--har", "--created", "--junit-xml"])
def test_a_report_that_cannot_be_written_stops_the_run_before_it_starts(option: str, tmp_path: Path) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    _assert_one_line_exit_2([option, str(a_file / "report")], "a part of its folder is a file")
    _assert_one_line_exit_2([option, str(tmp_path)], "is a directory, not a file")
