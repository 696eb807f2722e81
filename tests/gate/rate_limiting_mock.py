"""``python rate_limiting_mock.py EVERY WAIT mock ARGS...``: ``phone-contract mock`` behind a rate limiter.

Every EVERY-th POST (``always``: every POST) is answered 429 Too Many Requests with
``Retry-After: WAIT``, as a real API may answer the gate's burst of requests: that is no contract
break, and the gate must neither report one nor give up while the API lets it through.
"""

from __future__ import annotations

import sys
from typing import Any

from phone_contract import cli
from phone_contract.mock import command as mock_command
from phone_contract.mock import create_app as make_app
from phone_contract.mock.app import MockApp
from phone_contract.mock.asgi import Receive, Scope, Send, dump

TOO_MANY = dump({"success": False, "error": {"code": "rate_limited", "message": "slow down"}})


class RateLimitedMock:
    """The mock, but every ``every``-th POST (or every one) gets 429 first."""

    def __init__(self, mock: MockApp, every: str, wait: str) -> None:
        self._mock = mock
        self._every = every
        self._wait = wait.encode()
        self._posts = 0
        # What `phone-contract mock` prints on start: the wrapped mock's own.
        self.root = mock.root
        self.spec_path = mock.spec_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] == "POST":
            self._posts += 1
            if self._every == "always" or self._posts % int(self._every) == 0:
                headers = [(b"content-type", b"application/json"), (b"retry-after", self._wait)]
                await send({"type": "http.response.start", "status": 429, "headers": headers})
                await send({"type": "http.response.body", "body": TOO_MANY})
                return
        await self._mock(scope, receive, send)


def main(every: str, wait: str, argv: list[str]) -> int:
    def rate_limited(**kwargs: Any) -> RateLimitedMock:
        return RateLimitedMock(make_app(**kwargs), every, wait)

    # mock.command imported create_app by name: replace it where the command looks it up.
    vars(mock_command)["create_app"] = rate_limited
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], sys.argv[3:]))
