"""The conversation as HTML: each message with its role, each tool call with its result."""

from __future__ import annotations

from inspector.model.decode import LogDocument
from inspector.model.log import ChatMessage, LogResponse
from inspector.present import words as d
from inspector.present.html_build import Html, heading, join, muted, tag

KNOWN_ROLES = frozenset({"user", "assistant", "system", "tool", "developer"})


def _content(message: ChatMessage) -> Html:
    """Text parts as text, other parts (images, audio, files) as markers, then reasoning."""
    content = message.content
    parts: list[Html] = []
    if isinstance(content, str) and content:
        parts.append(tag("pre", content))
    elif isinstance(content, list):
        for part in content:
            if part.type == "text":
                parts.append(tag("pre", part.text or ""))
            else:
                parts.append(tag("p", d.part_text(part), class_="marker"))
    for thinking in message.thinking or []:
        body = thinking.thinking if thinking.thinking is not None else thinking.data
        label = "redacted thinking" if thinking.type == "redacted_thinking" else thinking.type
        parts.append(
            tag("details", tag("summary", label), tag("pre", body or ""), class_="thinking")
        )
    if message.tool_call is not None:
        parts.append(_call(message.tool_call.name, None, message.tool_call.arguments, None))
    return join(parts)


def _call(
    name: str,
    call_id: str | None,
    arguments: str | None,
    result: Html | None,
    offered: set[str] | None = None,
) -> Html:
    pretty, is_json = d.pretty_json_text(arguments)
    stray = offered is not None and name not in offered
    return tag(
        "div",
        tag(
            "div",
            "→ ",
            tag("span", name, class_="call-name"),
            "  ",
            tag("code", call_id or "", class_="muted"),
            tag("span", "  ⚠ not among the offered tools", class_="warning") if stray else None,
        ),
        None
        if is_json
        else tag("p", "⚠ arguments are not valid JSON; shown as received", class_="warning"),
        tag("pre", pretty or "(no arguments)"),
        result,
        class_="call",
    )


def _result(result: ChatMessage | None) -> Html:
    if result is None:
        return tag("div", "← no result in this log", class_="result muted")
    body = d.message_text(result)
    pretty, is_json = d.pretty_json_text(body)
    name = f" ({result.name})" if result.name else ""
    shown = pretty if is_json and body else body
    return tag(
        "div",
        tag("div", f"← result{name}", class_="muted"),
        tag("pre", shown or "(empty)"),
        class_="result",
    )


def conversation_section(doc: LogDocument) -> Html:
    """Each message with its role, tool calls with the results that answer them."""
    chat = d.conversation(doc.log)
    # As in the Tools pane: a call is checked against the tools offered, when there are any.
    offered = {tool.name for tool in d.offered_tools(doc.log.config)} or None
    cards: list[Html] = [heading("Conversation", chat.count)]
    if not chat.turns:
        cards.append(muted("No messages in this log."))
    for turn in chat.turns:
        message = turn.message
        role = message.role if message.role in KNOWN_ROLES else "other"
        notes = [message.name or "", turn.where]
        if turn.unpaired:
            answers = message.tool_call_id or "(no tool_call_id)"
            notes.append(f"answers {answers}: no matching call earlier in the log")
        elif message.tool_call_id:
            notes.append(f"tool_call_id {message.tool_call_id}")
        header = tag(
            "header",
            tag("span", message.role, class_="role"),
            tag("span", d.join_nonempty(notes), class_="muted"),
        )
        calls = [
            _call(
                call.function.name,
                call.id,
                call.function.arguments,
                _result(turn.results.get(call.id)),
                offered,
            )
            for call in message.tool_calls or []
        ]
        body = join([_content(message), *calls]) or muted("(no content)")
        cards.append(tag("article", header, body, class_=f"message role-{role}"))
    log = doc.log
    if log.output is not None and not _output_is_message(log):
        cards += [tag("h3", "Output"), tag("pre", log.output)]
    if log.judgment is not None:
        cards.append(tag("p", tag("strong", "Judgment: "), d.format_value(log.judgment)))
    return join(cards)


def _output_is_message(log: LogResponse) -> bool:
    message = log.output_message
    return message is not None and d.message_text(message).strip() == (log.output or "").strip()
