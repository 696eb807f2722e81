"""``python guessable_ids_mock.py LOG mock ARGS...``: ``phone-contract mock`` with ids ``1``, ``2``, ``3``...

Some APIs number what they create: an id a fuzzer makes up (``"1"``) then names a real resource,
someone else's. The wrapper gives each resource the mock creates the next small number as its id (in
every answer) and maps it back in every request; each id it hands out is appended to LOG. An id it
never handed out goes to the mock as it came, which answers it as unknown.
"""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path
from typing import Any

from phone_contract import cli
from phone_contract.mock import command as mock_command
from phone_contract.mock import create_app as make_app
from phone_contract.mock.app import MockApp
from phone_contract.mock.asgi import Message, Receive, Scope, Send, dump, read_body, replay


class GuessableIds:
    """The mock, its ids swapped for 1, 2, 3... both ways."""

    def __init__(self, mock: MockApp, log: Path) -> None:
        self._mock = mock
        self._log = log
        self._short: dict[str, str] = {}
        self._real: dict[str, str] = {}
        # What `phone-contract mock` prints on start: the wrapped mock's own.
        self.root = mock.root
        self.spec_path = mock.spec_path

    def _shorten(self, real: str) -> str:
        if real not in self._short:
            short = str(len(self._short) + 1)
            self._short[real], self._real[short] = short, real
            with self._log.open("a", encoding="utf-8") as log:
                log.write(short + "\n")
        return self._short[real]

    def _swap(self, value: Any, into: Any) -> Any:
        if isinstance(value, dict):
            return {
                key: into(item) if key == "id" and isinstance(item, str) else self._swap(item, into)
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [self._swap(item, into) for item in value]
        return value

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._mock(scope, receive, send)
            return
        body = await read_body(receive)
        try:
            sent = json.loads(body)
        except ValueError:
            pass
        else:
            body = json.dumps(self._swap(sent, lambda ident: self._real.get(ident, ident))).encode()
        answer: dict[str, Any] = {"chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["start"] = message
            else:
                answer["chunks"].append(message.get("body", b""))

        await self._mock(scope, replay(body), capture)
        content = b"".join(answer["chunks"])
        with contextlib.suppress(ValueError):
            content = dump(self._swap(json.loads(content), self._shorten))
        start = answer["start"]
        headers = [
            (name, value) for name, value in start.get("headers", []) if name.lower() != b"content-length"
        ]
        headers.append((b"content-length", str(len(content)).encode()))
        await send({"type": "http.response.start", "status": start["status"], "headers": headers})
        await send({"type": "http.response.body", "body": content})


def main(log: str, argv: list[str]) -> int:
    def guessable(**kwargs: Any) -> GuessableIds:
        return GuessableIds(make_app(**kwargs), Path(log))

    # mock.command imported create_app by name: replace it where the command looks it up.
    vars(mock_command)["create_app"] = guessable
    return cli.main(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
