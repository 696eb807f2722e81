"""Placeholder until the gate command lands (replaced by its issue's work)."""

from __future__ import annotations

import argparse

from phone_contract._exit import Exit


def configure(parser: argparse.ArgumentParser) -> None:
    del parser


def run(args: argparse.Namespace) -> int:
    del args
    print("phone-contract gate: not implemented yet")
    return Exit.CANNOT_RUN
