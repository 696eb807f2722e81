"""``phone-contract learn HAR... [--spec PATH] [--write]``: propose (or write) the spec the evidence asks for.

Without ``--write``, a check: 0 the spec already covers the evidence, 1 it proposes changes or found
bugs to report. With ``--write``, a step of a job (``learn --write nightly.har && scripts/regenerate``):
0 written, or nothing to write (bugs are printed all the same: the check says 1 for them). Either way,
2: it could not run or could not write (not a HAR, an unusable spec, a proposal that is not a valid
spec, a spec file it may not replace), in one line on stderr, the spec left as it was.
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

EXIT_STATUSES = (
    "exit status: without --write, 0 the spec covers the evidence, 1 changes proposed or bugs to report; "
    "with --write, 0 written or nothing to write (bugs still printed); "
    "2 could not run or could not write (the spec left as it was)"
)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXIT_STATUSES
    parser.add_argument(
        "har", metavar="HAR", nargs="+", type=Path, help="HAR files (recorded by gate --har, proxy --har...)"
    )
    parser.add_argument(
        "--spec", metavar="PATH", type=Path, help="the spec to learn into (default: the toolkit's)"
    )
    parser.add_argument(
        "--write",
        action="store_true",
        help="apply the proposal to the spec file in place; exit 0 once written or when there is nothing "
        "to write (bugs are still printed), so a job can run the next step only then",
    )
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
    refused = None
    if args.write and proposal.changes:
        refused = _replace(path, proposal.new)
    _print(proposal, wrote=args.write and refused is None)
    if refused is not None:
        # The proposal is printed above all the same: the job's log keeps what was to be written.
        print(
            f"phone-contract learn: error: cannot write spec {path}: {refused}, not written", file=sys.stderr
        )
        return Exit.CANNOT_RUN
    if args.write:
        if proposal.changes:
            print(f"wrote {path}")
        return Exit.OK
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
            print(f"  - {finding.headline}")
            for line in finding.lines:
                print(f"     - {line}")
    print()
    print("\n".join(proposal.coverage.lines()))


def _replace(path: Path, text: str) -> str | None:
    """Write beside the spec and rename over it: a reader never sees half a file. None when written,
    else why not (the file system's words), with nothing left behind."""
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        return exc.strerror or str(exc)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return None
