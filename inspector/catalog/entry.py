"""The values the catalog hands out: a row of the list (`Entry`), a filter (`Query`), `Progress`."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import msgspec

from inspector.errors import InspectorError
from inspector.model.decode import LogDocument

#: Columns of the `logs` table, in the order of a `summary.Row`.
COLUMNS: Final = (
    "ordinal",
    "file",
    "offset",
    "length",
    "location",
    "id",
    "created_at",
    "created_ts",
    "label",
    "model",
    "config_type",
    "status",
    "error",
    "invalid",
    "finish_reason",
    "prompt_tokens",
    "output_tokens",
    "total_tokens",
    "cost",
    "latency",
    "output",
    "session_id",
    "parent_id",
    "project_id",
    "feedback",
    "feedback_count",
    "evaluation_count",
)
#: Columns of the `places` table, in the order of a `summary.Place`: where each log is and
#: what the first pass of a big source learns of it (its id for copies, its time for the
#: list's order). The first six are those of `COLUMNS`.
PLACE_COLUMNS: Final = (*COLUMNS[:6], "created_ts", "invalid")
#: Orders the `places` table can give before every row is built (see `Catalog`).
PLACE_SORTS: Final = frozenset({"ordinal", "id", "created_at"})


class Entry(msgspec.Struct, frozen=True):
    """One log of the list, as indexed (text fields are raw log text: sanitise to show)."""

    #: Position of the log in the source, from 0: the key of every other call.
    ordinal: int
    #: Which file of the source holds it (0 unless the source is a folder).
    file: int
    #: Byte offset and length of the log's exact bytes in that file; for a record of a
    #: list page placed by one decode of the page, the offset is None and the length its
    #: index in the page's `records` (`Catalog.span` finds its bytes).
    offset: int | None
    length: int
    #: Where it is, for people: `line 12`, `[3]`, `records[3]`, `a.json`.
    location: str
    #: The log id; None for an invalid record without one.
    id: str | None
    created_at: datetime | None
    #: The model, else the config name (`describe.config_label`).
    label: str
    model: str | None
    config_type: str | None
    #: `observability_status`, or `invalid` for a record that is not a readable log.
    status: str
    #: The log's `error`, or why an invalid record could not be read.
    error: str | None
    invalid: bool
    finish_reason: str | None
    prompt_tokens: int | None
    output_tokens: int | None
    total_tokens: int | None
    #: Prompt plus output cost in USD.
    cost: float | None
    #: `provider_latency`, else `duration`, in seconds.
    latency: float | None
    #: First line of the output (or of the output message), at most 300 characters.
    output: str
    session_id: str | None
    parent_id: str | None
    project_id: str | None
    #: Feedback in short: `rating: good; issue: missing_detail`.
    feedback: str
    feedback_count: int
    evaluation_count: int

    @classmethod
    def from_row(cls, row: tuple[Any, ...]) -> Entry:
        """Build an entry from a row in `COLUMNS` order."""
        values = list(row)
        created = values[6]
        values[6] = datetime.fromisoformat(created) if created else None
        del values[7]  # created_ts: only for sorting
        values[12] = bool(values[12])
        return cls(*values)


#: Names `Catalog.query(sort=…)` accepts: every column a person can read, an `Entry`
#: field each (not where a log is stored, nor the sort helper `created_ts`).
SORTS: Final = frozenset(COLUMNS) - {
    "file",
    "offset",
    "length",
    "location",
    "created_ts",
    "invalid",
}


class Query(msgspec.Struct, frozen=True):
    """Which logs to list. Every field left at its default matches everything.

    Filters combine with AND. Text matches whole words and word prefixes in the id,
    the output, all message text and the error; any input is safe (it is never parsed
    as query syntax).
    """

    #: Words to find (each word, or a word starting with it, must occur).
    text: str = ""
    #: Exactly this model (one of `Catalog.models()`).
    model: str | None = None
    #: Exactly this status (one of `Catalog.statuses()`).
    status: str | None = None
    #: Only logs with an error, and records that are not readable logs.
    errors_only: bool = False
    #: A feedback type or value containing this text (case-insensitive).
    feedback: str | None = None
    #: Only the logs of this session.
    session_id: str | None = None
    #: Only logs created at or after / before this moment (seconds since the epoch).
    since: float | None = None
    until: float | None = None


def from_places(query: Query, sort: str) -> bool:
    """Whether the list of places answers `query` in this order before every row of a
    big source is built: no filter, and an order the places hold (time, source, id)."""
    return query == Query() and sort in PLACE_SORTS


class Progress(msgspec.Struct, frozen=True):
    """How far indexing has gone. Listing comes first; text search catches up after."""

    #: Logs listed so far: what `query` and `count` see.
    indexed: int
    #: Logs whose text is searchable so far (text search sees only these).
    searchable: int
    #: Logs whose full row is built so far: what filters, orders other than by time or
    #: id, and totals see. A big source is listed before its rows are built (`Catalog`).
    rows: int
    #: Bytes of the source listed so far, and in all.
    bytes_done: int
    bytes_total: int
    #: Every log is listed: the count is final, and the list in time order complete.
    listed: bool
    #: Listing and text indexing have both finished, or indexing failed.
    done: bool
    #: Why indexing stopped early, as one line; None while all is well.
    error: str | None
    #: Something worth saying that is not an error (the index cache is off), or None.
    note: str | None = None

    @property
    def fraction(self) -> float:
        """Share of the work done, from 0 to 1, for a progress bar."""
        if self.done:
            return 1.0
        if not self.bytes_total:
            return 0.0
        listed = self.bytes_done / self.bytes_total
        rows = self.rows / self.indexed if self.listed and self.indexed else 0.0
        searchable = self.searchable / self.indexed if self.listed and self.indexed else 0.0
        # Listing comes first and is quick (then the rows, when built apart); the text
        # index takes most of the time.
        return min(1.0, 0.15 * listed + 0.15 * rows + 0.7 * searchable)

    @property
    def complete(self) -> bool:
        """Every log is listed and has its row: filters, orders and totals see them all."""
        return self.listed and self.rows >= self.indexed


class SingleLog(InspectorError):
    """Raised by `Catalog.open` for a source that holds one log; `document` is that log."""

    def __init__(self, document: LogDocument) -> None:
        super().__init__(f"{document.source}: holds one log, not a list")
        self.document = document
