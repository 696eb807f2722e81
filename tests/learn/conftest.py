"""A learn run as a user makes it: a spec copy, a HAR recorded the way the gate records one, the CLI."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from phone_contract.cli import main
from tests.learn.support import TOKEN, Call, copy_project_spec, record

TODAY = datetime.now(UTC).date().isoformat()


@dataclass(frozen=True)
class Learned:
    status: int
    out: str
    err: str
    spec: Path
    before: bytes

    @property
    def document(self) -> dict[str, Any]:
        loaded: dict[str, Any] = yaml.safe_load(self.spec.read_text(encoding="utf-8"))
        return loaded

    def schema(self, name: str) -> dict[str, Any]:
        found: dict[str, Any] = self.document["components"]["schemas"][name]
        return found

    def leaked(self) -> bool:
        """Whether the run's token reached any output or the spec."""
        return any(TOKEN in text for text in (self.out, self.err, self.spec.read_text(encoding="utf-8")))


LearnRun = Callable[..., Learned]


@pytest.fixture
def learn(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> LearnRun:
    def run(calls: Sequence[Call], *options: str, spec: Path | None = None) -> Learned:
        target = spec or copy_project_spec(tmp_path)
        before = target.read_bytes()
        har = record(tmp_path / "run.har", calls)
        status = main(["learn", str(har), "--spec", str(target), *options])
        captured = capsys.readouterr()
        return Learned(status, captured.out, captured.err, target, before)

    return run
