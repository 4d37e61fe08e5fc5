"""The rows of the list screen: columns fitted to the width, and one log's cells as safe text."""

from __future__ import annotations

from typing import Final, NamedTuple

from rich.text import Text

from inspector.catalog import Entry
from inspector.present import words as d
from inspector.sanitize import one_line

#: (column title, sort key) of every column, in order; the sort chooser offers these.
ALL_COLUMNS: Final = [
    ("created", "created_at"),
    ("id", "id"),
    ("model / config", "label"),
    ("status", "status"),
    ("tokens", "total_tokens"),
    ("cost", "cost"),
    ("latency", "latency"),
    ("output", "output"),
]
SORT_TITLES: Final = {key: title for title, key in ALL_COLUMNS} | {
    "session_id": "session",
    "feedback": "feedback",
    "evaluation_count": "evaluations",
}
#: Widths of the fixed columns by table width, widest first; a missing key is not shown.
#: The cost column fits every `format_cost` result of a log (`$0.0000123`).
_TIERS: Final = [
    (150, {"created_at": 16, "id": 28, "label": 20, "status": 10, "total_tokens": 7,
           "cost": 10, "latency": 8}),
    # Whole ids from 120 columns (they are what people search and paste); latency goes.
    (120, {"created_at": 16, "id": 26, "label": 16, "status": 10, "total_tokens": 7,
           "cost": 10}),
    (100, {"created_at": 11, "id": 16, "label": 14, "status": 10, "total_tokens": 7,
           "cost": 10}),
    (0, {"created_at": 11, "id": 13, "label": 10, "status": 9, "cost": 10}),
]  # fmt: skip
#: The output column never gets less than this; it takes whatever is left.
MIN_OUTPUT: Final = 10


class Column(NamedTuple):
    """One column of the table as laid out for a width."""

    title: str
    key: str
    width: int


def layout(width: int) -> list[Column]:
    """The columns for a table `width` cells wide: status and output always fit.

    Each column takes two more cells of padding; the output column takes what is left.
    """
    widths = next(tier for least, tier in _TIERS if width >= least)
    columns = [Column(title, key, widths[key]) for title, key in ALL_COLUMNS if key in widths]
    used = sum(column.width + 2 for column in columns) + 2 + 2  # output's padding, scrollbar
    return [*columns, Column("output", "output", max(MIN_OUTPUT, width - used))]


def cut_middle(text: str, width: int) -> str:
    """`data_a1b…9f3e`: ids differ at both ends, so keep both and cut the middle."""
    if len(text) <= width:
        return text
    head = width // 2
    return f"{text[:head]}…{text[len(text) - (width - 1 - head) :]}"


def cut_end(text: str, width: int) -> str:
    """The text, ending in `…` when it is longer than `width`."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def _status(entry: Entry) -> Text:
    if entry.invalid:
        return Text("✗ invalid", "bold red")
    if entry.error:
        return Text("✗ error", "bold red")
    style = "green" if entry.status == "completed" else "yellow"
    return Text(one_line(entry.status, 12), style)


def row_cells(entry: Entry, columns: list[Column]) -> list[Text]:
    """The cells of one row for `columns`; every text from the log is one sanitised line."""
    cells: list[Text] = []
    for column in columns:
        key, width = column.key, column.width
        if key == "created_at":
            short = "%m-%d %H:%M" if width < 16 else "%Y-%m-%d %H:%M"
            cells.append(Text(entry.created_at.strftime(short) if entry.created_at else "—"))
        elif key == "id":
            cells.append(Text(cut_middle(one_line(entry.id or "—", 80), width), "bold"))
        elif key == "label":
            cells.append(Text(cut_end(one_line(entry.label, 80), width)))
        elif key == "status":
            cells.append(_status(entry))
        elif key == "output":
            # A log that failed shows its error where its output would be.
            output = cut_end(one_line(entry.output or entry.error or "", 400), width)
            cells.append(Text(output, "red" if entry.error and not entry.output else ""))
        else:
            value = {
                "total_tokens": d.format_count(entry.total_tokens),
                "cost": d.format_cost(entry.cost),
                "latency": d.format_seconds(entry.latency),
            }[key]
            # Never cut: a cost must read the same here as in the log's header.
            cells.append(Text(value, justify="right"))
    return cells
