"""Widening never narrows: whatever the spec accepted, the learned spec still accepts.

A type gains the observed one (``number`` takes the place of ``integer``, never the other way), an enum
gains values, a bound moves outward, a keyword is dropped; what the spec already says about a field
(a ``patternProperties`` schema, another operation's evidence on a shared component) is never replaced
by what one value infers. The property: for random schemas and random observed values, every instance
the old schema accepted, the learned one accepts.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phone_contract._spec import Spec, parse_spec
from phone_contract.learn.engine import Proposal, propose
from phone_contract.learn.evidence import read_evidence
from tests.examples import scaled
from tests.learn.conftest import LearnRun
from tests.learn.support import WORKSPACE, Call, body, created, record

# --- the project's spec: shared components, integer ports ------------------------------------------


def _updated(phone_number: dict[str, Any]) -> dict[str, Any]:
    return {"success": True, "data": {"message": "updated", "result": {"updated": [phone_number]}}}


def _update(config: dict[str, Any], answer: dict[str, Any] | None = None) -> Call:
    """An update of the example number, sending ``config``, answered 200 with ``answer`` as stored."""
    stored = created(**(answer or {}))["data"]["result"]["phoneNumber"]
    sent = {"workspaceId": WORKSPACE, "phoneNumbers": [{"id": stored["id"], "config": config}]}
    return Call(200, _updated(stored), sent, method="PUT")


def test_a_field_new_to_a_shared_component_is_inferred_from_every_operation_that_shows_it(
    learn: LearnRun,
) -> None:
    # The create and the update both answer a PhoneNumber: 1.5 in one, 1 in the other. Inferred from
    # each alone, the update's `integer` would replace the create's `number`.
    calls = [Call(201, created(carrier=1.5), body()), _update({}, {"carrier": 1})]
    learned = learn(calls, "--write")
    assert learned.status == 0, learned.err
    assert learned.schema("PhoneNumber")["properties"]["carrier"]["type"] == "number"
    assert "Learned 1 change(s)" in learned.out
    assert "seen in run.har entries 1, 2" in learned.out


def test_an_integer_widened_by_a_fraction_becomes_a_number(learn: LearnRun) -> None:
    answer = created(config={"sipOutbound": {"port": 5060.5}})
    sent = body(config={"sipOutbound": {"port": 5061.5}})
    learned = learn([Call(201, answer, sent)], "--write")
    assert learned.status == 0, learned.err
    assert learned.schema("SipOutbound")["properties"]["port"]["type"] == "number"
    assert learned.schema("SipOutboundInput")["properties"]["port"]["type"] == "number"
    assert "integer widened to number" in learned.out


def test_a_bound_two_operations_loosen_moves_to_the_widest_evidence(learn: LearnRun) -> None:
    # PhoneNumberConfigInput serves the create and the update: the update's smaller port must not pull
    # back the maximum the create's accepted 70000 moved out.
    calls = [
        Call(201, created(), body(config={"sipOutbound": {"port": 70000}})),
        _update({"sipOutbound": {"port": 66000}}),
    ]
    learned = learn(calls, "--write")
    assert learned.status == 0, learned.err
    assert learned.schema("SipOutboundInput")["properties"]["port"]["maximum"] == 70000
    assert "maximum 65535 -> 70000" in learned.out
    assert "accepted (201) in run.har entries 1, 2" in learned.out


# --- a spec of its own: one schema for both operations' requests, one for their answers ------------


def _spec_with(probe: dict[str, Any]) -> dict[str, Any]:
    """Two operations sharing ``Request`` and ``Thing``; ``probe`` documents the field ``probe`` and,
    through ``patternProperties``, every field whose name starts with ``x-``."""
    request = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Request"}}}}
    answer = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
    operations = {
        method: {
            "operationId": f"{method}Thing",
            "x-phone-contract": {"role": "other"},
            "requestBody": request,
            "responses": {"200": {"description": "Done.", **answer}},
        }
        for method in ("post", "put")
    }
    fields = {"properties": {"probe": probe}, "patternProperties": {"^x-": probe}}
    document = {
        "openapi": "3.1.0",
        "info": {"title": "Things", "version": "1.0.0"},
        "servers": [{"url": "http://api.test/api/v2"}],
        "paths": {"/things": operations},
        "components": {
            "schemas": {
                "Request": {"type": "object", "additionalProperties": False, **fields},
                "Thing": {"type": "object", **fields},
            }
        },
    }
    # Through JSON, so that no two places are one object: the YAML holds no anchors, and each place
    # is written, and learned, on its own.
    written: dict[str, Any] = json.loads(json.dumps(document))
    return written


def _learned(document: dict[str, Any], calls: list[Call]) -> tuple[Spec, Proposal]:
    with tempfile.TemporaryDirectory() as folder:
        spec = Path(folder) / "spec.yaml"
        spec.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        har = record(Path(folder) / "run.har", calls)
        proposal = propose(spec, read_evidence([har]), today=date(2026, 11, 27), max_response_time=2.0)
        return parse_spec(proposal.new, str(spec)), proposal


def test_a_field_a_pattern_documents_is_learned_in_the_pattern_not_beside_it() -> None:
    document = _spec_with({"type": "number"})
    learned, proposal = _learned(document, [Call(200, {"x-rate": 1}, {"x-rate": 1}, path="/things")])
    # The pattern said number; an `x-rate: integer` property beside it would refuse 1.5.
    assert proposal.changes == ()
    thing = learned.document["components"]["schemas"]["Thing"]
    assert "x-rate" not in thing["properties"]
    assert learned.validator(thing).is_valid({"x-rate": 1.5})


NUMBERS = st.integers(-4, 4) | st.floats(-4, 4, allow_nan=False).map(lambda number: round(number, 1))
STRINGS = st.text("ab1-", max_size=5) | st.sampled_from(
    ["550e8400-e29b-41d4-a716-446655440000", "2026-11-26T10:15:30Z", "a@b.example"]
)
SCALARS = st.none() | st.booleans() | NUMBERS | STRINGS
TYPES = ("integer", "number", "string", "boolean", "null")


@st.composite
def field_schemas(draw: st.DrawFn) -> dict[str, Any]:
    """A schema of one scalar field, with the keywords learn may widen (and some it may not)."""
    types = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
    schema: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
    if {"integer", "number"} & set(types):
        for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if draw(st.integers(0, 3)) == 0:
                schema[keyword] = draw(NUMBERS)
    if "string" in types:
        for keyword in ("minLength", "maxLength"):
            if draw(st.booleans()):
                schema[keyword] = draw(st.integers(0, 4))
        if draw(st.integers(0, 3)) == 0:
            schema["format"] = draw(st.sampled_from(["uuid", "date-time", "email"]))
        if draw(st.integers(0, 4)) == 0:
            schema["pattern"] = "^a"
    if draw(st.integers(0, 3)) == 0:
        schema["enum"] = draw(st.lists(SCALARS, min_size=1, max_size=3, unique_by=json.dumps))
    return schema


def _near(schema: dict[str, Any]) -> list[Any]:
    """Instances at the edges of ``schema``: its enum, its bounds and just past them, its lengths."""
    found: list[Any] = list(schema.get("enum", []))
    for keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if keyword in schema:
            found += [schema[keyword] + step for step in (-1, -0.5, 0, 0.5, 1)]
    for keyword in ("minLength", "maxLength"):
        if keyword in schema:
            found += ["a" * max(0, schema[keyword] + step) for step in (-1, 0, 1)]
    return found


@settings(max_examples=scaled(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    schema=field_schemas(),
    created_values=st.lists(SCALARS, min_size=1, max_size=3),
    updated_values=st.lists(SCALARS, max_size=3),
    key=st.sampled_from(["probe", "x-probe"]),
    instances=st.lists(SCALARS, max_size=12),
)
def test_a_learned_schema_accepts_everything_the_old_one_accepted(
    schema: dict[str, Any],
    created_values: list[Any],
    updated_values: list[Any],
    key: str,
    instances: list[Any],
) -> None:
    document = _spec_with(schema)
    calls = [
        Call(200, {key: value}, {key: value}, method=method, path="/things")
        for method, values in (("POST", created_values), ("PUT", updated_values))
        for value in values
    ]
    old = parse_spec(json.dumps(document), "old")
    learned, proposal = _learned(document, calls)
    for name in ("Request", "Thing"):
        before = old.validator(old.document["components"]["schemas"][name])
        after = learned.validator(learned.document["components"]["schemas"][name])
        for value in [*created_values, *updated_values, *instances, *_near(schema)]:
            if before.is_valid({key: value}):
                assert after.is_valid({key: value}), (name, key, value, proposal.diff)
    # And what the API accepted, the learned spec accepts, unless learn said it could not loosen it.
    if not any("not loosened automatically" in finding.summary for finding in proposal.findings):
        request = learned.validator(learned.document["components"]["schemas"]["Request"])
        for value in [*created_values, *updated_values]:
            assert request.is_valid({key: value}), (key, value, proposal.diff)
