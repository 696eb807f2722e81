"""What the gate's door is asked to do (load, pace, recording), and its command-line options.

Kept apart from the rest of the gate's settings: :class:`DoorSettings` is one field of
``GateSettings``, :func:`configure_door` adds its options to ``phone-contract gate`` and
:func:`door_settings_from_args` reads them back. Cheap to import: no pytest, no schemathesis.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from phone_contract import _argtypes as argtypes
from phone_contract._secrets import TOKEN_ENV_VAR

# The ci profile sends several hundred requests to a conforming API, for every operation (examples,
# coverage, fuzzing, the properties and schemathesis' probes; scripts/bench-gate prints how many);
# this leaves room for retries and a larger --max-examples.
DEFAULT_MAX_REQUESTS = 1500
# Seconds per unit, as schemathesis writes a rate limit (``10/s``, ``100/m``).
RATE_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


@dataclass(frozen=True)
class DoorSettings:
    """Limits and records of the one door every request of a run passes (see ``gate.door``)."""

    # None: no limit (the embedded mock costs nothing); a live run gets DEFAULT_MAX_REQUESTS.
    max_requests: int | None = None
    # As written by the user (``10/s``); None: as fast as the API answers.
    rate_limit: str | None = None
    # Seconds to wait for one answer; None: derived from --max-response-time.
    request_timeout: float | None = None
    har_path: str | None = None
    created_path: str | None = None
    # Sent with every request (--header), replacing the gate's own User-Agent where it names one.
    headers: tuple[tuple[str, str], ...] = ()
    # Seconds the run may take (--max-duration): after them, no request is sent; None: no limit.
    max_duration: float | None = None
    # Answers slower than this breach the contract (the run's --max-response-time, set by the
    # session); None: the door does not judge latency.
    slow_after: float | None = None

    @property
    def request_interval(self) -> float:
        """Least seconds between two requests sent (0 without a rate limit)."""
        return 0.0 if self.rate_limit is None else rate_interval(self.rate_limit)


def rate_interval(text: str) -> float:
    """Seconds between requests for a rate ``N/unit`` (unit s, m, h or d); ValueError otherwise."""
    count, _, unit = text.strip().partition("/")
    if not count.strip().isdigit() or int(count) < 1 or unit.strip() not in RATE_UNITS:
        raise ValueError(f"not a rate like 10/s or 100/m: {text!r}")
    return RATE_UNITS[unit.strip()] / int(count)


def _rate(text: str) -> str:
    try:
        rate_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return text.strip()


# Headers each request sets for itself (its body's framing, the target's host) or that carry the run's
# token: not the user's to set for every request.
_NOT_SETTABLE = frozenset(
    {"authorization", "host", "content-length", "content-type", "transfer-encoding", "connection"}
)
# A header's name, as HTTP allows it (RFC 9110 token).
_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def _header(text: str) -> tuple[str, str]:
    name, colon, value = text.partition(":")
    name, value = name.strip(), value.strip()
    # Never the value in a message: it may be a credential.
    if not colon:
        raise argparse.ArgumentTypeError("not a header like 'NAME: VALUE' (no colon)")
    if not _HEADER_NAME.fullmatch(name):
        raise argparse.ArgumentTypeError(f"not a header name: {name[:40]!r}")
    if name.lower() == "authorization":
        raise argparse.ArgumentTypeError(f"the token is read from {TOKEN_ENV_VAR} only, not from an argument")
    if name.lower() in _NOT_SETTABLE:
        raise argparse.ArgumentTypeError(f"{name} is set by each request itself")
    if any(ord(char) < 0x20 and char != "\t" for char in value) or not value.isascii():
        raise argparse.ArgumentTypeError(f"the value of {name} must be printable ASCII")
    return name, value


class _RefuseToken(argparse.Action):
    """``--token`` is refused before its value is used (or printed): tokens stay out of shell history."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        parser.error(f"there is no --token option: the token is read from {TOKEN_ENV_VAR} only")


def configure_door(parser: argparse.ArgumentParser) -> None:
    """The door's options of ``phone-contract gate``."""
    door = parser.add_argument_group("load and records (every request passes one door)")
    door.add_argument(
        "--max-requests",
        metavar="N",
        type=argtypes.positive_int,
        help="most requests to send, retries and probes included; later cases are not sent "
        f"(default for a live API {DEFAULT_MAX_REQUESTS}: the whole ci profile, every negative case "
        "included; none for the embedded mock)",
    )
    door.add_argument(
        "--rate-limit",
        metavar="RATE",
        type=_rate,
        help="most requests per second, minute, hour or day, as schemathesis writes it: 10/s, 100/m "
        "(default: no limit)",
    )
    door.add_argument(
        "--max-duration",
        metavar="TIME",
        type=argtypes.duration,
        help="the run's time limit, e.g. 600, 90s, 15m (a CI job's own limit, less a margin): then it "
        "stops sending, reports what it found, and exits by that (default: none)",
    )
    door.add_argument(
        "--request-timeout",
        metavar="SECONDS",
        type=argtypes.positive_float,
        help="how long to wait for one answer before it counts as lost and is retried "
        "(default: 3 x --max-response-time, at least 10)",
    )
    door.add_argument(
        "--har",
        metavar="PATH",
        type=Path,
        help="write every exchange of the run (retries and probes included) to an HTTP Archive "
        "(HAR 1.2), secrets redacted",
    )
    door.add_argument(
        "--created",
        metavar="PATH",
        type=Path,
        help="write each number the run created (id, number, workspaceId) as a JSON line, to release them",
    )
    door.add_argument(
        "-H",
        "--header",
        metavar="'NAME: VALUE'",
        action="append",
        type=_header,
        default=[],
        help="send this header with every request, e.g. 'X-Request-Source: nightly' or "
        "'User-Agent: my-ci/1.0' (the gate's own is phone-contract/VERSION); repeatable. A value of a "
        "credential-like header is redacted from every output; the token is read from "
        f"{TOKEN_ENV_VAR} only",
    )
    door.add_argument("--token", nargs="?", action=_RefuseToken, help=argparse.SUPPRESS)


def door_settings_from_args(args: argparse.Namespace) -> DoorSettings:
    max_requests = args.max_requests
    if max_requests is None and args.base_url is not None:
        max_requests = DEFAULT_MAX_REQUESTS
    return DoorSettings(
        max_requests=max_requests,
        rate_limit=args.rate_limit,
        request_timeout=args.request_timeout,
        har_path=str(args.har.resolve()) if args.har is not None else None,
        created_path=str(args.created.resolve()) if args.created is not None else None,
        headers=tuple(args.header),
        max_duration=args.max_duration,
    )
