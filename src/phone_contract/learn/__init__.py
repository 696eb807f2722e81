"""``phone-contract learn``: turn recorded exchanges into a reviewed, minimal spec update.

- ``evidence``: HAR files read into observations (where each came from, bodies as JSON).
- ``never``: what must never be learned (5xx, secrets, broken successes, slowness): bugs to report.
- ``change``: what the rules read (the evidence) and produce (changes with evidence, findings).
- ``response_rules``, ``request_rules``: one function per learning rule; ``rules`` lists them in order.
- ``infer``: a schema for observed values (genson, formats, nothing required).
- ``schemas``: walking a contract schema beside a value, keeping pointers.
- ``edit``: the edits a rule can propose, each applied where the contract node was written.
- ``specfile``: the spec file as round-trip data (ruamel.yaml), merged back into the text as written.
- ``engine``: the loop of rules, edits and re-reading; the proposal and its diff.
- ``command``: the CLI edge.
"""

from phone_contract.coverage import Coverage, SpecCoverage, coverage
from phone_contract.learn.engine import Proposal, propose

__all__ = ["Coverage", "Proposal", "SpecCoverage", "coverage", "propose"]
