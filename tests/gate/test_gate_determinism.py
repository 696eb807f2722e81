"""A seed repeats a run exactly against a fresh mock; another seed sends other requests."""

from __future__ import annotations

from .support import run_many


def test_the_same_seed_sends_the_same_requests() -> None:
    results = run_many(
        {
            "first": ["--seed", "7", "--max-examples", "10"],
            "again": ["--seed", "7", "--max-examples", "10"],
            "other": ["--seed", "8", "--max-examples", "10"],
        }
    )
    assert results["first"].fingerprint == results["again"].fingerprint
    assert results["first"].fingerprint != results["other"].fingerprint
