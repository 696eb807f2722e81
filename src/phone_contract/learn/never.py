"""What ``learn`` must never learn: contract breaks that stay breaks, listed as bugs to report.

A 5xx, a secret in an answer, a success that is not JSON or breaks the envelope: those exchanges are
left out of the evidence altogether (nothing is inferred from them, nothing of them is shown). A slow
answer is reported, and its body still counts as evidence.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from phone_contract._paths import any_item, json_path
from phone_contract._redact import Redactor
from phone_contract._secrets import REDACTED, SECRET_KEYS, is_credential_header
from phone_contract._spec import JSON, Operation, Spec
from phone_contract.coverage import NOT_JSON, of_operation, on_path
from phone_contract.learn.change import Finding
from phone_contract.learn.evidence import Observation, is_json
from phone_contract.responses import check_response, shown_actual


def never_learn(
    spec: Spec, observations: Sequence[Observation], redactor: Redactor, max_response_time: float
) -> tuple[list[Observation], list[Finding]]:
    """The observations ``learn`` may learn from, and the bugs to report (one per answer: ``grouped``
    makes one of each kind)."""
    usable: list[Observation] = []
    findings: list[Finding] = []
    for observation in observations:
        on_spec = [op for op in spec.operations if on_path(op, observation.exchange)]
        if not on_spec:
            continue  # another endpoint: not this spec's business
        operation = next((op for op in on_spec if of_operation(op, observation.exchange)), None)
        # A method the spec lacks is named as it was called, on the path as the spec writes it.
        label = operation.label if operation else f"{observation.exchange.method.upper()} {on_spec[0].path}"
        bug = _bug(operation, observation, redactor)
        if bug is not None:
            what, observed = bug
            findings.append(Finding(f"{label}: {what}", (observation,), observed=observed))
            continue
        if operation is not None and observation.exchange.elapsed > max_response_time:
            findings.append(
                Finding(
                    f"{label}: answered over the {max_response_time:g}s limit",
                    (observation,),
                    observed=(f"{observation.exchange.elapsed:.2f}s",),
                )
            )
        if observation.status is not None:
            usable.append(observation)
    return usable, findings


def _bug(
    operation: Operation | None, observation: Observation, redactor: Redactor
) -> tuple[str, tuple[str, ...]] | None:
    """What is wrong with the answer, where, and what it showed there (never a secret)."""
    status = observation.status
    if status is None:
        return None
    if status >= 500:
        return f"answered {status}, a server error", ()
    where = _secret(observation, redactor)
    if where is not None:
        return f"answered {status} with a secret (token or password) in the answer, at {any_item(where)}", ()
    if operation is not None and 200 <= status < 300:
        return _broken_success(operation, observation, redactor)
    return None


def _broken_success(
    operation: Operation, observation: Observation, redactor: Redactor
) -> tuple[str, tuple[str, ...]] | None:
    status = observation.status
    assert status is not None
    response = operation.response_for(status)
    schema = response.schema(JSON) if response is not None else None
    if schema is None:
        return None
    if not is_json(observation) or observation.response is NOT_JSON:
        return f"a {status} answer that is not JSON ({observation.content_type or 'no Content-Type'})", ()
    envelope = _envelope(operation, schema)
    for violation in check_response(
        operation, status, observation.content_type, observation.exchange.response_body
    ):
        if violation.path in envelope:
            where = f"{redactor.content(violation.path)}: expected {redactor.text(violation.expected)}"
            return f"a {status} answer that breaks the envelope, {where}", (
                shown_actual(violation, redactor),
            )
    return None


def _envelope(operation: Operation, schema: Mapping[str, Any]) -> set[str]:
    """The body, its required top-level fields, and the path down to the resource(s) it holds."""
    paths = {"$", *(json_path([name]) for name in schema.get("required") or [])}
    answer = operation.semantics.answer
    paths |= {json_path(list(answer[:depth])) for depth in range(1, len(answer) + 1)}
    return paths


def _secret(observation: Observation, redactor: Redactor) -> str | None:
    headers = [(n, v) for n, v in observation.exchange.response_headers if not is_credential_header(n)]
    for name, value in headers:
        if redactor.content(value) != value or REDACTED in value:
            return f"header {name}"
    body = observation.exchange.response_body.decode("utf-8", "replace")
    if redactor.content(body) != body and observation.response is NOT_JSON:
        return "the body"
    if observation.response is NOT_JSON:
        return "the body" if REDACTED in body else None
    # A recorder redacts what it knows: its marker outside a password field means it found a secret,
    # unless the field echoes a sent one the recorder scrubbed too (a name that equalled a password).
    # And a value sent as data (a name that happens to equal the token) may come back as it was sent:
    # an echo, not a leak (the gate's token_not_leaked reads it so too).
    sent = list(_sent_strings(observation.request)) if observation.request is not NOT_JSON else []
    echoed = {key for key, value in sent if key is not None and value == REDACTED}
    as_sent = {value for _, value in sent if REDACTED not in value}
    return next(_secret_paths(observation.response, redactor, (), echoed, as_sent), None)


def _sent_strings(value: Any, key: str | None = None) -> Iterator[tuple[str | None, str]]:
    """The strings a request sent as data (outside password fields), each with its field's name."""
    if isinstance(value, Mapping):
        for name, item in value.items():
            if name not in SECRET_KEYS:
                yield from _sent_strings(item, str(name))
    elif isinstance(value, list):
        for item in value:
            yield from _sent_strings(item)
    elif isinstance(value, str):
        yield key, value


def _secret_paths(
    value: Any, redactor: Redactor, parts: tuple[str | int, ...], echoed: set[str], sent: set[str]
) -> Iterator[str]:
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in echoed and item == REDACTED:
                continue
            if redactor.content(str(key)) != str(key):
                yield json_path([*parts, "<key>"])
            elif key in SECRET_KEYS:
                # The recorder's marker (or the API's own mask) is expected here; a secret it knows is not.
                if isinstance(item, str) and item != REDACTED and redactor.content(item) != item:
                    yield json_path([*parts, str(key)])
                continue
            yield from _secret_paths(item, redactor, (*parts, str(key)), echoed, sent)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secret_paths(item, redactor, (*parts, index), echoed, sent)
    elif (
        isinstance(value, str)
        and value not in sent
        and (REDACTED in value or redactor.content(value) != value)
    ):
        yield json_path(list(parts))
