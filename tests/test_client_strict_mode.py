"""The client's strict mode and the toolkit's checks are one: one error class, one text, one contract.

The installed client judges an answer from the response schemas it carries (``contract.json``); the
toolkit judges it through the spec model. Whatever the answer, both must say the same.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import httpx
from freya_phone_numbers_client import strict
from hypothesis import given
from hypothesis import strategies as st

from phone_contract import load_spec, responses, strict_client
from phone_contract._paths import json_path
from tests.operations import CREATE, UPDATE, create_op

JSON = "application/json"
STATUSES = [200, 201, 400, 401, 404, 409, 413, 418, 500, 520]
LEAVES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30))
VALUES = st.recursive(LEAVES, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner))


def example(status: int) -> Any:
    response = create_op().response_for(status)
    found = response.examples(JSON) if response is not None else {}
    return copy.deepcopy(next(iter(found.values()), {}))


def paths(node: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    """Every place in a JSON document, the root included."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, (*prefix, index))
    return found


@st.composite
def answers(draw: st.DrawFn) -> tuple[int, str | None, bytes]:
    """A documented answer's example, broken in one place (or not at all), under some status and type."""
    status = draw(st.sampled_from(STATUSES))
    body = example(status)
    where = draw(st.sampled_from(paths(body)))
    if where:
        parent = body
        for part in where[:-1]:
            parent = parent[part]
        if isinstance(parent, dict) and draw(st.booleans()):
            del parent[where[-1]]  # a field missing
        else:
            parent[where[-1]] = draw(VALUES)  # a field of another value, or type
    content_type = draw(st.sampled_from([JSON, f"{JSON}; charset=utf-8", "text/plain", None]))
    raw = json.dumps(body).encode() if draw(st.integers(0, 9)) else b"{not json"
    return status, content_type, raw


def test_one_error_class_whichever_door() -> None:
    assert responses.ContractViolation is strict_client.ContractViolation is strict.ContractViolation
    assert responses.Violation is strict.Violation
    assert issubclass(strict_client.ContractHook, strict.ContractHook)


@given(answers(), st.sampled_from([CREATE, UPDATE]))
def test_the_packaged_contract_judges_as_the_spec_model(
    answer: tuple[int, str | None, bytes], name: str
) -> None:
    status, content_type, body = answer
    operation = load_spec().find_operation(name)
    assert operation is not None
    method, path = operation.method.upper(), f"/api/v2{operation.path}"
    assert strict.check_response(
        status, content_type, body, method=method, path=path
    ) == responses.check_response(operation, status, content_type, body)


@given(st.lists(st.integers(min_value=0) | st.text()))
def test_the_client_writes_json_paths_as_the_toolkit_does(parts: list[str | int]) -> None:
    assert strict.json_path(parts) == json_path(parts)


def test_the_packaged_contract_covers_only_the_operations() -> None:
    contract = strict.Contract.packaged()
    assert contract.covers(httpx.Request("POST", "https://freya.test/api/v2/phone-numbers"))
    assert contract.covers(httpx.Request("PUT", "https://freya.test/api/v2/phone-numbers"))
    assert not contract.covers(httpx.Request("GET", "https://freya.test/api/v2/phone-numbers"))
    assert not contract.covers(httpx.Request("POST", "https://freya.test/api/v2/health"))
