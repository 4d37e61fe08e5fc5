"""What the list screen says: its title line, the filters in use, the selected log's details."""

from __future__ import annotations

from inspector.catalog import Entry, Progress, Query, from_places
from inspector.present.words import plural
from inspector.sanitize import one_line
from inspector.tui.widgets.list_rows import SORT_TITLES

#: The field filters by `Query` field, as the filters line and the chooser name them.
FILTER_NAMES = {
    "model": "model",
    "status": "status",
    "errors_only": "errors only",
    "feedback": "feedback",
    "session_id": "session",
}

#: The `Query` fields each list action needs (any one of them; "sort" for sorting).
ACTION_NEEDS = {
    "filter_by": frozenset(FILTER_NAMES),
    "session": frozenset({"session_id"}),
    "sort": frozenset({"sort"}),
    "reverse": frozenset({"sort"}),
}


def title_line(
    label: str,
    progress: Progress | None,
    *,
    matching: int,
    shown: int,
    query: Query,
    order: tuple[str, bool] | None,
    first: int = 0,
) -> str:
    """`export.jsonl · 1,200 logs · 3 matches · showing 3 · sorted by created ↓`.

    `order` is the sort key and whether it is descending, or None when the server orders;
    `first` is the place of the first row shown (`showing 201–400` when not 0).
    """
    total = progress.indexed if progress is not None else matching
    parts = [one_line(label, 80)]
    if progress is not None and not progress.listed:
        parts.append(f"indexing… {plural(total, 'log')} so far")
    elif progress is not None:
        parts.append(plural(total, "log"))
    if query != Query() or progress is None:
        parts.append(plural(matching, "match", "matches"))
    parts.append(f"showing {first + 1:,}–{first + shown:,}" if first else f"showing {shown:,}")
    if (
        progress is not None
        and not progress.complete
        and progress.listed
        and (order is None or not from_places(query, order[0]))
    ):
        parts.append(f"filters and sorts see {progress.rows:,} so far")
    elif progress is not None and progress.listed and not progress.done and query.text:
        parts.append(f"text search covers {progress.searchable:,} so far")
    if order is None:
        parts.append("in the server's order")
    else:
        key, descending = order
        parts.append(f"sorted by {SORT_TITLES.get(key, key)} {'↓' if descending else '↑'}")
    return " · ".join(parts)


def _filter_value(name: str, query: Query, width: int = 30) -> str:
    """The value of one field filter, short: `any`, `no`, or the (log's) text chosen."""
    if name == "errors_only":
        return "yes" if query.errors_only else "no"
    value = getattr(query, name)
    return one_line(value, width) if value else "any"


def filters_line(query: Query, filters: frozenset[str]) -> str:
    """The field filters this list can apply, each with its value (`f` sets them, `F` clears)."""
    items = [
        f"{FILTER_NAMES[name]}: {_filter_value(name, query, 40 if name == 'model' else 30)}"
        for name in FILTER_NAMES
        if name in filters
    ]
    if not items:
        return "the API filters by text only (/); open a file of logs to filter and sort more"
    return "   ".join(items)


def filter_choice(name: str, query: Query) -> str:
    """One entry of the "Filter by…" chooser: the filter, what choosing does, its value now."""
    what = {
        "errors_only": "Errors only, or all",
        "model": "Model…",
        "status": "Status…",
        "feedback": "Feedback…",
        "session_id": "The selected log's session, or all",
    }[name]
    return f"{what:<36} now: {_filter_value(name, query, 24)}"


def details_lines(entry: Entry | None, *, filtered: bool) -> str:
    """Two lines about the selected log: where it belongs, and its error."""
    if entry is None:
        return "No logs match: F clears the filters." if filtered else "No logs yet."
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
