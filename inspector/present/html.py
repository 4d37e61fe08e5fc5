"""One log as a section of a self-contained HTML page, a function per part of the page.

The words are the ones `inspector show` and the TUI use (`present.words`, `present.report`);
this module only lays them out. Every string from the log reaches the page through
`html_build`, which sanitises and escapes it. To add a part (a trace tree, say), write a
function from `LogDocument` to `Html` and put it in `SECTIONS`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import msgspec

from inspector import __version__
from inspector.model.decode import LogDocument
from inspector.model.log import ChatMessage, LogResponse, raw_is_absent
from inspector.present import words as d
from inspector.present.html_build import Html, join, json_tree, tag
from inspector.present.html_page import IndexRow, index, page_end, page_start
from inspector.present.report import evaluator_name, header_facts, settings_facts
from inspector.present.usage import provider_token_details

Section = Callable[[LogDocument], Html]
GENERATOR = f"inspector {__version__}"
KNOWN_ROLES = frozenset({"user", "assistant", "system", "tool", "developer"})


def _facts_table(facts: Iterable[tuple[str, str]]) -> Html:
    rows = [
        tag("tr", tag("th", label), tag("td", tag("pre", value) if "\n" in value else value))
        for label, value in facts
    ]
    return tag("table", join(rows), class_="facts")


def _heading(title: str, count: int | None = None) -> Html:
    return tag("h2", title if count is None else f"{title} ({count})")


def _header_row(*names: str) -> Html:
    return tag("tr", *(tag("th", name) for name in names))


def _grid(rows: list[Html]) -> Html:
    """A table with a line under each row, scrolling sideways rather than overflowing."""
    return tag("div", tag("table", join(rows), class_="grid"), class_="wide")


def _muted(sentence: str) -> Html:
    return tag("p", sentence, class_="muted")


def header_section(doc: LogDocument) -> Html:
    """The facts a reader wants first, then the run's settings and the provider's usage."""
    facts = header_facts(doc.log) + settings_facts(doc.log)
    facts += [
        (words, f"{d.format_count(count)} (provider_response.usage)")
        for words, count in provider_token_details(doc.log.provider_response)
    ]
    return join([tag("h1", f"Log {doc.log.id}"), _facts_table(facts)])


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


def _call(name: str, call_id: str | None, arguments: str | None, result: Html | None) -> Html:
    pretty, is_json = d.pretty_json_text(arguments)
    return tag(
        "div",
        tag(
            "div",
            "→ ",
            tag("span", name, class_="call-name"),
            "  ",
            tag("code", call_id or "", class_="muted"),
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
    cards: list[Html] = [_heading("Conversation", chat.count)]
    if not chat.turns:
        cards.append(_muted("No messages in this log."))
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
            )
            for call in message.tool_calls or []
        ]
        body = join([_content(message), *calls]) or _muted("(no content)")
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


def tools_section(doc: LogDocument) -> Html:
    """The tools offered with their parameters, and `tool_choice` in words."""
    offered = d.offered_tools(doc.log.config)
    parts = [_heading("Tools offered", len(offered))]
    if not offered:
        parts.append(_muted("No tools were offered to the model by this config."))
    for tool in offered:
        parts.append(
            tag(
                "h3",
                tag("span", tool.name, class_="call-name"),
                " ",
                tag("span", tool.origin, class_="muted"),
            )
        )
        if tool.description:
            parts.append(tag("p", tool.description))
        parts.append(tag("pre", "\n".join(d.schema_lines(tool.parameters))))
    choice = d.describe_tool_choice(doc.log.tool_choice, bool(offered))
    parts.append(tag("p", tag("strong", "tool_choice: "), choice))
    return join(parts)


def inputs_section(doc: LogDocument) -> Html:
    """The inputs and metadata the log was made with (none: nothing shown)."""
    parts: list[Html] = []
    for title, mapping in (("Inputs", doc.log.inputs), ("Metadata", doc.log.metadata)):
        if mapping:
            values = [(key, _plain(value)) for key, value in mapping.items()]
            parts += [_heading(title, len(mapping)), _facts_table(values)]
    return join(parts)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


def evaluations_section(doc: LogDocument) -> Html:
    """Each evaluation result: evaluator, value and its type, error, time."""
    results = doc.log.evaluation_results
    parts = [_heading("Evaluations", len(results))]
    if not results:
        return join([*parts, _muted("No evaluation results on this log.")])
    rows = [
        tag("tr", *(tag("th", name) for name in ("evaluator", "value", "type", "error", "created")))
    ]
    for item in results:
        value = d.format_value(item.value) if not item.error else d.DASH
        rows.append(
            tag(
                "tr",
                tag("td", evaluator_name(item)),
                tag("td", value),
                tag("td", d.value_kind(item.value), class_="muted nowrap"),
                tag("td", item.error or "", class_="error"),
                tag("td", d.format_time(item.created_at), class_="muted nowrap"),
            )
        )
    return join([*parts, _grid(rows)])


def feedback_section(doc: LogDocument) -> Html:
    """Every feedback item: type, value, who and when."""
    feedback = doc.log.feedback or []
    parts = [_heading("Feedback", len(feedback))]
    if not feedback:
        return join([*parts, _muted("No feedback on this log.")])
    rows = [_header_row("type", "value", "user", "created")]
    for item in feedback:
        rows.append(
            tag(
                "tr",
                tag("td", item.type),
                tag("td", d.format_value(item.value)),
                tag("td", item.user or ""),
                tag("td", d.format_time(item.created_at), class_="muted nowrap"),
            )
        )
    return join([*parts, _grid(rows)])


def payloads_section(doc: LogDocument) -> Html:
    """The provider request and response as folding JSON trees, each node with its jq path."""
    parts = [_heading("Provider request and response")]
    for name, raw in (
        ("provider_request", doc.log.provider_request),
        ("provider_response", doc.log.provider_response),
    ):
        if raw_is_absent(raw):
            parts.append(tag("p", tag("code", name), " is not in this log.", class_="muted"))
            continue
        size = d.format_bytes(len(raw))
        summary = tag("summary", tag("code", name), " ", tag("span", size, class_="muted"))
        parts.append(tag("details", summary, json_tree(bytes(raw)), open=True))
    return join(parts)


def raw_section(doc: LogDocument) -> Html:
    """The whole log as received, unknown fields included, folded (and left off paper)."""
    summary = tag(
        "summary", "The log as received ", tag("span", d.format_bytes(len(doc.raw)), class_="muted")
    )
    return tag("details", summary, json_tree(doc.raw), class_="raw-log")


#: The parts of a log's section, top to bottom.
SECTIONS: list[Section] = [
    header_section,
    conversation_section,
    tools_section,
    inputs_section,
    evaluations_section,
    feedback_section,
    payloads_section,
    raw_section,
]


def log_section(doc: LogDocument, anchor: str = "log") -> Html:
    """One log: every part of `SECTIONS`, in a `<section>` that an index can link to."""
    return tag("section", join(section(doc) for section in SECTIONS), id=anchor, class_="log")


def one_page(doc: LogDocument) -> str:
    """A whole page for one log."""
    return "".join(
        [
            page_start(f"Log {doc.log.id}", GENERATOR),
            log_section(doc),
            page_end(_footer(doc.source)),
        ]
    )


def many_page(
    title: str, rows: list[IndexRow], docs: Iterable[tuple[str, LogDocument]]
) -> Iterable[str]:
    """A page of many logs in pieces (to write as they are made): index, then each log."""
    yield page_start(title, GENERATOR)
    yield index(rows, title)
    for anchor, doc in docs:
        yield log_section(doc, anchor)
    yield page_end(_footer(title))


def _footer(source: str) -> str:
    return (
        f"Made by {GENERATOR} from {source}."
        " Log text is shown as text; nothing on this page runs or loads."
    )
