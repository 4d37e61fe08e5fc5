"""The project's error tree: every failure a user can meet is one of these, with one line to show.

No exception type from httpx or msgspec crosses the core's boundary; the CLI prints
`inspector: error: <message>` and exits with `exit_code`, and the TUI shows the message.
"""

from __future__ import annotations


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
