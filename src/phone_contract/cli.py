"""``phone-contract``: one console command, one sub-command per duty.

Each sub-command lives in its own module with ``configure(parser)`` and ``run(args) -> int``;
this module only wires them, shows every option's default in ``--help``, and turns user mistakes
into one line and exit status 2.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import os
import re
import sys
from collections.abc import Sequence
from importlib.metadata import version
from types import ModuleType

from phone_contract._exit import Exit, UsageError
from phone_contract._spec import SpecError

# name -> (module, one-line help). A command's module is imported when its parser is built: only the
# one that runs (every module it imports costs start-up time, and hypothesis reads the constants of
# every local module it finds loaded), or all of them for `phone-contract --help`.
COMMANDS: dict[str, tuple[str, str]] = {
    "gate": ("phone_contract.gate.command", "run the contract gate against the embedded mock or a live API"),
    "mock": ("phone_contract.mock.command", "serve the spec-driven mock of the API on a port"),
    "diff": ("phone_contract.diff.command", "compare two versions of the spec, breaking or compatible"),
    "learn": (
        "phone_contract.learn.command",
        "propose the spec update that recorded exchanges (HAR) call for",
    ),
    "proxy": ("phone_contract.proxy.command", "forward an app's requests to the API and check every answer"),
}


DESCRIPTION = "Contract tests, a spec-driven mock and a generated client for Freya's /phone-numbers API."
# A help text that already speaks of its default (often one the parser cannot hold, such as
# "$FREYA_API_TOKEN, else a dev token") keeps its own words; the formatter adds nothing.
_SPEAKS_OF_DEFAULT = re.compile(r"\bdefault\b", re.IGNORECASE)


def default_text(action: argparse.Action) -> str | None:
    """An option's default as help shows it, or None where there is none worth showing (off, unset)."""
    default = action.default
    if default is None or default is False or default is argparse.SUPPRESS or default == []:
        return None
    if isinstance(default, float):
        return f"{default:g}"
    return str(default)


class HelpFormatter(argparse.HelpFormatter):
    """Shows every option's default, once: "(default: 8000)" unless the help text already says it."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        help_text = action.help
        shown = default_text(action)
        if help_text is None or shown is None or _SPEAKS_OF_DEFAULT.search(help_text):
            return help_text
        # argparse %-formats help texts: a literal % in a default must survive that.
        return f"{help_text} (default: {shown.replace('%', '%%')})"


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # argparse prints usage plus the message; keep it to the one line that says what is wrong.
        self.exit(Exit.CANNOT_RUN, f"{self.prog}: error: {message}\n")


class _CommandParser(_Parser):
    """A sub-command's parser: an option it does not know is named first, with the one meant.

    argparse reports a missing required option before an unknown one, so `proxy --upstrem URL` would
    read "required: --upstream" though the user typed it, only wrong.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        words = list(sys.argv[1:] if args is None else args)
        mistyped = _unknown_option(
            words, [name for action in self._actions for name in action.option_strings]
        )
        if mistyped is not None:
            self.error(mistyped)
        return super().parse_known_args(words, namespace)


def _unknown_option(words: Sequence[str], known: Sequence[str]) -> str | None:
    for word in words:
        if word == "--":
            break
        if not word.startswith("--"):
            continue
        name = word.split("=", 1)[0]
        if any(option.startswith(name) for option in known):
            continue  # argparse takes an option's unambiguous prefix, and says when one is ambiguous
        close = difflib.get_close_matches(name, known, n=1)
        return f"unrecognized option {name}" + (f" (did you mean {close[0]}?)" if close else "")
    return None


def build_parser(only: str | None = None) -> tuple[argparse.ArgumentParser, dict[str, ModuleType]]:
    """The parser of every command, or with ``only`` the parser whose one configured command is ``only``
    (the others are listed, so a typo still gets argparse's "invalid choice" line)."""
    parser = _Parser(prog="phone-contract", description=DESCRIPTION, formatter_class=HelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version('phone-contract')}")
    # Not required: bare `phone-contract` prints the whole help (see main), not a one-line error.
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=_CommandParser
    )
    modules: dict[str, ModuleType] = {}
    for name, (module_name, help_text) in COMMANDS.items():
        command_parser = sub.add_parser(
            name, help=help_text, description=help_text, formatter_class=HelpFormatter
        )
        if only is None or name == only:
            module = importlib.import_module(module_name)
            module.configure(command_parser)
            modules[name] = module
    return parser, modules


def _command_in(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names (its first word that is not an option), if it is one of ours."""
    first = next((word for word in argv if not word.startswith("-")), None)
    return first if first in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    parser, modules = build_parser(_command_in(words))
    args, unknown = parser.parse_known_args(words)
    if args.command is None:
        # Nothing to run: say what there is to run, on stderr, with the status of a usage mistake.
        parser.print_help(sys.stderr)
        return Exit.CANNOT_RUN
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
    except BrokenPipeError:
        # The reader went away (`| head`): what was left to print has no one to read it. Point stdout
        # at nothing, so that Python's own flush at exit does not fail again with a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return Exit.CANNOT_RUN
    return int(status)


if __name__ == "__main__":
    sys.exit(main())
