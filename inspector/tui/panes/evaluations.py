"""The Evaluations pane: each evaluation result, its errors, and the evaluator's own log."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from inspector.model.log import EvaluationResultResponse, LogResponse
from inspector.present import words as d
from inspector.present.report import evaluator_name
from inspector.sanitize import one_line
from inspector.tui.panes.tables import TablePane, cell, value_cell
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.fields import heading, rows
from inspector.tui.widgets.list_rows import cut_end, cut_middle


class EvaluationsPane(TablePane):
    """`evaluation_results`: evaluator, version, value by type, error and time."""

    EMPTY = "No evaluation results on this log."
    COLUMNS = ("evaluator", "version", "value", "type", "error", "created")
    WIDTHS = (18, 12, 8, 7, 0, 11)

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "enter",
            "open_evaluator_log",
            "Open evaluator log",
            show=True,
            id="evaluations.open-evaluator-log",
        ),
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
        version = cut_middle(one_line(item.evaluator_version_id or "", 80), 12)
        created = item.created_at.strftime("%m-%d %H:%M") if item.created_at else "—"
        return [
            cell(cut_end(evaluator_name(item), 18), "bold"),
            cell(version),
            _cut(value_cell(item.value), 8) if not item.error else cell("—", "dim"),
            cell(d.value_kind(item.value)),
            cell(d.first_line(item.error) if item.error else "", "bold red", limit=200),
            cell(created),
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
            self.notify("This result has no evaluator log to open.")

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open_evaluator_log()


def _cut(text: Text, width: int) -> Text:
    """A cell cut to its column, ending in `…` when cut."""
    return Text(cut_end(text.plain, width), style=text.style)


def _nested_summary(log: LogResponse) -> list[tuple[str, Any]]:
    return [
        ("id", log.id),
        ("config", f"{log.config.name or ''} ({d.config_type(log.config)})".strip()),
        ("judgment", d.format_value(log.judgment) if log.judgment is not None else None),
        ("output", log.output),
        ("error", log.error),
    ]
