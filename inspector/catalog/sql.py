"""SQL for the catalog's queries: filters, sort orders and the rows either side of a row.

User input only ever reaches SQLite as bound parameters. Text for the full-text index
is first split into terms by the index's own tokenizer, and each term is quoted
(`"word"*`), so quotes, `*`, `OR`, `NEAR(` and the like are searched for as words (or
dropped, being no words) and can never change the query's meaning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from inspector.catalog.entry import SORTS, Query

#: Columns compared case-insensitively when sorting.
_TEXT_SORTS: Final = frozenset(
    {"id", "label", "model", "config_type", "status", "error", "finish_reason", "output"}
    | {"session_id", "parent_id", "project_id", "feedback"}
)
#: Words of a text query beyond this many are ignored (each one costs an index lookup).
MAX_WORDS: Final = 16
_FTS_COLUMNS: Final = ("id", "output", "messages", "error")
#: The condition on a text query's matches once the store has gathered them.
MATCHED: Final = "ordinal IN temp.matched"


def fts_expression(terms: list[str]) -> str | None:
    """A safe FTS5 query requiring every term: as a prefix, or whole if it is short.

    `terms` come from the index's tokenizer (see `Store.terms`). A short prefix would
    expand to a large part of the vocabulary and take seconds on a big source, so one
    character, or two ASCII ones, must match whole. At a million logs, `"an"*` expands
    to 754 words and 36 million entries in one of the index's three parts (2.6 s to
    count in all three), `"an"` is one word (0.03 s), and `"and"*` 35 words (0.3 s).
    Two characters of another script stay a prefix: in Chinese or Japanese, written
    without spaces, a word is found only as the start of a longer token. None when
    there are no terms.
    """
    quoted = []
    for term in terms[:MAX_WORDS]:
        text = '"' + term.replace('"', '""') + '"'
        whole = len(term) == 1 or (len(term) == 2 and term.isascii())
        quoted.append(text if whole else text + "*")
    return " ".join(quoted) or None


def like_pattern(text: str) -> str:
    r"""A LIKE pattern matching `text` anywhere, with `%`, `_` and `\` taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def where(
    query: Query,
    terms: list[str] | None,
    texts: Sequence[str] = ("textdb",),
    *,
    matched: bool = False,
) -> tuple[str, list[Any]]:
    """The WHERE clause (without the keyword) and its parameters for `query`.

    `terms` are the words of `query.text` as split by the index; None when SQLite has
    no FTS5, and text is then matched with LIKE. `texts` names the attached databases
    of the text index (the catalog's, and a worker's each): every one is asked; or,
    if `matched`, the table `temp.matched` is, which the store fills with their
    answer to `fts_expression(terms)` (see `Store.read`).
    """
    parts: list[str] = []
    params: list[Any] = []
    if terms is not None:
        expression = fts_expression(terms)
        if expression is not None and matched:
            parts.append(MATCHED)
        elif expression is not None:
            asked = [f"SELECT rowid FROM {name}.search WHERE search MATCH ?" for name in texts]
            parts.append(f"ordinal IN ({' UNION ALL '.join(asked)})")
            params.extend([expression] * len(texts))
    else:
        # No FTS5 in this SQLite: every word must occur somewhere, as a substring.
        # Words without a letter or digit are dropped, as the tokenizer drops them.
        words = [word for word in query.text.split() if any(char.isalnum() for char in word)]
        for word in words[:MAX_WORDS]:
            matches = " OR ".join(f"{column} LIKE ? ESCAPE '\\'" for column in _FTS_COLUMNS)
            parts.append(f"ordinal IN (SELECT rowid FROM {texts[0]}.search WHERE {matches})")
            params.extend([like_pattern(word)] * len(_FTS_COLUMNS))
    for column in ("model", "status", "session_id"):
        value = getattr(query, column)
        if value is not None:
            parts.append(f"{column} = ?")
            params.append(value)
    if query.errors_only:
        parts.append("error IS NOT NULL")
    if query.since is not None:
        parts.append("created_ts >= ?")
        params.append(query.since)
    if query.until is not None:
        parts.append("created_ts < ?")
        params.append(query.until)
    if query.feedback:
        parts.append(
            "ordinal IN (SELECT ordinal FROM feedback"
            " WHERE type LIKE ? ESCAPE '\\' OR value LIKE ? ESCAPE '\\')"
        )
        params.extend([like_pattern(query.feedback)] * 2)
    return " AND ".join(parts) or "1", params


def _column(sort: str) -> tuple[str, str]:
    """The sort's column (by name, never from input) and its collation."""
    if sort not in SORTS:
        raise ValueError(f"cannot sort by {sort!r}; choose one of {', '.join(sorted(SORTS))}")
    column = "created_ts" if sort == "created_at" else sort
    return column, " COLLATE NOCASE" if sort in _TEXT_SORTS else ""


def order_by(sort: str, descending: bool, *, reverse: bool = False) -> str:
    """The ORDER BY clause: empty values last, ties in source order.

    `reverse` gives the exact reverse of the order (to walk backwards from a row).
    """
    column, collate = _column(sort)
    way = "DESC" if descending != reverse else "ASC"
    if sort == "ordinal":
        return f"ordinal {way}"
    tie = "DESC" if reverse else "ASC"
    nulls = "DESC" if reverse else "ASC"
    return f"({column} IS NULL) {nulls}, {column}{collate} {way}, ordinal {tie}"


def after(sort: str, descending: bool, value: Any, ordinal: int) -> tuple[str, list[Any]]:
    """A condition true for the rows after the row (`value`, `ordinal`) in the order."""
    column, collate = _column(sort)
    beyond = "<" if descending else ">"
    if sort == "ordinal":
        return f"ordinal {beyond} ?", [ordinal]
    if value is None:
        return f"({column} IS NULL AND ordinal > ?)", [ordinal]
    return (
        f"({column} IS NULL OR {column}{collate} {beyond} ?"
        f" OR ({column}{collate} = ? AND ordinal > ?))",
        [value, value, ordinal],
    )


def before(sort: str, descending: bool, value: Any, ordinal: int) -> tuple[str, list[Any]]:
    """A condition true for the rows before the row (`value`, `ordinal`) in the order."""
    column, collate = _column(sort)
    short = ">" if descending else "<"
    if sort == "ordinal":
        return f"ordinal {short} ?", [ordinal]
    if value is None:
        return f"({column} IS NOT NULL OR ordinal < ?)", [ordinal]
    return (
        f"({column} IS NOT NULL AND ({column}{collate} {short} ?"
        f" OR ({column}{collate} = ? AND ordinal < ?)))",
        [value, value, ordinal],
    )


def sort_column(sort: str) -> str:
    """The column holding the sort's values (to read a row's value before `after`)."""
    return _column(sort)[0]
