"""The `config` of a log: a union tagged by `type`, with a fallback for types the spec lacks.

Part of the model of a Humanloop v4 log (see `inspector.model.log`). An unknown `type` decodes
as `UnknownConfig` instead of making the whole log unreadable.
"""

from __future__ import annotations

from typing import Any, Final, TypeAlias

import msgspec
from msgspec import Raw, Struct

from inspector.model.chat import ChatMessage, ResponseFormat, UserResponse


class ToolResponse(Struct, kw_only=True):
    """A tool offered to the model by a model config (`ModelConfigResponse.tools`)."""

    id: str
    name: str
    description: str | None = None
    parameters: dict[str, Any] | None = None
    source: str | None = None


class _ToolFields(Struct, kw_only=True):
    """Fields of the tool shapes an agent's config can hold (the spec's tool requests)."""

    description: str | None = None
    strict: bool | None = None
    parameters: dict[str, Any] | None = None
    source: str | None = None
    source_code: str | None = None
    other: dict[str, Any] | None = None
    preset_name: str | None = None


class AgentModelTool(_ToolFields, kw_only=True):
    """An item of `ModelConfigRequest.tools`.

    The spec types it as an untagged union of `LinkedToolRequest` (with `id`) and
    `ModelConfigToolRequest` (with `name`); msgspec cannot tell untagged Structs apart,
    so this one Struct holds the fields of both.
    """

    id: str | None = None
    name: str | None = None


class ToolConfigRequest(_ToolFields, kw_only=True):
    """A tool of an agent config (`AgentConfigResponse.tools`)."""

    name: str
    type: str = "tool"


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


class _VersionedConfig(Struct, kw_only=True):
    """Fields every config but the model config has: identity, status and creator."""

    id: str
    status: str
    name: str
    description: str | None = None
    other: dict[str, Any] | None = None
    created_by: UserResponse | None = None


class ToolConfigResponse(_VersionedConfig, kw_only=True, tag_field="type", tag="tool"):
    """A tool config: the log of a tool call, or a deprecated `tool_configs` entry."""

    parameters: dict[str, Any] | None = None
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


class EvaluatorConfigResponse(_VersionedConfig, kw_only=True, tag_field="type", tag="evaluator"):
    """The config of an evaluator: code, LLM-as-judge, human or external."""

    evaluator_type: str
    model_config: ModelConfigResponse | None = None
    code: str | None = None
    arguments_type: str | None = None
    return_type: str | None = None


class AgentConfigResponse(_VersionedConfig, kw_only=True, tag_field="type", tag="agent"):
    """The config of an agent: its class, model config and tools."""

    agent_class: str
    model_config: ModelConfigRequest
    tools: list[ToolConfigRequest] | None = None


class GenericConfigResponse(_VersionedConfig, kw_only=True, tag_field="type", tag="generic"):
    """A generic config; also the shape a config of an unknown `type` is shown as."""


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
