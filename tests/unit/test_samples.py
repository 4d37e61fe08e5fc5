"""The bundled sample logs: each one decodes, and together they cover what the demo shows.

The samples are what a new user sees first (`inspector demo`, the README, screenshots), so
these tests check more than decoding: the provider payloads agree with the log, the tool
calls pair up, the parent and child share a session, and the odd cases are really there.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import re
import struct
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import Any

import msgspec
import pytest

from inspector.model.decode import LogDocument, decode_log
from inspector.model.log import (
    AgentConfigResponse,
    ChatMessage,
    EvaluatorConfigResponse,
    LogResponse,
    ModelConfigRequest,
    ModelConfigResponse,
    ToolChoice,
    ToolConfigResponse,
    raw_is_absent,
)

SAMPLES = files("inspector") / "samples"
SAMPLE_FILES: list[Traversable] = sorted(
    (entry for entry in SAMPLES.iterdir() if entry.name.endswith(".json")),
    key=lambda entry: entry.name,
)
STANDARD_FEEDBACK = {"rating", "action", "issue", "correction", "comment"}


def _load() -> dict[str, LogDocument]:
    return {entry.name: decode_log(entry.read_bytes(), entry.name) for entry in SAMPLE_FILES}


DOCS = _load()
LOGS = {name: doc.log for name, doc in DOCS.items()}


def raw_json(name: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(DOCS[name].raw)
    return result


def find(what: str, predicate: Callable[[LogResponse], bool]) -> list[str]:
    """The names of the samples for which `predicate` holds; at least one must."""
    names = [name for name, log in LOGS.items() if predicate(log)]
    assert names, f"no sample has {what}"
    return names


def find_one(what: str, predicate: Callable[[LogResponse], bool]) -> str:
    return find(what, predicate)[0]


def model_config(log: LogResponse) -> ModelConfigResponse | ModelConfigRequest | None:
    """The config that made the provider call: the log's own, or an agent's or LLM judge's."""
    config = log.config
    if isinstance(config, ModelConfigResponse):
        return config
    if isinstance(config, AgentConfigResponse | EvaluatorConfigResponse):
        return config.model_config
    return None


def tool_names(log: LogResponse) -> set[str]:
    config = model_config(log)
    return {tool.name for tool in (config.tools if config and config.tools else []) if tool.name}


def all_logs() -> Iterator[tuple[str, LogResponse]]:
    """Every log in the samples, nested evaluator logs included."""
    for name, log in LOGS.items():
        yield name, log
        for result in log.evaluation_results:
            if result.evaluator_log is not None:
                yield f"{name} (evaluator_log of {result.id})", result.evaluator_log


def as_utc(moment: datetime) -> datetime:
    """Naive sample times are UTC, like the API's own naive examples."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


# --- The files ---------------------------------------------------------------------


def test_between_nine_and_twelve_samples() -> None:
    assert 9 <= len(SAMPLE_FILES) <= 12


@pytest.mark.parametrize("entry", SAMPLE_FILES, ids=lambda entry: entry.name)
def test_each_file_is_one_pretty_printed_log(entry: Traversable) -> None:
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*\.json", entry.name)
    data = entry.read_bytes()
    doc = decode_log(data, entry.name)
    assert doc.log.id.startswith("data_")
    pairs: list[list[tuple[str, Any]]] = []
    parsed = json.loads(data, object_pairs_hook=lambda p: pairs.append(p) or dict(p))
    assert all(len({key for key, _ in p}) == len(p) for p in pairs), "duplicate JSON key"
    # Exactly what json.dumps(indent=2) writes, so diffs of the samples stay readable.
    assert data.decode() == json.dumps(parsed, indent=2, ensure_ascii=False) + "\n"


def test_log_ids_are_unique_including_nested_logs() -> None:
    ids = [log.id for _, log in all_logs()]
    assert len(ids) == len(set(ids))


def test_ids_use_the_documented_prefixes() -> None:
    for where, log in all_logs():
        assert log.id.startswith("data_"), where
        assert log.config.id.startswith("config_"), where
        assert log.config_id in (None, log.config.id), where
        assert log.project_id is None or log.project_id.startswith("pr_"), where
        assert log.session_id is None or log.session_id.startswith("sesh_"), where
        assert log.parent_id is None or log.parent_id.startswith("data_"), where
        for result in log.evaluation_results:
            assert result.id.startswith("evr_"), where
            assert result.evaluator_id.startswith("evfn_"), where
            assert result.evaluator_version_id.startswith("evv_"), where
            assert result.log_id == log.id, where
        for item in log.feedback or []:
            assert item.id.startswith("ann_"), where
            assert item.data_id == log.id, where
        config = log.config
        if isinstance(config, ModelConfigResponse):
            for tool in config.tools or []:
                assert tool.id.startswith(("oc_", "config_")), where
        creator = getattr(config, "created_by", None)
        assert creator is None or creator.id.startswith("usr_"), where


def test_a_few_projects_each_with_one_name() -> None:
    names: dict[str, set[str | None]] = {}
    for _, log in LOGS.items():
        assert log.project_id is not None
        names.setdefault(log.project_id, set()).add(log.project)
    assert 2 <= len(names) <= 3
    assert all(len(project) == 1 and None not in project for project in names.values())


def test_times_are_plausible_and_mixed_in_form() -> None:
    start, end = datetime(2024, 9, 1, tzinfo=UTC), datetime(2025, 4, 1, tzinfo=UTC)
    naive = aware = 0
    for where, log in all_logs():
        assert log.created_at is not None, where
        for moment in (log.created_at, log.updated_at):
            if moment.tzinfo is None:
                naive += 1
            else:
                aware += 1
                assert moment.utcoffset() is not None
                assert moment.utcoffset().total_seconds() == 0, where  # type: ignore[union-attr]
            assert start <= as_utc(moment) < end, where
        assert as_utc(log.created_at) <= as_utc(log.updated_at), where
    assert naive and aware
    raw = b"".join(doc.raw for doc in DOCS.values())
    assert b'+00:00"' in raw and b'Z"' in raw


def test_usage_and_timing_add_up() -> None:
    for where, log in all_logs():
        if log.tokens is not None:
            assert log.tokens == (log.prompt_tokens or 0) + (log.output_tokens or 0), where
        for cost in (log.prompt_cost, log.output_cost):
            assert cost is None or 0 < cost < 0.01, where  # fractions of a cent
        if log.provider_latency is not None and log.duration is not None:
            assert 0 < log.provider_latency <= log.duration, where


def test_template_variables_are_given_as_inputs() -> None:
    templated = 0
    for where, log in all_logs():
        config = model_config(log)
        if config is None:
            continue
        texts = [config.prompt_template or ""] + [
            m.content for m in config.chat_template or [] if isinstance(m.content, str)
        ]
        names = {n for text in texts for n in re.findall(r"\{\{\s*([\w.]+)\s*\}\}", text)}
        # Dotted names ({{log.output}}) are an evaluator's view of the evaluated log.
        plain = {n for n in names if "." not in n}
        assert plain <= set(log.inputs or {}), where
        templated += bool(names)
    assert templated >= 5


# --- The provider payloads agree with the log --------------------------------------


def _openai_tool_choice(log: LogResponse) -> Any:
    if isinstance(log.tool_choice, ToolChoice):
        return {"type": "function", "function": {"name": log.tool_choice.function.name}}
    return log.tool_choice


def _calls(message: ChatMessage | None) -> list[tuple[str, str, Any]]:
    calls = message.tool_calls if message and message.tool_calls else []
    return [(c.id, c.function.name, json.loads(c.function.arguments or "{}")) for c in calls]


def _check_openai(log: LogResponse, request: dict[str, Any], response: dict[str, Any]) -> None:
    config = model_config(log)
    assert config is not None
    assert request["model"] == config.model == response["model"]
    assert response["object"] == "chat.completion"
    sent = request["messages"]
    assert len(sent) == len(log.messages or [])
    for wire, message in zip(sent, log.messages or [], strict=True):
        # A provider without the developer role gets the developer message as system.
        role = "system" if message.role == "developer" and config.provider != "openai" else None
        assert wire["role"] == (role or message.role)
        content = without_nulls(msgspec.to_builtins(message.content))
        assert wire.get("content") == content
        assert wire.get("tool_call_id") == message.tool_call_id
    assert request.get("tool_choice") == _openai_tool_choice(log)
    wire_tools = {tool["function"]["name"] for tool in request.get("tools", [])}
    assert wire_tools == tool_names(log)
    (choice,) = response["choices"]
    assert choice["finish_reason"] == log.finish_reason
    assert choice["message"]["content"] == (
        log.output_message.content if log.output_message else None
    )
    got = [
        (c["id"], c["function"]["name"], json.loads(c["function"]["arguments"]))
        for c in choice["message"].get("tool_calls", [])
    ]
    assert got == _calls(log.output_message)
    usage = response["usage"]
    assert usage["prompt_tokens"] == log.prompt_tokens
    assert usage["completion_tokens"] == log.output_tokens
    assert usage["total_tokens"] == log.tokens


def _check_anthropic(log: LogResponse, request: dict[str, Any], response: dict[str, Any]) -> None:
    config = model_config(log)
    assert config is not None
    assert request["model"] == config.model
    messages = log.messages or []
    system = [m.content for m in messages if m.role == "system"]
    assert request.get("system") == (system[0] if system else None)
    rest = [{"role": m.role, "content": m.content} for m in messages if m.role != "system"]
    assert request["messages"] == rest
    if isinstance(log.tool_choice, ToolChoice):
        assert request["tool_choice"] == {"type": "tool", "name": log.tool_choice.function.name}
    assert {tool["name"] for tool in request.get("tools", [])} == tool_names(log)
    if response["type"] == "error":
        assert log.error is not None and response["error"]["type"] in log.error
        return
    assert response["type"] == "message" and response["model"] == config.model
    assert response["stop_reason"] == log.finish_reason
    text = "".join(block["text"] for block in response["content"] if block["type"] == "text")
    assert text == (log.output or "")
    uses = [
        (b["id"], b["name"], b["input"]) for b in response["content"] if b["type"] == "tool_use"
    ]
    assert uses == _calls(log.output_message)
    assert response["usage"]["input_tokens"] == log.prompt_tokens
    assert response["usage"]["output_tokens"] == log.output_tokens


def without_nulls(value: Any) -> Any:
    """Plain JSON data without the object fields that are null (unset in a Struct)."""
    if isinstance(value, dict):
        return {k: without_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def test_provider_payloads_are_real_shapes_that_match_the_log() -> None:
    checked = {"openai": 0, "anthropic": 0}
    for where, log in all_logs():
        config = model_config(log)
        if raw_is_absent(log.provider_response):
            assert raw_is_absent(log.provider_request), where
            continue
        assert config is not None, where
        request = json.loads(bytes(log.provider_request))
        response = json.loads(bytes(log.provider_response))
        if config.provider == "anthropic":
            _check_anthropic(log, request, response)
            checked["anthropic"] += 1
        else:
            assert config.provider in ("openai", "deepseek"), where
            _check_openai(log, request, response)
            checked["openai"] += 1
    assert checked["openai"] >= 5 and checked["anthropic"] >= 3


# --- The features the demo shows ---------------------------------------------------


def test_parallel_tool_calls_answered_by_tool_messages() -> None:
    def parallel(log: LogResponse) -> bool:
        return any(len(m.tool_calls or []) >= 2 for m in log.messages or [])

    log = LOGS[find_one("an assistant message with parallel tool calls", parallel)]
    messages = log.messages or []
    at = next(i for i, m in enumerate(messages) if len(m.tool_calls or []) >= 2)
    asking = messages[at]
    assert asking.role == "assistant" and asking.content is None
    offered = {tool.name: tool for tool in model_config(log).tools or []}  # type: ignore[union-attr]
    answers = {m.tool_call_id: m for m in messages[at + 1 :] if m.role == "tool"}
    assert len(answers) == len(asking.tool_calls or []) >= 2
    for call in asking.tool_calls or []:
        assert call.type == "function"
        tool = offered[call.function.name]
        assert tool.parameters is not None and tool.parameters["type"] == "object"
        arguments = json.loads(call.function.arguments or "")
        assert set(tool.parameters["required"]) <= set(arguments)
        assert json.loads(answers[call.id].content)  # type: ignore[arg-type]
    assert log.tool_choice == "auto"
    final = log.output_message
    assert final is not None and final.role == "assistant" and not final.tool_calls
    assert isinstance(final.content, str) and final.content == log.output


def test_evaluation_results_of_every_kind_and_a_nested_evaluator_log() -> None:
    log = LOGS[find_one("4 evaluation results", lambda log: len(log.evaluation_results) >= 4)]
    values = [result.value for result in log.evaluation_results]
    assert True in values
    assert any(type(value) is int for value in values)
    assert any(isinstance(value, list) and value for value in values)
    errors = [result for result in log.evaluation_results if result.error]
    assert errors and all(result.value is None for result in errors)

    nested = [r for r in log.evaluation_results if r.evaluator_log is not None]
    assert len(nested) == 1
    result, judge = nested[0], nested[0].evaluator_log
    assert judge is not None
    assert judge.parent_id == log.id and judge.judgment == result.value
    config = judge.config
    assert isinstance(config, EvaluatorConfigResponse)
    assert config.evaluator_type == "llm" and config.return_type == "number"
    assert isinstance(config.model_config, ModelConfigResponse)
    assert config.created_by is not None and config.created_by.email_address
    assert judge.output_message is not None and judge.output == judge.output_message.content


def test_feedback_of_every_kind() -> None:
    log = LOGS[find_one("4 feedback items", lambda log: len(log.feedback or []) >= 4)]
    by_type = {item.type: item.value for item in log.feedback or []}
    assert isinstance(by_type["rating"], str)
    assert isinstance(by_type["correction"], str) and by_type["correction"] != log.output
    assert isinstance(by_type["issue"], list) and by_type["issue"]
    custom = {t: v for t, v in by_type.items() if t not in STANDARD_FEEDBACK}
    assert any(isinstance(v, int | float) and not isinstance(v, bool) for v in custom.values())


def test_provider_error_log() -> None:
    log = LOGS[find_one("an error", lambda log: log.error is not None)]
    assert log.output is None and log.output_message is None and log.finish_reason is None
    assert log.stdout and "429" in log.stdout and "429" in (log.error or "")
    raw = raw_json(find_one("an error", lambda log: log.error is not None))
    # Sent as explicit nulls, the way the API serialises unset fields.
    assert raw["finish_reason"] is None and "finish_reason" in raw
    assert json.loads(bytes(log.provider_response))["type"] == "error"


def test_agent_parent_and_tool_child_share_a_session() -> None:
    parent = LOGS[find_one("an agent", lambda log: isinstance(log.config, AgentConfigResponse))]
    agent = parent.config
    assert isinstance(agent, AgentConfigResponse)
    assert agent.agent_class and agent.tools
    assert isinstance(agent.model_config, ModelConfigRequest) and agent.model_config.tools
    assert parent.parent_id is None and parent.session_id

    child = LOGS[find_one("the agent's child", lambda log: log.parent_id == parent.id)]
    tool = child.config
    assert isinstance(tool, ToolConfigResponse)
    assert child.session_id == parent.session_id
    assert tool.signature and tool.signature.startswith(tool.name + "(")
    assert tool.source_code and f"def {tool.name}(" in tool.source_code
    assert tool.setup_schema and tool.setup_schema["type"] == "object"
    assert tool.name in {t.name for t in agent.tools or []} and tool.name in tool_names(parent)

    messages = parent.messages or []
    calls = [c for m in messages for c in m.tool_calls or [] if c.function.name == tool.name]
    assert len(calls) == 1
    assert json.loads(calls[0].function.arguments or "") == child.inputs
    (answer,) = [m for m in messages if m.role == "tool" and m.tool_call_id == calls[0].id]
    assert json.loads(answer.content) == json.loads(child.output or "")  # type: ignore[arg-type]
    assert parent.created_at is not None and child.created_at is not None
    assert as_utc(parent.created_at) < as_utc(child.created_at) < as_utc(parent.updated_at)


def _check_schema(value: Any, schema: dict[str, Any]) -> None:
    """The subset of JSON Schema that strict structured outputs use."""
    kind = schema["type"]
    if kind == "object":
        assert isinstance(value, dict)
        assert set(schema["required"]) <= set(value) <= set(schema["properties"])
        for key, item in value.items():
            _check_schema(item, schema["properties"][key])
    elif kind == "array":
        assert isinstance(value, list)
        for item in value:
            _check_schema(item, schema["items"])
    else:
        types = {"string": str, "boolean": bool, "number": int | float, "integer": int}
        assert isinstance(value, types[kind])
    if "enum" in schema:
        assert value in schema["enum"]


def test_structured_output_follows_its_schema() -> None:
    def structured(log: LogResponse) -> bool:
        config = model_config(log)
        return bool(config and config.response_format)

    log = LOGS[find_one("a response_format", structured)]
    response_format = model_config(log).response_format  # type: ignore[union-attr]
    assert response_format is not None and response_format.type == "json_schema"
    assert response_format.json_schema is not None
    _check_schema(json.loads(log.output or ""), response_format.json_schema["schema"])


def _png_size(data: bytes) -> tuple[int, int]:
    """Check every chunk CRC and the pixel data of an 8-bit RGB PNG; return its size."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    at, chunks = 8, []
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        tag, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        (crc,) = struct.unpack(">I", data[at + 8 + length : at + 12 + length])
        assert zlib.crc32(tag + body) == crc
        chunks.append((tag, body))
        at += 12 + length
    assert chunks[0][0] == b"IHDR" and chunks[-1][0] == b"IEND"
    width, height, depth, colour = struct.unpack(">IIBB", chunks[0][1][:10])
    assert (depth, colour) == (8, 2)
    pixels = zlib.decompress(b"".join(body for tag, body in chunks if tag == b"IDAT"))
    assert len(pixels) == height * (1 + 3 * width)
    return width, height


def test_vision_message_with_a_data_url_and_an_https_image() -> None:
    def images(log: LogResponse) -> list[str]:
        return [
            part.image_url.url
            for m in log.messages or []
            if isinstance(m.content, list)
            for part in m.content
            if part.image_url is not None
        ]

    log = LOGS[find_one("image parts", lambda log: bool(images(log)))]
    (message,) = [m for m in log.messages or [] if isinstance(m.content, list)]
    assert message.role == "user"
    assert [part.type for part in message.content] == ["text", "image_url", "image_url"]  # type: ignore[union-attr]
    data_url, web_url = images(log)
    prefix = "data:image/png;base64,"
    assert data_url.startswith(prefix) and web_url.startswith("https://")
    png = base64.b64decode(data_url.removeprefix(prefix), validate=True)
    assert len(png) < 4096
    width, height = _png_size(png)
    assert width >= 16 and height >= 16


def test_a_code_evaluators_own_log_reproduces_its_judgment() -> None:
    def code_evaluator(log: LogResponse) -> bool:
        config = log.config
        return isinstance(config, EvaluatorConfigResponse) and config.evaluator_type == "python"

    log = LOGS[find_one("a python evaluator's log", code_evaluator)]
    config = log.config
    assert isinstance(config, EvaluatorConfigResponse) and config.code
    assert log.judgment is True and config.return_type == "boolean"
    (parent,) = [p for p in LOGS.values() if p.id == log.parent_id]
    assert True in [result.value for result in parent.evaluation_results]
    # The code is the sample's own: running it on the parent gives the logged judgment.
    namespace: dict[str, Any] = {}
    exec(compile(config.code, "evaluator.py", "exec"), namespace)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        judged = namespace["evaluator"]({"inputs": parent.inputs, "output": parent.output})
    assert judged is log.judgment and printed.getvalue() == log.stdout


def test_every_tool_choice_shape() -> None:
    shapes = {
        "auto": find("tool_choice auto", lambda log: log.tool_choice == "auto"),
        "none": find("tool_choice none", lambda log: log.tool_choice == "none"),
        "required": find("tool_choice required", lambda log: log.tool_choice == "required"),
        "forced": find("a forced tool", lambda log: isinstance(log.tool_choice, ToolChoice)),
    }
    for name in shapes["none"]:
        log = LOGS[name]
        assert tool_names(log) and log.output_message and not log.output_message.tool_calls
    for name in shapes["required"]:
        assert _calls(LOGS[name].output_message)
    for name in shapes["forced"]:
        log = LOGS[name]
        forced = log.tool_choice
        assert isinstance(forced, ToolChoice) and forced.type == "function"
        assert forced.function.name in tool_names(log)
        assert [call[1] for call in _calls(log.output_message)] == [forced.function.name]


def test_late_drift_values_are_kept_as_strings() -> None:
    def drift(log: LogResponse) -> bool:
        config = log.config
        return isinstance(config, ModelConfigResponse) and config.provider == "deepseek"

    name = find_one("provider deepseek", drift)
    log, raw = LOGS[name], raw_json(name)
    config = log.config
    assert isinstance(config, ModelConfigResponse)
    assert config.reasoning_effort == "high"
    assert log.observability_status == "queued"
    assert (log.messages or [])[0].role == "developer"
    assert log.output_message is not None and log.output_message.thinking
    thinking = log.output_message.thinking[0]
    assert thinking.type == "thinking" and thinking.thinking
    # Fields no version of the model knows: ignored by the decoder, kept in the raw bytes.
    assert "reasoning_tokens" in raw and "reasoning_tokens" not in LogResponse.__struct_fields__
    assert "attributes" in raw["config"]
    assert "attributes" not in ModelConfigResponse.__struct_fields__
    assert b'"reasoning_tokens"' in DOCS[name].raw and b'"attributes"' in bytes(log.config_json)


def test_a_long_conversation_to_collapse_and_scroll() -> None:
    def long(log: LogResponse) -> bool:
        return len(log.messages or []) >= 30

    log = LOGS[find_one("30 messages or more", long)]
    messages = log.messages or []
    assert len(messages) <= 60
    texts = [m.content for m in messages if isinstance(m.content, str)]
    assert sum(len(text) > 2000 for text in texts) >= 4
    assert sum("```" in text for text in texts) >= 5
    assert any("\n| " in text for text in texts)  # a markdown table
    assert {m.role for m in messages} == {"system", "user", "assistant", "tool"}


def test_optional_fields_spread_over_the_set() -> None:
    find("inputs", lambda log: bool(log.inputs))
    find("metadata", lambda log: bool(log.metadata))
    find("batch_ids", lambda log: bool(log.batch_ids))
    find("reference_id", lambda log: bool(log.reference_id))
    find("source_datapoint_id", lambda log: bool(log.source_datapoint_id))
    find("user", lambda log: bool(log.user))
    find("save", lambda log: log.save is not None)
    find("a tools result", lambda log: bool(log.tools))
    environments = {log.environment for log in LOGS.values()} - {None}
    assert len(environments) >= 2
