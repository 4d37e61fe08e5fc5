"""msgspec Structs for a Humanloop v4 log (`LogResponse`) and every type nested in it.

Every optional field accepts both `null` and absence. Enumerations are kept as plain
strings so that values the spec never listed (a role `developer`, a provider `deepseek`)
survive decoding and are shown as they are. Unknown fields are ignored here; the raw
bytes are kept beside the model (see `LogDocument`) for the views that show everything.

Two places in the schema are tagged unions that real data may extend: the log `config`
(tagged by `type`) and message content parts. Both fall back to a generic shape for an
unknown tag instead of rejecting the whole log.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final, TypeAlias

import msgspec
from msgspec import Raw, Struct, field

from inspector.model.chat import (
    ChatMessage,
    ContentPart,
    FunctionTool,
    FunctionToolChoice,
    ImageUrl,
    ResponseFormat,
    ThinkingPart,
    ToolCall,
    ToolChoice,
    UserResponse,
)
from inspector.model.configs import (
    CONFIG_TYPES,
    AgentConfigResponse,
    AgentModelTool,
    Config,
    EvaluatorConfigResponse,
    GenericConfigResponse,
    ModelConfigRequest,
    ModelConfigResponse,
    ToolConfigRequest,
    ToolConfigResponse,
    ToolResponse,
    UnknownConfig,
    decode_config,
)

Value: TypeAlias = bool | int | float | str | list[str] | None


class ToolResultResponse(Struct, kw_only=True):
    """A result from a tool used to populate the prompt template (`LogResponse.tools`)."""

    id: str
    name: str
    signature: str
    result: str


class FeedbackResponse(Struct, kw_only=True):
    """A feedback item (annotation) on a log."""

    id: str
    type: str
    value: Value = None
    data_id: str | None = None
    user: str | None = None
    created_at: datetime | None = None


class EvaluationResultResponse(Struct, kw_only=True):
    """An evaluator's result on a log, with the evaluator's own log when it has one."""

    id: str
    evaluator_id: str
    evaluator_version_id: str
    log_id: str
    updated_at: datetime
    created_at: datetime
    evaluation_id: str | None = None
    log: LogResponse | None = None
    version_id: str | None = None
    version: Any = None
    value: Value = None
    error: str | None = None
    evaluator_log: LogResponse | None = None
    #: The name of `evaluator_log` before 2024-08-05; folded into `evaluator_log`.
    llm_evaluator_log: LogResponse | None = None

    def __post_init__(self) -> None:
        if self.evaluator_log is None and self.llm_evaluator_log is not None:
            self.evaluator_log = self.llm_evaluator_log


class LogResponse(Struct, kw_only=True):
    """A Humanloop v4 log: `GET /logs/{id}`."""

    id: str
    #: The `config` object exactly as received; decoded into `config` after the log.
    config_json: Raw = field(name="config")
    evaluation_results: list[EvaluationResultResponse]
    observability_status: str
    updated_at: datetime
    project: str | None = None
    project_id: str | None = None
    session_id: str | None = None
    session_reference_id: str | None = None
    parent_id: str | None = None
    parent_reference_id: str | None = None
    inputs: dict[str, Any] | None = None
    source: str | None = None
    metadata: dict[str, Any] | None = None
    save: bool | None = None
    source_datapoint_id: str | None = None
    reference_id: str | None = None
    messages: list[ChatMessage] | None = None
    output: str | None = None
    judgment: Value = None
    config_id: str | None = None
    environment: str | None = None
    feedback: list[FeedbackResponse] | None = None
    created_at: datetime | None = None
    error: str | None = None
    stdout: str | None = None
    duration: float | None = None
    output_message: ChatMessage | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    prompt_cost: float | None = None
    output_cost: float | None = None
    #: Kept as raw JSON bytes: they can be megabytes and are decoded only when shown.
    provider_request: Raw = Raw()
    provider_response: Raw = Raw()
    user: str | None = None
    provider_latency: float | None = None
    tokens: int | None = None
    raw_output: str | None = None
    finish_reason: str | None = None
    tools: list[ToolResultResponse] | None = None
    #: `none`, `auto`, `required`, or the object form; other strings are kept as they are.
    tool_choice: str | ToolChoice | None = None
    batch_ids: list[str] | None = None
    #: The decoded `config` (see the `config` property). Its wire name can never occur in
    #: a log, so it is never read from input; `__post_init__` sets it from `config_json`.
    #: Typed `Any` because msgspec cannot build a decoder for the untagged fallback.
    decoded_config: Any = field(default=None, name="inspector:decoded-config")

    def __post_init__(self) -> None:
        try:
            self.decoded_config = decode_config(self.config_json)
        except msgspec.ValidationError as exc:
            # msgspec adds this log's own path after ours, so name the field here.
            raise ValueError(_prefix_path(str(exc), "config")) from None

    @property
    def config(self) -> Config:
        """The config the log was made with; `UnknownConfig` for an unlisted `type`."""
        config: Config = self.decoded_config
        return config


def _prefix_path(message: str, key: str) -> str:
    """Turn `… - at `$.x`` (or a message without a path) into one rooted at `$.key`."""
    text, sep, path = message.rpartition(" - at `$")
    if not sep:
        return f"{message} - at `$.{key}`"
    return f"{text} - at `$.{key}{path}"


def raw_is_absent(raw: Raw) -> bool:
    """True when a `Raw` field was absent or `null` (without copying a big payload)."""
    return len(raw) == 0 or (len(raw) < 16 and bytes(raw).strip() == b"null")


log_decoder: Final = msgspec.json.Decoder(LogResponse)


__all__ = [
    "CONFIG_TYPES",
    "AgentConfigResponse",
    "AgentModelTool",
    "ChatMessage",
    "Config",
    "ContentPart",
    "EvaluationResultResponse",
    "EvaluatorConfigResponse",
    "FeedbackResponse",
    "FunctionTool",
    "FunctionToolChoice",
    "GenericConfigResponse",
    "ImageUrl",
    "LogResponse",
    "ModelConfigRequest",
    "ModelConfigResponse",
    "ResponseFormat",
    "ThinkingPart",
    "ToolCall",
    "ToolChoice",
    "ToolConfigRequest",
    "ToolConfigResponse",
    "ToolResponse",
    "ToolResultResponse",
    "UnknownConfig",
    "UserResponse",
    "Value",
    "decode_config",
    "log_decoder",
    "raw_is_absent",
]
