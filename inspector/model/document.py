"""`LogDocument`: one log as every view reads it, whichever API version or wrapper it came in."""

from __future__ import annotations

import msgspec

from inspector.model.log import LogResponse
from inspector.model.v5 import V5Log


class LogDocument(msgspec.Struct, frozen=True):
    """A decoded log together with the exact bytes it was decoded from.

    The typed `log` drives every view: for a v5 log it is the v4 view of it (see
    `inspector.model.bridge`), and `v5` holds what v4 has no place for (trace, reasoning
    tokens, file path). `raw` keeps what the model ignores (unknown fields, number
    spelling, key order) for the raw view and `--format json`.
    """

    log: LogResponse
    raw: bytes
    #: Where the bytes came from, for titles and messages: a path, `-` or a URL.
    source: str
    #: The v5 log, when the document is one (also for a wrapped one).
    v5: V5Log | None = None
    #: What could not be read, each ending with its JSON path; empty for a clean log.
    problems: tuple[str, ...] = ()
    #: What the document is when it is not a plain log (`a v5 evaluation record …`).
    note: str | None = None
    #: The log's own bytes when `raw` wraps it (a session event, an evaluation record).
    body: bytes | None = None

    @property
    def log_bytes(self) -> bytes:
        """The bytes of the log itself (`raw` unless the log came wrapped)."""
        return self.raw if self.body is None else self.body

    @property
    def version(self) -> str:
        """`v4` or `v5`."""
        return "v4" if self.v5 is None else "v5"

    @property
    def degraded(self) -> bool:
        """True when part of the log could not be read (or it is not a log at all)."""
        return bool(self.problems)
