"""Decoding valid logs: every shared fixture, every variant, tolerance for drift."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import msgspec
import pytest

from inspector.model.decode import decode_log
from inspector.model.log import (
    AgentConfigResponse,
    EvaluatorConfigResponse,
    GenericConfigResponse,
    ModelConfigResponse,
    ToolChoice,
    ToolConfigResponse,
    UnknownConfig,
    raw_is_absent,
)
from tests.support import factory


def decode(log: dict[str, Any]) -> Any:
    return decode_log(json.dumps(log).encode(), "test").log


def test_shared_chat_tools_fixture() -> None:
    log = decode(factory.shared("chat_tools"))
    assert log.id == "data_8fKq2LxR7mZt1VbN3cWd0"
    assert isinstance(log.config, ModelConfigResponse)
    assert log.config.tools[0].name == "get_current_weather"
    assert log.config.stop == ["\n\nUser:"]
    user = log.messages[1]
    assert [part.type for part in user.content] == ["text", "image_url"]
    assert user.content[1].image_url.detail == "low"
    call = log.output_message.tool_calls[0]
    assert call.function.arguments == '{"location": "London, UK", "unit": "celsius"}'
    assert isinstance(log.tool_choice, ToolChoice)
    assert log.tool_choice.function.name == "get_current_weather"
    assert log.created_at == datetime(2024, 9, 18, 14, 3, 10, 902311, tzinfo=UTC)


def test_shared_evals_feedback_fixture() -> None:
    log = decode(factory.shared("evals_feedback"))
    values = [result.value for result in log.evaluation_results]
    assert values == [True, 4, ["polite", "cites_article"], None]
    assert type(values[1]) is int
    assert log.evaluation_results[3].error.startswith("NameError")
    nested = log.evaluation_results[1].evaluator_log
    assert nested.id == "data_E7rT2yU9iO4pA1sD6fG3h"
    assert isinstance(nested.config, EvaluatorConfigResponse)
    assert nested.config.model_config.model == "gpt-4o-mini"
    assert nested.config.created_by.full_name == "Maria Lopez"
    assert nested.judgment == 4 and type(nested.judgment) is int
    feedback = {item.type: item.value for item in log.feedback}
    assert feedback == {
        "rating": "good",
        "correction": feedback["correction"],
        "accuracy": 0.9,
        "issue": ["missing_detail"],
    }
    assert log.feedback[2].created_at is None


def test_minimal_log_has_defaults() -> None:
    log = decode(factory.minimal_log())
    assert log.messages is None and log.output is None and log.feedback is None
    assert raw_is_absent(log.provider_request) and raw_is_absent(log.provider_response)


def test_null_and_absent_are_both_accepted_for_every_optional_field() -> None:
    log = decode(factory.all_null_log())
    for name in factory.OPTIONAL_FIELDS:
        value = getattr(log, name)
        if isinstance(value, msgspec.Raw):
            assert raw_is_absent(value), name
        else:
            assert value is None, name


@pytest.mark.parametrize(
    ("variant", "expected"),
    [
        ("model", ModelConfigResponse),
        ("tool", ToolConfigResponse),
        ("evaluator", EvaluatorConfigResponse),
        ("agent", AgentConfigResponse),
        ("generic", GenericConfigResponse),
        ("unknown", UnknownConfig),
    ],
)
def test_each_config_variant(variant: str, expected: type) -> None:
    config = factory.config_variants()[variant]
    log = decode(factory.minimal_log(config=config))
    assert type(log.config) is expected
    assert log.config.name == config["name"]


def test_agent_config_keeps_both_tool_shapes() -> None:
    log = decode(factory.minimal_log(config=factory.config_variants()["agent"]))
    tools = log.config.model_config.tools
    assert tools[0].id == "oc_linked" and tools[0].name is None
    assert tools[1].name == "search" and tools[1].id is None
    assert log.config.tools[0].name == "calculator"


def test_unknown_config_type_is_kept_not_fatal() -> None:
    log = decode(factory.minimal_log(config=factory.config_variants()["unknown"]))
    assert log.config.type == "prompt"
    assert log.config.id == "config_v5ish"


@pytest.mark.parametrize(
    "choice", ["none", "auto", "required", {"type": "function", "function": {"name": "f"}}]
)
def test_tool_choice_shapes(choice: Any) -> None:
    log = decode(factory.minimal_log(tool_choice=choice))
    if isinstance(choice, str):
        assert log.tool_choice == choice
    else:
        assert isinstance(log.tool_choice, ToolChoice)
        assert log.tool_choice.function.name == "f"


@pytest.mark.parametrize(
    ("value", "kind"),
    [(True, bool), (False, bool), (4, int), (0.25, float), ("good", str), (["a", "b"], list)],
)
def test_values_keep_their_types(value: Any, kind: type) -> None:
    result = {
        "id": "evr_1",
        "evaluator_id": "evfn_1",
        "evaluator_version_id": "evv_1",
        "log_id": "data_min",
        "updated_at": "2024-09-20T09:15:04+00:00",
        "created_at": "2024-09-20T09:15:03+00:00",
        "value": value,
    }
    feedback = {"id": "ann_1", "type": "custom", "value": value}
    log = decode(
        factory.minimal_log(evaluation_results=[result], feedback=[feedback], judgment=value)
    )
    for decoded in (log.evaluation_results[0].value, log.feedback[0].value, log.judgment):
        assert decoded == value
        assert type(decoded) is kind


@pytest.mark.parametrize(
    "content",
    [
        "plain text",
        None,
        [],
        [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
        [{"type": "image_url", "image_url": {"url": "https://x.example/a.png"}}],
        [{"type": "input_audio", "input_audio": {"data": "..."}}],
    ],
)
def test_message_content_shapes(content: Any) -> None:
    log = decode(factory.minimal_log(messages=[{"role": "user", "content": content}]))
    decoded = log.messages[0].content
    if content is None or isinstance(content, str):
        assert decoded == content
    else:
        assert [part.type for part in decoded] == [part["type"] for part in content]


def test_unknown_enum_values_are_kept() -> None:
    config = factory.model_config(provider="deepseek", endpoint="responses")
    log = decode(
        factory.minimal_log(
            config=config,
            observability_status="queued",
            messages=[{"role": "developer", "content": "rules"}],
            feedback=[{"id": "ann_1", "type": "thumbs", "value": "up"}],
        )
    )
    assert log.config.provider == "deepseek"
    assert log.config.endpoint == "responses"
    assert log.observability_status == "queued"
    assert log.messages[0].role == "developer"
    assert log.feedback[0].type == "thumbs"


def test_unknown_tool_choice_mode_is_kept() -> None:
    log = decode(factory.minimal_log(tool_choice="any"))
    assert log.tool_choice == "any"


def test_unknown_fields_are_ignored_by_the_model_but_kept_in_raw() -> None:
    data = factory.minimal_log(future_field={"x": 1}, reasoning_tokens=42)
    data["config"]["new_config_field"] = True
    doc = decode_log(json.dumps(data).encode(), "t")
    assert not hasattr(doc.log, "future_field")
    assert b'"future_field"' in doc.raw and b'"new_config_field"' in doc.raw


def test_legacy_llm_evaluator_log_is_read_as_evaluator_log() -> None:
    data = factory.shared("evals_feedback")
    result = data["evaluation_results"][1]
    result["llm_evaluator_log"] = result.pop("evaluator_log")
    log = decode(data)
    assert log.evaluation_results[1].evaluator_log.id == "data_E7rT2yU9iO4pA1sD6fG3h"


def test_datetimes_with_and_without_offsets() -> None:
    log = decode(
        factory.minimal_log(
            updated_at="2024-07-19T00:29:35.178992",
            created_at="2024-07-19T02:29:35+02:00",
        )
    )
    assert log.updated_at.tzinfo is None
    assert log.created_at.utcoffset().total_seconds() == 7200


def test_late_v4_extras() -> None:
    config = factory.model_config(reasoning_effort="high", template_language="jinja")
    message = {
        "role": "assistant",
        "content": "42",
        "thinking": [
            {"type": "thinking", "thinking": "hmm", "signature": "sig"},
            {"type": "redacted_thinking", "data": "xx"},
        ],
    }
    log = decode(factory.minimal_log(config=config, output_message=message))
    assert log.config.reasoning_effort == "high"
    assert [t.type for t in log.output_message.thinking] == ["thinking", "redacted_thinking"]


def test_deprecated_single_tool_call_and_tool_configs() -> None:
    legacy_tool = factory.config_variants()["tool"]
    config = factory.model_config(tools=None, tool_configs=[legacy_tool])
    message = {"role": "assistant", "tool_call": {"name": "f", "arguments": "{}"}}
    log = decode(factory.minimal_log(config=config, messages=[message]))
    assert log.messages[0].tool_call.name == "f"
    assert log.config.tool_configs[0].signature == "lookup(q: str) -> str"


def test_provider_payloads_are_kept_as_raw_bytes() -> None:
    payload = {"z": 1, "a": [1.50, "x"]}
    log = decode(factory.minimal_log(provider_response=payload))
    assert msgspec.json.decode(log.provider_response) == payload


def test_nested_evaluation_log_and_log_field() -> None:
    inner = factory.minimal_log(id="data_inner", judgment=True)
    result = {
        "id": "evr_1",
        "evaluator_id": "evfn_1",
        "evaluator_version_id": "evv_1",
        "log_id": "data_min",
        "updated_at": "2024-09-20T09:15:04+00:00",
        "created_at": "2024-09-20T09:15:03+00:00",
        "log": inner,
        "evaluator_log": inner,
        "version": {"anything": ["goes"]},
    }
    log = decode(factory.minimal_log(evaluation_results=[result]))
    assert log.evaluation_results[0].log.id == "data_inner"
    assert log.evaluation_results[0].version == {"anything": ["goes"]}


def test_utf8_bom_is_tolerated() -> None:
    raw = b"\xef\xbb\xbf" + json.dumps(factory.minimal_log()).encode()
    assert decode_log(raw).log.id == "data_min"


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (
            {"usage": {"prompt_tokens_details": {"cached_tokens": 1024, "audio_tokens": 0},
                       "completion_tokens_details": {"reasoning_tokens": 64}}},
            [("cached tokens", 1024), ("reasoning tokens", 64)],
        ),
        (
            {"usage": {"cache_read_input_tokens": 900, "cache_creation_input_tokens": 0}},
            [("cache read tokens", 900), ("cache write tokens", 0)],
        ),
        (
            {"usage": {"prompt_cache_hit_tokens": 5,
                       "prompt_tokens_details": {"cached_tokens": 5}}},
            [("cached tokens", 5)],
        ),
        ({"usage": "weird"}, []),
        ({"choices": []}, []),
        (["not", "an", "object"], []),
        ("an old string response", []),
        (None, []),
    ],
)  # fmt: skip
def test_provider_token_details(response: Any, expected: list[tuple[str, int]]) -> None:
    from inspector.present.usage import provider_token_details

    log = decode(factory.minimal_log(provider_response=response))
    assert provider_token_details(log.provider_response) == expected
