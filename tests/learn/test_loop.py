"""The loop, end to end: an API that evolved, recorded; learn --write; the learned spec covers every
answer, a second round finds nothing, the diff classifies the change, and the regenerated client has
the new attribute."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from phone_contract._spec import load_spec
from phone_contract.codegen import Inputs, generate
from phone_contract.har import read_har
from phone_contract.responses import check_response, undocumented_fields
from tests.learn.support import TOKEN, copy_project_spec, drive, exercise, proxy, serve, write_evolved
from tests.operations import create_op
from tests.redocly import redocly_lint

pytestmark = pytest.mark.e2e


def _learn(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "phone_contract.cli", "learn", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)


def test_learn_closes_the_loop_on_an_evolved_api(tmp_path: Path) -> None:
    evolved = write_evolved(tmp_path)
    har = tmp_path / "nightly.har"
    with serve(evolved, tmp_path / "mock.log") as base_url:
        drive(base_url, har, TOKEN)
    spec = copy_project_spec(tmp_path)
    before = spec.read_text(encoding="utf-8")

    proposed = _learn(str(har), "--spec", str(spec))
    assert proposed.returncode == 1, proposed.stderr
    assert spec.read_text(encoding="utf-8") == before
    written = _learn(str(har), "--spec", str(spec), "--write")
    assert written.returncode == 0, written.stderr
    assert TOKEN not in proposed.stdout + written.stdout + spec.read_text(encoding="utf-8")

    # Every recorded answer keeps the learned contract, with nothing undocumented.
    learned = load_spec(spec)
    for exchange in read_har(har):
        if exchange.method != "POST":
            continue
        assert exchange.status is not None
        content_type = {k.lower(): v for k, v in exchange.response_headers}.get("content-type")
        assert check_response(create_op(learned), exchange.status, content_type, exchange.response_body) == []
        assert (
            undocumented_fields(create_op(learned), exchange.status, json.loads(exchange.response_body)) == []
        )
    listing = learned.find_operation("GET /phone-numbers")
    assert listing is not None
    assert listing.semantics.learned
    report = redocly_lint(spec)  # lints clean, as the project's spec must...
    # ...but for the 4XX answers of an operation learned from one 200: learn documents what it saw.
    learned_get = "#/paths/~1phone-numbers/get/responses"
    problems = [
        problem
        for problem in report["problems"]
        if (problem["ruleId"], problem["location"][0]["pointer"]) != ("operation-4xx-response", learned_get)
    ]
    assert report["totals"]["errors"] == 0
    assert problems == [], problems
    assert "friendlyName" not in (create_op(learned).request_schema() or {})["properties"]

    # A second round on the same evidence has nothing left to learn.
    again = _learn(str(har), "--spec", str(spec), "--write")
    assert again.returncode == 0, again.stdout
    # The mock built from the learned spec answers the same traffic within the learned contract.
    rerun = tmp_path / "rerun.har"
    with serve(spec, tmp_path / "mock-learned.log") as base_url:
        drive(base_url, rerun, TOKEN)
    assert _learn(str(rerun), "--spec", str(spec)).returncode == 0

    # The diff: new fields are compatible for clients; a request field removed breaks them.
    original = tmp_path / "spec.orig.yaml"
    original.write_text(before, encoding="utf-8")
    command = [sys.executable, "-m", "phone_contract.cli", "diff", str(original), str(spec)]
    diff = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120)
    assert diff.returncode == 1
    assert "request-property-removed: optional field 'friendlyName'" in diff.stdout
    assert "response-property-added: new optional field 'configType'" in diff.stdout

    # The client regenerated from the learned spec has the new attribute.
    project = generate(tmp_path / "client", Inputs(spec=spec))
    models = "".join(path.read_text(encoding="utf-8") for path in project.rglob("phone_number_config.py"))
    assert "config_type" in models


def test_learn_reads_what_the_proxy_recorded(tmp_path: Path) -> None:
    """The same evolved API, recorded by ``phone-contract proxy --har`` in front of it: the same lesson."""
    har = tmp_path / "session.har"
    evolved = write_evolved(tmp_path)
    with (
        serve(evolved, tmp_path / "mock.log") as upstream,
        proxy(upstream, har, tmp_path / "proxy.log") as base_url,
    ):
        # The evolved mock serves its list endpoint too (200): learn documents it as an operation.
        assert [r.status_code for r in exercise(base_url, TOKEN)] == [201, 201, 201, 400, 201, 200]
    spec = copy_project_spec(tmp_path)
    learned = _learn(str(har), "--spec", str(spec), "--write")
    assert learned.returncode == 0, learned.stderr
    assert TOKEN not in learned.stdout + har.read_text(encoding="utf-8")
    assert "session.har entries 1, 5" in learned.stdout
    assert _learn(str(har), "--spec", str(spec)).returncode == 0
    model = load_spec(spec)
    listing = model.find_operation("GET /phone-numbers")
    assert listing is not None
    assert listing.semantics.learned
    assert "configType" in model.document["components"]["schemas"]["PhoneNumberConfig"]["properties"]


def test_the_lint_of_a_learned_spec_can_fail(tmp_path: Path) -> None:
    # Proves the lint above reads Redocly's report right: an operation without an operationId breaks
    # the recommended ruleset.
    spec = yaml.safe_load(load_spec().text)
    del spec["paths"]["/phone-numbers"]["post"]["operationId"]
    broken = tmp_path / "broken.openapi.yaml"
    broken.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
    report = redocly_lint(broken)
    assert report["totals"]["errors"] + report["totals"]["warnings"] > 0
    assert "operation-operationId" in {problem["ruleId"] for problem in report["problems"]}
