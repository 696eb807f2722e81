"""On a live API the gate changes only what it created in the same run: proved against a served mock
that numbers its resources 1, 2, 3... (guessable_ids_mock.py), as some APIs do, and already holds
numbers of someone else, in the very workspace the run is pinned to. A fuzzer's made-up id ("1") names
one of them there, unless the gate never sends one.

What the gate sent is read from its own HAR recording (with a third-party reader): every id any update
named was created by the run or was never handed out by the API, no foreign id was sent anywhere, and
the foreign numbers are, after the run, exactly as they were before it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from .support import SECRET_TOKEN, GateResult, exchanges_in, run_gate, served_mock

GUESSABLE = str(Path(__file__).with_name("guessable_ids_mock.py"))

pytestmark = pytest.mark.e2e

WORKSPACE = str(uuid.uuid4())
USER = str(uuid.uuid4())
HEADERS = {"Authorization": f"Bearer {SECRET_TOKEN}"}


def _ids(value: Any) -> Iterator[Any]:
    """Every value under an "id" key, at any depth: what a body could address a number by."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id" and not isinstance(item, dict | list):
                yield item
            else:
                yield from _ids(item)
    elif isinstance(value, list):
        for item in value:
            yield from _ids(item)


def _someone_elses(base_url: str, count: int) -> list[dict[str, Any]]:
    """Numbers created outside the run, in the pinned workspace and in another one."""
    found = []
    for index in range(count):
        workspace = WORKSPACE if index % 2 == 0 else str(uuid.uuid4())
        body = {
            "number": f"+1999555{index:04d}",
            "workspaceId": workspace,
            "userId": USER,
            "friendlyName": "Theirs",
        }
        created = httpx.post(f"{base_url}/phone-numbers", json=body, headers=HEADERS, timeout=10)
        assert created.status_code == 201, created.text
        found.append(created.json()["data"]["result"]["phoneNumber"])
    return found


def _as_stored(base_url: str, number: dict[str, Any]) -> dict[str, Any]:
    """A number as the API stores it now: an update naming only it changes nothing and answers it."""
    body = {"workspaceId": number["workspaceId"], "phoneNumbers": [{"id": number["id"]}]}
    answer = httpx.put(f"{base_url}/phone-numbers", json=body, headers=HEADERS, timeout=10)
    assert answer.status_code == 200, answer.text
    stored: dict[str, Any] = answer.json()["data"]["result"]["updated"][0]
    return stored


Run = tuple[GateResult, Path, list[dict[str, Any]], list[dict[str, Any]], set[str]]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    tmp = tmp_path_factory.mktemp("safety")
    har, issued = tmp / "run.har", tmp / "issued.log"
    with served_mock(tmp, launcher=(GUESSABLE, str(issued))) as mock:
        theirs = _someone_elses(mock.base_url, 6)
        assert [number["id"] for number in theirs] == ["1", "2", "3", "4", "5", "6"]
        before = [_as_stored(mock.base_url, number) for number in theirs]
        pinned = ["--workspace-id", WORKSPACE, "--user-id", USER]
        result = run_gate(["--base-url", mock.base_url, "--write-budget", "200", "--har", str(har), *pinned])
        after = [_as_stored(mock.base_url, number) for number in theirs]
    return result, har, before, after, set(issued.read_text(encoding="utf-8").split())


def test_the_run_passes_and_updated_its_own_numbers(
    run: Run,
) -> None:
    result, har, _, _, _ = run
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    updates = [sent for sent in exchanges_in(har) if sent.method == "PUT" and sent.status == 200]
    assert updates, "the run never updated a number: nothing was proven"


def test_every_id_an_update_named_was_the_runs_own_or_never_existed(run: Run) -> None:
    _, har, before, _, issued = run
    sent = exchanges_in(har)
    created = {
        ident
        for exchange in sent
        if exchange.method == "POST" and exchange.status == 201
        for ident in _ids(exchange.response)
    }
    theirs = {number["id"] for number in before}
    named = [
        (exchange, ident) for exchange in sent if exchange.method == "PUT" for ident in _ids(exchange.request)
    ]
    assert named, "no update named an id"
    for _, ident in named:
        # The run's own, or an id the API never handed out to anyone.
        assert ident in created or str(ident) not in issued, ident
    # Nowhere, in no request of any method, is a foreign id sent.
    assert not theirs & {ident for exchange in sent for ident in _ids(exchange.request)}


def test_the_numbers_of_someone_else_are_as_they_were(run: Run) -> None:
    _, _, before, after, _ = run
    # Only the stamp of the reading itself moves (each reading is an update of nothing).
    unchanged = [{k: v for k, v in number.items() if k != "updatedAt"} for number in before]
    assert [{k: v for k, v in number.items() if k != "updatedAt"} for number in after] == unchanged
