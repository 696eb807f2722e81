"""``phone-contract``: one console command, one sub-command per duty.

Each sub-command lives in its own module with ``configure(parser)`` and ``run(args) -> int``;
this module only wires them and turns user mistakes into one line and exit status 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from types import ModuleType

from phone_contract._exit import Exit, UsageError
from phone_contract._spec import SpecError

# name -> (module, one-line help). Modules are imported when the parser is built.
COMMANDS: dict[str, tuple[str, str]] = {
    "gate": ("phone_contract.gate.command", "run the contract gate against the embedded mock or a live API"),
    "mock": ("phone_contract.mock.command", "serve the spec-driven mock of the API on a port"),
    "diff": ("phone_contract.diff.command", "compare two versions of the spec, breaking or compatible"),
    "proxy": ("phone_contract.proxy.command", "forward an app's requests to the API and check every answer"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage plus the message; keep it to the one line that says what is wrong.
        self.exit(Exit.CANNOT_RUN, f"{self.prog}: error: {message}\n")


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    parser = _Parser(prog="phone-contract", description=__doc__.splitlines()[0] if __doc__ else None)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    modules: dict[str, ModuleType] = {}
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        command_parser = sub.add_parser(name, help=help_text, description=help_text)
        module.configure(command_parser)
        modules[name] = module
    return parser, modules


def main(argv: Sequence[str] | None = None) -> int:
    parser, modules = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:
        # Reported by the sub-command's parser, so the line names it: "phone-contract gate: error".
        parser.exit(
            Exit.CANNOT_RUN,
            f"{parser.prog} {args.command}: error: unrecognized arguments: {' '.join(unknown)}\n",
        )
    try:
        status = modules[args.command].run(args)
    except (UsageError, SpecError) as exc:
        print(f"phone-contract {args.command}: error: {exc}", file=sys.stderr)
        return Exit.CANNOT_RUN
    except KeyboardInterrupt:
        print(f"phone-contract {args.command}: interrupted", file=sys.stderr)
        return 130
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
