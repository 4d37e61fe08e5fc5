"""The Raw pane of a big log (pretty text in pieces) reads, searches and copies as a small one."""

from __future__ import annotations

import msgspec
import pytest

from inspector.bigtext import pretty
from inspector.tui.widgets.text_view import TextView
from tests.support.tui import RICH, SIZE, app_for, wait_for, wait_loaded


@pytest.mark.parametrize("split", [False, True])
async def test_raw_pane_shows_searches_and_copies_the_log_exactly(
    split: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if split:  # the fixture as a big log would be: in pieces of 64 source bytes
        monkeypatch.setattr(pretty, "WHOLE", 0)
        monkeypatch.setattr(pretty, "CHUNK", 64)
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("8")
        view = pilot.app.screen.query_one(TextView)
        data = view._lines.data
        assert isinstance(data, pretty.PrettyJson) is split
        assert not split or len(data._pieces) > 10
        expected = msgspec.json.format(pilot.app.screen.document.raw, indent=2).decode()
        await wait_for(pilot, lambda: view._lines.done)
        assert view.line_count == expected.count("\n") + 1
        assert [view.line(n) for n in range(view.line_count)] == expected.split("\n")
        assert view.text == expected
        await pilot.press("slash", *"paris", "enter")
        assert view.match_count == expected.lower().count("paris")
        assert "Paris" in view.line(view.cursor)
        await pilot.press("escape", "end", "y")
        assert pilot.app.clipboard == expected.split("\n")[-1]
