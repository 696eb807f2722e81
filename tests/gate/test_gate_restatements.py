"""Every restatement of the spec is the same contract to the gate; every unusable spec is one line, exit 2.

Each restatement is run as a user would (``phone-contract gate --spec X``, in its own process),
against the embedded mock built from that same file: it must pass. Each unusable spec must stop the
gate before any test starts, with exactly one stderr line holding the words of its error: it never
reaches the suite, so it runs through ``cli.main`` in this process.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from ..restatements import RESTATEMENTS, UNUSABLE, write_restatement, write_unusable
from .support import GateResult, GateRun, run_gate

# Few examples: the contract is the same; what is tested is that every part reads it through.
EXAMPLES = ["--max-examples", "3"]


def _gate_on(spec: Path) -> GateResult:
    return run_gate(["--spec", str(spec), *EXAMPLES])


@pytest.fixture(scope="module")
def restated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, GateResult]:
    specs = {name: write_restatement(name, tmp_path_factory.mktemp(name)) for name in RESTATEMENTS}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        futures = {name: pool.submit(_gate_on, spec) for name, spec in specs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.e2e
@pytest.mark.parametrize("name", sorted(RESTATEMENTS))
def test_a_restated_spec_passes_against_the_mock_built_from_it(
    restated: dict[str, GateResult], name: str
) -> None:
    result = restated[name]
    assert result.status == 0, result.stdout[-4000:] + result.stderr
    assert "result: no check failed" in result.stdout
    # The spec's own example went out too (examples phase): the cases came from this file.
    assert result.passed_checks["positive_data_acceptance"] >= 1


@pytest.mark.parametrize("name", sorted(UNUSABLE))
def test_an_unusable_spec_stops_the_gate_in_one_line(
    gate_in_process: GateRun, tmp_path: Path, name: str
) -> None:
    path, words = write_unusable(name, tmp_path)
    result = gate_in_process(["--spec", str(path), *EXAMPLES])
    assert result.status == 2, result.stdout[-3000:] + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert words in lines[0]
    assert lines[0].startswith("phone-contract gate: error: ")
    # Before any test started: no pytest page, no verdict.
    assert result.stdout == ""
