"""msgspec Structs for Humanloop v5 logs (Prompt, Tool, Evaluator, Flow, Agent) and their wrappers.

The v5 `LogResponse` is a union without a discriminator: the member is told by which
version object (`prompt`, `tool`, `evaluator`, `flow`, `agent`) is present. One Struct
with all five optional decodes every member; `kind` classifies it afterwards. Every
field but `id` is optional (published examples omit fields the spec calls required),
and enumerations stay plain strings so that values added in 2025 survive.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Final

import msgspec
from msgspec import Raw, Struct

from inspector.model.chat import ChatMessage, ToolChoice

#: Version-object keys in the order a log with several is classified (spec §2).
KINDS: Final = ("agent", "flow", "prompt", "tool", "evaluator")

Judgment = bool | int | float | str | list[str] | None


class Environment(Struct, kw_only=True):
    """An environment a version is deployed to."""

    id: str | None = None
    name: str | None = None
    tag: str | None = None


class EvaluatorSpec(Struct, kw_only=True):
    """What an evaluator does: its type, what it takes and what it returns."""

    evaluator_type: str | None = None
    arguments_type: str | None = None
    return_type: str | None = None
    code: str | None = None
    instructions: str | None = None
    prompt: dict[str, Any] | None = None


class Version(Struct, kw_only=True):
    """A version object: `PromptResponse`, `ToolResponse`, `EvaluatorResponse`, `FlowResponse`
    or `AgentResponse`, as deep as a viewer needs (one Struct, every field optional)."""

    id: str | None = None
    path: str | None = None
    name: str | None = None
    version_id: str | None = None
    version_name: str | None = None
    type: str | None = None
    status: str | None = None
    description: str | None = None
    created_at: datetime | None = None
    environments: list[Environment] | None = None
    # Prompt and Agent model settings.
    model: str | None = None
    provider: str | None = None
    endpoint: str | None = None
    template: str | list[ChatMessage] | None = None
    template_language: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    other: dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    reasoning_effort: str | int | None = None
    max_iterations: int | None = None
    #: Prompt: `ToolFunction`s; Agent: `{type: file|inline, …}` items. Kept as objects.
    tools: list[dict[str, Any]] | None = None
    linked_tools: list[dict[str, Any]] | None = None
    # Tool.
    function: dict[str, Any] | None = None
    source_code: str | None = None
    tool_type: str | None = None
    signature: str | None = None
    # Evaluator.
    spec: EvaluatorSpec | None = None
    # Flow.
    attributes: dict[str, Any] | None = None


class CallLog(Struct, kw_only=True):
    """One generation of a `PromptCallResponse` (`logs[]`; these carry no id)."""

    output: str | None = None
    output_message: ChatMessage | None = None
    finish_reason: str | None = None
    prompt_tokens: int | None = None
    output_tokens: int | None = None
    reasoning_tokens: int | None = None
    prompt_cost: float | None = None
    output_cost: float | None = None
    error: str | None = None


class V5Log(Struct, kw_only=True):
    """A Humanloop v5 log of any kind: `GET /v5/logs/{id}` or one line of an export."""

    id: str
    prompt: Version | None = None
    tool: Version | None = None
    evaluator: Version | None = None
    flow: Version | None = None
    agent: Version | None = None
    evaluator_logs: list[V5Log] | None = None
    trace_children: list[V5Log] | None = None
    start_time: datetime | None = None
    end_time: datetime | None = None
    created_at: datetime | None = None
    output: str | None = None
    error: str | None = None
    provider_latency: float | None = None
    stdout: str | None = None
    provider_request: Raw = Raw()
    provider_response: Raw = Raw()
    inputs: dict[str, Any] | None = None
    source: str | None = None
    metadata: dict[str, Any] | None = None
    source_datapoint_id: str | None = None
    trace_parent_id: str | None = None
    trace_id: str | None = None
    trace_flow_id: str | None = None
    batches: list[str] | None = None
    user: str | None = None
    environment: str | None = None
    save: bool | None = None
    log_id: str | None = None
    messages: list[ChatMessage] | None = None
    output_message: ChatMessage | None = None
    tool_choice: str | ToolChoice | None = None
    prompt_tokens: int | None = None
    reasoning_tokens: int | None = None
    output_tokens: int | None = None
    prompt_cost: float | None = None
    output_cost: float | None = None
    finish_reason: str | None = None
    log_status: str | None = None
    trace_status: str | None = None
    judgment: Judgment = None
    parent_id: str | None = None
    marked_completed: bool | None = None
    #: `PromptCallResponse` only: its generations (the first is shown as the output).
    logs: list[CallLog] | None = None

    @property
    def kind(self) -> str:
        """`agent`, `flow`, `prompt`, `tool` or `evaluator`: which version object is present."""
        for key in KINDS:
            if getattr(self, key) is not None:
                return key
        return "unknown"

    @property
    def version(self) -> Version:
        """The version object that made the log (an empty one if none is present)."""
        found: Version | None = getattr(self, self.kind, None)
        return found if found is not None else Version()

    @property
    def status(self) -> str | None:
        """One status: `log_status` (2025), else the older `trace_status`."""
        return self.log_status or self.trace_status

    @property
    def latency(self) -> float | None:
        """Seconds from start to end, else the provider latency."""
        if self.start_time is not None and self.end_time is not None:
            try:
                return (self.end_time - self.start_time).total_seconds()
            except TypeError:  # One naive time and one with a zone.
                pass
        return self.provider_latency


class SessionEvent(Struct, kw_only=True):
    """`SessionEventResponse`: a legacy trace node `{log, children}`."""

    log: Raw
    children: list[Raw] | None = None


class EvaluationRecord(Struct, kw_only=True):
    """A record of `GET /v5/evaluations/{id}/logs` (S2 `run_id`, or S1 `evaluated_version`)."""

    log: Raw
    run_id: str | None = None
    datapoint: dict[str, Any] | None = None
    evaluated_version: dict[str, Any] | None = None
    evaluator_logs: list[Raw] | None = None


class V5ListPage(Struct, kw_only=True):
    """`PaginatedData_LogResponse_` of v5: pages are 1-based."""

    records: list[Raw]
    page: int | None = None
    size: int | None = None
    total: int | None = None


class Probe(Struct):
    """The keys that tell what a JSON object is (every value kept unread)."""

    id: Raw = Raw()
    config: Raw = Raw()
    evaluation_results: Raw = Raw()
    observability_status: Raw = Raw()
    prompt: Raw = Raw()
    tool: Raw = Raw()
    evaluator: Raw = Raw()
    flow: Raw = Raw()
    agent: Raw = Raw()
    evaluator_logs: Raw = Raw()
    log: Raw = Raw()
    children: Raw = Raw()
    run_id: Raw = Raw()
    evaluated_version: Raw = Raw()
    records: Raw = Raw()
    data: Raw = Raw()
    provider_responses: Raw = Raw()
    model_config_id: Raw = Raw()
    index: Raw = Raw()
    prompt_id: Raw = Raw()
    tool_id: Raw = Raw()
    flow_id: Raw = Raw()
    evaluator_id: Raw = Raw()
    agent_id: Raw = Raw()
    version_id: Raw = Raw()
    type: Raw = Raw()
    path: Raw = Raw()

    def has(self, key: str) -> bool:
        """True when `key` is present and not `null`."""
        raw: Raw = getattr(self, key)
        # Only a 4-byte value can be `null`: nothing bigger is ever copied here.
        size = len(raw)
        return size > 0 and (size != 4 or bytes(raw) != b"null")


class Children(Struct):
    """The nested logs of a log, kept as bytes so that each opens with its unknown fields."""

    trace_children: list[Raw] | None = None
    evaluator_logs: list[Raw] | None = None
    children: list[Raw] | None = None


v5_decoder: Final = msgspec.json.Decoder(V5Log)
probe_decoder: Final = msgspec.json.Decoder(Probe)
children_decoder: Final = msgspec.json.Decoder(Children)
session_decoder: Final = msgspec.json.Decoder(SessionEvent)
evaluation_decoder: Final = msgspec.json.Decoder(EvaluationRecord)
