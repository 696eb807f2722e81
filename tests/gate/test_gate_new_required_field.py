"""A spec change the API already made: a new required request field the answer does not carry.

The gate must run against the mock built from that spec and pass (nothing about the API was learned to
be wrong), whatever the installed client was generated from; the created resource is still found.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from phone_contract import load_spec
from tests.operations import create_op

from ..restatements import project_document
from .support import run_gate


def _with_country_code(folder: Path) -> Path:
    document = project_document()
    request = document["components"]["schemas"]["CreatePhoneNumberRequest"]
    request["properties"]["countryCode"] = {"type": "string", "minLength": 2, "maxLength": 2}
    request["required"].append("countryCode")
    operation = document["paths"]["/phone-numbers"]["post"]
    operation["requestBody"]["content"]["application/json"]["examples"]["mainSupportLine"]["value"][
        "countryCode"
    ] = "US"
    path = folder / "spec.yaml"
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


def test_the_created_resource_is_found_when_a_request_field_is_not_echoed(tmp_path: Path) -> None:
    operation = create_op(load_spec(_with_country_code(tmp_path)))
    assert operation.semantics.answer == ("data", "result", "phoneNumber")


@pytest.mark.e2e
def test_the_gate_passes_against_the_mock_of_a_spec_with_a_new_required_field(tmp_path: Path) -> None:
    result = run_gate(["--spec", str(_with_country_code(tmp_path)), "--max-examples", "10", "-q"])
    assert result.status == 0, result.stdout[-3000:] + result.stderr[-1000:]
    assert "result: no check failed" in result.stdout
