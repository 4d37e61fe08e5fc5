"""Pilot tests: every key and pane of the log screen, as a user presses them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from textual.widgets import DataTable, Input

from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.screens.open_target import OpenTargetScreen
from inspector.tui.screens.viewer import ValueViewer
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.json_explorer import JsonExplorer
from inspector.tui.widgets.text_view import TextView
from tests.support import factory
from tests.support.tui import (
    RICH,
    SIZE,
    active_tab,
    app_for,
    notifications,
    screen_text,
    wait_for,
    wait_loaded,
)


async def test_header_and_tab_titles() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        first, second = text.splitlines()[:2]
        for fact in ["data_RichFixture0001", "● completed", "gpt-4o (openai)"]:
            assert fact in first
        for fact in [
            "created 2024-09-20 09:15:02 UTC",
            "latency 2.73 s",
            "tokens 117",
            "$0.000723",
        ]:
            assert fact in second
        for title in ["Overview", "Messages (7)", "Tools (1)", "Request", "Response",
                      "Evaluations (4)", "Feedback (4)", "Raw"]:  # fmt: skip
            assert title in text


async def test_number_keys_switch_panes_and_focus_their_content() -> None:
    expected = {
        "1": ("tab-overview", BlockView),
        "2": ("tab-messages", BlockView),
        "3": ("tab-tools", BlockView),
        "4": ("tab-request", JsonExplorer),
        "5": ("tab-response", JsonExplorer),
        "6": ("tab-evaluations", DataTable),
        "7": ("tab-feedback", DataTable),
        "8": ("tab-raw", TextView),
    }
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        for key in "2345678123456781":
            await pilot.press(key)
            tab, widget = expected[key]
            await wait_for(
                pilot,
                lambda: active_tab(pilot) == tab and isinstance(pilot.app.focused, widget),  # noqa: B023
            )


async def test_overview_shows_every_section() -> None:
    async with app_for(RICH).run_test(size=(120, 200)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("1")
        text = screen_text(pilot)
        for expected in [
            "Identity", "project_id", "pr_6Uu7Vv8Ww9Xx0Yy1Zz2Aa3", "parent_id", "data_parent",
            "batch_ids", "batch_1", "Status", "finish_reason", "end_turn", "stdout", "debug line",
            "Timing", "provider_latency", "2.73 s", "output tokens/s", "Usage", "$0.000258",
            "$0.000465", "$0.000723", "Config", "temperature", "0.7", "max_tokens", "256",
            "top_p", "0.9", '["###"]', "seed", "7", "presence_penalty", "frequency_penalty",
            "response_format", "json_schema", "Inputs", "article", "Metadata", "ticket_id",
            "Output", "judgment",
        ]:  # fmt: skip
            assert expected in text, expected


async def test_messages_pair_tool_results_and_mark_images() -> None:
    async with app_for(RICH).run_test(size=(120, 100)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        text = screen_text(pilot)
        assert "[image image/png ~3.0 KB]" in text
        assert "AAAA" not in text
        call = text.index("→ get_weather  call_1")
        assert text.index("← result", call) < text.index("→ get_weather  call_2")
        assert "⚠ arguments are not valid JSON; shown as received" in text
        assert "answers call_orphan: no matching call earlier in the log" in text


async def test_long_message_starts_collapsed_and_expands() -> None:
    async with app_for(RICH).run_test(size=(120, 60)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        assert "Rule 20" not in screen_text(pilot)
        assert "more lines" in screen_text(pilot)
        await pilot.press("enter")
        assert "Rule 20" in screen_text(pilot)
        await pilot.press("enter")
        assert "Rule 20" not in screen_text(pilot)
        await pilot.press("e")
        assert "Rule 20" in screen_text(pilot)


async def test_expand_all_sticks_for_the_next_log(tmp_path: Path) -> None:
    async with app_for(RICH).run_test(size=(120, 60)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        await pilot.press("e")
        assert "Rule 20" in screen_text(pilot)
        await pilot.press("r")
        await wait_loaded(pilot)
        assert "Rule 20" in screen_text(pilot), "reloaded log keeps expand-all"
        await pilot.press("e")


async def test_mouse_click_selects_then_toggles_a_message() -> None:
    async with app_for(RICH).run_test(size=(120, 60)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2")
        selector = "#pane-messages BlockView"
        view = pilot.app.screen.query_one(selector, BlockView)
        assert "Rule 20" not in screen_text(pilot)
        await pilot.click(selector, offset=(10, 10))
        assert view.cursor == 1, "a click selects the message under it"
        await pilot.click(selector, offset=(10, 1))
        assert view.cursor == 0
        assert "Rule 20" not in screen_text(pilot), "selecting does not expand"
        await pilot.click(selector, offset=(10, 1))
        assert "Rule 20" in screen_text(pilot), "a click on the selected message expands it"


async def test_search_finds_and_steps_through_matches() -> None:
    async with app_for(RICH).run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "slash")
        assert isinstance(pilot.app.focused, Input)
        await pilot.press(*"get_weather")
        assert "2 matches" in screen_text(pilot)
        await pilot.press("enter")
        view = pilot.app.screen.query_one("#pane-messages BlockView", BlockView)
        assert isinstance(pilot.app.focused, BlockView)
        assert view.match_index == 0
        assert "1 of 2" in screen_text(pilot)
        await pilot.press("n")
        assert view.match_index == 1 and "2 of 2" in screen_text(pilot)
        await pilot.press("n")
        assert view.match_index == 0, "wraps around"
        await pilot.press("N")
        assert view.match_index == 1
        await pilot.press("escape")
        assert view.match_count == 0, "escape clears the search"


async def test_search_in_a_collapsed_message_expands_it() -> None:
    async with app_for(RICH).run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "slash", *"Rule 19", "enter")
        assert "Rule 19" in screen_text(pilot)


async def test_search_with_regex_and_bad_regex() -> None:
    async with app_for(RICH).run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("8", "slash", "ctrl+r", *"temp_c..: \\d+")
        assert "1 match" in screen_text(pilot)
        await pilot.press("backspace", "backspace", "backspace", "(")
        assert "bad regex" in screen_text(pilot)


async def test_search_follows_the_pane() -> None:
    async with app_for(RICH).run_test(size=(120, 40)) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "slash", *"Paris", "enter")
        await pilot.press("8")
        raw = pilot.app.screen.query_one(TextView)
        assert raw.match_count >= 1
        await pilot.press("n")
        assert "Paris" in raw.line(raw.cursor)


async def test_copy_the_selected_message() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "j", "y")
        assert pilot.app.clipboard.startswith("What is in this picture")
        await pilot.press("8", "j", "y")
        assert pilot.app.clipboard == '  "id": "data_RichFixture0001",'


async def test_copy_never_carries_control_bytes(tmp_path: Path) -> None:
    log = factory.minimal_log(output="before\x1b]52;c;ZXZpbA==\x07after")
    path = factory.write(tmp_path / "log.json", log)
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "y")
        assert pilot.app.clipboard == "before\\x1b]52;c;ZXZpbA==\\x07after"


async def test_json_explorer_keys() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("5")
        tree = pilot.app.screen.query_one("#pane-response JsonExplorer", JsonExplorer)
        await pilot.press("down", "down", "down", "down")
        text = screen_text(pilot)
        assert ".model  (str" in text
        await pilot.press("y")
        assert pilot.app.clipboard == "gpt-4o-2024-08-06"
        await pilot.press("Y")
        assert pilot.app.clipboard == ".model"
        await pilot.press("down", "enter")
        assert tree.cursor_node is not None and tree.cursor_node.is_expanded
        assert ".choices" in screen_text(pilot)
        await pilot.press("t")
        assert isinstance(pilot.app.focused, TextView)
        assert '"chat.completion"' in screen_text(pilot)
        await pilot.press("t")
        assert isinstance(pilot.app.focused, JsonExplorer)


async def test_json_explorer_search_reveals_nested_values() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("5", "slash", *"total_tokens", "enter")
        assert ".usage.total_tokens" in screen_text(pilot)


async def test_string_values_open_whole_in_a_viewer() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("4", "slash", *"helpful", "enter", "v")
        assert isinstance(pilot.app.screen, ValueViewer)
        assert "You are helpful." in screen_text(pilot)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LogScreen)


async def test_evaluations_table_details_and_nested_log() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("6")
        text = screen_text(pilot)
        assert "Helpfulness (1-5)" in text and "NameError" in text
        assert "evr_1Aa2Bb3Cc4Dd5Ee6Ff7Gg" in text, "details of the first row"
        await pilot.press("down")
        assert "enter opens it as a full log" in screen_text(pilot)
        await pilot.press("enter")
        await wait_loaded(pilot)
        nested = pilot.app.screen
        assert isinstance(nested, LogScreen)
        assert nested.document is not None
        assert nested.document.log.id == "data_E7rT2yU9iO4pA1sD6fG3h"
        assert b'"judgment": 4' in nested.document.raw
        header = "\n".join(screen_text(pilot).splitlines()[:3])
        assert "← data_RichFixture0001 evaluation_results[1].evaluator_log" in header
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LogScreen)
        assert pilot.app.screen.document.log.id == "data_RichFixture0001"


async def test_feedback_table() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("7")
        text = screen_text(pilot)
        for expected in ["rating", "good", "correction", "accuracy", "0.9", "missing_detail"]:
            assert expected in text
        await pilot.press("down", "down")
        assert "ann_5Pp6Qq7Rr8Ss9Tt0Uu1Vv" in screen_text(pilot)


async def test_empty_panes_say_what_is_absent(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "min.json", factory.minimal_log())
    expected = {
        "2": "No messages and no output in this log.",
        "3": "No tools were offered to the model by this config.",
        "4": "No provider_request in this log",
        "5": "No provider_response in this log",
        "6": "No evaluation results on this log.",
        "7": "No feedback on this log.",
    }
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        for key, sentence in expected.items():
            await pilot.press(key)
            assert sentence in screen_text(pilot), key


async def test_reload_reads_the_file_again(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    shutil.copy(RICH, path)
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        data = json.loads(path.read_text())
        data["observability_status"] = "failed"
        path.write_text(json.dumps(data))
        await pilot.press("r")
        await wait_loaded(pilot)
        assert "● failed" in screen_text(pilot).splitlines()[0]


async def test_errors_show_inside_the_app_with_retry(tmp_path: Path) -> None:
    path = tmp_path / "log.json"
    path.write_text('{"id": "data_x", "config": ')
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        assert "JSON ends early" in text
        assert "r retry" in text
        shutil.copy(RICH, path)
        await pilot.press("r")
        await wait_loaded(pilot)
        assert "data_RichFixture0001" in screen_text(pilot)


async def test_open_another_target_and_go_back(tmp_path: Path) -> None:
    other = factory.write(tmp_path / "other.json", factory.minimal_log(id="data_other"))
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("o")
        assert isinstance(pilot.app.screen, OpenTargetScreen)
        await pilot.press(*str(other), "enter")
        await wait_loaded(pilot)
        assert "data_other" in screen_text(pilot).splitlines()[0]
        await pilot.press("escape")
        assert "data_RichFixture0001" in screen_text(pilot).splitlines()[0]
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LogScreen), "the first log stays"
        await pilot.press("o", *"no-such-file.json", "enter")
        await pilot.pause()
        assert "no-such-file.json: no such file or folder" in notifications(pilot)


async def test_parent_key_only_when_there_is_a_parent(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "min.json", factory.minimal_log())
    async with app_for(path).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert "Parent" not in screen_text(pilot).splitlines()[-1]
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        assert "Parent" in screen_text(pilot).splitlines()[-1]


async def test_markdown_and_template_views() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("2", "t")
        assert "chat_template[0]" in screen_text(pilot)
        assert "Be brief about {{topic}}." in screen_text(pilot)
        await pilot.press("t")
        assert "messages[0]" in screen_text(pilot)
        await pilot.press("m")
        assert isinstance(pilot.app.screen, ValueViewer)
        assert "shown as Markdown" in screen_text(pilot)
        await pilot.press("m")
        assert "shown as text" in screen_text(pilot)


async def test_q_quits() -> None:
    app = app_for(RICH)
    async with app.run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_overview_shows_the_providers_token_details() -> None:
    sample = Path(__file__).resolve().parent.parent.parent / "inspector" / "samples"
    async with app_for(sample / "dev-copilot-long-chat.json").run_test(size=(120, 80)) as pilot:
        await wait_loaded(pilot)
        text = screen_text(pilot)
        assert "cached tokens" in text and "6,528  (provider_response.usage)" in text
        assert "reasoning tokens" in text


async def test_x_copies_the_whole_log_as_markdown() -> None:
    async with app_for(RICH).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("x")
        assert pilot.app.clipboard.startswith("# Log `data_RichFixture0001`")
        assert "## Conversation" in pilot.app.clipboard
        assert "Markdown transcript" in " ".join(notifications(pilot))
