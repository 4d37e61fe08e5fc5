"""Call responses: each `data[]` item of a v4 `/chat` response is a log; every generation of
a v5 Prompt call is shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from inspector.catalog import Catalog
from inspector.catalog.source import Source, open_source
from inspector.cli.show_many import entries, find_log
from inspector.model.bridge import CallView
from inspector.model.decode import LogDocument, decode_log
from inspector.present import words as d
from inspector.present.report import text_lines, to_markdown

REAL = Path(__file__).parents[1] / "support" / "fixtures" / "real"


def chat_response(count: int) -> dict[str, Any]:
    """The published v4 chat response with `count` data items (outputs told apart)."""
    data = json.loads((REAL / "hl-docs-v4-overrides-chat-response.json").read_bytes())
    item = data["data"][0]
    data["data"] = [
        {
            **item,
            "id": f"data_item{index}",
            "index": index,
            "output": f"Answer number {index}",
            "output_message": {"role": "assistant", "content": f"Answer number {index}"},
        }
        for index in range(count)
    ]
    data["provider_responses"] = data["provider_responses"] * count
    return data


def prompt_call(count: int) -> dict[str, Any]:
    """The published v5 Prompt call response with `count` generations."""
    data = json.loads((REAL / "hl-docs-v5-examples-prompt_call_response.json").read_bytes())
    first = data["logs"][0]
    more = [
        {"index": i, "output": f"Take {i + 1}", "finish_reason": "stop"} for i in range(1, count)
    ]
    data["logs"] = [first, *more]
    return data


def test_a_call_response_of_three_items_is_a_list_of_three_logs(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(chat_response(3), indent=2))
    source = open_source(path)
    assert isinstance(source, Source)
    listed = list(entries(source))
    assert [entry.id for entry in listed] == ["data_item0", "data_item1", "data_item2"]
    assert [entry.output for entry in listed] == [f"Answer number {i}" for i in range(3)]
    assert [entry.location for entry in listed] == ["data[0]", "data[1]", "data[2]"]
    second = find_log(source, "data_item1")
    assert second.log.output == "Answer number 1"
    with Catalog.open(path) as catalog:
        catalog.start()
        catalog.wait()
        assert [entry.id for entry in catalog.entries()] == [
            "data_item0",
            "data_item1",
            "data_item2",
        ]
        assert catalog.load(2).log.output == "Answer number 2"


def test_a_call_response_of_one_item_is_that_log(tmp_path: Path) -> None:
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(chat_response(1)))
    opened = open_source(path)
    assert not isinstance(opened, Source)
    assert opened.log.id == "data_item0" and opened.note == "a v4 chat/completion call response"


def test_a_call_response_with_its_keys_spelled_in_escapes_is_still_a_list(tmp_path: Path) -> None:
    # JSON escapes in a key name are the key all the same.
    path = tmp_path / "chat.json"
    text = json.dumps(chat_response(2)).replace(
        '"provider_responses"', '"\\u0070rovider_responses"'
    )
    assert "provider_responses" not in text
    path.write_text(text)
    source = open_source(path)
    assert isinstance(source, Source)
    assert [entry.id for entry in entries(source)] == ["data_item0", "data_item1"]


def test_call_responses_in_a_folder_list_every_item(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(chat_response(2)))
    (tmp_path / "b.json").write_text(json.dumps(chat_response(1)))
    source = open_source(tmp_path)
    assert isinstance(source, Source)
    ids = sorted(str(entry.id) for entry in entries(source))
    # b.json's one item shares its id with a.json's first: one row for the two.
    assert ids == ["data_item0", "data_item1"]
    # In a folder too, a generation keeps the usage of the response around it.
    second = find_log(source, "data_item1")
    assert second.log.tokens == chat_response(2)["usage"]["total_tokens"]
    assert second.note is not None and "item 2 of 2" in second.note


def test_every_generation_of_a_prompt_call_is_an_output_message() -> None:
    doc = decode_log(json.dumps(prompt_call(3)).encode(), "call.json")
    assert isinstance(doc.log, CallView)
    assert doc.note is not None and "3 generations" in doc.note
    turns = d.conversation(doc.log).turns
    assert [turn.where for turn in turns] == [
        "output_message",
        "logs[1].output_message",
        "logs[2].output_message",
    ]
    assert [d.message_text(turn.message) for turn in turns][1:] == ["Take 2", "Take 3"]
    text = "\n".join(line for line, _ in text_lines(doc))
    assert "[assistant · generation 2]" in text and "Take 3" in text
    markdown = to_markdown(doc)
    assert "### 3. assistant · generation 3" in markdown


def test_a_prompt_call_of_one_generation_is_a_plain_log() -> None:
    doc = decode_log(json.dumps(prompt_call(1)).encode(), "call.json")
    assert not isinstance(doc.log, CallView)
    assert doc.note == "a Prompt call response (POST /prompts/call)"
    assert len(d.conversation(doc.log).turns) == 1


def test_each_listed_generation_keeps_the_usage_and_provider_response_around_it(
    tmp_path: Path,
) -> None:
    data = chat_response(3)
    data["provider_responses"] = [{"choice": index} for index in range(3)]
    path = tmp_path / "chat.json"
    path.write_text(json.dumps(data, indent=2))
    source = open_source(path)
    assert isinstance(source, Source)
    usage = data["usage"]

    def check(doc: LogDocument, index: int) -> None:
        log = doc.log
        assert log.id == f"data_item{index}" and log.output == f"Answer number {index}"
        assert (log.prompt_tokens, log.output_tokens, log.tokens) == (
            usage["prompt_tokens"],
            usage["generation_tokens"],
            usage["total_tokens"],
        )
        assert json.loads(bytes(log.provider_response)) == {"choice": index}
        assert doc.note is not None and f"item {index + 1} of 3" in doc.note
        assert "whole call" in doc.note
        # The log's own bytes are the item's; the response is around them.
        assert json.loads(doc.log_bytes) == data["data"][index]

    with Catalog.open(path) as catalog:
        catalog.start()
        catalog.wait()
        for index in range(3):
            check(catalog.load(index), index)
            assert json.loads(catalog.raw(index)) == data["data"][index]
    check(find_log(source, "data_item2"), 2)
    # From stdin the bytes are in memory: the same.
    piped = open_source(path.read_bytes(), label="stdin")
    assert isinstance(piped, Source)
    check(find_log(piped, "data_item1"), 1)
    # The rows keep no usage: a call's one total would be counted once per generation.
    assert [entry.total_tokens for entry in entries(source)] == [None, None, None]
