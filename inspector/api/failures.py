"""Words for every way a fetch fails: HTTP statuses, `detail` bodies, timeouts, broken connections.

Server text is untrusted: it is redacted against the API key first, then sanitised and folded to
one line, so neither the key nor a terminal escape can reach a message.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final, Literal

import msgspec

from inspector.api.retry import is_retryable_status
from inspector.errors import (
    AuthError,
    BadResponseError,
    FetchError,
    FetchTimeoutError,
    NotFoundError,
    RateLimitedError,
    RejectedError,
    ServerError,
    TruncatedError,
    UnreachableError,
)
from inspector.model.decode import explain_malformed
from inspector.sanitize import one_line
from inspector.settings import KEY_ENV

Redact = Callable[[str], str]
Kind = Literal["timeout", "refused", "dns", "cut", "closed", "lost"]

#: How many entries of a 422 `detail` list a message quotes.
_MAX_DETAILS: Final = 4
_WINDOW: Final = 4096
_HINTS: Final = frozenset({"retry-after", "retry-after-ms"})


@dataclass(frozen=True, slots=True)
class Failure:
    """One failed attempt: the error to raise if it is the last, and whether to try again.

    The final message is `head`, then how many attempts were made (when more than one), then
    `tail`, so a retried failure reads "… (HTTP 429): gave up after 3 attempts; wait …".
    """

    kind: type[FetchError]
    head: str
    retryable: bool
    tail: str = ""
    status: int | None = None
    #: Short words for a retry notice: `HTTP 503 from api.humanloop.com`.
    reason: str = ""
    #: Only the answer's `Retry-After` headers: other headers could echo anything (a key too)
    #: and this object is a local in the frames a traceback would print.
    headers: Mapping[str, str] | None = None

    @classmethod
    def of(cls, error: FetchError) -> Failure:
        """A failure that is final whatever the attempt (a size cap, a redirect, …)."""
        return cls(type(error), error.message, retryable=False, status=error.status)

    def final(self, attempts: int, redact: Redact) -> FetchError:
        """The error to raise after `attempts` attempts."""
        tries = f": gave up after {attempts} attempts" if attempts > 1 else ""
        message = redact(f"{self.head}{tries}{self.tail}")
        return self.kind(message, status=self.status, attempts=attempts)


def error_for_status(
    status: int,
    phrase: str,
    headers: Mapping[str, str],
    body: bytes,
    *,
    host: str,
    log_id: str | None,
    redact: Redact,
) -> Failure:
    """The failure for a non-2xx answer, quoting the server's `detail` when it gave one."""
    detail = explain_detail(body, redact)
    said = f" (server said: {detail})" if detail else ""
    label = f"HTTP {status} {one_line(phrase, 40)}".rstrip()
    reason = f"HTTP {status} from {host}"
    if is_retryable_status(status):
        if status == 429:
            kind: type[FetchError] = RateLimitedError
            head, tail = f"rate limited by {host} (HTTP 429)", "; wait a minute, then try again"
        elif status >= 500:
            kind = ServerError
            head, tail = f"server error from {host} ({label}){said}", "; try again later"
        else:
            kind = RejectedError
            head, tail = f"{label} from {host}{said}", "; try again later"
        hints = {name: value for name, value in headers.items() if name.lower() in _HINTS}
        return Failure(kind, head, True, tail, status, reason, hints)
    if status in (401, 403):
        message = (
            f"HTTP {status} from {host}: the API key in {KEY_ENV} is missing, invalid or not "
            f"allowed to read this; check the key{said}"
        )
        return Failure(AuthError, message, False, status=status)
    if status == 404:
        if log_id is not None:
            message = (
                f"no log with id {one_line(log_id, 80)} at {host} (HTTP 404); check the id, and "
                f"--base-url if the log lives elsewhere{said}"
            )
        else:
            message = f"HTTP 404 from {host}: not found; check --base-url{said}"
        return Failure(NotFoundError, message, False, status=status)
    if 300 <= status <= 399:
        where = one_line(redact(headers.get("location", "")), 120) or "nowhere"
        message = (
            f"HTTP {status} from {host}: redirected to {where}; if that is the right server, "
            "use it as --base-url"
        )
        return Failure(BadResponseError, message, False, status=status)
    if 400 <= status <= 499:
        refused = f": the server refused the request: {detail}" if detail else ""
        return Failure(RejectedError, f"{label} from {host}{refused}", False, status=status)
    return Failure(BadResponseError, f"unexpected {label} from {host}{said}", False, status=status)


def failure_for(
    kind: Kind,
    where: str,
    timeout: float,
    status: int | None,
    received: int,
    exc: BaseException | None = None,
) -> Failure:
    """The failure for an attempt that got no complete answer: deadline or connection trouble."""
    if kind == "timeout":
        seconds = f"{timeout:g} s"
        if status is None:
            head = reason = f"no answer from {where} within {seconds}"
        else:
            reason = f"the answer from {where} did not finish within {seconds}"
            head = f"{reason} (HTTP {status}, {received} bytes received)"
        tail = "; raise --timeout, or check the server and the network"
        return Failure(FetchTimeoutError, head, True, tail, status, reason)
    if kind == "dns":
        head = f"cannot reach {where}: the host name does not resolve; check --base-url"
        return Failure(UnreachableError, head, False)
    if kind == "refused":
        why = _os_reason(exc)
        tail = "; check --base-url, that the server is running, and the network"
        head = f"cannot reach {where}: {why}"
        return Failure(UnreachableError, head, True, tail, None, head)
    if kind == "cut":
        head = f"the answer from {where} was cut off after {received} bytes (HTTP {status})"
        reason = f"the answer from {where} was cut off"
        return Failure(TruncatedError, head, True, "; try again", status, reason)
    if kind == "closed":
        # httpx's own words ("Server disconnected without sending a response.") add nothing.
        head = f"{where} closed the connection without answering"
        tail = "; check that --base-url is the API, then try again"
        return Failure(UnreachableError, head, True, tail, status, head)
    text = one_line(str(exc).rstrip("."), 80) if exc is not None else ""
    head = f"the connection to {where} was lost" + (f" ({text})" if text else "")
    return Failure(UnreachableError, head, True, "; try again", status, head)


def explain_detail(body: bytes, redact: Redact) -> str:
    """The server's explanation from a FastAPI-style error body, or "" when there is none.

    `detail` may be a string, an object with `description`, `message` or `msg` (and perhaps
    `origin`, the provider), or a list of `{loc, msg, type}`.
    """
    try:
        data: Any = msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return ""
    if not isinstance(data, dict):
        return ""
    detail = data.get("detail")
    if detail is None:
        detail = {key: data[key] for key in ("message", "error", "origin") if key in data}
    text = _detail_text(detail)
    return one_line(redact(text), 300) if text else ""


def _detail_text(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    if isinstance(detail, dict):
        for key in ("description", "message", "msg", "error"):
            value = detail.get(key)
            if isinstance(value, str) and value:
                origin = detail.get("origin")
                return f"{origin}: {value}" if isinstance(origin, str) and origin else value
            if isinstance(value, dict | list):
                return _detail_text(value)
        return ""
    if isinstance(detail, list):
        parts = [_entry_text(entry) for entry in detail]
        parts = [part for part in parts if part]
        more = len(parts) - _MAX_DETAILS
        shown = "; ".join(parts[:_MAX_DETAILS])
        return f"{shown}; and {more} more" if more > 0 else shown
    return ""


def _entry_text(entry: Any) -> str:
    if isinstance(entry, str):
        return entry
    if not isinstance(entry, dict):
        return ""
    message = entry.get("msg") or entry.get("message") or entry.get("type") or ""
    if not isinstance(message, str):
        message = str(message)
    loc = entry.get("loc")
    if isinstance(loc, list) and loc:
        return f"{'.'.join(str(part) for part in loc)}: {message}"
    return message


def explain_not_json(
    body: bytes, status: int, content_type: str, host: str, redact: Redact
) -> str | None:
    """Why a 2xx body is not JSON at all (status, content type, an excerpt); None if it is JSON."""
    # Redact first, on the whole body, so no excerpt can show even part of an echoed key.
    body = redact(body.decode("utf-8", "surrogateescape")).encode("utf-8", "surrogateescape")
    try:
        msgspec.json.decode(body)
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        problem = str(exc)
    except RecursionError:
        return None
    else:
        return None
    kind = one_line(content_type, 60) or "none given"
    window = body[:_WINDOW].decode("utf-8", "replace")
    if not body.strip():
        return f"HTTP {status} from {host} has an empty body (content type {kind})"
    if body.lstrip()[:1] in (b"{", b"["):
        why = explain_malformed(body, problem)
        return f"HTTP {status} from {host} is not valid JSON (content type {kind}): {why}"
    return (
        f"HTTP {status} from {host} is not JSON (content type {kind}): "
        f'"{one_line(window, 80)}"; is --base-url the API (it usually ends in /v4)?'
    )


def _os_reason(exc: BaseException | None) -> str:
    """ "connection refused" and the like, from the OSError under httpx's connect error."""
    cause = exc
    seen = 0
    while cause is not None and seen < 10:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, OSError) and cause.errno is not None:
            return (cause.strerror or errno.errorcode.get(cause.errno, "error")).lower()
        cause = cause.__cause__ or cause.__context__
        seen += 1
    return one_line(str(exc), 80) if exc is not None else "cannot connect"
