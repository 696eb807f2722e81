"""What one gate run is asked to do, and how the command hands it to the pytest suite.

The command and ``contract_tests/`` run in the same process, but pytest imports the suite on its
own; the settings travel through one environment variable so that plain ``pytest contract_tests``
(no variable) runs the CI defaults against the embedded mock.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from phone_contract.gate.door_options import DoorSettings

ENV_VAR = "PHONE_CONTRACT_GATE"
TOKEN_ENV_VAR = "FREYA_API_TOKEN"  # noqa: S105 - where the token is read from, not a token
# Where --workspace-id, --other-workspace-id and --user-id fall back to (the options win).
WORKSPACE_ENV_VAR = "FREYA_WORKSPACE_ID"
OTHER_WORKSPACE_ENV_VAR = "FREYA_OTHER_WORKSPACE_ID"
USER_ENV_VAR = "FREYA_USER_ID"

# CI runs are repeatable: the same seed, the same cases, against a fresh mock.
CI_SEED = 20261126
DEFAULT_MAX_EXAMPLES = 40
DEFAULT_MAX_RESPONSE_TIME = 2.0
# Every POST to a live API may provision a real number; 50 is enough for one pass of the
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
    # The door's limits and records (--max-requests, --rate-limit, --har, --created...).
    door: DoorSettings = field(default_factory=DoorSettings)

    @property
    def pinned_fields(self) -> dict[str, str]:
        """The request body fields whose value the user pinned, with that value."""
        fields = {"workspaceId": self.workspace_id, "userId": self.user_id}
        return {name: value for name, value in fields.items() if value is not None}

    @property
    def live(self) -> bool:
        return self.base_url is not None

    @property
    def spec(self) -> Path | None:
        return Path(self.spec_path) if self.spec_path else None

    def to_env(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_env(cls) -> GateSettings:
        """The settings the command passed in, or the CI defaults under plain pytest."""
        raw = os.environ.get(ENV_VAR)
        if not raw:
            return cls()
        data = json.loads(raw)
        data["served_methods"] = tuple(data.get("served_methods", ()))  # JSON has lists only
        data["door"] = DoorSettings(**data.get("door", {}))
        return cls(**data)


def token_from_env() -> str | None:
    """The live API's bearer token: only ever from the environment, never from an argument."""
    token = os.environ.get(TOKEN_ENV_VAR, "").strip()
    return token or None
