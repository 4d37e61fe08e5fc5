"""The project's error tree: every failure a user can meet is one of these, with one line to show.

No exception type from httpx or msgspec crosses the core's boundary; the CLI prints
`inspector: error: <message>` and exits with `exit_code`, and the TUI shows the message.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from inspector.sanitize import one_line


class InspectorError(Exception):
    """A failure with a message fit to show a user as it is."""

    exit_code: int = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UsageError(InspectorError):
    """The command line asks for something impossible (exit status 2, like argparse)."""

    exit_code = 2


class SourceError(InspectorError):
    """A target cannot be read: a missing file, an unreadable folder, an empty stdin."""


class LogDecodeError(InspectorError):
    """Bytes that are not a Humanloop log: malformed JSON, wrong types, missing fields.

    `path` is the JSON path of the offending value (`$.messages[1].role`) when known.
    """

    def __init__(self, message: str, *, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


class SettingsError(InspectorError):
    """The settings file or an environment variable holds a value that cannot be used."""


class FetchError(InspectorError):
    """Fetching from the Humanloop API failed; subclasses name the way it failed."""

    def __init__(self, message: str, *, status: int | None = None, attempts: int = 1) -> None:
        super().__init__(message)
        #: The HTTP status of the last answer, when there was one.
        self.status = status
        #: How many requests were sent before giving up.
        self.attempts = attempts


class MissingKeyError(FetchError):
    """`HUMANLOOP_API_KEY` is not set, so no request is sent."""


class InsecureURLError(FetchError):
    """The base URL is plain `http://` to a host that is not loopback, and `--insecure` is off."""


class AuthError(FetchError):
    """HTTP 401 or 403: the key is missing, invalid or not allowed."""


class NotFoundError(FetchError):
    """HTTP 404: no log with that id (or a wrong base URL)."""


class RejectedError(FetchError):
    """HTTP 400, 422 or another 4xx: the server refused the request; the message quotes `detail`."""


class RateLimitedError(FetchError):
    """HTTP 429 on every attempt."""


class ServerError(FetchError):
    """HTTP 5xx on every attempt."""


class FetchTimeoutError(FetchError):
    """No complete answer within the deadline of an attempt, on every attempt."""


class UnreachableError(FetchError):
    """The host cannot be reached: connection refused or reset, or its name does not resolve."""


class TruncatedError(FetchError):
    """The connection closed before the whole answer arrived, on every attempt."""


class TooLargeError(FetchError):
    """The answer is bigger than the size cap (declared, streamed or once decompressed)."""


class BadResponseError(FetchError):
    """An answer inspector cannot use: not JSON, a redirect, an unknown encoding, corrupt gzip."""


@contextmanager
def reading(path: str, name: str | None = None) -> Iterator[None]:
    """Turn the ways opening or reading a file fails into one-line `SourceError`s."""
    shown = one_line(name or path, 200)
    try:
        yield
    except FileNotFoundError:
        raise SourceError(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise SourceError(f"{shown}: is a folder, not a file") from None
    except PermissionError:
        raise SourceError(f"{shown}: permission denied") from None
    except OSError as exc:
        raise SourceError(f"{shown}: cannot read: {exc.strerror or exc}") from None
