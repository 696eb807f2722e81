"""``phone-contract diff OLD NEW``: exit 1 when the change breaks clients, 0 otherwise, 2 if it cannot run."""

from __future__ import annotations

import argparse

from phone_contract._exit import Exit
from phone_contract.diff import diff_specs, load
from phone_contract.diff.report import FORMATS, RENDERERS


def configure(parser: argparse.ArgumentParser) -> None:
    source_help = "a spec file, or git:REV:path (path from the repository root), e.g. git:HEAD:spec/{}"
    parser.add_argument("old", metavar="OLD", help=source_help.format("phone-numbers.openapi.yaml"))
    parser.add_argument("new", metavar="NEW", help="the changed spec, same forms as OLD")
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")


def run(args: argparse.Namespace) -> int:
    result = diff_specs(load(args.old), load(args.new))
    print(RENDERERS[args.format](result))
    return Exit.FAILED if result.breaks_clients else Exit.OK
