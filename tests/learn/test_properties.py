"""Properties of learning: an inferred schema admits every value it was inferred from, and a learned
spec admits every answer it was learned from."""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phone_contract._spec import load_spec, parse_spec
from phone_contract.learn.engine import propose
from phone_contract.learn.evidence import read_evidence
from phone_contract.learn.infer import infer_schema
from phone_contract.responses import check_response, undocumented_fields
from tests.examples import scaled
from tests.learn.support import Call, body, copy_project_spec, created, record
from tests.operations import create_op

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(["550e8400-e29b-41d4-a716-446655440000", "2026-11-26T10:15:30Z", "a@b.example"])
)
# Field names as APIs send them: printable text. Names holding control characters, surrogates or
# YAML's own line breaks (U+0085, U+2028...) are not yet written into the spec file faithfully by
# learn's round trip (a known limit, listed in docs/learn.md), so they are outside this property.
KEYS = st.text(
    st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"), blacklist_characters="\x85"), max_size=8
)
DOCUMENTED = frozenset(load_spec().document["components"]["schemas"]["PhoneNumber"]["properties"])
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(KEYS, children, max_size=3),
    max_leaves=8,
)


@given(st.lists(JSON_VALUES, min_size=1, max_size=4))
def test_an_inferred_schema_admits_every_value_it_was_inferred_from(values: list[Any]) -> None:
    schema = infer_schema(values)
    spec = parse_spec(json.dumps(_spec_with(schema)), "inferred")
    validator = spec.validator(spec.document["components"]["schemas"]["Inferred"])
    for value in values:
        assert validator.is_valid(value), (schema, value)


@settings(max_examples=scaled(15), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    name=st.from_regex(r"[a-z][A-Za-z0-9_]{0,10}", fullmatch=True).filter(
        lambda n: n not in created()["data"]
    ),
    values=st.lists(JSON_VALUES, min_size=1, max_size=3),
)
def test_a_learned_spec_admits_every_answer_it_was_learned_from(name: str, values: list[Any]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        spec = copy_project_spec(Path(folder))
        calls = [Call(201, created(**{name: value}), body()) for value in values]
        har = record(Path(folder) / "run.har", calls)
        proposal = propose(spec, read_evidence([har]), today=date(2026, 11, 27), max_response_time=2.0)
        learned = parse_spec(proposal.new, str(spec), base_uri=spec.resolve().as_uri())
    assert not proposal.findings, proposal.findings
    for call in calls:
        answer = call.exchange().response_body
        assert check_response(create_op(learned), 201, "application/json", answer) == []
        assert undocumented_fields(create_op(learned), 201, json.loads(answer)) == []


def _spec_with(schema: dict[str, Any]) -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Inferred": schema}},
    }
