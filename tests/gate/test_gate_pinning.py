"""Pinned identities (--workspace-id, --other-workspace-id, --user-id): parsed, carried to the suite,
and written into every valid body, against the embedded mock and the served one.

The gate runs start together in one module fixture (see support.run_many): each takes seconds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode

from phone_contract import load_spec
from phone_contract._exit import UsageError
from phone_contract.cli import build_parser
from phone_contract.gate.command import identity_warning, settings_from_args
from phone_contract.gate.pinning import pin_identities, pinned_fields, unique_value
from phone_contract.gate.session import open_session
from phone_contract.gate.settings import GateSettings

from ..examples import scaled
from .support import SECRET_TOKEN, GateResult, creates_in, run_gate, served_mock

WORKSPACE = "0d5e7b7e-1c1a-4c4e-9a55-3b1f6f0a0001"
OTHER = "0d5e7b7e-1c1a-4c4e-9a55-3b1f6f0a0002"
USER = "0d5e7b7e-1c1a-4c4e-9a55-3b1f6f0a0003"
PINNED = ["--workspace-id", WORKSPACE, "--other-workspace-id", OTHER, "--user-id", USER]
EXAMPLES = ["--max-examples", "5"]
# A fault is caught by a property test's first example: fewer examples, same verdict, less time.
FAULT_EXAMPLES = ["--max-examples", "2"]
# The body of the spec's example (examples phase): its number is what the served mock is probed with.
SPEC_EXAMPLE_NUMBER = "+14155551234"
SPEC_EXAMPLE_WORKSPACE = "550e8400-e29b-41d4-a716-446655440000"


def _settings(argv: list[str]) -> GateSettings:
    parser, _ = build_parser()
    return settings_from_args(parser.parse_args(["gate", *argv]))


def test_the_options_are_parsed_into_canonical_uuids() -> None:
    settings = _settings(
        ["--workspace-id", WORKSPACE.upper(), "--other-workspace-id", OTHER, "--user-id", USER]
    )
    assert (settings.workspace_id, settings.other_workspace_id, settings.user_id) == (WORKSPACE, OTHER, USER)
    # Into the fields the spec names a resource's scope and owner (x-phone-contract-resource).
    assert pinned_fields(load_spec(), scope=settings.workspace_id, owner=settings.user_id) == {
        "workspaceId": WORKSPACE,
        "userId": USER,
    }


def test_the_environment_is_the_fallback_and_options_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FREYA_WORKSPACE_ID", WORKSPACE)
    monkeypatch.setenv("FREYA_OTHER_WORKSPACE_ID", OTHER)
    monkeypatch.setenv("FREYA_USER_ID", USER)
    from_env = _settings([])
    assert (from_env.workspace_id, from_env.other_workspace_id, from_env.user_id) == (WORKSPACE, OTHER, USER)
    mine = "0d5e7b7e-1c1a-4c4e-9a55-3b1f6f0a00ff"
    assert _settings(["--user-id", mine]).user_id == mine


@pytest.mark.parametrize(
    ("argv", "env", "reason"),
    [
        (["--workspace-id", "workspace-1"], {}, "--workspace-id must be a UUID, not 'workspace-1'"),
        ([], {"FREYA_USER_ID": "42"}, "$FREYA_USER_ID must be a UUID, not '42'"),
        (["--other-workspace-id", OTHER], {}, "--other-workspace-id needs --workspace-id"),
        (["--workspace-id", WORKSPACE, "--other-workspace-id", WORKSPACE], {}, "must differ"),
    ],
)
def test_bad_ids_are_usage_errors(
    monkeypatch: pytest.MonkeyPatch, argv: list[str], env: dict[str, str], reason: str
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(UsageError) as error:
        _settings(argv)
    assert reason in str(error.value)


def test_a_live_run_without_pinned_ids_is_warned_about() -> None:
    live = GateSettings(base_url="https://app.freyavoice.ai/api/v2")
    warning = identity_warning(live)
    assert warning is not None
    assert warning.startswith("no --workspace-id or --user-id: the gate sends random IDs")
    assert "with --workspace-id UUID and --user-id UUID" in warning
    assert (
        identity_warning(GateSettings(base_url=live.base_url, workspace_id=WORKSPACE, user_id=USER)) is None
    )
    assert identity_warning(GateSettings()) is None  # the mock accepts any workspace


def test_unique_values_stay_within_their_max_length_and_apart() -> None:
    numbers = [
        unique_value(generated, 123456789, count, 20) for count, generated in enumerate(["000", "9" * 20], 1)
    ]
    assert all(3 <= len(number) <= 20 for number in numbers)
    assert numbers == ["000456789000001", "99999999456789000002"]


PIN_RUN = open_session(GateSettings(workspace_id=WORKSPACE, user_id=USER))
OPERATION = PIN_RUN.schema["/phone-numbers"]["POST"]
_CASES = st.one_of(
    OPERATION.as_strategy(generation_mode=GenerationMode.POSITIVE),
    OPERATION.as_strategy(generation_mode=GenerationMode.NEGATIVE),
)


@settings(max_examples=scaled(60), deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(case=_CASES)
def test_pinning_keeps_each_case_as_positive_or_negative_as_it_was(case: Case[Any]) -> None:
    assert case.meta is not None
    was_positive = case.meta.generation.mode.is_positive
    pin_identities(case, PIN_RUN.pinned)
    assert case.meta.generation.mode.is_positive == was_positive
    if was_positive:
        assert isinstance(case.body, dict)
        assert (case.body["workspaceId"], case.body["userId"]) == (WORKSPACE, USER)


def test_a_malformed_id_of_a_negative_case_is_left_alone() -> None:
    body = {"number": "+14155550100", "workspaceId": "nope", "userId": SPEC_EXAMPLE_WORKSPACE}
    case = OPERATION.Case(body=dict(body), media_type="application/json")
    pin_identities(case, PIN_RUN.pinned)
    # The workspace is where it is invalid; the user is swapped, since that keeps it invalid.
    assert case.body == {**body, "userId": USER}


# --- whole runs ---------------------------------------------------------------------------------


def _recorded(tmp: Path, args: list[str], env: dict[str, str] | None = None) -> tuple[GateResult, list[Any]]:
    """A run, and the bodies of the creates it got 201 for, read from its own HAR recording."""
    har = tmp / "run.har"
    result = run_gate([*args, "--har", str(har)], env=env)
    return result, creates_in(har)


def _served(tmp: Path, args: list[str]) -> tuple[GateResult, list[int]]:
    with served_mock(tmp) as mock:
        # A budget the whole run fits in, so that the examples phase (the spec's example) is sent.
        result = run_gate(["--base-url", mock.base_url, "--write-budget", "1000", *args])
        # 409 means the number exists in that workspace: where the spec's example was created.
        probes = [_probe(mock.base_url, workspace) for workspace in (WORKSPACE, SPEC_EXAMPLE_WORKSPACE)]
    return result, probes


def _probe(base_url: str, workspace: str) -> int:
    body = {"number": SPEC_EXAMPLE_NUMBER, "workspaceId": workspace, "userId": USER}
    headers = {"Authorization": f"Bearer {SECRET_TOKEN}"}
    return httpx.post(f"{base_url}/phone-numbers", json=body, headers=headers, timeout=10).status_code


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env_only = {"FREYA_WORKSPACE_ID": WORKSPACE, "FREYA_USER_ID": USER}
    plans: dict[str, Callable[[Path], Any]] = {
        "pinned": lambda tmp: _recorded(tmp, [*PINNED, *EXAMPLES]),
        "env, one workspace": lambda tmp: _recorded(tmp, EXAMPLES, env_only),
        "accept-duplicate": lambda tmp: _recorded(
            tmp, [*PINNED, *FAULT_EXAMPLES, "--fault", "accept-duplicate"]
        ),
        "drop-sent-field": lambda tmp: _recorded(
            tmp, [*PINNED, *FAULT_EXAMPLES, "--fault", "drop-sent-field"]
        ),
        "served": lambda tmp: _served(tmp, [*PINNED, *EXAMPLES]),
    }
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(plan, tmp_path_factory.mktemp("pin")) for name, plan in plans.items()}
        return {name: future.result() for name, future in futures.items()}


def _assert_all_pinned(created: list[dict[str, Any]], workspaces: set[str]) -> None:
    assert created, "the run created nothing"
    assert {entry["workspaceId"] for entry in created} == workspaces
    assert {entry["userId"] for entry in created} == {USER}


@pytest.mark.e2e
def test_every_create_of_a_pinned_run_uses_the_pinned_ids(results: dict[str, Any]) -> None:
    result, created = results["pinned"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert f"pinned --workspace-id {WORKSPACE}, --user-id {USER}" in result.stdout.splitlines()[0]
    _assert_all_pinned(created, {WORKSPACE, OTHER})
    # Both halves of the duplicate property ran, with numbers that never collided with earlier ones.
    for check in ("duplicate_conflicts", "duplicate_in_other_scope_created"):
        assert re.search(rf"^  {check} +[1-9]\d* +0$", result.stdout, re.MULTILINE), result.stdout[-3000:]


@pytest.mark.e2e
def test_without_another_workspace_that_half_is_reported_not_run(results: dict[str, Any]) -> None:
    result, created = results["env, one workspace"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    _assert_all_pinned(created, {WORKSPACE})
    assert (
        "not run: duplicate_in_other_scope_created: a workspace is pinned "
        "(--workspace-id or $FREYA_WORKSPACE_ID) but no second one" in result.stdout
    )
    assert not re.search(r"^  duplicate_in_other_scope_created ", result.stdout, re.MULTILINE)
    assert re.search(r"^  duplicate_conflicts +[1-9]\d* +0$", result.stdout, re.MULTILINE)


@pytest.mark.e2e
@pytest.mark.parametrize(
    ("fault", "check"),
    [("accept-duplicate", "duplicate_conflicts"), ("drop-sent-field", "echoes_sent_fields")],
)
def test_a_pinned_run_still_catches_faults(results: dict[str, Any], fault: str, check: str) -> None:
    result, created = results[fault]
    assert result.status == 1, result.stdout[-4000:] + result.stderr
    assert check in result.failed_checks
    assert {entry["workspaceId"] for entry in created} <= {WORKSPACE, OTHER}


@pytest.mark.e2e
def test_a_pinned_run_against_a_served_mock_creates_in_the_pinned_workspace(results: dict[str, Any]) -> None:
    result, probes = results["served"]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert "warning" not in result.stderr
    # The spec's example was sent (examples phase) into the pinned workspace, not the example's own.
    assert probes == [409, 201]
