"""The Evaluations and Feedback panes: a table of items and the details of the selected one."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import DataTable

from inspector.model.log import EvaluationResultResponse, FeedbackResponse, LogResponse
from inspector.present import words as d
from inspector.present.report import evaluator_name
from inspector.sanitize import one_line
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.fields import heading, rows
from inspector.tui.widgets.pane import Empty, Pane, Searchable


def cell(text: str, style: str = "", limit: int = 60) -> Text:
    """A table cell from log text: one sanitised line, never parsed as markup.

    Long text is cut so the columns after it stay on screen; the details below the
    table show it whole.
    """
    return Text(one_line(text, limit), style=style)


def value_cell(value: Any) -> Text:
    """A value styled by its type (the table would print floats with two decimals)."""
    styles = {"boolean": "magenta", "number": "yellow", "list": "cyan", "none": "dim"}
    return cell(d.format_value(value), styles.get(d.value_kind(value), ""), limit=50)


class TableSearch:
    """Search over the rows of a table: jump to the rows whose text matches."""

    def __init__(self, table: DataTable[Text], texts: list[str]) -> None:
        self.table = table
        self.texts = texts
        self.rows: list[int] = []
        self.index = -1

    def search(self, pattern: re.Pattern[str] | None) -> int:
        self.index = -1
        self.rows = [i for i, t in enumerate(self.texts) if pattern and pattern.search(t)]
        return len(self.rows)

    def goto_match(self, step: int) -> int:
        if not self.rows:
            return -1
        start = 0 if step > 0 else len(self.rows) - 1
        self.index = (self.index + step) % len(self.rows) if self.index >= 0 else start
        self.table.move_cursor(row=self.rows[self.index])
        return self.index

    @property
    def match_count(self) -> int:
        return len(self.rows)


class TablePane(Pane):
    """A table above a details view of the row under the cursor."""

    DEFAULT_CSS = """
    TablePane > DataTable { height: auto; max-height: 50%; }
    TablePane > BlockView { height: 1fr; border-top: solid $panel-lighten-2; }
    """

    COLUMNS: tuple[str, ...] = ()

    def items(self) -> list[Any]:
        raise NotImplementedError

    def row(self, item: Any) -> list[Text]:
        raise NotImplementedError

    def details(self, item: Any) -> list[Block]:
        raise NotImplementedError

    def count(self) -> int:
        return len(self.items())

    def make(self) -> Iterable[Widget]:
        items = self.items()
        if not items:
            yield Empty(self.EMPTY)
            return
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns(*self.COLUMNS)
        for item in items:
            table.add_row(*self.row(item))
        self._search = TableSearch(table, ["\t".join(c.plain for c in self.row(i)) for i in items])
        yield table
        yield BlockView(self.details(items[0]))

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        items = self.items()
        if 0 <= event.cursor_row < len(items):
            self.query_one(BlockView).set_blocks(self.details(items[event.cursor_row]))

    @property
    def searchable(self) -> Searchable | None:
        return getattr(self, "_search", None)

    def copy_text(self) -> str | None:
        tables = self.query(DataTable)
        if not tables:
            return None
        index = tables.first().cursor_row
        items = self.items()
        return "\n".join(b.text_to_copy for b in self.details(items[index])) if items else None


class EvaluationsPane(TablePane):
    """`evaluation_results`: evaluator, version, value by type, error and time."""

    EMPTY = "No evaluation results on this log."
    COLUMNS = ("evaluator", "version", "value", "type", "error", "created")

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open_evaluator_log", "Open evaluator log", show=True),
    ]

    class OpenLog(Message):
        """Open a log nested in this one (an evaluator's log) in the inspector."""

        def __init__(self, index: int, field: str) -> None:
            super().__init__()
            self.index = index
            self.field = field

    def items(self) -> list[EvaluationResultResponse]:
        return self.doc.log.evaluation_results

    def row(self, item: EvaluationResultResponse) -> list[Text]:
        version = item.evaluator_version_id
        return [
            cell(evaluator_name(item), "bold"),
            cell(version),
            value_cell(item.value) if not item.error else cell("—", "dim"),
            cell(d.value_kind(item.value)),
            cell(item.error or "", "bold red"),
            cell(d.format_time(item.created_at)),
        ]

    def details(self, item: EvaluationResultResponse) -> list[Block]:
        blocks = [heading("result", "Evaluation result", evaluator_name(item))]
        blocks += rows(
            "result",
            [
                ("id", item.id),
                ("evaluator_id", item.evaluator_id),
                ("evaluator_version_id", item.evaluator_version_id),
                ("log_id", item.log_id),
                ("evaluation_id", item.evaluation_id),
                ("version_id", item.version_id),
                ("version", item.version),
                ("value", d.format_value(item.value) if item.value is not None else None),
                ("value type", d.value_kind(item.value)),
                ("error", item.error),
                ("created_at", d.format_time(item.created_at, precise=True)),
                ("updated_at", d.format_time(item.updated_at, precise=True)),
            ],
        )
        for field, nested in (("evaluator_log", item.evaluator_log), ("log", item.log)):
            if nested is not None:
                blocks.append(heading(field, field, "enter opens it as a full log"))
                blocks += rows(field, _nested_summary(nested), note_missing=False)
        return blocks

    def action_open_evaluator_log(self) -> None:
        tables = self.query(DataTable)
        if not tables:
            return
        index = tables.first().cursor_row
        item = self.items()[index]
        if item.evaluator_log is not None:
            self.post_message(self.OpenLog(index, "evaluator_log"))
        elif item.log is not None:
            self.post_message(self.OpenLog(index, "log"))
        else:
            self.notify("This result has no evaluator log to open.", markup=False)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_evaluator_log()


def _nested_summary(log: LogResponse) -> list[tuple[str, Any]]:
    return [
        ("id", log.id),
        ("config", f"{log.config.name or ''} ({d.config_type(log.config)})".strip()),
        ("judgment", d.format_value(log.judgment) if log.judgment is not None else None),
        ("output", log.output),
        ("error", log.error),
    ]


class FeedbackPane(TablePane):
    """`feedback`: type, value, user and time."""

    EMPTY = "No feedback on this log."
    COLUMNS = ("type", "value", "user", "created")

    def items(self) -> list[FeedbackResponse]:
        return self.doc.log.feedback or []

    def row(self, item: FeedbackResponse) -> list[Text]:
        return [
            cell(item.type, "bold"),
            value_cell(item.value),
            cell(item.user or "—"),
            cell(d.format_time(item.created_at)),
        ]

    def details(self, item: FeedbackResponse) -> list[Block]:
        blocks = [heading("feedback", "Feedback", item.type)]
        blocks += rows(
            "feedback",
            [
                ("id", item.id),
                ("type", item.type),
                ("value", item.value),
                ("value type", d.value_kind(item.value)),
                ("user", item.user),
                ("data_id", item.data_id),
                (
                    "created_at",
                    d.format_time(item.created_at, precise=True) if item.created_at else None,
                ),
            ],
        )
        return blocks
