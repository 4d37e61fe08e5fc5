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

#: The value of an evaluation result, a judgment or a feedback item. `int` comes before
#: `float` so that `4` stays an int; `bool` comes first so that `true` stays a bool.
Value: TypeAlias = bool | int | float | str | list[str] | None


class UserResponse(Struct, kw_only=True):
    """A Humanloop user, e.g. the creator of a config."""

    id: str
    email_address: str
    verified: bool
    full_name: str | None = None


class ResponseFormat(Struct, kw_only=True):
    """The structured-output setting of a model config."""

    type: str
    json_schema: dict[str, Any] | None = None


class ImageUrl(Struct, kw_only=True):
    """The image of an `image_url` content part: a URL or a base64 `data:` URL."""

    url: str
    detail: str | None = None


class ContentPart(Struct, kw_only=True):
    """One part of a multi-part message: `text`, `image_url`, or a type the spec lacks.

    The spec's `TextChatContent` and `ImageChatContent` are one Struct here so that a
    part of an unknown type (audio, file, …) is kept with its type name instead of
    making the whole log unreadable. The required field of each known type is checked.
    """

    type: str
    text: str | None = None
    image_url: ImageUrl | None = None

    def __post_init__(self) -> None:
        if self.type == "text" and self.text is None:
            raise ValueError("Object missing required field `text`")
        if self.type == "image_url" and self.image_url is None:
            raise ValueError("Object missing required field `image_url`")


class FunctionTool(Struct, kw_only=True):
    """A function called by the model; `arguments` is a JSON-encoded string."""

    name: str
    arguments: str | None = None


class ToolCall(Struct, kw_only=True):
    """A tool call requested by the assistant."""

    id: str
    type: str
    function: FunctionTool


class ThinkingPart(Struct, kw_only=True):
    """A reasoning block (`thinking` or `redacted_thinking`), a late-v4 extra."""

    type: str
    thinking: str | None = None
    signature: str | None = None
    data: str | None = None


class ChatMessage(Struct, kw_only=True):
    """`ChatMessageWithToolCall`: a message sent to or returned by the provider."""

    role: str
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call: FunctionTool | None = None
    thinking: list[ThinkingPart] | None = None


class FunctionToolChoice(Struct, kw_only=True):
    """The function named by a forced `tool_choice`."""

    name: str


class ToolChoice(Struct, kw_only=True):
    """The object form of `tool_choice`: force the model to call one function."""

    type: str
    function: FunctionToolChoice


class ToolResponse(Struct, kw_only=True):
    """A tool offered to the model by a model config (`ModelConfigResponse.tools`)."""

    id: str
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    source: str | None = None


class AgentModelTool(Struct, kw_only=True):
    """An item of `ModelConfigRequest.tools`.

    The spec types it as an untagged union of `LinkedToolRequest` (with `id`) and
    `ModelConfigToolRequest` (with `name`); msgspec cannot tell untagged Structs apart,
    so this one Struct holds the fields of both.
    """

    id: str | None = None
    name: str | None = None
    description: str | None = None
    strict: bool | None = None
    parameters: dict[str, Any] | None = None
    source: str | None = None
    source_code: str | None = None
    other: dict[str, Any] | None = None
    preset_name: str | None = None


class ToolConfigRequest(Struct, kw_only=True):
    """A tool of an agent config (`AgentConfigResponse.tools`)."""

    name: str
    type: str = "tool"
    description: str | None = None
    strict: bool | None = None
    parameters: dict[str, Any] | None = None
    source: str | None = None
    source_code: str | None = None
    other: dict[str, Any] | None = None
    preset_name: str | None = None


class _ModelParameters(Struct, kw_only=True):
    """Fields shared by `ModelConfigResponse` and `ModelConfigRequest`."""

    model: str
    name: str | None = None
    description: str | None = None
    provider: str | None = None
    endpoint: str | None = None
    max_tokens: int | None = None
    temperature: float | None = None
    top_p: float | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    other: dict[str, Any] | None = None
    response_format: ResponseFormat | None = None
    prompt_template: str | None = None
    chat_template: list[ChatMessage] | None = None
    reasoning_effort: str | int | None = None
    template_language: str | None = None


class ToolConfigResponse(Struct, kw_only=True, tag_field="type", tag="tool"):
    """A tool config: the log of a tool call, or a deprecated `tool_configs` entry."""

    id: str
    status: str
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    other: dict[str, Any] | None = None
    created_by: UserResponse | None = None
    source: str | None = None
    source_code: str | None = None
    setup_schema: dict[str, Any] | None = None
    signature: str | None = None
    is_preset: bool | None = None
    preset_name: str | None = None


class ModelConfigResponse(_ModelParameters, kw_only=True, tag_field="type", tag="model"):
    """The config of a model call: model, provider and sampling parameters."""

    id: str
    tools: list[ToolResponse] | None = None
    tool_configs: list[ToolConfigResponse] | None = None


class ModelConfigRequest(_ModelParameters, kw_only=True):
    """The model config of an agent: the request shape, with no `id`."""

    type: str | None = None
    tools: list[AgentModelTool] | None = None


class EvaluatorConfigResponse(Struct, kw_only=True, tag_field="type", tag="evaluator"):
    """The config of an evaluator: code, LLM-as-judge, human or external."""

    id: str
    status: str
    name: str
    evaluator_type: str
    description: str | None = None
    other: dict[str, Any] | None = None
    created_by: UserResponse | None = None
    model_config: ModelConfigResponse | None = None
    code: str | None = None
    arguments_type: str | None = None
    return_type: str | None = None


class AgentConfigResponse(Struct, kw_only=True, tag_field="type", tag="agent"):
    """The config of an agent: its class, model config and tools."""

    id: str
    status: str
    name: str
    agent_class: str
    model_config: ModelConfigRequest
    description: str | None = None
    other: dict[str, Any] | None = None
    created_by: UserResponse | None = None
    tools: list[ToolConfigRequest] | None = None


class GenericConfigResponse(Struct, kw_only=True, tag_field="type", tag="generic"):
    """A generic config; also the shape a config of an unknown `type` is shown as."""

    id: str
    status: str
    name: str
    description: str | None = None
    other: dict[str, Any] | None = None
    created_by: UserResponse | None = None


class UnknownConfig(Struct, kw_only=True):
    """A config whose `type` the spec does not list. Shown like a generic config.

    Every field is optional: nothing about an unknown config type can be required.
    """

    type: str | None = None
    id: str | None = None
    status: str | None = None
    name: str | None = None
    description: str | None = None
    other: dict[str, Any] | None = None
    created_by: UserResponse | None = None


Config: TypeAlias = (
    ModelConfigResponse
    | ToolConfigResponse
    | EvaluatorConfigResponse
    | AgentConfigResponse
    | GenericConfigResponse
    | UnknownConfig
)

CONFIG_TYPES: Final = frozenset({"model", "tool", "evaluator", "agent", "generic"})


class _ConfigTag(Struct):
    type: Any = None


_config_tag_decoder = msgspec.json.Decoder(_ConfigTag)
_config_decoder = msgspec.json.Decoder(
    ModelConfigResponse
    | ToolConfigResponse
    | EvaluatorConfigResponse
    | AgentConfigResponse
    | GenericConfigResponse
)
_unknown_config_decoder = msgspec.json.Decoder(UnknownConfig)


def decode_config(raw: bytes | Raw) -> Config:
    """Decode a config object, falling back to `UnknownConfig` for an unknown `type`."""
    tag = _config_tag_decoder.decode(raw).type
    if isinstance(tag, str) and tag not in CONFIG_TYPES:
        return _unknown_config_decoder.decode(raw)
    # A known tag, or a missing or non-string one that the union decoder words best.
    config: Config = _config_decoder.decode(raw)
    return config


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
    value: Value
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


class ListPage(Struct, kw_only=True):
    """`PaginatedData_LogResponse_`: one page of `GET /logs`."""

    records: list[LogResponse]
    page: int
    size: int
    total: int


log_decoder: Final = msgspec.json.Decoder(LogResponse)
