"""The spec itself: valid OpenAPI, examples that keep their own schemas, clean under Redocly."""

from __future__ import annotations

import copy
import json
import os
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate

from phone_contract import default_spec_path, load_spec
from phone_contract.responses import schema_validator

ROOT = Path(__file__).resolve().parents[1]
REDOCLY = "@redocly/cli@2.77.0"  # pinned here and in tox.ini
Example = tuple[str, str, Any]  # (where the example is, pointer to its schema, value)


def raw_spec() -> dict[str, Any]:
    document = yaml.safe_load(default_spec_path().read_text(encoding="utf-8"))
    assert isinstance(document, dict)
    return document


def escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def examples_in(node: object, pointer: str, spec: Mapping[str, Any]) -> Iterator[Example]:
    """Every example of a media type or parameter (``example`` or ``examples``), wherever it is."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from examples_in(item, f"{pointer}/{index}", spec)
        return
    if not isinstance(node, Mapping):
        return
    if "schema" in node:
        schema = f"{pointer}/schema"
        if "example" in node:
            yield f"{pointer}/example", schema, node["example"]
        for name, example in node.get("examples", {}).items():
            found = resolve(spec, example["$ref"]) if "$ref" in example else example
            yield f"{pointer}/examples/{escape(name)}", schema, found["value"]
    for key, child in node.items():
        yield from examples_in(child, f"{pointer}/{escape(str(key))}", spec)


def resolve(spec: Mapping[str, Any], ref: str) -> Any:
    node: Any = spec
    for token in ref.removeprefix("#/").split("/"):
        node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def all_examples(spec: Mapping[str, Any]) -> list[Example]:
    return list(examples_in(spec, "", spec))


def problems_of(example: Example, spec: Mapping[str, Any]) -> list[str]:
    _, schema, value = example
    return [error.message for error in schema_validator(schema, spec=spec).iter_errors(value)]


def test_the_spec_is_valid_openapi() -> None:
    validate(raw_spec())


def test_examples_are_found_for_the_request_and_every_response() -> None:
    where = {location for location, _, _ in all_examples(load_spec())}
    operation = "/paths/~1phone-numbers/post"
    assert f"{operation}/requestBody/content/application~1json/examples/mainSupportLine" in where
    for status in load_spec()["paths"]["/phone-numbers"]["post"]["responses"]:
        assert any(location.startswith(f"{operation}/responses/{status}/") for location in where), status


@pytest.mark.parametrize("example", all_examples(load_spec()), ids=lambda example: example[0])
def test_every_example_validates_against_its_schema(example: Example) -> None:
    assert problems_of(example, load_spec()) == []


def test_a_broken_example_would_be_caught() -> None:
    spec = copy.deepcopy(load_spec())
    content = spec["paths"]["/phone-numbers"]["post"]["requestBody"]["content"]["application/json"]
    content["examples"]["mainSupportLine"]["value"]["workspaceId"] = "not-a-uuid"
    broken = [example for example in all_examples(spec) if problems_of(example, spec)]
    assert [location.rsplit("/", 1)[-1] for location, _, _ in broken] == ["mainSupportLine"]


def redocly_lint(spec: Path) -> dict[str, Any]:
    npx = shutil.which("npx")
    if npx is None:
        # CI machines have Node.js, so there the lint must run; a laptop with only python3 may skip it.
        if os.environ.get("CI"):
            pytest.fail("npx (Node.js) is not installed, and CI must lint the spec with Redocly CLI")
        pytest.skip("npx (Node.js) is not installed: Redocly CLI cannot run; tox -e speclint needs it too")
    command = [
        npx,
        "--yes",
        REDOCLY,
        "lint",
        "--config",
        str(ROOT / "redocly.yaml"),
        str(spec),
        "--format=json",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=240, check=False)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"Redocly printed no JSON report (exit {result.returncode}):\n{result.stderr[-2000:]}")
    assert isinstance(report, dict)
    return report


def test_redocly_recommended_finds_no_error_and_no_warning() -> None:
    report = redocly_lint(default_spec_path())
    messages = [f"{p['severity']} {p['ruleId']}: {p['message']}" for p in report["problems"]]
    assert report["totals"] == {"errors": 0, "warnings": 0, "ignored": 0}, "\n".join(messages)


def test_redocly_does_report_a_broken_spec(tmp_path: Path) -> None:
    # Proves the check above reads Redocly's report right: an operation without an operationId
    # breaks the recommended ruleset.
    spec = raw_spec()
    del spec["paths"]["/phone-numbers"]["post"]["operationId"]
    broken = tmp_path / "broken.openapi.yaml"
    broken.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    report = redocly_lint(broken)
    assert report["totals"]["errors"] + report["totals"]["warnings"] > 0
    assert "operation-operationId" in {problem["ruleId"] for problem in report["problems"]}
