"""``phone-contract learn HAR... [--spec PATH] [--write]``: propose (or write) the spec the evidence asks for.

Exit 0: the spec already covers the evidence; 1: it proposes (or wrote) changes, or found bugs to
report; 2: it could not run (not a HAR, an unusable spec, a proposal that is not a valid spec).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from phone_contract._exit import Exit
from phone_contract._limits import MAX_RESPONSE_TIME
from phone_contract._spec import default_spec_path
from phone_contract.learn.engine import InvalidProposal, Proposal, propose
from phone_contract.learn.evidence import read_evidence


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "har", metavar="HAR", nargs="+", type=Path, help="HAR files (recorded by gate --har, proxy --har...)"
    )
    parser.add_argument(
        "--spec", metavar="PATH", type=Path, help="the spec to learn into (default: the toolkit's)"
    )
    parser.add_argument("--write", action="store_true", help="apply the proposal to the spec file in place")
    parser.add_argument(
        "--max-response-time",
        type=float,
        default=MAX_RESPONSE_TIME,
        metavar="SECONDS",
        help="slower answers are reported as bugs, as the gate reports them",
    )


def run(args: argparse.Namespace) -> int:
    path: Path = args.spec or default_spec_path()
    observations = read_evidence(args.har)
    today = datetime.now(UTC).date()
    try:
        proposal = propose(path, observations, today=today, max_response_time=args.max_response_time)
    except InvalidProposal as exc:
        sys.stdout.write(exc.diff)
        print(
            f"phone-contract learn: error: the proposal is not a valid spec, not written: {exc}",
            file=sys.stderr,
        )
        return Exit.CANNOT_RUN
    _print(proposal, wrote=args.write)
    if args.write and proposal.changes:
        _replace(path, proposal.new)
        print(f"wrote {path}")
    return Exit.FAILED if proposal.changes or proposal.findings else Exit.OK


def _print(proposal: Proposal, *, wrote: bool) -> None:
    if proposal.changes:
        sys.stdout.write(proposal.diff)
        print()
        print(f"{'Learned' if wrote else 'Proposed'} {len(proposal.changes)} change(s) to {proposal.path}:")
        for number, change in enumerate(proposal.changes, start=1):
            print(f"  {number}. {change.summary}")
            for line in change.evidence:
                print(f"     - {line}")
        if not wrote:
            print("Review the diff, then run again with --write to apply it.")
    elif proposal.coverage.exchanges == 0 and not proposal.findings:
        print(f"No exchange of {proposal.coverage.label} in the evidence: nothing to learn.")
    else:
        print(f"The spec {proposal.path} already covers the evidence: no change.")
    if proposal.findings:
        print()
        print(f"Not learnable: a bug to report ({len(proposal.findings)}):")
        for finding in proposal.findings:
            print(f"  - {finding.summary}")
            for line in finding.evidence:
                print(f"     - {line}")
    print()
    print("\n".join(proposal.coverage.lines()))


def _replace(path: Path, text: str) -> None:
    """Write beside the spec and rename over it: a reader never sees half a file."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
