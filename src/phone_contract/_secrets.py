"""What counts as a secret, for every part that writes anything out (gate, mock, proxy, HAR, learn)."""

from __future__ import annotations

import re

# The environment variable the live API's bearer token is read from: never an argument, never printed.
TOKEN_ENV_VAR = "FREYA_API_TOKEN"  # noqa: S105 - the name of a variable, not a token
# JSON fields whose values are secrets wherever they sit (``config.sipOutbound.password``).
SECRET_KEYS = frozenset({"password"})
# Headers that carry credentials: redacted in every report and recording.
CREDENTIAL_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key", "api-key"}
)
# Names of query parameters and headers whose values are credentials (`?access_token=`, `?api_key=`,
# `X-Auth-Token:`, `?sig=`...), beside the headers above.
TOKEN_LIKE_NAME = re.compile(r"token|secret|passw|api[-_]?key|auth|signature|^sig$|credential", re.IGNORECASE)
REDACTED = "<redacted>"
# A bearer token shorter than this ("abc") turns up in bodies by chance: an answer holding one is no
# evidence of a leak, so the gate's token_not_leaked and the proxy do not look for it.
MIN_TOKEN_LENGTH = 8


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer ...`` value, when it is long enough to look for."""
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    return token if scheme.lower() == "bearer" and len(token) >= MIN_TOKEN_LENGTH else None


def is_credential_header(name: str) -> bool:
    """Whether a header of this name carries a credential (the known ones, or a token-like name)."""
    lowered = name.lower()
    return lowered in CREDENTIAL_HEADERS or TOKEN_LIKE_NAME.search(lowered) is not None
