"""What learn must never learn: each stays a bug to report, unwritten, and no secret is printed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from phone_contract.cli import main
from tests.learn.conftest import LearnRun
from tests.learn.support import TOKEN, WORKSPACE, Call, body, copy_project_spec, created, error


def _unchanged(learned_spec: Path, before: bytes) -> bool:
    return learned_spec.read_bytes() == before


def test_a_server_error_is_a_bug_and_its_body_teaches_nothing(learn: LearnRun) -> None:
    learned = learn([Call(500, created(carrier="x"), body())], "--write")
    assert learned.status == 0
    assert _unchanged(learned.spec, learned.before)
    assert "Not learnable: a bug to report" in learned.out
    assert "POST /phone-numbers: answered 500, a server error (once, in run.har entry 1)" in learned.out


def test_a_token_echoed_in_an_answer_is_a_bug_never_written_nor_printed(learn: LearnRun) -> None:
    answer = created(authorizedBy=f"authorized by {TOKEN}")
    answer["data"]["message"] = f"created (authorized by {TOKEN})"
    learned = learn([Call(201, answer, body())], "--write")
    assert learned.status == 0
    assert _unchanged(learned.spec, learned.before)
    assert "a secret (token or password) in the answer" in learned.out
    assert not learned.leaked()
    assert "authorizedBy" not in learned.spec.read_text(encoding="utf-8")


def _unredacted_har(tmp_path: Path, sent: dict[str, Any], answer: dict[str, Any]) -> Path:
    """A HAR from another tool, not redacted: the token sits in the request's header."""
    har = {
        "log": {
            "version": "1.2",
            "creator": {"name": "browser", "version": "1"},
            "entries": [
                {
                    "startedDateTime": "2026-11-27T01:00:00Z",
                    "time": 20,
                    "request": {
                        "method": "POST",
                        "url": "https://app.freyavoice.ai/api/v2/phone-numbers",
                        "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Authorization", "value": f"Bearer {TOKEN}"}],
                        "queryString": [],
                        "cookies": [],
                        "headersSize": -1,
                        "bodySize": -1,
                        "postData": {"mimeType": "application/json", "text": json.dumps(sent)},
                    },
                    "response": {
                        "status": 201,
                        "statusText": "Created",
                        "httpVersion": "HTTP/1.1",
                        "headers": [{"name": "Content-Type", "value": "application/json"}],
                        "cookies": [],
                        "content": {"size": 1, "mimeType": "application/json", "text": json.dumps(answer)},
                        "redirectURL": "",
                        "headersSize": -1,
                        "bodySize": -1,
                    },
                    "cache": {},
                    "timings": {"send": 0, "wait": 20, "receive": 0},
                }
            ],
        }
    }
    path = tmp_path / "browser.har"
    path.write_text(json.dumps(har), encoding="utf-8")
    return path


def test_a_token_in_an_unredacted_har_is_found_and_never_printed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = copy_project_spec(tmp_path)
    before = spec.read_bytes()
    path = _unredacted_har(tmp_path, body(), created(carrier=TOKEN))
    status = main(["learn", str(path), "--spec", str(spec), "--write"])
    captured = capsys.readouterr()
    assert status == 0  # nothing to write; the bug is printed
    assert spec.read_bytes() == before
    assert "$.data.result.phoneNumber.carrier" in captured.out
    assert TOKEN not in captured.out + captured.err


def test_a_value_sent_as_data_that_equals_the_token_comes_back_as_an_echo(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The client named the number after the token (hypothesis draws such strings): the answer repeats
    # what was sent, which leaks nothing, so there is no bug to report and nothing to learn.
    spec = copy_project_spec(tmp_path)
    path = _unredacted_har(tmp_path, body(friendlyName=TOKEN), created(friendlyName=TOKEN))
    status = main(["learn", str(path), "--spec", str(spec)])
    captured = capsys.readouterr()
    assert status == 0, captured.out
    assert "a secret" not in captured.out
    assert TOKEN not in captured.out + captured.err


def test_a_password_sent_is_never_printed(learn: LearnRun) -> None:
    sent = body(config={"sipOutbound": {"password": "hunter2-sip-secret", "port": 70000}})
    answer = created(config={"sipOutbound": {"password": "********", "port": 70000}})
    learned = learn([Call(201, answer, sent)], "--write")
    assert "hunter2-sip-secret" not in learned.out + learned.err + learned.spec.read_text(encoding="utf-8")


def test_a_success_that_is_not_json_is_a_bug(learn: LearnRun) -> None:
    learned = learn([Call(201, b"created", body(), content_type="text/plain")], "--write")
    assert learned.status == 0
    assert _unchanged(learned.spec, learned.before)
    assert "a 201 answer that is not JSON (text/plain)" in learned.out


def test_a_success_that_breaks_the_envelope_is_a_bug_and_teaches_nothing(learn: LearnRun) -> None:
    phone_number = created()["data"]["result"]["phoneNumber"]
    learned = learn([Call(201, {"success": True, "phoneNumber": phone_number}, body())], "--write")
    assert learned.status == 0
    assert _unchanged(learned.spec, learned.before)
    assert "breaks the envelope" in learned.out


def test_a_slow_answer_is_a_bug(learn: LearnRun) -> None:
    learned = learn([Call(201, created(), body(), elapsed=3.5)], "--write")
    assert learned.status == 0
    assert _unchanged(learned.spec, learned.before)
    assert "POST /phone-numbers: answered over the 2s limit (once, in run.har entry 1)" in learned.out
    assert "observed: 3.50s" in learned.out


def test_a_value_outside_an_enum_or_a_missing_required_field_is_not_widened(learn: LearnRun) -> None:
    answer = created(config={"sipOutbound": {"transportProtocol": "SCTP"}})
    del answer["data"]["result"]["phoneNumber"]["userId"]
    learned = learn([Call(201, answer, body())], "--write")
    assert learned.status == 0
    assert _unchanged(learned.spec, learned.before)
    assert "transportProtocol: expected one of" in learned.out
    assert "$.data.result.phoneNumber.userId: expected required property 'userId'" in learned.out


def test_a_sent_field_that_equalled_the_password_is_an_echo_not_a_leak(learn: LearnRun) -> None:
    """The recorder scrubs every copy of a sent password; a username equal to it is scrubbed in the request
    and in its echo alike, and the echo is the API doing its job."""
    outbound = {"username": "same-as-password", "password": "same-as-password"}
    sent = body(config={"sipOutbound": outbound})
    answer = created(config={"sipOutbound": {**outbound, "password": "********"}})
    learned = learn([Call(201, answer, sent)], "--write")
    assert learned.status == 0, learned.out
    assert "same-as-password" not in learned.out + learned.err


def test_an_answer_from_another_path_that_ends_the_same_way_teaches_nothing(learn: LearnRun) -> None:
    # An app given the base URL twice (.../api/v2/api/v2/phone-numbers) gets a 404 from a router:
    # evidence about its own mistake, not about the create operation.
    misrouted = Call(404, error("not_found", "No such path"), body(), path="/api/v2/phone-numbers")
    learned = learn([misrouted], "--write")
    assert learned.status == 0, learned.out
    assert learned.spec.read_bytes() == learned.before


def test_the_same_break_in_many_answers_is_one_finding_with_what_each_showed(learn: LearnRun) -> None:
    protocols = ("SCTP", "QUIC", "SCTP", "RTP", "WS")
    calls = [
        Call(201, created(config={"sipOutbound": {"transportProtocol": protocol}}), body())
        for protocol in protocols
    ]
    learned = learn(calls)
    assert learned.status == 1
    [line] = [line for line in learned.out.splitlines() if "transportProtocol: expected one of" in line]
    assert line.endswith("(5 times, in run.har entries 1, 2, 3, 4, 5)")
    assert 'observed: "SCTP", "QUIC", "RTP" (+1 more)' in learned.out


def test_a_secret_in_any_item_of_a_list_is_one_kind_of_bug(learn: LearnRun) -> None:
    stored = created()["data"]["result"]["phoneNumber"]
    leaked = {**stored, "carrier": f"authorized by {TOKEN}"}
    sent = {"workspaceId": WORKSPACE, "phoneNumbers": [{"id": stored["id"]}]}

    def updated(*items: dict[str, Any]) -> Call:
        answer = {"success": True, "data": {"message": "updated", "result": {"updated": list(items)}}}
        return Call(200, answer, sent, method="PUT")

    learned = learn([updated(leaked, stored), updated(stored, leaked)])
    assert learned.status == 1
    [line] = [line for line in learned.out.splitlines() if "a secret" in line]
    assert line.endswith(
        "PUT /phone-numbers: answered 200 with a secret (token or password) in the answer, "
        "at $.data.result.updated[*].carrier (2 times, in run.har entries 1, 2)"
    )
    assert not learned.leaked()
