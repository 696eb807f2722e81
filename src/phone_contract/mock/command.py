"""``phone-contract mock``: serve the mock on a port under a real ASGI server (uvicorn)."""

from __future__ import annotations

import argparse
import os
import socket
from pathlib import Path
from typing import Any

import uvicorn

from phone_contract import _argtypes as argtypes
from phone_contract._exit import Exit, UsageError
from phone_contract._listen import add_listen_options, listen, shown_address
from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract._spec import Spec, load_spec
from phone_contract.mock.answers import Answers
from phone_contract.mock.app import DEFAULT_TOKEN, create_app, served_operations
from phone_contract.mock.cors import ANY_HEADER, READ_HEADERS, header_name, origin, with_cors
from phone_contract.mock.faults import FAULTS, FaultTargets
from phone_contract.mock.store import DEFAULT_CAPACITY

TOKEN_ENV = TOKEN_ENV_VAR  # the same variable as the gate's live token


def configure(parser: argparse.ArgumentParser) -> None:
    add_listen_options(parser)
    parser.add_argument(
        "--token",
        action="append",
        metavar="TOKEN",
        help=f"bearer token to accept; repeat for several (default: ${TOKEN_ENV}, else {DEFAULT_TOKEN!r})",
    )
    parser.add_argument("--fault", choices=sorted(FAULTS), metavar="NAME", help="break the contract one way")
    parser.add_argument(
        "--list-faults", action="store_true", help="print the faults and the rule each breaks"
    )
    parser.add_argument(
        "--spec", metavar="PATH", type=Path, help="the OpenAPI spec to serve (default: the toolkit's)"
    )
    parser.add_argument(
        "--capacity",
        metavar="N",
        type=argtypes.positive_int,
        default=DEFAULT_CAPACITY,
        help="numbers remembered before the oldest go",
    )
    parser.add_argument(
        "--slow-seconds",
        metavar="SECONDS",
        type=argtypes.non_negative_float,
        default=2.5,
        help="delay of the slow fault",
    )
    parser.add_argument(
        "--cors-origin",
        action="append",
        type=origin,
        metavar="ORIGIN",
        help="let browser pages from ORIGIN call the mock (CORS); repeat for several, '*' for any "
        "(default: off)",
    )
    parser.add_argument(
        "--cors-allow-header",
        action="append",
        type=header_name,
        metavar="NAME",
        help=f"with --cors-origin: let pages send only these request headers besides the ones the mock "
        f"reads ({', '.join(READ_HEADERS)} and the spec's header parameters); repeat for several, "
        f"'*' for any (default: any)",
    )
    parser.add_argument(
        "--no-access-log", action="store_true", help="do not log each request (for benchmarks)"
    )


def run(args: argparse.Namespace) -> int:
    spec = load_spec(args.spec)
    if args.list_faults:
        _list_faults(spec)
        return Exit.OK
    from_env = os.environ.get(TOKEN_ENV)
    tokens = args.token or [from_env or DEFAULT_TOKEN]
    if not all(tokens):
        raise UsageError("--token must not be empty")
    if args.slow_seconds < 0:
        raise UsageError("--slow-seconds must not be negative")
    if args.cors_allow_header and not args.cors_origin:
        raise UsageError("--cors-allow-header needs --cors-origin: without it the mock answers no CORS")
    app = create_app(
        tokens=tokens,
        fault=args.fault,
        spec_path=args.spec,
        capacity=args.capacity,
        slow_seconds=args.slow_seconds,
        # Where the spec's server mounts the API (/api/v2), so a client changes only its host.
        mount=spec.base_path,
    )
    served: Any = app
    if args.cors_origin:
        methods = [operation.method.upper() for operation in spec.operations]
        headers = _cors_headers(spec, args.cors_allow_header)
        served = with_cors(app, args.cors_origin, [*methods, "GET", "HEAD"], headers)
    sock = listen(args.host, args.port)
    fault_note = f"; fault {args.fault}" if args.fault else ""
    print(
        f"phone-contract mock: serving http://{shown_address(sock)}{app.root} "
        f"({served_operations(spec)}; spec at {app.spec_path}{fault_note}); "
        f"{_token_note(args.token, from_env)}; Ctrl-C to stop",
        flush=True,
    )
    _serve(served, sock, access_log=not args.no_access_log)
    return Exit.OK


def _cors_headers(spec: Spec, named: list[str] | None) -> list[str]:
    """The request headers a page may send besides the ones the mock reads: any, unless some are
    named; then those and the header parameters the spec documents, which the mock reads too."""
    if not named:
        return [ANY_HEADER]
    documented = [
        name for operation in spec.operations for where, name in operation.parameters if where == "header"
    ]
    return [*documented, *named]


def _token_note(given: list[str] | None, from_env: str | None) -> str:
    """Which bearer token the mock accepts, never the token itself unless it is the public dev one."""
    if given:
        return f"accepts the {len(given)} token(s) given with --token"
    if from_env:
        return f"accepts the token in ${TOKEN_ENV}"
    return f"accepts the token {DEFAULT_TOKEN}"


def _list_faults(spec: Spec) -> None:
    # Read every operation first: a spec the mock cannot serve prints its one error line, no table.
    targets = [(operation, FaultTargets.of(Answers(operation))) for operation in spec.require_operations()]
    width = max(map(len, FAULTS))
    for name, rule in FAULTS.items():
        print(f"{name:<{width}}  {rule}")
    for operation, where in targets:
        print(f"\nwhere they strike in {operation.label} (spec {spec.origin}):")
        for line in where.lines():
            print(f"  {line}")


def _serve(app: object, sock: socket.socket, *, access_log: bool) -> None:
    config = uvicorn.Config(
        app,  # type: ignore[arg-type]  # MockApp is an ASGI3 callable; uvicorn's alias is narrower
        log_level="info" if access_log else "warning",
        access_log=access_log,
        lifespan="on",
        server_header=False,
        # A local mock has no proxy in front; the middleware that reads X-Forwarded-* costs ~10% throughput.
        proxy_headers=False,
    )
    uvicorn.Server(config).run(sockets=[sock])
