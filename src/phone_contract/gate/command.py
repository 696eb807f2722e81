"""``phone-contract gate``: check that an API keeps the contract of the spec.

A thin runner over the pytest suite in ``contract_tests/``: it checks what it can before starting
(arguments, spec, token, reachability), hands the suite its settings inside the run's pytest plugin
and turns the outcome into the shared exit statuses.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import httpx

from phone_contract import _argtypes as argtypes
from phone_contract._exit import UsageError
from phone_contract._network import describe as describe_network_error
from phone_contract._redact import Redactor
from phone_contract._secrets import TOKEN_ENV_VAR, is_credential_header
from phone_contract._spec import SpecError, load_spec
from phone_contract._version import user_agent
from phone_contract.gate.deep import fully_populated
from phone_contract.gate.door_options import configure_door, door_settings_from_args
from phone_contract.gate.pinning import parse_uuid
from phone_contract.gate.settings import (
    CI_SEED,
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_MAX_RESPONSE_TIME,
    DEFAULT_WRITE_BUDGET,
    OTHER_WORKSPACE_ENV_VAR,
    THOROUGH_MAX_EXAMPLES,
    USER_ENV_VAR,
    WORKSPACE_ENV_VAR,
    GateSettings,
    token_from_env,
)
from phone_contract.gate.unstarted import Unstarted
from phone_contract.mock.faults import check_fault

if TYPE_CHECKING:
    from phone_contract.har import Exchange


def configure(parser: argparse.ArgumentParser) -> None:
    target = parser.add_argument_group("target")
    target.add_argument(
        "--base-url",
        metavar="URL",
        help="root of a live API, e.g. https://app.freyavoice.ai/api/v2 (token from $FREYA_API_TOKEN); "
        "default: the embedded mock, no network",
    )
    target.add_argument("--spec", metavar="PATH", type=Path, help="OpenAPI spec (default: the project's)")
    target.add_argument(
        "--fault",
        metavar="NAME",
        help="embedded mock only: break it on purpose in one named way, to watch the gate fail",
    )
    target.add_argument(
        "--mock-slow-seconds",
        metavar="SECONDS",
        type=argtypes.non_negative_float,
        help="embedded mock only: how long --fault slow waits (default 2.5)",
    )
    run = parser.add_argument_group("run")
    run.add_argument(
        "--profile",
        choices=("ci", "thorough"),
        default="ci",
        help=f"ci: fixed seed {CI_SEED}, {DEFAULT_MAX_EXAMPLES} examples; "
        f"thorough: random seed (printed), {THOROUGH_MAX_EXAMPLES} examples (default: ci)",
    )
    run.add_argument(
        "--max-examples",
        metavar="N",
        type=argtypes.positive_int,
        help="examples per test (default: per --profile)",
    )
    run.add_argument(
        "--seed",
        metavar="S",
        type=argtypes.whole_number,
        help="repeat a run exactly (default: per --profile)",
    )
    run.add_argument(
        "--max-response-time",
        metavar="SECONDS",
        type=argtypes.positive_float,
        default=DEFAULT_MAX_RESPONSE_TIME,
        help=f"slowest acceptable answer (default {DEFAULT_MAX_RESPONSE_TIME:g})",
    )
    run.add_argument(
        "--write-budget",
        metavar="N",
        type=argtypes.positive_int,
        default=DEFAULT_WRITE_BUDGET,
        help="live API only: most resources the run may create: it counts creates answered 2xx and "
        "creates whose answer was lost, never refused ones nor updates of the run's own; valid creates "
        "may use all but its last tenth, kept for the invalid bodies the API must refuse "
        f"(default {DEFAULT_WRITE_BUDGET})",
    )
    run.add_argument(
        "-w",
        "--workers",
        metavar="N",
        type=_workers,
        default=1,
        help="units of work to run at once (each phase of each operation, each property), as "
        "schemathesis' --workers; the budgets and the pace stay exact, and a seed's requests "
        "too unless a limit stops the run part way (docs/gate.md). For a "
        f"live API whose answers take 100 ms or more, 4-8 (default 1, at most {MAX_WORKERS})",
    )
    run.add_argument(
        "--allow-undocumented",
        action="store_true",
        help="report response fields the spec does not document, without failing",
    )
    run.add_argument(
        "--junit-xml",
        metavar="PATH",
        type=Path,
        help="also write a JUnit XML report: one test case per check and per failure group",
    )
    run.add_argument(
        "-x",
        "--fail-fast",
        action="store_true",
        help="stop at the first failing case (default: send every case within the budget and "
        "report every failure, grouped)",
    )
    run.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="no progress while the run goes (a live line on a terminal, else a line every few seconds)",
    )
    run.add_argument(
        "--served-method",
        metavar="METHOD",
        action="append",
        type=_served_method,
        default=[],
        help="a method the API serves on the spec's paths outside this spec (e.g. GET, for a list "
        "endpoint): not probed as unsupported; repeatable",
    )
    pinned = parser.add_argument_group("identities (for a live API, which refuses made-up ones)")
    pinned.add_argument(
        "--workspace-id",
        metavar="UUID",
        help=f"the workspace every valid body creates in (default ${WORKSPACE_ENV_VAR}, else random ones)",
    )
    pinned.add_argument(
        "--other-workspace-id",
        metavar="UUID",
        help="a second workspace, for 'the same number in another workspace is created' "
        f"(default ${OTHER_WORKSPACE_ENV_VAR}; with a pinned workspace and without this, that property "
        "is not run)",
    )
    pinned.add_argument(
        "--user-id",
        metavar="UUID",
        help=f"the user every valid body is created by (default ${USER_ENV_VAR}, else random ones)",
    )
    configure_door(parser)


def run(args: argparse.Namespace) -> int:
    unstarted = Unstarted(junit=args.junit_xml, har=args.har, created=args.created)
    try:
        # Where the run will write, checked before it spends a request (or, live, a number).
        for option, path in (
            ("--junit-xml", args.junit_xml),
            ("--har", args.har),
            ("--created", args.created),
        ):
            if path is not None:
                check_writable(Path(path), option)
        settings = settings_from_args(args)
        preflight(settings, unstarted.sent)
    except (UsageError, SpecError) as exc:
        # Exit 2 before the first test: the reports the CI job uploads still say why.
        unstarted.write(str(exc), _redactor(args))
        raise
    warning = identity_warning(settings)
    if warning is not None:
        print(f"phone-contract gate: warning: {warning}", file=sys.stderr)
    # Imported here: pytest and schemathesis take a second to import, and every other
    # sub-command (and --help) would pay for it.
    from phone_contract.gate.suite import run_suite  # noqa: PLC0415

    # The command's process ends with the run: its heap may be frozen (see GatePlugin.open).
    return run_suite(settings, junit_xml=args.junit_xml, freeze_heap=True)


def settings_from_args(args: argparse.Namespace) -> GateSettings:
    thorough = args.profile == "thorough"
    if args.seed is not None:
        seed = args.seed
    else:
        seed = random.SystemRandom().randrange(2**32) if thorough else CI_SEED
    if args.max_examples is not None:
        max_examples = args.max_examples
    else:
        max_examples = THOROUGH_MAX_EXAMPLES if thorough else DEFAULT_MAX_EXAMPLES
    if args.base_url is not None and (args.fault is not None or args.mock_slow_seconds is not None):
        raise UsageError("--fault and --mock-slow-seconds apply to the embedded mock, not to --base-url")
    return GateSettings(
        seed=seed,
        max_examples=max_examples,
        max_response_time=args.max_response_time,
        allow_undocumented=args.allow_undocumented,
        write_budget=args.write_budget,
        base_url=_check_url(args.base_url) if args.base_url is not None else None,
        spec_path=str(args.spec.resolve()) if args.spec is not None else None,
        fault=args.fault,
        slow_seconds=args.mock_slow_seconds,
        profile=args.profile,
        served_methods=tuple(sorted(set(args.served_method))),
        fail_fast=args.fail_fast,
        quiet=args.quiet,
        workers=args.workers,
        door=door_settings_from_args(args),
        **_pinned_ids(args),
    )


def _pinned_ids(args: argparse.Namespace) -> dict[str, str | None]:
    """The pinned IDs, each from its option or else its environment variable; UsageError if no UUID."""
    sources = {
        "workspace_id": ("--workspace-id", WORKSPACE_ENV_VAR),
        "other_workspace_id": ("--other-workspace-id", OTHER_WORKSPACE_ENV_VAR),
        "user_id": ("--user-id", USER_ENV_VAR),
    }
    pinned: dict[str, str | None] = {}
    for name, (option, env_var) in sources.items():
        given, source = getattr(args, name), option
        if given is None:
            given, source = os.environ.get(env_var, "").strip() or None, f"${env_var}"
        pinned[name] = parse_uuid(given, source) if given is not None else None
    if pinned["other_workspace_id"] is not None:
        if pinned["workspace_id"] is None:
            raise UsageError("--other-workspace-id needs --workspace-id (or $FREYA_WORKSPACE_ID)")
        if pinned["other_workspace_id"] == pinned["workspace_id"]:
            raise UsageError("--other-workspace-id must differ from --workspace-id")
    return pinned


def identity_warning(settings: GateSettings) -> str | None:
    """One line for a live run that will send made-up IDs, which a real API may refuse."""
    if not settings.live:
        return None
    missing = [
        option
        for option, value in (("--workspace-id", settings.workspace_id), ("--user-id", settings.user_id))
        if value is None
    ]
    if not missing:
        return None
    return (
        f"no {' or '.join(missing)}: the gate sends random IDs, which a real API may refuse "
        f"(e.g. 403/404, reported as contract breaks); pin ones your token can use with "
        f"{' and '.join(f'{option} UUID' for option in missing)}"
    )


def _redactor(args: argparse.Namespace) -> Redactor:
    """What the reports of a run that could not start scrub: the token, credential --header values."""
    redactor = Redactor(token_from_env())
    for name, value in args.header:
        if is_credential_header(name):
            redactor.add(value)
    return redactor


def preflight(settings: GateSettings, sent: list[Exchange] | None = None) -> None:
    """Everything that can stop the run, checked before it starts: one line and exit 2 each.
    ``sent`` gets the reachability probe, as sent and answered (or not)."""
    # SpecError, one line, before any test starts: unreadable, invalid, or without what the gate needs.
    spec = load_spec(settings.spec)
    for operation in spec.require_operations():
        if operation.request_schema() is not None:
            fully_populated(spec, operation)
    if settings.fault is not None:
        try:
            check_fault(settings.fault)
        except ValueError as exc:
            raise UsageError(str(exc)) from None
    if settings.base_url is None:
        return
    if token_from_env() is None:
        raise UsageError(f"{TOKEN_ENV_VAR} is not set; the live API's token is read from it only")
    _check_reachable(settings.base_url, settings.door.headers, [] if sent is None else sent)


def check_writable(path: Path, option: str) -> None:
    """UsageError, one line, unless a report can be written at ``path`` (its folder is created)."""
    if path.is_dir():
        raise UsageError(f"{option} {path}: is a directory, not a file")
    existed = path.exists()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8"):
            pass
    except (FileExistsError, NotADirectoryError):
        raise UsageError(f"{option} {path}: a part of its folder is a file") from None
    except OSError as exc:
        raise UsageError(f"{option} {path}: cannot write there ({exc.strerror or exc})") from None
    if not existed:
        path.unlink(missing_ok=True)  # only a probe: the run writes the file when it has something


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise UsageError(f"--base-url must be an http(s) URL with a host, not {url!r}")
    if parts.query or parts.fragment:
        raise UsageError(f"--base-url must be the API root, without query or fragment: {url!r}")
    return url.rstrip("/")


def _check_reachable(base_url: str, headers: tuple[tuple[str, str], ...], sent: list[Exchange]) -> None:
    # A GET of the API root creates nothing; any HTTP answer at all means "reachable". It is sent as
    # the run's requests are (User-Agent, --header), and recorded for --har.
    from phone_contract.har import Exchange  # noqa: PLC0415 - only for a live API

    url = f"{base_url}/"
    request_headers = [("User-Agent", user_agent()), *headers]
    started, began = datetime.now(UTC), time.perf_counter()
    probe = Exchange(
        started=started,
        method="GET",
        url=url,
        request_headers=request_headers,
        request_body=b"",
        status=None,
        reason="",
        response_headers=[],
        response_body=b"",
        elapsed=0.0,
        comment="reachability probe",
    )
    try:
        response = httpx.get(url, headers=request_headers, timeout=10.0)
    except httpx.HTTPError as exc:
        reason = describe_network_error(base_url, exc)
        sent.append(replace(probe, reason=reason, elapsed=time.perf_counter() - began))
        raise UsageError(reason) from None
    except ValueError as exc:  # e.g. a port out of range
        raise UsageError(f"--base-url {base_url!r} is not usable: {exc}") from None
    answered = replace(
        probe,
        request_headers=list(response.request.headers.multi_items()),
        status=response.status_code,
        reason=response.reason_phrase,
        response_headers=list(response.headers.multi_items()),
        response_body=response.content,
        elapsed=time.perf_counter() - began,
    )
    sent.append(answered)


# What schemathesis' unsupported_method may probe (its coverage phase's default methods). Not read
# from schemathesis here: importing it costs every sub-command a second; a test keeps the two equal.
PROBED_METHODS = ("DELETE", "GET", "OPTIONS", "PATCH", "POST", "PUT", "QUERY", "TRACE")


# A CI job's API is not a load test's target: more units at once than this only add contention.
MAX_WORKERS = 16


def _workers(text: str) -> int:
    value = argtypes.positive_int(text)
    if value > MAX_WORKERS:
        raise argparse.ArgumentTypeError(f"at most {MAX_WORKERS}, not {value}")
    return value


def _served_method(text: str) -> str:
    method = text.strip().upper()
    if method not in PROBED_METHODS:
        raise argparse.ArgumentTypeError(
            f"not a method the gate probes: {text!r} (one of {', '.join(PROBED_METHODS)})"
        )
    return method
