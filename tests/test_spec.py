"""The project's spec itself: valid OpenAPI, with examples. (Redocly lints it in ``tox -e speclint``.)"""

from __future__ import annotations

from typing import Any

import yaml
from openapi_spec_validator import validate

from phone_contract import default_spec_path, load_spec


def raw_spec() -> dict[str, Any]:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def test_the_spec_is_valid_openapi() -> None:
    validate(raw_spec())


def test_the_request_and_every_response_have_examples() -> None:
    # The spec model checks each of them against its schema as it loads (tests/test_spec_model.py).
    for operation in load_spec().require_operations():
        assert operation.request_examples(), operation.label
        for status, response in operation.responses.items():
            assert response.examples(), (operation.label, status)
