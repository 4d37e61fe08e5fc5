"""The rows of the list screen: its columns, and one log's cells as plain, safe text."""

from __future__ import annotations

from typing import Final

from rich.text import Text

from inspector.catalog import Entry
from inspector.present import words as d
from inspector.sanitize import one_line

#: (column title, sort key, width); the output column takes what is left.
COLUMNS: Final = [
    ("created", "created_at", 16),
    ("id", "id", 0),
    ("model / config", "label", 0),
    ("status", "status", 10),
    ("tokens", "total_tokens", 7),
    ("cost", "cost", 10),
    ("latency", "latency", 8),
    ("output", "output", 0),
]
SORT_TITLES: Final = {key: title for title, key, _ in COLUMNS} | {
    "session_id": "session",
    "feedback": "feedback",
    "evaluation_count": "evaluations",
}


def row_cells(entry: Entry) -> list[Text]:
    """The cells of one row; every text from the log is one sanitised line."""
    created = entry.created_at.strftime("%Y-%m-%d %H:%M") if entry.created_at else "—"
    if entry.invalid:
        status = Text("✗ invalid", "bold red")
    elif entry.error:
        status = Text("✗ error", "bold red")
    elif entry.status == "completed":
        status = Text(one_line(entry.status, 12), "green")
    else:
        status = Text(one_line(entry.status, 12), "yellow")
    # A log that failed shows its error where its output would be.
    output = one_line(entry.output or entry.error or "", 200)
    output_style = "red" if entry.error and not entry.output else ""
    return [
        Text(created),
        Text(one_line(entry.id or "—", 40), "bold"),
        Text(one_line(entry.label, 40)),
        status,
        Text(d.format_count(entry.total_tokens), justify="right"),
        Text(d.format_cost(entry.cost), justify="right"),
        Text(d.format_seconds(entry.latency), justify="right"),
        Text(output, output_style),
    ]
