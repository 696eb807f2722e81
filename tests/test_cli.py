"""``phone-contract`` itself: version, bare usage, help a newcomer can read, the same words everywhere."""

from __future__ import annotations

import argparse
import re
from collections import defaultdict
from importlib.metadata import version
from pathlib import Path

import pytest

from phone_contract import _docs
from phone_contract.cli import COMMANDS, HelpFormatter, build_parser, default_text, main

# The metavar an option has wherever it appears, so a reader learns it once.
CONVENTIONS = {
    "--spec": "PATH",
    "--port": "PORT",
    "--host": "HOST",
    "--token": "TOKEN",
    "--fault": "NAME",
    "--base-url": "URL",
    "--junit-xml": "PATH",
}


def _options(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    # Hidden options (help=SUPPRESS, such as the refused --token) are not the user's to use.
    return [
        action
        for action in parser._actions
        if action.option_strings and action.nargs != 0 and action.help != argparse.SUPPRESS
    ]


def _help_line(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = parser._get_formatter()
    formatter.add_argument(action)
    return formatter.format_help()


def test_version_comes_from_the_package_metadata(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"phone-contract {version('phone-contract')}\n"


def test_bare_command_prints_its_usage_and_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    # As a newcomer types it: the whole help on stderr, the status of a usage mistake.
    assert main([]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("usage: phone-contract")
    assert all(re.search(rf"^\s+{name}\s", captured.err, re.M) for name in COMMANDS)
    assert "error" not in captured.err


def test_help_texts_carry_no_markup() -> None:
    parser, _ = build_parser()
    helps = {"phone-contract": parser.format_help()}
    helps.update({f"phone-contract {name}": sub.format_help() for name, sub in _docs.sub_parsers().items()})
    for command, text in helps.items():
        for markup in ("``", ":func:", ":class:", ":mod:", ":ref:"):
            assert markup not in text, f"{command} --help shows raw markup {markup!r}"


def test_every_option_with_a_default_shows_it_once() -> None:
    for name, sub in _docs.sub_parsers().items():
        for action in sub._actions:
            if action.help == argparse.SUPPRESS or isinstance(action, argparse._HelpAction):
                continue
            shown = _help_line(sub, action)
            mentions = len(re.findall(r"\bdefault\b", shown, re.I))
            assert mentions <= 1, (
                f"phone-contract {name} {action.option_strings}: default shown twice: {shown}"
            )
            if default_text(action) is not None:
                assert mentions == 1, f"phone-contract {name} {action.option_strings}: no default in {shown}"


def test_the_formatter_adds_the_default_unless_the_help_says_it() -> None:
    parser = argparse.ArgumentParser(prog="p", formatter_class=HelpFormatter)
    parser.add_argument("--port", metavar="PORT", default=8000, help="port to listen on")
    parser.add_argument("--spec", metavar="PATH", help="the spec (default: the project's)")
    parser.add_argument("--rate", metavar="N", default=2.0, help="requests per second")
    parser.add_argument("--share", metavar="N", default="50%", help="a share")
    parser.add_argument("--quiet", action="store_true", help="say less")
    text = " ".join(parser.format_help().split())
    assert "port to listen on (default: 8000)" in text
    assert "the spec (default: the project's)" in text
    assert "requests per second (default: 2)" in text
    assert "a share (default: 50%)" in text
    assert "say less" in text
    assert "say less (default" not in text


def test_the_same_option_has_the_same_metavar_in_every_sub_command() -> None:
    seen: dict[str, dict[str, str]] = defaultdict(dict)
    for name, sub in _docs.sub_parsers().items():
        formatter = sub._get_formatter()
        for action in _options(sub):
            invocation = formatter._format_action_invocation(action)
            for option in action.option_strings:
                seen[option][name] = invocation.split(" ", 1)[1] if " " in invocation else ""
    for option, by_command in seen.items():
        assert len(set(by_command.values())) == 1, f"{option} is written differently: {by_command}"
        if option in CONVENTIONS and not any(value.startswith("{") for value in by_command.values()):
            assert set(by_command.values()) == {CONVENTIONS[option]}, f"{option}: {by_command}"


def test_every_option_that_takes_a_value_names_it() -> None:
    # Without a metavar argparse shows the destination's name: "--slow-seconds SLOW_SECONDS".
    for name, sub in _docs.sub_parsers().items():
        for action in _options(sub):
            assert action.metavar is not None or action.choices is not None, (
                f"phone-contract {name} {action.option_strings[-1]} needs a metavar (PATH, N, SECONDS...)"
            )


@pytest.mark.parametrize(
    "argv",
    [["mock", "--spec", "{spec}"], ["gate", "--spec", "{spec}"], ["diff", "{spec}", "{spec}"]],
    ids=["mock", "gate", "diff"],
)
def test_a_yaml_error_names_its_line_and_column(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "broken.yaml"
    spec.write_text("openapi: 3.1.0\ninfo:\n  title: x\n   version: 1\n")
    assert main([arg.format(spec=spec) for arg in argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    assert "line 4, column 11" in err, err
    assert str(spec) in err


@pytest.mark.parametrize(
    ("argv", "line"),
    [
        # A required option typed wrong is named as typed, not as missing.
        (
            ["proxy", "--upstrem", "http://127.0.0.1:9"],
            "unrecognized option --upstrem (did you mean --upstream?)",
        ),
        (
            ["gate", "--max-exampels", "3"],
            "unrecognized option --max-exampels (did you mean --max-examples?)",
        ),
        (["mock", "--hots=127.0.0.1"], "unrecognized option --hots (did you mean --host?)"),
        (["gate", "--no-such-thing"], "unrecognized option --no-such-thing"),
    ],
)
def test_a_mistyped_option_is_one_line_naming_the_option_meant(
    argv: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main(argv)
    assert exited.value.code == 2
    assert capsys.readouterr().err == f"phone-contract {argv[0]}: error: {line}\n"


def test_an_unambiguous_prefix_of_an_option_still_works() -> None:
    # argparse's own abbreviations: the check above must not refuse them.
    parser, _ = build_parser("gate")
    assert parser.parse_args(["gate", "--max-ex", "3"]).max_examples == 3
