"""Bad input: every way bytes can fail to be a log ends in one precise line."""

from __future__ import annotations

import json
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.errors import LogDecodeError
from inspector.model.decode import decode_log
from tests.support import factory


def error_for(data: bytes) -> LogDecodeError:
    with pytest.raises(LogDecodeError) as caught:
        decode_log(data, "log.json")
    assert "\n" not in caught.value.message
    return caught.value


def broken(mutate: Any) -> bytes:
    log = factory.shared("evals_feedback")
    mutate(log)
    return json.dumps(log).encode()


VALID = json.dumps(factory.shared("chat_tools")).encode()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "log.json: empty input"),
        (b"   \n\t", "log.json: empty input: no JSON found"),
        (VALID[:300], "log.json: JSON ends early: the input was cut off after 300 bytes"),
        (
            b"<!DOCTYPE html><html><body>502 Bad Gateway</body></html>",
            "log.json: not JSON: looks like HTML or XML (<!DOCTYPE html><html><body>502 Bad Gate…)",
        ),
        (b"[1, 2]", "not a Humanloop log: expected one log (a JSON object), got an array"),
        (b"42", "not a Humanloop log: expected one log (a JSON object), got a number"),
        (b'"data_x"', "not a Humanloop log: expected one log (a JSON object), got a string"),
        (b"null", "not a Humanloop log: expected one log (a JSON object), got null"),
        (b'{"id": "x",\n  "config": {,}}', "malformed JSON at line 2, column 14 near ',}}'"),
        (b'{"id": "caf\xe9"}', "not valid UTF-8: byte 0xe9 at line 1, column 12"),
        (b"\xff\xfe{\x00}\x00", "not UTF-8 (looks like UTF-16); save it as UTF-8 JSON"),
        (b'{"id": "x"}', "not a Humanloop log: no `config` (v4) and no version object (v5)"),
        (
            b'{"id":"x","config":{"type":"generic","id":"c","status":"s","name":"n","other":'
            + b'{"a":' * 3000
            + b"1"
            + b"}" * 3000
            + b"}}",
            "log.json: JSON nested too deeply to read",
        ),
    ],
)
def test_bad_input_messages(data: bytes, expected: str) -> None:
    assert expected in error_for(data).message


@pytest.mark.parametrize(
    ("mutate", "message", "path"),
    [
        (
            lambda log: log["messages"][1].update(role=5),
            "expected str, got int at $.messages[1].role",
            "$.messages[1].role",
        ),
        (
            lambda log: log.update(prompt_tokens="86"),
            "expected int | null, got str at $.prompt_tokens",
            "$.prompt_tokens",
        ),
        (
            lambda log: log.pop("observability_status"),
            "object missing required field observability_status",
            None,
        ),
        (
            lambda log: log["config"].update(temperature="warm"),
            "expected float | null, got str at $.config.temperature",
            "$.config.temperature",
        ),
        (
            lambda log: log["config"].pop("type"),
            "object missing required field type at $.config",
            "$.config",
        ),
        (
            lambda log: log["config"].pop("model"),
            "object missing required field model at $.config",
            "$.config",
        ),
        (
            lambda log: log["evaluation_results"][1]["evaluator_log"]["config"].update(
                return_type=["number"]
            ),
            "at $.evaluation_results[1].evaluator_log.config.return_type",
            "$.evaluation_results[1].evaluator_log.config.return_type",
        ),
        (
            lambda log: log["feedback"][0].update(value={"stars": 5}),
            "at $.feedback[0].value",
            "$.feedback[0].value",
        ),
        (
            lambda log: log.update(updated_at="yesterday"),
            "invalid RFC3339 encoded datetime at $.updated_at",
            "$.updated_at",
        ),
        (
            lambda log: log["messages"].append({"role": "user", "content": [{"type": "text"}]}),
            "object missing required field text at $.messages[2].content[0]",
            "$.messages[2].content[0]",
        ),
        (
            lambda log: log.update(tool_choice=5),
            "at $.tool_choice",
            "$.tool_choice",
        ),
    ],
)
def test_wrong_types_name_the_place(mutate: Any, message: str, path: str | None) -> None:
    # A log that breaks the model is read in part; the problem names its JSON path.
    data = broken(mutate)
    doc = decode_log(data, "log.json")
    assert doc.raw == data
    assert message in doc.problems[0]
    assert doc.problems[0].endswith(f"at {path or '$'}")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400))
def test_arbitrary_bytes_raise_only_our_error(data: bytes) -> None:
    try:
        decode_log(data, "fuzz")
    except LogDecodeError as error:
        assert "\n" not in error.message


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from([*factory.OPTIONAL_FIELDS, "config", "id"]), JSON_VALUES))
def test_arbitrary_field_values_raise_only_our_error(overrides: dict[str, Any]) -> None:
    data = msgspec.json.encode(factory.minimal_log(**overrides))
    try:
        decode_log(data, "fuzz")
    except LogDecodeError as error:
        assert "\n" not in error.message
