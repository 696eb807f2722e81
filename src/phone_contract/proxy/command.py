"""``phone-contract proxy``: serve the validating proxy on a port under uvicorn, like the mock."""

from __future__ import annotations

import argparse
import signal
import socket
from pathlib import Path
from types import FrameType

import uvicorn

from phone_contract import _argtypes as argtypes
from phone_contract._exit import Exit, UsageError
from phone_contract._listen import add_listen_options, listen, shown_address
from phone_contract._redact import Redactor
from phone_contract._spec import load_spec
from phone_contract._upstream import Upstream
from phone_contract.har import HarRecorder
from phone_contract.proxy.app import PREFIX, ProxyApp

DEFAULT_TIMEOUT = 30.0


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--upstream",
        required=True,
        metavar="URL",
        help="the API to forward to, with its base path (https://app.freyavoice.ai/api/v2)",
    )
    add_listen_options(parser)
    parser.add_argument(
        "--har", type=Path, metavar="PATH", help="record every exchange, redacted, to this HAR file"
    )
    parser.add_argument(
        "--spec", type=Path, metavar="PATH", help="the OpenAPI spec to check against (default: the toolkit's)"
    )
    parser.add_argument(
        "--timeout",
        type=argtypes.positive_float,
        default=DEFAULT_TIMEOUT,
        metavar="SECONDS",
        help="wait this long for the upstream to connect or to send, then answer 504 "
        f"(default: {DEFAULT_TIMEOUT:g})",
    )


def run(args: argparse.Namespace) -> int:
    try:
        upstream = Upstream.parse(args.upstream)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    spec = load_spec(args.spec)
    operations = spec.require_operations()
    redactor = Redactor()
    recorder = HarRecorder(redactor) if args.har else None
    app = ProxyApp(
        upstream=upstream,
        spec=spec,
        timeout=args.timeout,
        recorder=recorder,
        har_path=args.har,
        redactor=redactor,
    )
    # The port first: a proxy that cannot listen leaves no file behind.
    sock = listen(args.host, args.port)
    if recorder is not None:
        try:
            recorder.write(args.har)  # an empty HAR now: a path that cannot be written fails before serving
        except OSError as exc:
            sock.close()
            raise UsageError(f"cannot write HAR file {args.har}: {exc.strerror or exc}") from None
    recording = f"; recording to {args.har}" if args.har else ""
    print(
        f"{PREFIX}http://{shown_address(sock)} -> {upstream}, checking "
        f"{', '.join(operation.label for operation in operations)} "
        f"against {spec.origin}{recording}; Ctrl-C to stop",
        flush=True,
    )
    # uvicorn shuts down cleanly (HAR written) on Ctrl-C or SIGTERM, then hands the signal on: here
    # both are how a proxy is meant to stop, so the summary and the verdict still follow.
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        _serve(app, sock)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
    tally = app.tally
    print(
        f"{PREFIX}stopped: {tally.forwarded} request(s) forwarded, {tally.checked} checked against the spec, "
        f"{tally.violations} violation(s), {tally.failed} upstream failure(s)",
        flush=True,
    )
    # Like the gate: 1 when an answer broke the contract; an unreachable upstream is not a verdict.
    return Exit.FAILED if tally.violations else Exit.OK


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _serve(app: ProxyApp, sock: socket.socket) -> None:
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        lifespan="on",
        # The answer's headers are the upstream's: no Server or Date of the proxy's own.
        server_header=False,
        date_header=False,
        proxy_headers=False,
    )
    uvicorn.Server(config).run(sockets=[sock])
