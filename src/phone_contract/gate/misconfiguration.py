"""A run set up wrong shows in its first answers: stop it there, before the budget is spent.

A wrong or expired token gets 401 on every request, a ``--base-url`` without the API's prefix gets
404 on every request; both are documented statuses, so without this the gate would report them as
a pass with its checks "not run", or as a broken contract, when nothing of the contract was checked.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from phone_contract._secrets import TOKEN_ENV_VAR

# How many answers decide: few enough to stop early, enough that one odd answer decides nothing.
FIRST_ANSWERS = 5
REFUSALS = frozenset({401, 403})


@dataclass
class FirstAnswers:
    """Watches the first answers of a run; :meth:`see` returns the one line that stops it, if any."""

    base_url: str
    # Where the spec mounts the API (``/api/v2``), to suggest the URL the user meant.
    base_path: str = ""
    ids_pinned: bool = True
    _all_404: bool = True
    _answers: int = 0
    _refused: Counter[int] = field(default_factory=Counter)
    _authenticated: int = 0

    def see(self, status: int, *, authenticated: bool) -> str | None:
        """Note one final answer; the reason the run cannot go on, if the first answers show one."""
        self._answers += 1
        self._all_404 = self._all_404 and status == 404
        if self._all_404 and self._answers >= FIRST_ANSWERS:
            return self._not_found()
        if authenticated:
            self._authenticated += 1
            if status in REFUSALS:
                self._refused[status] += 1
            if self._authenticated >= FIRST_ANSWERS and sum(self._refused.values()) == self._authenticated:
                return self._token_refused()
        return None

    def _not_found(self) -> str:
        line = "every request was answered 404: is --base-url the API root, e.g. "
        if self.base_path and not self.base_url.endswith(self.base_path):
            return line + f"{_origin(self.base_url)}{self.base_path}?"
        line = f"every request was answered 404: is --base-url {self.base_url} the API root?"
        if not self.ids_pinned:
            line += " (an API may also answer 404 for made-up workspace IDs: pin one with --workspace-id)"
        return line

    def _token_refused(self) -> str:
        status, _ = self._refused.most_common(1)[0]
        line = f"the API refused the token in {TOKEN_ENV_VAR}: {status} on every request"
        if status == 403 and not self.ids_pinned:
            line += " (or the made-up workspace and user IDs: pin them with --workspace-id and --user-id)"
        return line


def _origin(url: str) -> str:
    """``scheme://host[:port]`` of ``url``: where the spec's base path is suggested from."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
