"""The Overview pane's content: identity, status, timing, usage, config, inputs, output."""

from __future__ import annotations

from typing import Any

import msgspec

from inspector.model.decode import LogDocument
from inspector.model.log import (
    AgentConfigResponse,
    EvaluatorConfigResponse,
    GenericConfigResponse,
    LogResponse,
    ModelConfigRequest,
    ModelConfigResponse,
    ToolConfigResponse,
    UnknownConfig,
)
from inspector.present import words as d
from inspector.present.report import notes
from inspector.present.trace import v5_facts
from inspector.present.usage import provider_token_details
from inspector.tui.widgets.blocks import Block
from inspector.tui.widgets.fields import heading, json_text, row, rows


def _identity(log: LogResponse) -> list[tuple[str, Any]]:
    return [
        ("id", log.id),
        ("project", log.project),
        ("project_id", log.project_id),
        ("environment", log.environment),
        ("source", log.source),
        ("user", log.user),
        ("reference_id", log.reference_id),
        ("source_datapoint_id", log.source_datapoint_id),
        ("session_id", log.session_id),
        ("session_reference_id", log.session_reference_id),
        ("parent_id", log.parent_id),
        ("parent_reference_id", log.parent_reference_id),
        ("batch_ids", ", ".join(log.batch_ids) if log.batch_ids else None),
        ("config_id", log.config_id),
        ("save", log.save),
    ]


def _status(log: LogResponse) -> list[tuple[str, Any]]:
    return [
        ("observability_status", log.observability_status),
        ("finish_reason", log.finish_reason),
        ("error", log.error),
        ("stdout", log.stdout),
    ]


def _timing(log: LogResponse) -> list[tuple[str, Any]]:
    rate = d.tokens_per_second(log)
    return [
        ("created_at", d.format_time(log.created_at, precise=True) if log.created_at else None),
        ("updated_at", d.format_time(log.updated_at, precise=True)),
        ("duration", d.format_seconds(log.duration) if log.duration is not None else None),
        (
            "provider_latency",
            d.format_seconds(log.provider_latency) if log.provider_latency is not None else None,
        ),
        ("output tokens/s", f"{rate:.1f}" if rate is not None else None),
    ]


def _usage(log: LogResponse) -> list[tuple[str, Any]]:
    def cost(value: float | None) -> str | None:
        return None if value is None else d.format_cost(value)

    total = d.total_tokens(log)
    details = [
        (words, f"{d.format_count(count)}  (provider_response.usage)")
        for words, count in provider_token_details(log.provider_response)
    ]
    return [
        (
            "prompt_tokens",
            d.format_count(log.prompt_tokens) if log.prompt_tokens is not None else None,
        ),
        (
            "output_tokens",
            d.format_count(log.output_tokens) if log.output_tokens is not None else None,
        ),
        ("tokens (total)", d.format_count(total) if total is not None else None),
        *details,
        ("prompt_cost", cost(log.prompt_cost)),
        ("output_cost", cost(log.output_cost)),
        ("cost (total)", cost(d.total_cost(log))),
    ]


def _model_pairs(model: ModelConfigResponse | ModelConfigRequest) -> list[tuple[str, Any]]:
    pairs: list[tuple[str, Any]] = [
        ("model", model.model),
        ("provider", model.provider),
        ("endpoint", model.endpoint),
    ]
    params = dict(d.model_parameters(model))
    for name in (
        "temperature", "max_tokens", "top_p", "stop", "seed", "presence_penalty",
        "frequency_penalty", "reasoning_effort",
    ):  # fmt: skip
        pairs.append((name, params.get(name)))
    pairs.append(("response_format", _plain(model.response_format)))
    pairs.append(("template_language", model.template_language))
    pairs.append(("prompt_template", model.prompt_template))
    if model.chat_template:
        pairs.append(("chat_template", f"{len(model.chat_template)} messages (t in Messages)"))
    pairs.append(("other", model.other or None))
    return pairs


def _plain(value: Any) -> Any:
    return None if value is None else msgspec.to_builtins(value)


def _user(user: Any) -> str | None:
    if user is None:
        return None
    name = f"{user.full_name} " if user.full_name else ""
    return f"{name}<{user.email_address}> ({user.id})"


def config_blocks(log: LogResponse) -> list[Block]:
    """Every field of the config, whichever variant it is."""
    config = log.config
    kind = d.config_type(config)
    blocks = [heading("config", "Config", f"{kind} config")]
    common: list[tuple[str, Any]] = [
        ("type", kind),
        ("id", config.id),
        ("name", config.name),
        ("description", config.description),
    ]
    if isinstance(config, ModelConfigResponse):
        pairs = common + _model_pairs(config)
        pairs.append(("tools", ", ".join(t.name for t in config.tools) if config.tools else None))
    elif isinstance(config, ToolConfigResponse):
        pairs = common + [
            ("status", config.status),
            ("signature", config.signature),
            ("source", config.source),
            ("preset", config.preset_name if config.is_preset else None),
            ("parameters", config.parameters),
            ("setup_schema", config.setup_schema),
            ("source_code", config.source_code),
            ("other", config.other or None),
            ("created_by", _user(config.created_by)),
        ]
    elif isinstance(config, EvaluatorConfigResponse):
        pairs = common + [
            ("status", config.status),
            ("evaluator_type", config.evaluator_type),
            ("arguments_type", config.arguments_type),
            ("return_type", config.return_type),
            ("code", config.code),
            ("other", config.other or None),
            ("created_by", _user(config.created_by)),
        ]
        if config.model_config is not None:
            pairs += [(f"model_config.{k}", v) for k, v in _model_pairs(config.model_config)]
    elif isinstance(config, AgentConfigResponse):
        pairs = common + [
            ("status", config.status),
            ("agent_class", config.agent_class),
            ("tools", ", ".join(t.name for t in config.tools) if config.tools else None),
            ("other", config.other or None),
            ("created_by", _user(config.created_by)),
        ]
        pairs += [(f"model_config.{k}", v) for k, v in _model_pairs(config.model_config)]
    elif isinstance(config, GenericConfigResponse):
        pairs = common + [
            ("status", config.status),
            ("other", config.other or None),
            ("created_by", _user(config.created_by)),
        ]
    else:
        assert isinstance(config, UnknownConfig)
        blocks.append(
            row("config.note", "note", "a config type the v4 spec does not list; as received:")
        )
        return blocks + [
            row("config.raw", "config", json_text(msgspec.json.decode(log.config_json)))
        ]
    return blocks + rows("config", pairs)


def _mapping_rows(prefix: str, mapping: dict[str, Any] | None) -> list[Block]:
    if not mapping:
        return []
    return [row(f"{prefix}.{key}", key, value) for key, value in mapping.items()]


def overview_blocks(doc: LogDocument) -> list[Block]:
    """The Overview pane, top to bottom."""
    log = doc.log
    blocks: list[Block] = []
    if doc.note or doc.problems:
        blocks += [heading("read", "Read", "what this is, and what could not be read")]
        blocks += [row(f"read.{n}", "note", text) for n, text in enumerate(notes(doc))]
    blocks += [heading("identity", "Identity")]
    blocks += rows("identity", _identity(log))
    if doc.v5 is not None:
        blocks += [heading("v5", "Humanloop v5", f"{doc.v5.kind} log")]
        blocks += rows("v5", list(v5_facts(doc)), note_missing=False)
    blocks += [heading("status", "Status")] + rows("status", _status(log))
    timing = _timing(log)
    if doc.v5 is not None:  # v5 has no `updated_at`: the view's stand-in is not shown.
        timing = [pair for pair in timing if pair[0] != "updated_at"]
    blocks += [heading("timing", "Timing")] + rows("timing", timing)
    blocks += [heading("usage", "Usage")] + rows("usage", _usage(log))
    blocks += config_blocks(log)
    count = len(log.inputs or {})
    blocks.append(heading("inputs", "Inputs", f"{count}" if count else "none"))
    blocks += _mapping_rows("inputs", log.inputs)
    count = len(log.metadata or {})
    blocks.append(heading("metadata", "Metadata", f"{count}" if count else "none"))
    blocks += _mapping_rows("metadata", log.metadata)
    blocks.append(heading("output", "Output"))
    blocks += rows(
        "output",
        [("output", log.output), ("raw_output", _raw_output(log)), ("judgment", log.judgment)],
    )
    return blocks


def _raw_output(log: LogResponse) -> str | None:
    """`raw_output`, only when it says something `output` does not."""
    if log.raw_output is None or log.raw_output == log.output:
        return None
    return log.raw_output
