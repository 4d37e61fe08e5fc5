"""What the list screen says: its title line, the filters in use, the selected log's details."""

from __future__ import annotations

from inspector.catalog import Entry, Progress, Query
from inspector.present.words import plural
from inspector.sanitize import one_line
from inspector.tui.widgets.list_rows import SORT_TITLES

#: Filter keys shown on the filters line, by `Query` field.
FILTER_KEYS = {
    "model": "m",
    "status": "t",
    "errors_only": "e",
    "feedback": "f",
    "session_id": "i",
}

#: The `Query` field each list action needs ("sort" for sorting), to offer only what works.
ACTION_NEEDS = {
    "errors_only": "errors_only",
    "filter_model": "model",
    "filter_status": "status",
    "filter_feedback": "feedback",
    "session": "session_id",
    "sort": "sort",
    "reverse": "sort",
}


def title_line(
    label: str,
    progress: Progress | None,
    *,
    matching: int,
    shown: int,
    query: Query,
    order: tuple[str, bool] | None,
) -> str:
    """`export.jsonl · 1,200 logs · 3 matches · showing 3 · sorted by created ↓`.

    `order` is the sort key and whether it is descending, or None when the server orders.
    """
    total = progress.indexed if progress is not None else matching
    parts = [one_line(label, 80)]
    if progress is not None and not progress.listed:
        parts.append(f"indexing… {plural(total, 'log')} so far")
    elif progress is not None:
        parts.append(plural(total, "log"))
    if query != Query() or progress is None:
        parts.append(plural(matching, "match", "matches"))
    parts.append(f"showing {shown:,}")
    if progress is not None and progress.listed and not progress.done and query.text:
        parts.append(f"text search covers {progress.searchable:,} so far")
    if order is None:
        parts.append("in the server's order")
    else:
        key, descending = order
        parts.append(f"sorted by {SORT_TITLES.get(key, key)} {'↓' if descending else '↑'}")
    return " · ".join(parts)


def filters_line(query: Query, filters: frozenset[str]) -> str:
    """The filters this list can apply, each with its value and key."""
    values = {
        "model": one_line(query.model, 40) if query.model else "any",
        "status": one_line(query.status, 20) if query.status else "any",
        "errors_only": "yes" if query.errors_only else "no",
        "feedback": one_line(query.feedback, 30) if query.feedback else "any",
        "session_id": one_line(query.session_id, 30) if query.session_id else "any",
    }
    names = {"errors_only": "errors only", "session_id": "session"}
    items = [
        f"{names.get(name, name)}: {values[name]} ({key})"
        for name, key in FILTER_KEYS.items()
        if name in filters
    ]
    if not items:
        return "the API filters by text only (/); open a file of logs to filter and sort more"
    return "   ".join(items)


def details_lines(entry: Entry | None, *, filtered: bool) -> str:
    """Two lines about the selected log: where it belongs, and its error."""
    if entry is None:
        return "No logs match: c clears the filters." if filtered else "No logs yet."
    facts = [
        f"session {entry.session_id}" if entry.session_id else "",
        f"parent {entry.parent_id}" if entry.parent_id else "",
        plural(entry.evaluation_count, "evaluation") if entry.evaluation_count else "",
        f"feedback {entry.feedback}" if entry.feedback else "",
        entry.location,
    ]
    line = one_line(" · ".join(f for f in facts if f), 400)
    error = f"error: {one_line(entry.error, 300)}" if entry.error else ""
    return f"{line}\n{error}".rstrip()


def failure_text(message: str, *, reloadable: bool, back: bool) -> str:
    """The list's error state: what went wrong, and only the keys that help."""
    keys = ["r retry" if reloadable else "", "o open a file or folder instead"]
    keys += ["escape back" if back else "", "q quit"]
    return f"{one_line(message, 600)}\n\n{' · '.join(key for key in keys if key)}"
