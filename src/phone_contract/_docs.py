"""``scripts/docs``: fill the generated regions of ``docs/*.md`` from the code, so they cannot drift.

A region is the text between two markers. ``<!-- options:COMMAND -->`` and ``<!-- /options -->``
hold a table of that sub-command's options, built from the parser ``phone-contract`` itself uses;
``<!-- faults -->`` and ``<!-- /faults -->`` hold the mock's faults, from ``FAULTS``. What lies
outside the markers is never touched. ``tests/test_docs.py`` fails when a region is out of step.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from phone_contract._exit import Exit, UsageError
from phone_contract.cli import build_parser, default_text
from phone_contract.mock.faults import FAULTS

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
FIX = "scripts/docs"

_OPTIONS = re.compile(
    r"(?P<open><!-- options:(?P<command>[\w-]+) -->)\n.*?(?P<close><!-- /options -->)", re.S
)
_FAULTS = re.compile(r"(?P<open><!-- faults -->)\n.*?(?P<close><!-- /faults -->)", re.S)
# A help text that names its own default: "... (default: $FREYA_API_TOKEN, else ...)" at the end,
# or "...; default: the embedded mock". The table shows it in the default column instead.
_DEFAULT_IN_HELP = (
    re.compile(r"\s*\(default:?\s+(?P<default>.*)\)$", re.S),
    re.compile(r"[;,]\s*default:?\s+(?P<default>.*)$", re.S),
)

# In help texts: $VARIABLES, --options and URLs, set as code in a table.
_CODE = re.compile(r"\$[A-Z][A-Z0-9_]*|(?<![\w`-])--[a-z][a-z0-9-]*|https?://[^\s,;()]+")


def sub_parsers() -> dict[str, argparse.ArgumentParser]:
    """Each sub-command's parser, by name, as ``phone-contract`` builds them."""
    parser, _ = build_parser()
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found.update(action.choices)
    return found


def options_table(parser: argparse.ArgumentParser) -> str:
    formatter = parser._get_formatter()
    rows = ["| option | default | what it does |", "|---|---|---|"]
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        invocation = formatter._format_action_invocation(action)
        # The plain formatter expands %(...)s without adding "(default: ...)": that has its own column.
        help_text, default = _split_default(action, argparse.HelpFormatter(parser.prog))
        rows.append(f"| `{invocation}` | {_cell(default)} | {_cell(help_text)} |")
    return "\n".join(rows)


def faults_table(faults: Mapping[str, str] = FAULTS) -> str:
    rows = ["| fault | the rule it breaks |", "|---|---|"]
    rows += [f"| `{name}` | {_cell(rule)} |" for name, rule in faults.items()]
    return "\n".join(rows)


def render(text: str, parsers: Mapping[str, argparse.ArgumentParser]) -> str:
    """``text`` with every region filled; UsageError for a region naming no sub-command."""

    def options(match: re.Match[str]) -> str:
        command = match["command"]
        if command not in parsers:
            raise UsageError(f"<!-- options:{command} --> names no sub-command (known: {', '.join(parsers)})")
        return _region(match, options_table(parsers[command]))

    text = _OPTIONS.sub(options, text)
    return _FAULTS.sub(lambda match: _region(match, faults_table()), text)


def stale(docs: Path = DOCS) -> list[Path]:
    """The pages whose regions are out of step with the code."""
    parsers = sub_parsers()
    return [
        page for page in sorted(docs.glob("*.md")) if render(page.read_text(), parsers) != page.read_text()
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=FIX, description="fill the generated tables of docs/*.md")
    parser.add_argument(
        "--check", action="store_true", help="change nothing; exit 1 if a page is out of step"
    )
    args = parser.parse_args(argv)
    try:
        parsers = sub_parsers()
        changed = []
        for page in sorted(DOCS.glob("*.md")):
            text = page.read_text()
            filled = render(text, parsers)
            if filled != text:
                changed.append(page.relative_to(ROOT))
                if not args.check:
                    page.write_text(filled)
    except UsageError as exc:
        print(f"{FIX}: error: {exc}", file=sys.stderr)
        return Exit.CANNOT_RUN
    for page in changed:
        print(f"{FIX}: {page} {'is out of step' if args.check else 'updated'}")
    return Exit.FAILED if args.check and changed else Exit.OK


def _region(match: re.Match[str], table: str) -> str:
    # Blank lines around the table: the closing marker must not read as one more table row.
    return f"{match['open']}\n\n{table}\n\n{match['close']}"


def _split_default(action: argparse.Action, formatter: argparse.HelpFormatter) -> tuple[str, str]:
    help_text = formatter._expand_help(action) if action.help else ""
    for pattern in _DEFAULT_IN_HELP:
        found = pattern.search(help_text)
        if found:
            return help_text[: found.start()], found["default"]
    shown = default_text(action)
    return help_text, f"`{shown}`" if shown is not None else ""


def _cell(text: str) -> str:
    """One Markdown table cell: on one line, pipes escaped, variables, options and URLs as code."""
    return _CODE.sub(r"`\g<0>`", " ".join(text.split())).replace("|", "\\|")


if __name__ == "__main__":
    sys.exit(main())
