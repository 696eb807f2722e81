"""The README's "When the API changes" walk, on a copy of the spec with a real-looking change.

edit the spec -> the drift gate fails -> regenerate -> the new attributes exist and work ->
the drift gate passes -> the diff classes the change compatible for clients, a minor bump.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from phone_contract.cli import main
from phone_contract.codegen import GENERATED, SPEC, Inputs, check, generate
from phone_contract.diff.model import Bump
from phone_contract.diff.versions import bumped

pytestmark = pytest.mark.e2e

# Runs the freshly generated package, never the installed one: PYTHONPATH comes first, and the
# module's file is printed so the test can tell.
PROBE = """
import json, attrs
import freya_phone_numbers_client as package
from freya_phone_numbers_client.models import CreatePhoneNumberRequest, PhoneNumber
number = PhoneNumber.from_dict({
    "id": "pn_1", "number": "+14155551234", "workspaceId": "w", "userId": "u",
    "createdAt": "2026-11-26T10:15:30Z", "updatedAt": "2026-11-26T10:15:30Z", "carrier": "Example Telecom",
})
request = CreatePhoneNumberRequest(
    number="+14155551234", workspace_id="550e8400-e29b-41d4-a716-446655440000",
    user_id="550e8400-e29b-41d4-a716-446655440001", country_code="US",
)
print(json.dumps({
    "file": package.__file__,
    "phone_number_fields": [field.name for field in attrs.fields(PhoneNumber)],
    "carrier": number.carrier,
    "carrier_back": number.to_dict()["carrier"],
    "request_body": request.to_dict(),
}))
"""


def change_spec(source: Path, target: Path) -> None:
    """What a maintainer does when the vendor ships two new optional fields."""
    spec: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    schemas = spec["components"]["schemas"]
    schemas["PhoneNumber"]["properties"]["carrier"] = {
        "type": "string",
        "description": "The carrier that serves the number.",
    }
    schemas["CreatePhoneNumberRequest"]["properties"]["countryCode"] = {
        "type": "string",
        "minLength": 2,
        "maxLength": 2,
        "description": "ISO 3166-1 alpha-2 code of the number's country.",
    }
    # Two additions: a minor release.
    spec["info"]["version"] = bumped(str(spec["info"]["version"]), Bump.MINOR)
    target.parent.mkdir(parents=True)
    target.write_text(yaml.safe_dump(spec, sort_keys=False, allow_unicode=True), encoding="utf-8")


def test_spec_change_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The copy keeps the spec's file name: the drift gate records it beside the hash.
    changed = tmp_path / "spec" / SPEC.name
    change_spec(SPEC, changed)
    inputs = Inputs(spec=changed)

    # Before regeneration, the drift gate fails and shows the model that is behind.
    stale = check(GENERATED, inputs)
    assert any("models/phone_number.py" in problem and "carrier" in problem for problem in stale)
    assert any("models/create_phone_number_request.py" in problem for problem in stale)

    project = generate(tmp_path / "generated", inputs)
    probe = subprocess.run(
        [sys.executable, "-c", PROBE],
        env={**os.environ, "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        check=True,
    )
    seen = json.loads(probe.stdout)
    assert Path(seen["file"]).is_relative_to(project)
    assert "carrier" in seen["phone_number_fields"]
    assert seen["carrier"] == seen["carrier_back"] == "Example Telecom"
    assert seen["request_body"]["countryCode"] == "US"

    # After regeneration the drift gate passes on the regenerated tree.
    assert check(tmp_path / "generated", inputs) == []

    # And the diff calls it what it is: compatible for clients, a minor bump, already made.
    assert main(["diff", str(SPEC), str(changed), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = {(change["rule"], change["path"], change["client"]) for change in report["changes"]}
    assert found == {
        ("response-property-added", "$.data.result.phoneNumber.carrier", "compatible"),
        # The stored phone number is what the update answers too: one change, seen in both operations.
        ("response-property-added", "$.data.result.updated[*].carrier", "compatible"),
        ("request-property-added", "$.countryCode", "compatible"),
    }
    assert report["version"]["required_bump"] == "minor"
    assert report["version"]["satisfied"] is True
