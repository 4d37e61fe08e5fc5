"""The list's table draws its cells itself (`one_line_cell`), exactly as `DataTable` would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rich.style import Style
from textual.strip import Strip
from textual.widgets import DataTable

from inspector.tui.widgets import log_table
from inspector.tui.widgets.log_table import LogTable
from inspector.tui.widgets.table_cells import one_line_cell
from tests.support.exports import jsonl, make_logs
from tests.support.lists import list_app, wait_rows

#: Outputs that test the cutting of a cell: wide characters, emoji, accents, markup.
OUTPUTS = [
    "日本語の回答です" * 4,
    "🙂 done " * 10,
    "e\u0301te\u0301 " * 9,
    "[/INST] [bold]x[/]",
    "",
]


async def test_every_cell_is_drawn_as_datatable_draws_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: list[int] = []

    def counted(*args: Any) -> Any:
        drawn.append(1)
        return one_line_cell(*args)

    monkeypatch.setattr(log_table, "one_line_cell", counted)
    logs = make_logs(24)
    for index, log in enumerate(logs):
        if index < len(OUTPUTS):
            log["output"] = OUTPUTS[index]
    logs[7]["config"]["model"] = "モデル-" * 6
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(logs) + b'{"id": "data_broken", "not a log": true}\n')
    for size in ((140, 40), (80, 24)):
        app = list_app(path)
        async with app.run_test(size=size) as pilot:
            screen = await wait_rows(pilot, 25)
            table = screen.query_one(LogTable)
            widths = [column.get_render_width(table) for column in table.columns.values()]
            compared = 0
            # The hover cursor shows once the mouse has moved over the table.
            table._show_hover_cursor = True
            for row in range(table.row_count):
                # The zebra stripes and the cursor come in as the base style and the flags.
                for base in (Style(), Style(bgcolor="grey11")):
                    for column, width in enumerate(widths):
                        for cursor, hover in ((False, False), (True, False), (False, True)):
                            table._cell_render_cache.clear()
                            ours = table._render_cell(row, column, base, width, cursor, hover)
                            table._cell_render_cache.clear()
                            theirs = DataTable._render_cell(
                                table, row, column, base, width, cursor, hover
                            )
                            assert [list(Strip(line).simplify()) for line in ours] == [
                                list(Strip(line).simplify()) for line in theirs
                            ], (row, column, cursor, hover)
                            compared += 1
            assert compared == 25 * 2 * len(widths) * 3
            # Drawn by `one_line_cell`, not handed back to `DataTable`.
            assert len(drawn) >= compared
            drawn.clear()


async def test_a_click_on_a_row_puts_the_cursor_on_it(tmp_path: Path) -> None:
    # The cells carry their place (row, column) in their style, as `DataTable`'s do.
    path = tmp_path / "export.jsonl"
    path.write_bytes(jsonl(make_logs(10)))
    app = list_app(path)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await wait_rows(pilot, 10)
        table = screen.query_one(LogTable)
        assert table.cursor_row == 0
        await pilot.click(LogTable, offset=(40, 4))  # the header, then rows 0, 1, 2, 3
        await pilot.pause()
        assert table.cursor_row == 3
