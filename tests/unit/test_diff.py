"""Diffs of two logs: JSON paths, word-level text, message alignment, tool arguments, output."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from inspector.errors import SourceError, UsageError
from inspector.open.compare import load_pair, load_side
from inspector.present.diff import decode_top, diff_logs
from inspector.present.diff_render import marked, to_json, to_markdown, to_text
from inspector.present.diff_sides import side_rows
from inspector.present.jsondiff import Change, json_changes, text_diff
from tests.support import exports

SAMPLES = Path(__file__).parents[2] / "inspector" / "samples"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text())
    return data


def test_json_changes_name_each_leaf_by_jq_path() -> None:
    old = {"a": 1, "b": {"c": [1, 2, 3], "d x": "y"}, "gone": True}
    new = {"a": 2, "b": {"c": [1, 5], "d x": "y", "e": None}, "new": {"k": 1}}
    assert json_changes(old, new) == [
        Change(".a", "changed", 1, 2),
        Change(".b.c[1]", "changed", 2, 5),
        Change(".b.c[2]", "removed", old=3),
        Change(".b.e", "added", new=None),
        Change(".gone", "removed", old=True),
        Change(".new", "added", new={"k": 1}),
    ]
    assert json_changes({"x y": 1}, {"x y": 2}) == [Change('.["x y"]', "changed", 1, 2)]


def test_equal_values_have_no_changes_and_types_count() -> None:
    assert json_changes({"a": [1, {"b": 2}]}, {"a": [1, {"b": 2}]}) == []
    assert json_changes(1, 1.0) == [Change(".", "changed", 1, 1.0)]
    assert json_changes(True, 1) == [Change(".", "changed", True, 1)]


def test_text_diff_is_word_level_and_keeps_every_character() -> None:
    old = "The weather in Paris is sunny.\nSee you soon."
    new = "The weather in London is rainy.\nSee you soon."
    pieces = text_diff(old, new)
    assert "".join(t for op, t in pieces if op != "+") == old
    assert "".join(t for op, t in pieces if op != "-") == new
    assert (
        marked(pieces) == "The weather in [-Paris-]{+London+} is [-sunny-]{+rainy+}.\nSee you soon."
    )


def test_text_diff_joins_changes_split_only_by_spaces() -> None:
    assert marked(text_diff("one two three four", "one five six four")) == (
        "one [-two three-]{+five six+} four"
    )


def test_huge_changed_text_falls_back_to_whole_lines() -> None:
    old, new = "a " * 5000, "b " * 5000
    assert text_diff(old, new) == [("-", old), ("+", new)]


def test_messages_added_removed_and_changed() -> None:
    old = sample("weather-parallel-tools")
    new = copy.deepcopy(old)
    new["messages"][1]["content"] = "Hi! I'm flying from Berlin to Porto on Friday."
    del new["messages"][2]
    new["messages"].append({"role": "user", "content": "thanks"})
    diff = diff_logs(old, new, "a", "b")
    kinds = [(m.kind, m.old_index, m.new_index, m.role) for m in diff.messages]
    assert kinds == [
        ("changed", 1, 1, "user"),
        ("removed", 2, None, "assistant"),
        ("added", None, len(new["messages"]) - 1, "user"),
    ]
    assert marked(diff.messages[0].text) == (
        "Hi! I'm flying from Berlin to [-Lisbon-]{+Porto+} on Friday."
    )


def test_tool_arguments_compare_as_json_with_a_fromjson_path() -> None:
    old = sample("weather-parallel-tools")
    new = copy.deepcopy(old)
    call = new["messages"][4]["tool_calls"][0]
    arguments = json.loads(call["function"]["arguments"])
    # Key order and spacing are not differences; a value is.
    call["function"]["arguments"] = json.dumps(
        dict(reversed(list((arguments | {"unit": "fahrenheit"}).items()))), indent=1
    )
    diff = diff_logs(old, new, "a", "b")
    (message,) = diff.messages
    assert message.fields == [
        Change(
            ".messages[4].tool_calls[0].function.arguments | fromjson | .unit",
            "changed",
            "celsius",
            "fahrenheit",
        )
    ]


def test_sections_config_usage_payloads_and_output() -> None:
    old, new = sample("weather-parallel-tools"), sample("weather-required-tool")
    diff = diff_logs(old, new, "a", "b")
    assert (
        Change(".config.other.parallel_tool_calls", "changed", True, False)
        in (diff.sections["config"])
    )
    assert Change(".prompt_tokens", "changed", 534, 349) in diff.sections["usage"]
    assert Change(".tool_choice", "changed", "auto", "required") in diff.sections["inputs"]
    paths = [change.path for change in diff.sections["request"]]
    assert ".provider_request.tool_choice" in paths
    assert ".provider_response.usage.total_tokens" in [c.path for c in diff.sections["response"]]
    assert diff.output is not None and diff.output.fields[0].kind == "added"
    assert diff.differs


def test_a_log_against_itself() -> None:
    log = sample("refund-agent")
    diff = diff_logs(log, copy.deepcopy(log), "a", "b")
    assert not diff.differs
    assert to_text(diff).endswith("no differences\n")
    assert json.loads(to_json(diff))["differs"] is False


def test_renderings_are_safe_and_complete() -> None:
    old = sample("refund-agent")
    new = copy.deepcopy(old)
    new["output"] = "Refunded \x1b]52;c;ZXZpbA==\x07 ```now``` \u202e"
    new["provider_request"]["temperature"] = 0.9
    diff = diff_logs(old, new, "old.json", "new.json")
    text = to_text(diff)
    assert "\x1b" not in text and "\u202e" not in text and "\\x1b]52" in text
    assert "~ .provider_request.temperature:" in text
    markdown = to_markdown(diff)
    assert "## Output" in markdown and "````diff" in markdown
    decoded = json.loads(to_json(diff))
    assert decoded["output"]["text"][-1] == ["+", new["output"]]
    assert b"\xe2\x80\xae" not in to_json(diff)


def test_many_changes_are_cut_with_a_count() -> None:
    old = {"config": {f"k{i}": i for i in range(250)}}
    new = {"config": {f"k{i}": i + 1 for i in range(250)}}
    text = to_text(diff_logs(old, new, "a", "b"))
    assert "… and 50 more" in text


def test_side_rows_put_removals_left_and_additions_right() -> None:
    old, new = sample("weather-parallel-tools"), sample("weather-required-tool")
    rows = side_rows(diff_logs(old, new, "a", "b"))
    headings = [row.label for row in rows if row.heading]
    assert headings[0] == "config" and headings[-1] == "provider response"
    system = next(row for row in rows if row.label == "~ messages[0] system")
    assert ("-", "24 September") in system.left and ("+", "8 October") in system.right
    assert all(op != "+" for op, _ in system.left) and all(op != "-" for op, _ in system.right)


def test_sides_load_from_files_exports_and_refuse_a_bare_export(tmp_path: Path) -> None:
    logs = exports.make_logs(4)
    export = tmp_path / "export.jsonl"
    export.write_bytes(exports.jsonl(logs))

    def no_api(log_id: str) -> Any:
        raise AssertionError(log_id)

    one, two = load_pair(str(SAMPLES / "refund-agent.json"), f"{export}#{logs[2]['id']}", no_api)
    assert one.log.id == sample("refund-agent")["id"] and two.log.id == logs[2]["id"]
    with pytest.raises(UsageError, match="holds many logs"):
        load_side(str(export), no_api)
    with pytest.raises(SourceError, match="no log with id data_nope"):
        load_side(f"{export}#data_nope", no_api)
    with pytest.raises(UsageError, match="only one side"):
        load_pair("-", "-#data_x", no_api)
    fetched: list[str] = []
    with pytest.raises(AssertionError):
        load_side("data_not_a_file", lambda log_id: no_api(fetched.append(log_id) or log_id))
    assert fetched == ["data_not_a_file"]


def test_raw_parts_give_the_same_diff_as_decoded_logs() -> None:
    old, new = sample("weather-parallel-tools"), sample("weather-required-tool")
    new["provider_response"]["choices"][0]["logprobs"] = {"content": [{"token": "x"}]}
    as_dicts = diff_logs(old, new, "a", "b")
    lazily = diff_logs(
        decode_top(json.dumps(old).encode()), decode_top(json.dumps(new).encode()), "a", "b"
    )
    assert lazily == as_dicts
    same = decode_top(json.dumps(old).encode())
    assert not diff_logs(same, decode_top(json.dumps(old, indent=2).encode()), "a", "b").differs
