"""One gate session: the target behind its gatekeeper, the schemathesis schemas, the secrets, the tally.

Built from :class:`GateSettings` by the gate's pytest plugin when the first contract test asks for
it (a fixture), never at import; the tests, the checks' bookkeeping and the report share it.
"""

from __future__ import annotations

import dataclasses
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

import schemathesis
from schemathesis import GenerationMode
from schemathesis.checks import CHECKS, CheckFunction, load_all_checks, max_response_time
from schemathesis.config import OutputConfig, SanitizationConfig

from phone_contract._exit import UsageError
from phone_contract._redact import Redactor
from phone_contract._secrets import (
    CREDENTIAL_HEADERS,
    MIN_TOKEN_LENGTH,
    REDACTED,
    SECRET_KEYS,
    TOKEN_ENV_VAR,
    is_credential_header,
)
from phone_contract._spec import Operation, Role, Spec, load_spec
from phone_contract.gate import checks as gate_checks
from phone_contract.gate.deep import fully_populated
from phone_contract.gate.door import ASGIApp, Gatekeeper
from phone_contract.gate.door_report import save_records
from phone_contract.gate.forwarder import Forwarder
from phone_contract.gate.lanes import Lanes
from phone_contract.gate.ownership import Ownership
from phone_contract.gate.pinning import pinned_fields, unique_value, without_nonce
from phone_contract.gate.settings import GateSettings, token_from_env
from phone_contract.gate.tally import Tally
from phone_contract.mock import DEFAULT_TOKEN, create_app

# The schema's requests go to the gatekeeper in process; this origin never reaches a network.
GATE_ORIGIN = "http://gate.internal"
# Where a curl reproduction points for the embedded mock: `phone-contract mock --port 8000`.
SERVED_MOCK_URL = "http://127.0.0.1:8000/api/v2"
# Built-in checks that need a resource to read back or delete, or several identities: the gate's
# own stateful properties (gate.lifecycle) judge what the spec's operations do to a resource.
NOT_APPLICABLE = frozenset({"use_after_free", "ensure_resource_availability", "object_level_authorization"})


@dataclass
class GateSession:
    """Everything one run of the gate shares between its tests, checks and reports."""

    settings: GateSettings
    spec: Spec
    token: str
    redactor: Redactor
    gatekeeper: Gatekeeper
    schema: Any  # schemathesis.BaseSchema; untyped in mypy (follow_imports = silent)
    # Per operation that takes a JSON body: a schema whose body must be fully populated (gate.deep).
    deep_schemas: dict[str, Any]
    checks: list[CheckFunction]
    target: str
    public_url: str
    forwarder: Forwarder | None = None
    tally: Tally = field(default_factory=Tally)
    # The lanes the run's units work in (gate.lanes), and what each counts for itself.
    lanes: Lanes = field(default_factory=Lanes)
    # Fresh scopes (and, with a pinned scope, unique values) for the stateful properties: derived
    # from the seed against the mock, so a seed repeats; random against a live API, which remembers
    # what earlier runs created.
    namespace: uuid.UUID = field(default_factory=uuid.uuid4)
    _tests_started: set[str] = field(default_factory=set)
    # Whether the resources that updates and lists address were created (gate.workers).
    seeded: bool = False

    @property
    def auth_enforced(self) -> bool:
        """Whether ignored_auth has seen the API refuse a created request without and with a wrong
        token, in the current lane (each lane sends its own probes, so each decides for itself)."""
        return self.lanes.current.auth_enforced

    @auth_enforced.setter
    def auth_enforced(self, value: bool) -> None:
        self.lanes.current.auth_enforced = value

    @property
    def ownership(self) -> Ownership:
        return self.gatekeeper.ownership

    @property
    def pinned(self) -> dict[str, str]:
        """The request fields the user pinned (a resource's scope and owner), with their values."""
        return pinned_fields(self.spec, scope=self.settings.workspace_id, owner=self.settings.user_id)

    def within_share(self, test: str, fraction: float) -> bool:
        """Live: whether property ``test`` may start another example (the tests run in turn).

        Its first example always starts while the budget lasts; later ones only while the creations
        so far stay under ``fraction`` of the budget. So a small budget still tries each kind of
        test once instead of spending it all on the first, and a large one leaves most of it to
        the schemathesis cases.
        """
        budget = self.gatekeeper.write_budget
        if budget is None:
            return True
        if test not in self._tests_started:
            self._tests_started.add(test)
            return self.gatekeeper.creations < budget
        return self.gatekeeper.creations < math.ceil(fraction * budget)

    def note_checks_not_run(self, property_checks: frozenset[str]) -> None:
        """List each check that never ran as *not run*: no silence passes for a pass.

        ``property_checks`` are those the property tests record, besides the schemathesis ones.
        """
        expected = {check.__name__ for check in self.checks} | property_checks
        budget = self.gatekeeper.budget
        if budget.time_limit_reached:
            why = "the time limit (--max-duration) came first"
        elif budget.request_limit_reached:
            why = "--max-requests came first"
        elif (
            self.gatekeeper.write_budget is not None
            and self.gatekeeper.creations >= self.gatekeeper.write_budget
        ):
            why = "the write budget ran out before it could run"
        else:
            why = "no case reached it (no response it applies to came back, or --fail-fast stopped the run)"
        ran = set(self.tally.passed) | set(self.tally.failed)
        leak_check = gate_checks.token_not_leaked.__name__
        if len(self.token) < MIN_TOKEN_LENGTH and leak_check not in ran:
            self.tally.not_run[leak_check] = (
                f"the token is shorter than {MIN_TOKEN_LENGTH} characters, "
                "too short to tell a leak from chance"
            )
        for name in sorted(expected - ran):
            self.tally.not_run.setdefault(name, why)

    def fresh_scope(self) -> str:
        """A scope nothing else of the run uses: the lane's own count, within the lane's name."""
        lane = self.lanes.current
        lane.scopes += 1
        scope = str(
            uuid.uuid5(self.namespace, f"{lane.name}/{lane.scopes}" if lane.name else str(lane.scopes))
        )
        self.ownership.stands_for(scope, "scope", lane.name)
        return scope

    def own_scope(self) -> str:
        """The scope a property test creates in: the pinned one, else a fresh one."""
        return self.settings.workspace_id or self.fresh_scope()

    def other_scope(self) -> str | None:
        """A scope other than :meth:`own_scope`; None when one is pinned and no other one is."""
        if self.settings.workspace_id is None:
            return self.fresh_scope()
        return self.settings.other_workspace_id

    def unique_in_run(self, generated: str, max_length: int | None) -> str:
        """A value the spec says is unique in a scope, for a property test: as generated, unless a
        pinned (lasting) scope may already hold it from an earlier run or test."""
        if self.settings.workspace_id is None:
            return generated
        return self.made_unique(generated, max_length)

    def made_unique(self, generated: str, max_length: int | None) -> str:
        """``generated`` made unique to the run (gate.pinning.unique_value): the lane's own count, and
        a nonce of the run and the lane."""
        lane = self.lanes.current
        lane.uniques += 1
        nonce = uuid.uuid5(self.namespace, lane.name).int if lane.name else self.namespace.int
        unique = unique_value(generated, nonce, lane.uniques, max_length)
        self.ownership.stands_for(unique, "unique", lane.name, label=without_nonce(unique))
        return unique

    @property
    def failed_fast(self) -> bool:
        """Whether --fail-fast has seen its failure: nothing more is sent."""
        return self.settings.fail_fast and bool(self.tally.findings)

    def operations(self, *roles: Role) -> list[Operation]:
        """The spec's operations of the given roles (every one without roles), in the spec's order."""
        return [op for op in self.spec.operations if not roles or op.semantics.role in roles]

    def api_operation(self, operation: Operation, schema: Any = None) -> Any:
        """Schemathesis' operation for ``operation`` (in ``schema``, default the session's)."""
        return (schema if schema is not None else self.schema)[operation.path][operation.method.upper()]

    def valid_cases(self, operation: Operation) -> Any:
        """Hypothesis strategy of spec-valid cases of ``operation``."""
        return self.api_operation(operation).as_strategy(generation_mode=GenerationMode.POSITIVE)

    def fully_populated_cases(self, operation: Operation) -> Any:
        """Valid cases of ``operation`` with every optional field and several array items (gate.deep)."""
        schema = self.deep_schemas[operation.name]
        return self.api_operation(operation, schema).as_strategy(generation_mode=GenerationMode.POSITIVE)

    def close(self) -> None:
        save_records(self.gatekeeper)
        if self.forwarder is not None:
            self.forwarder.close()

    @property
    def auth_headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    @property
    def request_headers(self) -> dict[str, str]:
        """What the contract tests send with each request: the token, and the lane for the door."""
        return {**self.auth_headers, **self.lanes.header()}

    def notes(self) -> list[str]:
        """How to paste a reproduction: the embedded mock only lives in the gate's process."""
        if self.settings.live:
            return []
        token = "the same FREYA_API_TOKEN" if token_from_env() else f"FREYA_API_TOKEN={DEFAULT_TOKEN}"
        return [
            f"reproductions point at {SERVED_MOCK_URL}: serve the mock there with "
            f"`phone-contract mock --port 8000` (add --fault NAME if the run had one), "
            f"and export {token} in both shells before pasting"
        ]


def open_session(settings: GateSettings) -> GateSession:
    """The session for ``settings``. SpecError/UsageError if it cannot run; close it when done."""
    spec = load_spec(settings.spec)
    spec.require_operations()
    if settings.live:
        token = token_from_env()
        if token is None:
            raise UsageError(f"{TOKEN_ENV_VAR} is not set; the live API's token is read from it only")
    else:
        token = token_from_env() or DEFAULT_TOKEN
    redactor = Redactor(token)
    for name, value in settings.door.headers:
        if is_credential_header(name):
            redactor.add(value)  # a key given with --header is as secret as the token
    forwarder: Forwarder | None = None
    upstream: ASGIApp
    if settings.base_url is not None:
        forwarder = Forwarder(settings.base_url, timeout=_request_timeout(settings))
        upstream = forwarder
        public_url, budget = settings.base_url, settings.write_budget
    else:
        mock_kwargs: dict[str, Any] = {
            "tokens": (token,),
            "fault": settings.fault,
            "spec_path": settings.spec,
        }
        if settings.slow_seconds is not None:
            mock_kwargs["slow_seconds"] = settings.slow_seconds
        upstream = create_app(**mock_kwargs)
        public_url, budget = SERVED_MOCK_URL, None
    pinned = pinned_fields(spec, scope=settings.workspace_id, owner=settings.user_id)
    lanes = Lanes()
    gatekeeper = Gatekeeper(
        upstream,
        redactor,
        budget,
        spec=spec,
        # Minted ids repeat with the seed against the mock; against a live API they are drawn at random.
        ownership=Ownership(
            spec, seed=None if settings.live else settings.seed, lane=lambda: lanes.current.name
        ),
        # The door stops paying for a latency breach once it is established (gate.door).
        door=dataclasses.replace(settings.door, slow_after=settings.max_response_time),
        token=token,
        base_url=public_url,
        ids_pinned=not settings.live or bool(pinned),
    )
    # Methods the API serves on a path outside this spec: declared on the command line, or written
    # into the spec by an older `learn` (x-phone-contract-served-methods).
    served = frozenset(settings.served_methods) | {
        method for operation in spec.operations for method in operation.served_elsewhere
    }
    session = GateSession(
        settings=settings,
        spec=spec,
        token=token,
        lanes=lanes,
        redactor=redactor,
        gatekeeper=gatekeeper,
        schema=_schema(spec.document, settings, gatekeeper, served),
        deep_schemas={
            operation.name: _schema(fully_populated(spec, operation), settings, gatekeeper, served)
            for operation in spec.operations
            if operation.request_schema() is not None
            and operation.semantics.role in (Role.CREATE, Role.UPDATE)
        },
        checks=_checks(settings),
        target=settings.target_label,
        public_url=public_url,
        forwarder=forwarder,
    )
    if not settings.live:
        session.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"phone-contract-gate/{settings.seed}")
    return session


def _request_timeout(settings: GateSettings) -> float:
    # Long enough to measure a slow answer and report it, short enough not to hang a CI job.
    if settings.door.request_timeout is not None:
        return settings.door.request_timeout
    return max(10.0, 3 * settings.max_response_time)


def _schema(
    spec: dict[str, Any], settings: GateSettings, gatekeeper: Gatekeeper, served: frozenset[str]
) -> Any:
    # Reproductions (Case.as_curl_command) leave out every secret, in our marker, and nothing else:
    # schemathesis' default markers would also hide fields named like "key" (sipOutbound.headers).
    # The token's header is written by the report itself, as a variable the shell expands.
    sanitization = SanitizationConfig(
        keys_to_sanitize=tuple(sorted((SECRET_KEYS | CREDENTIAL_HEADERS) - {"authorization"})),
        sensitive_markers=tuple(sorted(SECRET_KEYS)),
        replacement=REDACTED,
    )
    config = schemathesis.Config(seed=settings.seed, output=OutputConfig(sanitization=sanitization))
    project = config.projects.default
    # No timeout of schemathesis' own: its transport only reaches the door, which times each attempt
    # out itself (the forwarder's --request-timeout) and may then wait and retry, for longer.
    project.update(base_url=GATE_ORIGIN, request_timeout=None)
    project.generation.update(
        modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE],
        max_examples=settings.max_examples,
        # The first failing case is reported as generated: shrinking would re-send (and, live,
        # re-create) many more numbers, and repeat every slow answer.
        no_shrink=True,
        database="none",
        # The gate sends the real token itself; generated tokens would only ever get 401.
        with_security_parameters=False,
    )
    project.phases.update(phases=["examples", "coverage", "fuzzing"])
    if served:
        coverage = project.phases.coverage
        coverage.unexpected_methods = set(coverage.unexpected_methods) - {method.lower() for method in served}
    project.checks.update(max_response_time=settings.max_response_time)

    schema = schemathesis.openapi.from_dict(spec, config=config)
    schema.app = gatekeeper
    return schema


def _checks(settings: GateSettings) -> list[CheckFunction]:
    load_all_checks()
    own_names = {check.__name__ for check in gate_checks.GATE_CHECKS}
    builtin = [
        check
        for check in CHECKS.get_all()
        if callable(check)
        and not isinstance(check, type)
        and check.__name__ not in own_names
        and check.__name__ not in NOT_APPLICABLE
    ]
    own = [
        check
        for check in gate_checks.GATE_CHECKS
        if not (settings.allow_undocumented and check is gate_checks.no_undocumented_fields)
    ]
    return [*builtin, max_response_time, *own]
