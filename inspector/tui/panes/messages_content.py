"""Messages as blocks: role, name, text, images as markers, tool calls with their results."""

from __future__ import annotations

import re
from typing import Any, Final

import msgspec

from inspector.model.log import ChatMessage, LogResponse
from inspector.present import words as d
from inspector.sanitize import one_line, sanitize
from inspector.tui.widgets.blocks import Block, Part, Run
from inspector.tui.widgets.fields import heading

KNOWN_ROLES = frozenset({"user", "assistant", "system", "tool", "developer"})


def role_style(role: str) -> str:
    """The style name of a role; roles the spec does not list share one look."""
    return f"role-{role}" if role in KNOWN_ROLES else "role-other"


def message_header(message: ChatMessage, where: str, extra: str = "") -> list[Run]:
    """` ASSISTANT  name · messages[3]`: the role as a badge, then who and where."""
    # Known roles as upper-case badges; any other role exactly as it was sent.
    role = message.role.upper() if message.role in KNOWN_ROLES else one_line(message.role, 40)
    runs: list[Run] = [(f" {role} ", role_style(message.role))]
    if message.name:
        runs.append((f"  {one_line(message.name, 80)}", "label"))
    runs.append((f"  {where}", "muted"))
    if extra:
        runs.append((f"  {extra}", "muted"))
    return runs


def content_parts(message: ChatMessage) -> list[Part]:
    """The text, image and other parts of a message's content, then its reasoning."""
    parts: list[Part] = []
    content = message.content
    if isinstance(content, str):
        if content:
            parts.append(Part(sanitize(content)))
    elif content:
        for part in content:
            if part.type == "text":
                parts.append(Part(sanitize(part.text or "")))
            else:
                parts.append(Part(sanitize(d.part_text(part)), "muted"))
    for thinking in message.thinking or []:
        label = "redacted thinking" if thinking.type == "redacted_thinking" else thinking.type
        parts.append(Part(f"▸ {sanitize(label)}", "muted"))
        body = thinking.thinking if thinking.thinking is not None else thinking.data
        if body:
            parts.append(Part(sanitize(body), "muted", indent=2))
    if message.tool_call is not None:
        parts.append(Part(f"→ function call {one_line(message.tool_call.name, 120)}", "call"))
        parts.extend(_arguments(message.tool_call.arguments))
    return parts


def _arguments(arguments: str | None) -> list[Part]:
    pretty, is_json = d.pretty_json_text(arguments)
    parts = []
    if not is_json:
        parts.append(Part("⚠ arguments are not valid JSON; shown as received", "warning", 2))
    parts.append(Part(sanitize(pretty) or "(no arguments)", "body", 2, json=is_json))
    return parts


def _result_parts(result: ChatMessage | None) -> list[Part]:
    if result is None:
        return [Part("← no result in this log", "muted", 2)]
    text = d.message_text(result)
    pretty, is_json = d.pretty_json_text(text)
    name = f" ({one_line(result.name, 80)})" if result.name else ""
    parts = [Part(f"← result{name}", "result", 2)]
    parts.append(
        Part(sanitize(pretty if is_json and text else text) or "(empty)", "body", 4, is_json)
    )
    return parts


def message_blocks(log: LogResponse) -> list[Block]:
    """One block per message of the conversation, tool results under their calls."""
    blocks = []
    for turn in d.conversation(log).turns:
        message = turn.message
        extra = ""
        if turn.unpaired:
            answers = one_line(message.tool_call_id or "(no tool_call_id)", 80)
            extra = f"answers {answers}: no matching call earlier in the log"
        elif message.tool_call_id:
            extra = f"tool_call_id {one_line(message.tool_call_id, 80)}"
        parts = content_parts(message)
        for call in message.tool_calls or []:
            parts.append(Part(f"→ {sanitize(call.function.name)}  {sanitize(call.id)}", "call"))
            parts.extend(_arguments(call.function.arguments))
            parts.extend(_result_parts(turn.results.get(call.id)))
        if not parts:
            parts.append(Part("(no content)", "muted"))
        blocks.append(Block(turn.where, message_header(message, turn.where, extra), parts))
    return blocks


#: A `{{ variable }}` of a Humanloop template.
VARIABLE: Final = re.compile(r"\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}")


def fill(text: str, inputs: dict[str, Any]) -> str:
    """`text` with each `{{name}}` that `inputs` has replaced by its value (others stay)."""

    def value(found: re.Match[str]) -> str:
        name = found.group(1)
        if name not in inputs:
            return found.group(0)
        given = inputs[name]
        return given if isinstance(given, str) else msgspec.json.encode(given).decode()

    return VARIABLE.sub(value, text)


def filled_template(messages: list[ChatMessage], inputs: dict[str, Any]) -> list[ChatMessage]:
    """The template's messages with their text variables filled from `inputs`."""
    filled = []
    for message in messages:
        content = message.content
        if isinstance(content, str):
            content = fill(content, inputs)
        elif content:
            content = [
                msgspec.structs.replace(part, text=fill(part.text, inputs))
                if part.type == "text" and part.text
                else part
                for part in content
            ]
        filled.append(msgspec.structs.replace(message, content=content))
    return filled


def template_blocks(messages: list[ChatMessage], *, filled: bool, changed: bool) -> list[Block]:
    """The config's `chat_template`, as blocks of the same look, under a heading saying so."""
    if filled and changed:
        note = "variables filled from inputs · t: the raw template"
    elif filled:
        note = "no {{variables}} filled from inputs · t: back to the messages"
    else:
        note = "raw, {{variables}} as written · t: back to the messages"
    title = "TEMPLATE MODE: the config's chat_template, not the messages sent"
    return [heading("template", title, note)] + [
        Block(f"chat_template[{i}]", message_header(m, f"chat_template[{i}]"), content_parts(m))
        for i, m in enumerate(messages)
    ]
