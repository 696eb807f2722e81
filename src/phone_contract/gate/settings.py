"""What one gate run is asked to do: built by the command from its options, or the CI defaults.

The command hands them to the suite inside its pytest plugin (see ``gate.plugin``); plain
``pytest contract_tests`` builds the same plugin from ``GateSettings()``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from phone_contract._limits import MAX_RESPONSE_TIME
from phone_contract._secrets import TOKEN_ENV_VAR
from phone_contract.gate.door_options import DoorSettings

# Where --workspace-id, --other-workspace-id and --user-id fall back to (the options win).
WORKSPACE_ENV_VAR = "FREYA_WORKSPACE_ID"
OTHER_WORKSPACE_ENV_VAR = "FREYA_OTHER_WORKSPACE_ID"
USER_ENV_VAR = "FREYA_USER_ID"

# CI runs are repeatable: the same seed, the same cases, against a fresh mock.
CI_SEED = 20261126
DEFAULT_MAX_EXAMPLES = 40
DEFAULT_MAX_RESPONSE_TIME = MAX_RESPONSE_TIME
# Every create on a live API may provision a real number; 50 is enough for one pass of the
# property tests and a first slice of the schemathesis cases, and small enough to clean up by hand.
DEFAULT_WRITE_BUDGET = 50
# The "thorough" profile: many more examples and a fresh random seed, printed so a failure repeats.
THOROUGH_MAX_EXAMPLES = 500


@dataclass(frozen=True)
class GateSettings:
    """One run of the gate. ``base_url`` None means the embedded mock (no network)."""

    seed: int = CI_SEED
    max_examples: int = DEFAULT_MAX_EXAMPLES
    max_response_time: float = DEFAULT_MAX_RESPONSE_TIME
    allow_undocumented: bool = False
    write_budget: int = DEFAULT_WRITE_BUDGET
    base_url: str | None = None
    spec_path: str | None = None
    # Embedded mock only: break it on purpose to watch the gate fail.
    fault: str | None = None
    slow_seconds: float | None = None
    profile: str = "ci"
    # Identities a live API knows (see gate.pinning): None means the gate makes up random ones.
    workspace_id: str | None = None
    other_workspace_id: str | None = None
    user_id: str | None = None
    # Methods the API serves on the operation's path outside this spec (a list endpoint, say):
    # upper case; schemathesis' unsupported_method does not probe them.
    served_methods: tuple[str, ...] = ()
    # Stop at the first failing case (--fail-fast) instead of sending every case within the budget.
    fail_fast: bool = False
    # No live status line while the run goes (-q).
    quiet: bool = False
    # Units of work run at once (--workers): each in its own lane, so a seed repeats its requests.
    workers: int = 1
    # The door's limits and records (--max-requests, --rate-limit, --har, --created...).
    door: DoorSettings = field(default_factory=DoorSettings)

    @property
    def live(self) -> bool:
        return self.base_url is not None

    @property
    def spec(self) -> Path | None:
        return Path(self.spec_path) if self.spec_path else None

    @property
    def target_label(self) -> str:
        """Where the run goes, in words: the live API root, or the embedded mock and its fault."""
        if self.base_url is not None:
            return self.base_url
        return "embedded mock" + (f", fault {self.fault}" if self.fault else "")


def token_from_env() -> str | None:
    """The live API's bearer token: only ever from the environment, never from an argument."""
    token = os.environ.get(TOKEN_ENV_VAR, "").strip()
    return token or None
