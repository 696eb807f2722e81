"""The run's own: what an update may address, as a rule the door holds whatever a request looks like.

Properties over any JSON a request could carry: a body the gate prepared never addresses anything but
the run's own resources or ids minted so that they cannot exist, and the door's last check refuses any
body that still would.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from phone_contract import load_spec
from phone_contract.gate.ownership import Ownership
from phone_contract.gate.pinning import without_nonce
from tests.operations import create_op, update_op

SPEC = load_spec()
CREATE, UPDATE = create_op(SPEC), update_op(SPEC)
WORKSPACE = "550e8400-e29b-41d4-a716-446655440000"
OWN = "pn_01J9Z3K4X5W6V7T8S9R0Q1OWN0"
NOT_OURS = "pn_01J9Z3K4X5W6V7T8S9R0NOTUS"

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["id", "x", "config"]), inner, max_size=3)
    ),
    max_leaves=12,
)


def _owning() -> Ownership:
    ownership = Ownership(SPEC, seed=1)
    answer = {"success": True, "data": {"result": {"phoneNumber": {"id": OWN, "workspaceId": WORKSPACE}}}}
    ownership.note_answer(CREATE, json.dumps(answer).encode())
    return ownership


def _foreign(ownership: Ownership, body: Any) -> str | None:
    return ownership.foreign(UPDATE, "PUT", json.dumps(body).encode(), has_query=False)


def test_only_a_creates_answer_makes_an_id_the_runs() -> None:
    ownership = _owning()
    assert ownership.owns(OWN)
    update_answer = {"success": True, "data": {"result": {"updated": [{"id": NOT_OURS}]}}}
    ownership.note_answer(UPDATE, json.dumps(update_answer).encode())
    assert not ownership.owns(NOT_OURS)


def test_an_update_of_an_id_not_the_runs_is_refused_and_of_its_own_is_not() -> None:
    ownership = _owning()
    body = {"workspaceId": WORKSPACE, "phoneNumbers": [{"id": NOT_OURS}]}
    assert _foreign(ownership, body) == f'it addresses "{NOT_OURS}", which the run did not create'
    assert _foreign(ownership, {**body, "phoneNumbers": [{"id": OWN}]}) is None


@given(body=JSON_VALUES)
def test_a_prepared_update_addresses_only_the_runs_own_or_ids_that_cannot_exist(body: Any) -> None:
    ownership = _owning()
    prepared = ownership.address(UPDATE, body)
    assert _foreign(ownership, prepared) is None


@given(body=JSON_VALUES, where=st.integers(0, 5))
def test_any_id_named_value_the_run_does_not_own_is_refused_wherever_it_sits(body: Any, where: int) -> None:
    ownership = _owning()
    # The stranger's id, hidden at some depth of an otherwise arbitrary update body.
    nested: Any = {"id": NOT_OURS}
    for _ in range(where):
        nested = {"config": nested} if where % 2 else [nested]
    assert _foreign(ownership, {"workspaceId": WORKSPACE, "phoneNumbers": [nested, body]}) is not None


def test_minted_ids_take_the_documented_shape_and_differ() -> None:
    ownership = _owning()
    resource = UPDATE.semantics.resource
    assert resource is not None
    minted = {ownership.mint(resource) for _ in range(50)}
    assert len(minted) == 50
    example = "pn_01J9Z3K4X5W6V7T8S9R0Q1P2N3"  # the spec's example id: prefix and length kept
    assert all(ident.startswith("pn_") and len(ident) == len(example) for ident in minted)


def test_a_write_the_spec_says_nothing_of_goes_out_only_addressing_nothing() -> None:
    ownership = _owning()
    assert ownership.foreign(None, "DELETE", b"", has_query=False) is None
    assert ownership.foreign(None, "DELETE", b'{"number": "+14155550100"}', has_query=False) is not None
    assert ownership.foreign(None, "DELETE", b"", has_query=True) is not None
    assert ownership.foreign(None, "GET", b'{"anything": 1}', has_query=True) is None  # safe methods
    assert (
        ownership.foreign(CREATE, "POST", b'{"id": "whatever"}', has_query=False) is None
    )  # new by definition


def test_a_fingerprint_sees_the_runs_own_ids_by_their_order() -> None:
    ownership = _owning()
    body = json.dumps({"phoneNumbers": [{"id": OWN}]}).encode()
    assert OWN.encode() not in ownership.fingerprinted(body)
    assert b'"<own 0>"' in ownership.fingerprinted(body)


def _live_run(scope: str, unique: str, own: str) -> tuple[Ownership, bytes]:
    """A live run (no seed: its minted ids are random) that drew ``scope`` and ``unique`` with its own
    nonce, and was given ``own`` by the API; and the body of an update it then sends."""
    ownership = Ownership(SPEC)
    ownership.stands_for(scope, "scope")
    ownership.stands_for(unique, "unique", label=without_nonce(unique))
    answer = {"success": True, "data": {"result": {"phoneNumber": {"id": own, "workspaceId": scope}}}}
    ownership.note_answer(CREATE, json.dumps(answer).encode())
    minted = ownership.address(
        UPDATE, {"workspaceId": scope, "phoneNumbers": [{"id": "x", "label": "a"}] * 2}
    )
    body = json.dumps({**minted, "note": unique}).encode()
    return ownership, body


def test_two_live_runs_of_one_seed_have_the_same_fingerprint_though_they_drew_other_values() -> None:
    first, first_body = _live_run(WORKSPACE, "+1415555" + "123456" + "000001", OWN)
    second, second_body = _live_run(
        "650e8400-e29b-41d4-a716-446655440001", "+1415555" + "654321" + "000001", NOT_OURS
    )
    assert first_body != second_body
    assert first.fingerprinted(first_body) == second.fingerprinted(second_body)
    # Only whole values are stood in for: inside a longer string, a value is the string's business.
    inside = json.dumps({"text": f"{OWN} inside a longer string"}).encode()
    assert first.fingerprinted(inside) == inside


def test_a_path_segment_that_is_the_runs_own_is_fingerprinted_by_its_label() -> None:
    ownership = _owning()
    assert ownership.fingerprinted_path(f"/phone-numbers/{OWN}") == "/phone-numbers/<own 0>"
    assert ownership.fingerprinted_path("/phone-numbers/other") == "/phone-numbers/other"


@given(JSON_VALUES)
def test_a_body_with_none_of_the_runs_values_is_fingerprinted_as_it_is(value: Any) -> None:
    body = json.dumps(value, ensure_ascii=False).encode()
    assert _owning().fingerprinted(body) == body


def test_an_escaped_value_is_still_the_runs_own() -> None:
    ownership = Ownership(SPEC)
    ownership.stands_for('scope-ü"quoted', "scope")
    body = json.dumps({"workspaceId": 'scope-ü"quoted'}).encode()  # ü as \u00fc, the quote escaped
    assert ownership.fingerprinted(body) == b'{"workspaceId": "<scope 0>"}'


def test_numbers_are_stood_in_for_only_whole_and_large() -> None:
    ownership = Ownership(SPEC)
    minted = 2**60 + 5
    ownership.stands_for(minted, "minted")
    ownership.stands_for(5, "own")  # a small id: as likely a count, it stands for itself
    body = json.dumps({"id": minted, "count": 5, "ratio": 1e-05, "list": [-5, 5.5]}).encode()
    assert (
        ownership.fingerprinted(body)
        == json.dumps({"id": "<minted 0>", "count": 5, "ratio": 1e-05, "list": [-5, 5.5]}).encode()
    )
    assert ownership.fingerprinted_path(f"/numbers/{minted}") == "/numbers/<minted 0>"


@given(st.binary(max_size=40))
def test_a_body_that_is_not_json_comes_back_byte_for_byte(body: bytes) -> None:
    assert _owning().fingerprinted(body) == body
