"""Schemathesis with every check finds nothing against the clean mock, over several seeds.

All but one: ``ensure_resource_availability`` takes an operation whose link addresses the created
resource through the request *body* (the spec's create -> update link) as addressed by its path
parameters alone, and a stateful step that did not apply the link's body is then "not found". The
gate's own lifecycle (phone_contract.gate.lifecycle) holds that property, through the links.
"""

from __future__ import annotations

import pytest
import schemathesis
from schemathesis.engine import Status, events, from_schema

from phone_contract.mock import DEFAULT_TOKEN, create_app

from .support import BASE_URL

BODY_LINKS_UNSEEN = "ensure_resource_availability"


def run_schemathesis(*, seed: int, fault: str | None = None, max_examples: int = 40) -> list[str]:
    """Every phase (examples, coverage, fuzzing, stateful) with every check; the failures, one line each."""
    app = create_app(fault=fault)
    schema = schemathesis.openapi.from_asgi("/openapi.yaml", app)
    schema.config.update(base_url=BASE_URL, headers={"Authorization": f"Bearer {DEFAULT_TOKEN}"})
    schema.config.seed = seed
    schema.config.generation.update(max_examples=max_examples, database="none")
    failures: list[str] = []
    checked: set[str] = set()
    for event in from_schema(schema).execute():
        if isinstance(event, events.FatalError | events.NonFatalError):
            failures.append(f"error: {event}")
        if not isinstance(event, events.ScenarioFinished):
            continue
        for checks in event.recorder.checks.values():
            for check in checks:
                checked.add(check.name)
                if check.name == BODY_LINKS_UNSEEN:
                    continue
                if check.status == Status.FAILURE and check.failure_info is not None:
                    failures.append(f"{check.name}: {str(check.failure_info.failure).splitlines()[0]}")
    # A run that checked nothing would pass vacuously.
    assert {"ignored_auth", "negative_data_rejection", "response_schema_conformance"} <= checked
    return sorted(set(failures))


@pytest.mark.parametrize("seed", [1, 20261126, 424242])
def test_clean_mock_passes_every_check(seed: int) -> None:
    assert run_schemathesis(seed=seed) == []


def test_the_run_does_catch_a_broken_mock() -> None:
    # The same harness against a mock that accepts invalid bodies must fail, or the test above proves nothing.
    failures = run_schemathesis(seed=1, fault="accept-invalid", max_examples=10)
    assert any(failure.startswith("negative_data_rejection") for failure in failures), failures
