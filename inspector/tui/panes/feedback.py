"""The Feedback pane: every feedback item on the log, with its details."""

from __future__ import annotations

from rich.text import Text

from inspector.model.log import FeedbackResponse
from inspector.present import words as d
from inspector.tui.panes.tables import TablePane, cell, value_cell
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.fields import heading, rows


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
