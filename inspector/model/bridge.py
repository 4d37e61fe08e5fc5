"""One view of a log for both API versions: a v5 log (or a v4 call's data item) as a `LogResponse`.

The panes, `show` and the list read the v4 `LogResponse`. Rather than teach each of them
a second model, a v5 log is mapped onto it field by field (spec §11): its version object
becomes the config, its `evaluator_logs` the evaluation results (judgment as value), and
the fields with the same name carry over. What v4 has no place for (trace, reasoning
tokens, file path, start and end time) is read from the `V5Log` kept beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Final

import msgspec
from msgspec import Raw

from inspector.model.chat import ChatMessage, ToolCall
from inspector.model.log import EvaluationResultResponse, LogResponse
from inspector.model.v5 import CallLog, V5Log, Version

#: Stands in for v4's required `updated_at`, which v5 does not have; never shown for v5.
_NO_TIME: Final = datetime(1970, 1, 1, tzinfo=UTC)
_encode: Final = msgspec.json.encode


class CallView(LogResponse, kw_only=True):
    """The v4 view of a `PromptCallResponse` of several generations: the first is the
    output, as for any log, and `more` holds the output messages of the others."""

    #: The output message of `logs[1]`, `logs[2]`, … (from `output` when it has none).
    more: list[ChatMessage] = msgspec.field(default_factory=list)


def v5_as_v4(log: V5Log) -> LogResponse:
    """The v4 view of a v5 log."""
    call = log.logs[0] if log.logs else None
    if call is not None and log.output is None and log.output_message is None:
        # A `PromptCallResponse`: its first generation is the call's output.
        for name in ("output", "output_message", "finish_reason", "prompt_tokens", "error"):
            if getattr(log, name) is None:
                setattr(log, name, getattr(call, name))
        log.output_tokens = log.output_tokens or call.output_tokens
        log.reasoning_tokens = log.reasoning_tokens or call.reasoning_tokens
        log.prompt_cost = log.prompt_cost or call.prompt_cost
        log.output_cost = log.output_cost or call.output_cost
    moment = log.created_at or log.start_time
    more = [_generation(item) for item in (log.logs or [])[1:]]
    fields: dict[str, Any] = dict(  # noqa: C408 - the names are LogResponse's arguments.
        id=log.id,
        config_json=Raw(_config_bytes(log)),
        evaluation_results=[_result(log, item) for item in log.evaluator_logs or []],
        observability_status=log.status or "",
        updated_at=moment or _NO_TIME,
        created_at=moment,
        session_id=log.trace_id if log.trace_id != log.id else None,
        parent_id=log.trace_parent_id,
        project=log.version.path,
        project_id=log.version.id,
        inputs=log.inputs,
        source=log.source,
        metadata=log.metadata,
        save=log.save,
        source_datapoint_id=log.source_datapoint_id,
        messages=log.messages,
        output=log.output,
        judgment=log.judgment,
        config_id=log.version.version_id,
        environment=log.environment,
        error=log.error,
        stdout=log.stdout,
        duration=log.latency,
        output_message=log.output_message,
        prompt_tokens=log.prompt_tokens,
        output_tokens=log.output_tokens,
        prompt_cost=log.prompt_cost,
        output_cost=log.output_cost,
        provider_request=log.provider_request,
        provider_response=log.provider_response,
        user=log.user,
        provider_latency=log.provider_latency,
        finish_reason=log.finish_reason,
        tool_choice=log.tool_choice,
        batch_ids=log.batches,
    )
    return CallView(**fields, more=more) if more else LogResponse(**fields)


def _generation(item: CallLog) -> ChatMessage:
    """One generation of a call response as the assistant message it returned."""
    if item.output_message is not None:
        return item.output_message
    return ChatMessage(role="assistant", content=item.output)


def _config_bytes(log: V5Log) -> bytes:
    """The encoded config, cached per version: a version never changes once made, and an
    export holds many logs of a few versions."""
    version = log.version
    if version.version_id is None:
        return _encode(config_of(log))
    key = (log.kind, version.id, version.version_id, version.path, version.name)
    found = _CONFIGS.get(key)
    if found is None:
        if len(_CONFIGS) > 1024:
            _CONFIGS.clear()
        found = _CONFIGS[key] = _encode(config_of(log))
    return found


_CONFIGS: dict[tuple[str | None, ...], bytes] = {}


def config_of(log: V5Log) -> dict[str, Any]:
    """The version object as a v4 config: model for prompts and agents, tool, evaluator,
    and generic for a flow."""
    kind, version = log.kind, log.version
    common = {"id": version.version_id or version.id or "", "status": version.status or ""}
    name = version.path or version.name or ""
    if kind in ("prompt", "agent"):
        return {
            "type": "model",
            "name": name,
            "model": version.model or "",
            **_settings(version),
            **common,
            "tools": _tools(version),
        }
    if kind == "tool":
        function = version.function or {}
        return {
            "type": "tool",
            "name": name or function.get("name") or "",
            "description": function.get("description"),
            "parameters": function.get("parameters"),
            "source_code": version.source_code,
            "signature": version.signature,
            **common,
        }
    if kind == "evaluator":
        spec = version.spec
        return {
            "type": "evaluator",
            "name": name,
            "evaluator_type": (spec.evaluator_type if spec else None) or "",
            "code": spec.code if spec else None,
            "arguments_type": spec.arguments_type if spec else None,
            "return_type": spec.return_type if spec else None,
            **common,
        }
    # A flow (no v4 counterpart) shows as a generic config holding its attributes.
    return {"type": "generic", "name": name, "other": version.attributes, **common}


def _settings(version: Version) -> dict[str, Any]:
    names = ("provider", "endpoint", "max_tokens", "temperature", "top_p", "stop")
    more = ("presence_penalty", "frequency_penalty", "seed", "other", "response_format")
    found = {name: getattr(version, name) for name in (*names, *more, "reasoning_effort")}
    found["template_language"] = version.template_language
    if isinstance(version.template, str):
        found["prompt_template"] = version.template
    elif version.template is not None:
        found["chat_template"] = [msgspec.to_builtins(m) for m in version.template]
    return {key: value for key, value in found.items() if value is not None}


def _tools(version: Version) -> list[dict[str, Any]]:
    """Inline and linked tools (prompts), or an agent's `inline`/`file` tools, as v4 tools."""
    tools: list[dict[str, Any]] = []
    for item in [*(version.tools or []), *(version.linked_tools or [])]:
        function = item.get("json_schema") if item.get("type") == "inline" else item
        if item.get("type") == "file":
            link = item.get("link") or {}
            file = item.get("file") or {}
            name = file.get("name") or file.get("path") or link.get("file_id") or "?"
            function = {"name": name, "description": f"linked file {link.get('file_id', '?')}"}
        if not isinstance(function, dict) or not isinstance(function.get("name"), str):
            continue
        tools.append(
            {
                "id": str(item.get("id") or function["name"]),
                "name": function["name"],
                "description": function.get("description"),
                "parameters": function.get("parameters"),
            }
        )
    return tools


def _result(parent: V5Log, item: V5Log) -> EvaluationResultResponse:
    evaluator = item.evaluator or Version()
    moment = item.created_at or item.end_time or _NO_TIME
    return EvaluationResultResponse(
        id=item.id,
        evaluator_id=evaluator.path or evaluator.name or evaluator.id or "",
        evaluator_version_id=evaluator.version_id or "",
        log_id=item.parent_id or parent.id,
        updated_at=moment,
        created_at=moment,
        value=item.judgment,
        error=item.error,
        evaluator_log=v5_as_v4(item),
    )


class DataItem(msgspec.Struct, kw_only=True):
    """A `data[]` item of a v4 `/chat` or `/completion` response (`ChatDataResponse`)."""

    id: str
    model_config_id: str | None = None
    output: str | None = None
    raw_output: str | None = None
    inputs: dict[str, Any] | None = None
    finish_reason: str | None = None
    messages: list[ChatMessage] | None = None
    output_message: ChatMessage | None = None
    tool_calls: list[ToolCall] | None = None


class CallEnvelope(msgspec.Struct, kw_only=True):
    """The envelope of a v4 `ChatResponse` / `CompletionResponse` around its `data[]`."""

    data: list[Raw]
    provider_responses: list[Raw] | None = None
    provider_request: Raw = Raw()
    project_id: str | None = None
    session_id: str | None = None
    usage: dict[str, Any] | None = None
    tool_choice: Any = None


def data_item_as_v4(
    item: DataItem, envelope: CallEnvelope | None, index: int, name: str | None = None
) -> LogResponse:
    """The v4 log view of one generation of a `/chat` or `/completion` call."""
    message = item.output_message
    if message is None and (item.output is not None or item.tool_calls):
        message = ChatMessage(role="assistant", content=item.output, tool_calls=item.tool_calls)
    usage = (envelope.usage if envelope else None) or {}
    responses = (envelope.provider_responses if envelope else None) or []
    config = {"type": "generic", "id": item.model_config_id or "", "status": "", "name": ""}
    config["name"] = name or f"model config {item.model_config_id or '?'}"
    return LogResponse(
        id=item.id,
        config_json=Raw(_encode(config)),
        evaluation_results=[],
        observability_status="",
        updated_at=_NO_TIME,
        project_id=envelope.project_id if envelope else None,
        session_id=envelope.session_id if envelope else None,
        inputs=item.inputs,
        messages=item.messages,
        output=item.output,
        raw_output=item.raw_output,
        output_message=message,
        config_id=item.model_config_id,
        finish_reason=item.finish_reason,
        prompt_tokens=usage.get("prompt_tokens"),
        output_tokens=usage.get("generation_tokens"),
        tokens=usage.get("total_tokens"),
        provider_request=envelope.provider_request if envelope else Raw(),
        provider_response=responses[index] if index < len(responses) else Raw(),
        tool_choice=envelope.tool_choice
        if envelope and isinstance(envelope.tool_choice, str)
        else None,
    )


data_item_decoder: Final = msgspec.json.Decoder(DataItem)
envelope_decoder: Final = msgspec.json.Decoder(CallEnvelope)
