"""The gate's parts on their own: redaction, curl, the write budget, failure reports, settings."""

from __future__ import annotations

import gc
import tomllib
from collections.abc import Iterator

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from phone_contract._redact import Redactor, curl
from phone_contract._secrets import REDACTED
from phone_contract.gate.conformance import ContractBroken, install_tally_hook, send_and_check
from phone_contract.gate.plugin import GatePlugin, contract_messages
from phone_contract.gate.report import render_finding
from phone_contract.gate.session import GateSession, open_session
from phone_contract.gate.settings import GateSettings
from phone_contract.gate.suite import exit_status, suite_path

from .support import ROOT, SECRET_TOKEN

PASSWORD = "pw-NEVER-PRINT-31337"
VALID_BODY = {
    "number": "+14155550123",
    "workspaceId": "550e8400-e29b-41d4-a716-446655440000",
    "userId": "550e8400-e29b-41d4-a716-446655440001",
    "config": {
        "sipOutbound": {
            "password": PASSWORD,
            "headers": [{"key": "X-A", "value": "1"}, {"key": "X-B", "value": "2"}],
        }
    },
}


@given(token=st.text(min_size=4), before=st.text(), after=st.text())
def test_a_known_secret_never_survives_redaction(token: str, before: str, after: str) -> None:
    # A "token" that is part of the marker itself ("dact", "<red") would be found in the marker,
    # which leaks nothing; real tokens hold no angle brackets.
    assume("<" not in token and ">" not in token and token not in REDACTED)
    assert token not in Redactor(token).text(before + token + after + token)


@given(password=st.text())
def test_passwords_are_redacted_by_key_whatever_their_length(password: str) -> None:
    redactor = Redactor()
    body = {"config": {"sipOutbound": {"password": password, "port": 5060}}}
    assert redactor.value(body) == {"config": {"sipOutbound": {"password": REDACTED, "port": 5060}}}
    assert redactor.text(repr(body)).count(REDACTED) == 1


def test_curl_reads_the_token_from_the_environment_and_redacts_the_password() -> None:
    redactor = Redactor(SECRET_TOKEN)
    redactor.learn_from_body(VALID_BODY)
    command = curl(
        redactor,
        "POST",
        "https://app.freyavoice.ai/api/v2/phone-numbers",
        {"Authorization": f"Bearer {SECRET_TOKEN}", "Content-Type": "application/json"},
        httpx.Request("POST", "http://x", json=VALID_BODY).content,
    )
    assert '--header "Authorization: Bearer $FREYA_API_TOKEN"' in command
    assert SECRET_TOKEN not in command
    assert PASSWORD not in command
    assert f'"password":"{REDACTED}"' in command


@pytest.fixture
def echo_token_run(monkeypatch: pytest.MonkeyPatch) -> Iterator[GateSession]:
    monkeypatch.setenv("FREYA_API_TOKEN", SECRET_TOKEN)
    gate = open_session(GateSettings(fault="echo-token"))
    install_tally_hook(gate)
    yield gate
    gate.close()


def test_a_failure_report_names_the_check_and_carries_no_secret(echo_token_run: GateSession) -> None:
    operation = echo_token_run.schema["/phone-numbers"]["POST"]
    case = operation.Case(body=VALID_BODY, media_type="application/json")
    send_and_check(echo_token_run, case)  # the failure is kept, not raised: the run goes on
    finding = echo_token_run.tally.findings[("token_not_leaked", "POST /phone-numbers", "$ (body)")]
    report = render_finding(finding)
    assert report.startswith("contract broken (token_not_leaked) on POST /phone-numbers: $ (body) (once)")
    assert "- check token_not_leaked" in report
    assert "$ (body): expected no bearer token, got the bearer token" in report
    assert "curl -X POST" in report
    # Schemathesis renders the case; the token is a variable the shell expands, the password is out.
    assert '-H "Authorization: Bearer $FREYA_API_TOKEN"' in report
    assert '"password": "<redacted>"' in report
    assert '"key": "X-A"' in report  # sanitization hides secrets only, not every field named like one
    assert SECRET_TOKEN not in report
    assert PASSWORD not in report
    # What hypothesis would print about the case (its repr) is scrubbed on the way out too.
    assert PASSWORD not in echo_token_run.redactor.text(repr(case.body))
    assert echo_token_run.tally.failed["token_not_leaked"] == 1


def test_contract_reports_are_found_inside_hypothesis_exception_groups() -> None:
    group = ExceptionGroup(
        "two", [ContractBroken("a"), ExceptionGroup("inner", [ValueError(), ContractBroken("b")])]
    )
    assert contract_messages(group) == ["a", "b"]


def test_an_installed_toolkit_carries_the_contract_suite() -> None:
    # `phone-contract gate` runs contract_tests/; a wheel has it as phone_contract/_contract_tests.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    force_include = pyproject["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert force_include["contract_tests"] == "phone_contract/_contract_tests"
    assert suite_path() == ROOT / "contract_tests"


def test_an_api_that_stops_answering_mid_run_means_could_not_run(capsys: pytest.CaptureFixture[str]) -> None:
    plugin = GatePlugin(GateSettings())
    plugin.unreachable = "cannot reach https://freya.invalid: connection refused"
    assert exit_status(plugin, pytest.ExitCode.TESTS_FAILED) == 2
    assert capsys.readouterr().err == (
        "phone-contract gate: error: cannot reach https://freya.invalid: connection refused\n"
    )


def test_only_the_command_freezes_the_heap(monkeypatch: pytest.MonkeyPatch) -> None:
    # What is frozen is never collected: a process that runs on after the session (a library user,
    # a test session) must not keep every run's objects; the command's process ends with its run.
    monkeypatch.setenv("FREYA_API_TOKEN", SECRET_TOKEN)
    before = gc.get_freeze_count()
    plugin = GatePlugin(GateSettings())
    plugin.open()
    assert gc.get_freeze_count() == before
    frozen = GatePlugin(GateSettings(), freeze_heap=True)
    try:
        frozen.open()
        assert gc.get_freeze_count() > before
    finally:
        gc.unfreeze()
        for opened in (plugin, frozen):
            if opened.session is not None:
                opened.session.close()
