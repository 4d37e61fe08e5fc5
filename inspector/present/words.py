"""Words and numbers for a log: the presentation rules shared by `inspector show` and the TUI.

Everything here is plain Python over the models, so both front ends say the same thing
the same way (a cost, a `tool_choice`, an image part, a tool call and its result).
Strings that come from the log are returned unsanitised; callers sanitise at the
point where text meets a terminal.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import msgspec

from inspector.model.bridge import CallView
from inspector.model.log import (
    AgentConfigResponse,
    ChatMessage,
    Config,
    ContentPart,
    EvaluatorConfigResponse,
    LogResponse,
    ModelConfigRequest,
    ModelConfigResponse,
    ToolCall,
    ToolChoice,
    UnknownConfig,
    Value,
)

DASH = "—"


def format_cost(usd: float | None) -> str:
    """Dollars with enough digits to tell fractions of a cent apart: `$0.000355`."""
    if usd is None:
        return DASH
    if usd == 0:
        return "$0"
    if abs(usd) >= 0.01:
        return f"${usd:,.4f}".rstrip("0").rstrip(".")
    decimals = -math.floor(math.log10(abs(usd))) + 3
    return f"${usd:.{decimals}f}".rstrip("0")


def format_seconds(seconds: float | None) -> str:
    """`842 ms` below a second, `1.42 s` above, `3 min 20 s` past a minute."""
    if seconds is None:
        return DASH
    if seconds < 0:
        return f"{seconds:g} s"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    if seconds < 60:
        return f"{seconds:.3g} s" if seconds < 10 else f"{seconds:.1f} s"
    minutes, rest = divmod(seconds, 60)
    return f"{minutes:.0f} min {rest:.0f} s"


def format_count(count: int | None) -> str:
    """An integer with thousands separators, or a dash."""
    return DASH if count is None else f"{count:,}"


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 log`, `2 logs`, `60,105 matches` (`many` when adding an s is wrong)."""
    return f"{count:,} {word if count == 1 else many or word + 's'}"


def format_time(moment: datetime | None, *, precise: bool = False) -> str:
    """`2024-09-18 14:03:10 UTC`; an offset other than UTC is shown as it is."""
    if moment is None:
        return DASH
    text = moment.strftime("%Y-%m-%d %H:%M:%S")
    if precise and moment.microsecond:
        text += f".{moment.microsecond:06d}"
    offset = moment.utcoffset()
    if offset is None:
        return f"{text} (no time zone)"
    if offset == UTC.utcoffset(None):
        return f"{text} UTC"
    return f"{text} {moment.strftime('%z')[:3]}:{moment.strftime('%z')[3:]}"


def format_value(value: Value | Any) -> str:
    """An evaluation value, judgment or feedback value, written as its type suggests."""
    if value is None:
        return DASH
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return ", ".join(format_value(item) for item in value) or "(empty list)"
    return msgspec.json.encode(value).decode()


def value_kind(value: Value | Any) -> str:
    """The kind of a value in words: boolean, number, text, list or none."""
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def total_tokens(log: LogResponse) -> int | None:
    """`tokens`, or the sum of prompt and output tokens when only those are given."""
    if log.tokens is not None:
        return log.tokens
    if log.prompt_tokens is None and log.output_tokens is None:
        return None
    return (log.prompt_tokens or 0) + (log.output_tokens or 0)


def total_cost(log: LogResponse) -> float | None:
    """Prompt plus output cost, or None when neither is known."""
    if log.prompt_cost is None and log.output_cost is None:
        return None
    return (log.prompt_cost or 0.0) + (log.output_cost or 0.0)


def tokens_per_second(log: LogResponse) -> float | None:
    """Output tokens divided by the provider latency (or the duration)."""
    seconds = log.provider_latency or log.duration
    if not log.output_tokens or not seconds:
        return None
    return log.output_tokens / seconds


def model_config_of(config: Config) -> ModelConfigResponse | ModelConfigRequest | None:
    """The model settings behind a config: its own, or an evaluator's or agent's."""
    if isinstance(config, ModelConfigResponse):
        return config
    if isinstance(config, EvaluatorConfigResponse | AgentConfigResponse):
        return config.model_config
    return None


def config_type(config: Config) -> str:
    """The config's `type`, as received (also for a type the spec does not list)."""
    if isinstance(config, UnknownConfig):
        return config.type or "unknown"
    return type(config).__struct_config__.tag or "unknown"  # type: ignore[return-value]


def config_label(log: LogResponse) -> str:
    """A short name for what produced the log: the model, else the config name."""
    model = model_config_of(log.config)
    if model is not None:
        return model.model
    return log.config.name or config_type(log.config)


def describe_tool_choice(choice: str | ToolChoice | None, has_tools: bool) -> str:
    """`tool_choice` in words."""
    if choice is None:
        default = "auto" if has_tools else "none"
        return f"not set (provider default: {default})"
    if isinstance(choice, ToolChoice):
        return f"forced: the model must call {choice.function.name}"
    return {
        "none": "none: the model may not call tools",
        "auto": "auto: the model decides whether to call a tool",
        "required": "required: the model must call at least one tool",
    }.get(choice, choice)


def pretty_json_text(text: str | None) -> tuple[str, bool]:
    """Pretty-print a JSON string (tool arguments); return it unchanged if it is not JSON."""
    if text is None:
        return "", True
    try:
        msgspec.json.decode(text)
    except (msgspec.DecodeError, RecursionError):
        return text, False
    return msgspec.json.format(text, indent=2), True


def format_bytes(size: float) -> str:
    """`290 KB`, `1.4 MB`."""
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}" if unit == "B" or size >= 10 else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


def image_marker(url: str, detail: str | None = None) -> str:
    """An image part as what it is: `[image image/png ~290 KB]`, never its base64."""
    suffix = f", detail {detail}" if detail else ""
    if url.startswith("data:"):
        header, _, payload = url.partition(",")
        media = header[5:].split(";")[0] or "data"
        size = len(payload) * 3 // 4 if ";base64" in header else len(payload)
        return f"[image {media} ~{format_bytes(size)}{suffix}]"
    shown = url if len(url) <= 200 else url[:199] + "…"
    return f"[image {shown}{suffix}]"


def part_text(part: ContentPart) -> str:
    """The text of one content part, or a marker for a part that is not text."""
    if part.type == "text":
        return part.text or ""
    if part.type == "image_url" and part.image_url is not None:
        return image_marker(part.image_url.url, part.image_url.detail)
    return f"[{part.type} part]"


def message_text(message: ChatMessage) -> str:
    """The readable content of a message: its text, with markers for other parts."""
    content = message.content
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    return "\n".join(part_text(part) for part in content)


def first_line(text: str | None) -> str:
    """The first non-blank line of `text`."""
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()
    return ""


class Turn(msgspec.Struct):
    """One message in conversation order, with the results of the tool calls it made."""

    message: ChatMessage
    #: `messages[i]`, or `output` for the `output_message`.
    where: str
    #: For each tool call of this message, the `tool` message answering it, if any.
    results: dict[str, ChatMessage] = msgspec.field(default_factory=dict)
    #: A `tool` message whose `tool_call_id` matches no call made earlier in the log.
    unpaired: bool = False


class Conversation(msgspec.Struct):
    """The log's messages then its output message, tool results paired with their calls."""

    turns: list[Turn]

    @property
    def count(self) -> int:
        """How many messages the conversation holds, paired tool results included."""
        return len(self.turns) + sum(len(turn.results) for turn in self.turns)


def conversation(log: LogResponse) -> Conversation:
    """Order the messages and pair each `tool` message with the call it answers.

    A tool result that answers a call is shown with that call instead of in its own
    place; a result that answers nothing stays where it was, flagged as unpaired.
    """
    everything = [Turn(message, f"messages[{i}]") for i, message in enumerate(log.messages or [])]
    if log.output_message is not None:
        everything.append(Turn(log.output_message, "output_message"))
    if isinstance(log, CallView):  # The other generations of a v5 Prompt call.
        everything += [Turn(m, f"logs[{i}].output_message") for i, m in enumerate(log.more, 1)]
    callers: dict[str, Turn] = {}
    turns: list[Turn] = []
    for turn in everything:
        call_id = turn.message.tool_call_id
        if turn.message.role == "tool":
            caller = callers.get(call_id) if call_id else None
            if caller is not None and call_id not in caller.results:
                caller.results[call_id] = turn.message  # type: ignore[index]
                continue
            turn.unpaired = True
        turns.append(turn)
        for call in turn.message.tool_calls or []:
            callers.setdefault(call.id, turn)
    return Conversation(turns)


def all_tool_calls(log: LogResponse) -> Iterator[tuple[str, ToolCall]]:
    """Every tool call made in the log, with where it was made."""
    for turn in conversation(log).turns:
        for call in turn.message.tool_calls or []:
            yield turn.where, call


class OfferedTool(msgspec.Struct, frozen=True):
    """A tool the model was offered, whatever config shape it came from."""

    name: str
    description: str | None
    parameters: dict[str, Any] | None
    origin: str


def offered_tools(config: Config) -> list[OfferedTool]:
    """The tools offered to the model: config tools, deprecated tool configs, agent tools."""
    tools: list[OfferedTool] = []
    model = model_config_of(config)
    if isinstance(model, ModelConfigResponse):
        for tool in model.tools or []:
            tools.append(OfferedTool(tool.name, tool.description, tool.parameters, "config.tools"))
        for legacy in model.tool_configs or []:
            tools.append(
                OfferedTool(
                    legacy.name, legacy.description, legacy.parameters, "config.tool_configs"
                )
            )
    elif isinstance(model, ModelConfigRequest):
        for item in model.tools or []:
            name = item.name or item.id or "(unnamed)"
            tools.append(
                OfferedTool(name, item.description, item.parameters, "config.model_config.tools")
            )
    if isinstance(config, AgentConfigResponse):
        # An agent's model config repeats the agent's tools: list each name once.
        known = {tool.name for tool in tools}
        for t in config.tools or []:
            if t.name not in known:
                tools.append(OfferedTool(t.name, t.description, t.parameters, "config.tools"))
    return tools


def schema_lines(schema: dict[str, Any] | None, indent: str = "") -> list[str]:
    """A JSON Schema of tool parameters as readable lines: `location: string (required)`."""
    if not schema:
        return [f"{indent}(no parameters)"]
    properties = schema.get("properties")
    if not isinstance(properties, dict):
        return [f"{indent}{msgspec.json.encode(schema).decode()}"]
    required = schema.get("required")
    required_names = set(required) if isinstance(required, list) else set()
    lines: list[str] = []
    for name, spec in properties.items():
        spec = spec if isinstance(spec, dict) else {}
        kind = _schema_kind(spec)
        flags = " (required)" if name in required_names else ""
        line = f"{indent}{name}: {kind}{flags}"
        if isinstance(spec.get("description"), str):
            line += f" — {spec['description']}"
        lines.append(line)
        if spec.get("type") == "object" and isinstance(spec.get("properties"), dict):
            lines.extend(schema_lines(spec, indent + "  "))
    return lines or [f"{indent}(no parameters)"]


def _schema_kind(spec: dict[str, Any]) -> str:
    kind = spec.get("type", "any")
    if isinstance(kind, list):
        kind = " | ".join(str(k) for k in kind)
    kind = str(kind)
    if isinstance(spec.get("enum"), list):
        kind += " one of " + ", ".join(msgspec.json.encode(v).decode() for v in spec["enum"])
    if kind == "array" and isinstance(spec.get("items"), dict):
        kind = f"array of {_schema_kind(spec['items'])}"
    return kind


def model_parameters(model: ModelConfigResponse | ModelConfigRequest) -> list[tuple[str, str]]:
    """The sampling parameters of a model config that were set, in a fixed order."""
    pairs: list[tuple[str, Any]] = [
        ("temperature", model.temperature),
        ("max_tokens", model.max_tokens),
        ("top_p", model.top_p),
        ("stop", model.stop),
        ("seed", model.seed),
        ("presence_penalty", model.presence_penalty),
        ("frequency_penalty", model.frequency_penalty),
        ("reasoning_effort", model.reasoning_effort),
        ("response_format", model.response_format),
    ]
    shown: list[tuple[str, str]] = []
    for name, value in pairs:
        if value is None:
            continue
        if name == "max_tokens" and value == -1:
            shown.append((name, "-1 (computed from the prompt length)"))
        elif isinstance(value, str | list | msgspec.Struct):
            shown.append((name, msgspec.json.encode(value).decode()))
        else:
            shown.append((name, format_value(value)))
    return shown


def join_nonempty(parts: Sequence[str | None], sep: str = " · ") -> str:
    """Join the parts that are not empty."""
    return sep.join(part for part in parts if part)
