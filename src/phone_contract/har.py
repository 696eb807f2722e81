"""HTTP Archive 1.2 recording and reading, secrets redacted: shared by the gate, the proxy and learn.

A recorder redacts each exchange the moment it is added, so it never holds a secret: credential
headers keep only their scheme (``Bearer <redacted>``), every JSON ``password`` becomes
``<redacted>``, token-like query parameters lose their values, and every literal secret the redactor
knows (including the ones this exchange carried) is scrubbed from everything else. Files are written
with harfile, the HAR writer schemathesis uses; ``read_har`` reads ours and a browser's alike.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote, unquote_plus, urlencode, urlsplit, urlunsplit

import harfile

from phone_contract._http import header
from phone_contract._redact import Redactor
from phone_contract._secrets import REDACTED, TOKEN_LIKE_NAME, is_credential_header
from phone_contract._version import toolkit_version

# `Authorization: Bearer x` keeps `Bearer`: which scheme was used is worth knowing, and is no secret.
_AUTH_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9!#$%&'*+.^_`|~-]*")
_COOKIE_HEADERS = frozenset({"cookie", "set-cookie"})
_SCHEME_HEADERS = frozenset({"authorization", "proxy-authorization"})


@dataclass(frozen=True)
class Exchange:
    """One request and its answer, as recorded (redacted) or read back from a HAR file."""

    started: datetime  # aware, UTC
    method: str
    url: str
    request_headers: Sequence[tuple[str, str]]
    request_body: bytes
    status: int | None  # None: no answer (connection lost, timeout): HAR status 0, `reason` says why
    reason: str
    response_headers: Sequence[tuple[str, str]]
    response_body: bytes
    elapsed: float  # seconds spent waiting for the answer
    comment: str = ""  # "retry 1 after 503", "probe: ignored_auth"


@dataclass(slots=True)
class _PostData(harfile.PostData):
    # HAR 1.2's postData has no `encoding`; browsers and HAR tools add it as content does, for bytes.
    encoding: str | None = None

    def asdict(self) -> dict[str, Any]:
        data = harfile.PostData.asdict(self)
        if self.encoding is not None:
            data["encoding"] = self.encoding
        return data


@dataclass(frozen=True)
class _Entry:
    started: datetime
    time: float  # milliseconds, as HAR counts
    request: harfile.Request
    response: harfile.Response
    comment: str


class HarRecorder:
    """Collects exchanges, redacted as they arrive, and writes them as one HAR 1.2 file."""

    def __init__(self, redactor: Redactor, *, creator: str = "phone-contract") -> None:
        self._redactor = redactor
        self._creator = creator
        self._lock = threading.Lock()
        self._entries: list[_Entry] = []

    def add(self, exchange: Exchange) -> None:
        with self._lock:
            learn_secrets(self._redactor, exchange)
            self._entries.append(_entry(self._redactor, exchange))

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def write(self, path: Path) -> None:
        """Write every entry so far, in the order added; a reader never sees a half-written file."""
        with self._lock:
            entries = list(self._entries)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                creator = harfile.Creator(name=self._creator, version=toolkit_version())
                with harfile.HarFile(stream, creator=creator) as har:
                    for entry in entries:
                        har.add_entry(
                            startedDateTime=entry.started,
                            time=entry.time,
                            request=entry.request,
                            response=entry.response,
                            timings=harfile.Timings(send=0, wait=entry.time, receive=0),
                            comment=entry.comment or None,
                        )
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


def read_har(path: Path) -> list[Exchange]:
    """The exchanges of any HAR 1.2 file; ValueError with a one-line message if it is not one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise ValueError(f"cannot read HAR file {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path} is not a HAR file: not JSON ({error})") from None
    log = document.get("log") if isinstance(document, dict) else None
    entries = log.get("entries") if isinstance(log, dict) else None
    if not isinstance(entries, list):
        raise ValueError(f"{path} is not a HAR file: no log.entries list")
    exchanges = []
    for index, entry in enumerate(entries):
        try:
            exchanges.append(_exchange(entry))
        except (KeyError, TypeError, ValueError, AttributeError) as error:
            what = f"no {error}" if isinstance(error, KeyError) else str(error).splitlines()[0]
            raise ValueError(f"{path} is not a usable HAR file: entry {index}: {what}") from None
    return exchanges


# --- recording -------------------------------------------------------------------------------


def _entry(redactor: Redactor, exchange: Exchange) -> _Entry:
    url = _redact_url(redactor, exchange.url)
    text, encoding = _body_text(redactor, exchange.request_body)
    post_data = (
        _PostData(mimeType=_content_type(exchange.request_headers), text=text, encoding=encoding)
        if exchange.request_body
        else None
    )
    request = harfile.Request(
        method=exchange.method.upper(),
        url=url,
        httpVersion="HTTP/1.1",
        headers=_records(redactor, exchange.request_headers),
        queryString=[
            harfile.Record(name=name, value=value)
            for name, value in parse_qsl(urlsplit(url).query, keep_blank_values=True)
        ],
        postData=post_data,
        bodySize=len(exchange.request_body),
    )
    text, encoding = _body_text(redactor, exchange.response_body)
    answered = exchange.status is not None
    response = harfile.Response(
        status=exchange.status or 0,
        statusText=redactor.content(exchange.reason) if answered else "",
        httpVersion="HTTP/1.1" if answered else "",
        headers=_records(redactor, exchange.response_headers),
        content=harfile.Content(
            size=len(exchange.response_body),
            mimeType=_content_type(exchange.response_headers),
            text=text,
            encoding=encoding,
        ),
        redirectURL=_redact_url(redactor, header(exchange.response_headers, "location") or ""),
        bodySize=len(exchange.response_body) if answered else -1,
        # Why there was no answer (HAR readers show status 0 as "failed" and this as the reason).
        comment=None if answered else redactor.content(exchange.reason) or "no answer",
    )
    started = exchange.started if exchange.started.tzinfo else exchange.started.replace(tzinfo=UTC)
    return _Entry(
        started=started.astimezone(UTC),
        time=round(max(exchange.elapsed, 0.0) * 1000, 3),
        request=request,
        response=response,
        comment=redactor.content(exchange.comment),
    )


def learn_secrets(redactor: Redactor, exchange: Exchange) -> None:
    """Teach ``redactor`` the secrets this exchange carries (credential headers, token-like query
    parameters, JSON passwords), so an echo of one anywhere is scrubbed too. ``add`` does it itself."""
    for name, value in exchange.request_headers:
        for secret in _header_secrets(name, value):
            redactor.add(secret)
    for name, value in parse_qsl(urlsplit(exchange.url).query, keep_blank_values=True):
        if TOKEN_LIKE_NAME.search(name):
            redactor.add(value)
    password = urlsplit(exchange.url).password
    if password:
        redactor.add(password)
    with contextlib.suppress(ValueError):  # not JSON (UnicodeDecodeError is one): no password fields
        redactor.learn_from_body(json.loads(exchange.request_body))


def _header_secrets(name: str, value: str) -> Iterator[str]:
    lowered = name.lower()
    if lowered in _COOKIE_HEADERS:
        pairs = value.split(";") if lowered == "cookie" else value.split(";")[:1]
        yield from (pair.partition("=")[2].strip() for pair in pairs)
    elif is_credential_header(lowered):
        scheme, space, credential = value.strip().partition(" ")
        schemed = lowered in _SCHEME_HEADERS and space and _AUTH_SCHEME.fullmatch(scheme)
        yield credential.strip() if schemed else value.strip()


def _records(redactor: Redactor, headers: Sequence[tuple[str, str]]) -> list[harfile.Record]:
    return [harfile.Record(name=name, value=_header_value(redactor, name, value)) for name, value in headers]


def _header_value(redactor: Redactor, name: str, value: str) -> str:
    lowered = name.lower()
    if lowered == "cookie":
        names = (pair.partition("=")[0].strip() for pair in value.split(";") if pair.strip())
        return "; ".join(f"{redactor.content(cookie)}={REDACTED}" for cookie in names)
    if lowered == "set-cookie":
        first, separator, attributes = value.partition(";")
        cookie = redactor.content(first.partition("=")[0].strip())
        return f"{cookie}={REDACTED}{separator}{redactor.content(attributes)}"
    if is_credential_header(lowered):
        scheme, space, _ = value.strip().partition(" ")
        schemed = lowered in _SCHEME_HEADERS and space and _AUTH_SCHEME.fullmatch(scheme)
        return f"{scheme} {REDACTED}" if schemed else REDACTED
    return redactor.content(value)


def _redact_url(redactor: Redactor, url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", f":{quote(REDACTED)}@", 1))
    if parts.query:
        parts = parts._replace(query="&".join(_redact_parameter(pair) for pair in parts.query.split("&")))
    return redactor.content(urlunsplit(parts))


def _redact_parameter(pair: str) -> str:
    name, equals, _ = pair.partition("=")
    return f"{name}={quote(REDACTED)}" if equals and TOKEN_LIKE_NAME.search(unquote_plus(name)) else pair


def _body_text(redactor: Redactor, raw: bytes) -> tuple[str, str | None]:
    """A body as HAR text and its encoding: None for UTF-8 text, "base64" for other bytes."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # Latin-1 maps bytes to characters one to one, so ASCII secrets (tokens) are found in binary too.
        scrubbed = redactor.content(raw.decode("latin-1")).encode("latin-1")
        return base64.b64encode(scrubbed).decode("ascii"), "base64"
    try:
        document = json.loads(text)
    except ValueError:
        return redactor.content(text), None
    redacted = redactor.value(document)
    if redacted != document:
        return json.dumps(redacted, ensure_ascii=False), None
    # The text as sent where no field had to go; still scrubbed, for a secret echoed as a number.
    return redactor.content(text), None


def _content_type(headers: Sequence[tuple[str, str]]) -> str:
    return header(headers, "content-type") or ""


# --- reading ---------------------------------------------------------------------------------


def _exchange(entry: Mapping[str, Any]) -> Exchange:
    request, response = entry["request"], entry["response"]
    started = datetime.fromisoformat(entry["startedDateTime"])
    status = int(response["status"])
    timings = entry.get("timings") or {}
    wait = timings.get("wait", -1) if isinstance(timings, Mapping) else -1
    milliseconds = wait if isinstance(wait, int | float) and wait >= 0 else entry.get("time", 0)
    return Exchange(
        started=(started if started.tzinfo else started.replace(tzinfo=UTC)).astimezone(UTC),
        method=str(request["method"]),
        url=str(request["url"]),
        request_headers=_pairs(request.get("headers", [])),
        request_body=_request_body(request.get("postData")),
        status=status or None,
        reason=str(response.get("statusText") or ("" if status else response.get("comment", ""))),
        response_headers=_pairs(response.get("headers", [])),
        response_body=_decoded(response.get("content") or {}),
        elapsed=max(float(milliseconds or 0), 0.0) / 1000,
        comment=str(entry.get("comment", "")),
    )


def _pairs(records: Sequence[Mapping[str, Any]]) -> list[tuple[str, str]]:
    return [(str(record["name"]), str(record.get("value", ""))) for record in records]


def _request_body(post_data: Mapping[str, Any] | None) -> bytes:
    if not post_data:
        return b""
    if "text" in post_data:
        return _decoded(post_data)
    # Browsers record a form as its parameters only.
    parameters = [(str(p["name"]), str(p.get("value", ""))) for p in post_data.get("params", [])]
    return urlencode(parameters).encode("ascii")


def _decoded(content: Mapping[str, Any]) -> bytes:
    text = content.get("text") or ""
    if content.get("encoding") == "base64":
        return base64.b64decode(text, validate=True)
    return str(text).encode("utf-8")
