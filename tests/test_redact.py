"""Where a secret is scrubbed: credentials everywhere; learned passwords in what came off the wire
and in the string literals of composed text, never in a report's own words."""

from __future__ import annotations

import json

from hypothesis import assume, example, given
from hypothesis import strategies as st

from phone_contract._redact import MIN_SCRUBBED_LENGTH, Redactor
from phone_contract._secrets import REDACTED
from phone_contract.responses import Violation, shown

# A secret made of the marker's own characters would be "found" in the marker, which leaks nothing.
passwords = st.text(min_size=MIN_SCRUBBED_LENGTH).filter(
    lambda p: "<" not in p and ">" not in p and p not in REDACTED
)


def _learned(password: str) -> Redactor:
    redactor = Redactor()
    redactor.learn_from_body({"config": {"sipOutbound": {"password": password}}})
    return redactor


@given(password=passwords, before=st.text(), after=st.text())
def test_a_learned_password_never_survives_in_what_came_off_the_wire(
    password: str, before: str, after: str
) -> None:
    redactor = _learned(password)
    assert password not in redactor.content(before + password + after)
    message = {"message": before + password + after}
    assert password not in redactor.value(message)["message"]
    shown = json.loads(redactor.body(json.dumps(message).encode(), limit=10**6))
    assert password not in shown["message"]


@given(password=passwords, before=st.text(), after=st.text())
@example(password="it's", before='say "', after="")  # the repr of the whole quotes with '...'
def test_a_learned_password_never_survives_in_a_string_literal_of_a_report(
    password: str, before: str, after: str
) -> None:
    # The report's own words (outside the literals) are the next test's business.
    assume(all(password not in words for words in ("got  at $.name", "Falsifying example: body={'name': }")))
    redactor = _learned(password)
    value = before + password + after
    as_json = redactor.text(f"got {json.dumps(value, ensure_ascii=False)} at $.name")
    assert json.dumps(password, ensure_ascii=False)[1:-1] not in as_json
    as_repr = redactor.text(f"Falsifying example: body={{'name': {value!r}}}")
    assert all(form not in as_repr for form in (repr(password)[1:-1], repr(password + "'\"")[1:-3]))


@given(password=passwords, words=st.text().filter(lambda t: not set(t) & set("'\"")))
@example(password="null", words="documented field missing: $.name in 201 answers: got null")
@example(password="body", words="a spec-valid request body was refused")
def test_a_reports_own_words_stay_whatever_the_password(password: str, words: str) -> None:
    # A password is whatever the client sent ("null", "body"...): outside string literals, the
    # text the toolkit composed is left as it is.
    assert _learned(password).text(words) == words


@given(token=passwords, before=st.text(), after=st.text())
def test_a_credential_never_survives_anywhere(token: str, before: str, after: str) -> None:
    redactor = Redactor(token)
    assert token not in redactor.text(before + token + after)
    assert token not in redactor.content(before + token + after)


def test_passwords_shorter_than_the_minimum_go_only_by_key() -> None:
    redactor = _learned("abc")
    assert redactor.text('the name "abc"') == 'the name "abc"'
    assert redactor.value({"password": "abc", "name": "abc"}) == {"password": REDACTED, "name": "abc"}


def test_a_credential_of_any_length_is_known_when_it_stands_whole() -> None:
    redactor = Redactor("t0k")
    assert redactor.knows("t0k")
    assert not redactor.knows("t0")
    assert redactor.text("the token t0k") == "the token t0k"  # too short to scrub from words


def test_a_violation_scrubs_what_came_off_the_wire_and_keeps_json_literals() -> None:
    redactor = _learned("hunter22")
    # The answer's own keys and a header as sent are wire content; a JSON value shows its strings quoted.
    assert shown(Violation("$.data.hunter22", "nothing", "null"), redactor) == (
        f"$.data.{REDACTED}: expected nothing, got null"
    )
    assert "hunter22" not in shown(Violation("content-type", "application/json", "text/hunter22"), redactor)
    assert "hunter22" not in shown(Violation("$.name", "a string", '"my hunter22"'), redactor)
    assert (
        shown(Violation("$.name", "a string", "null"), _learned("null"))
        == "$.name: expected a string, got null"
    )
