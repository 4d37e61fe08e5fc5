"""`inspector show` output: a plain-text summary and a Markdown transcript of one log.

Every string taken from the log goes through `sanitize` here, so no control byte from
a log reaches stdout in the text or Markdown formats. Colour is added by the caller
(see `inspector.cli.main`) from the `(text, style)` lines built here, only for a TTY.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from inspector.model.decode import LogDocument
from inspector.model.log import ChatMessage, EvaluationResultResponse, LogResponse
from inspector.present import words as d
from inspector.present.trace import V4_ONLY, node_line, trace_nodes, v5_facts
from inspector.sanitize import one_line, sanitize

#: A line of the text report: its text and a style name (see `STYLES`).
Line = tuple[str, str]

#: Rich styles for the style names used by the text report.
STYLES: Final = {
    "title": "bold",
    "heading": "bold underline",
    "label": "dim",
    "role": "bold cyan",
    "role-user": "bold green",
    "role-assistant": "bold magenta",
    "role-system": "bold yellow",
    "role-tool": "bold blue",
    "error": "bold red",
    "call": "cyan",
    "body": "",
    "muted": "dim",
}


def header_facts(log: LogResponse) -> list[tuple[str, str]]:
    """The facts a reader wants first: status, model, time, latency, tokens, cost, error."""
    model = d.model_config_of(log.config)
    model_text = d.config_label(log)
    if model is not None:
        where = d.join_nonempty([model.provider, model.endpoint], ", ")
        model_text += f" ({where})" if where else ""
    reason = f"finish reason {log.finish_reason}" if log.finish_reason else None
    status = d.join_nonempty([log.observability_status, reason])
    facts = [
        ("status", status),
        ("model", model_text),
        ("config", d.join_nonempty([log.config.name, f"{d.config_type(log.config)} config"])),
        ("created", d.format_time(log.created_at)),
        ("latency", _latency(log)),
        ("tokens", _tokens(log)),
        ("cost", _cost(log)),
        ("project", d.join_nonempty([log.project, log.project_id, log.environment])),
        ("session", d.join_nonempty([log.session_id, log.session_reference_id])),
        ("parent", d.join_nonempty([log.parent_id, log.parent_reference_id])),
        ("user", log.user or ""),
    ]
    if log.error:
        facts.append(("error", log.error))
    return [(label, sanitize(value)) for label, value in facts if value and value != d.DASH]


def _latency(log: LogResponse) -> str:
    parts = []
    if log.provider_latency is not None:
        parts.append(f"{d.format_seconds(log.provider_latency)} provider")
    if log.duration is not None:
        parts.append(f"{d.format_seconds(log.duration)} total")
    rate = d.tokens_per_second(log)
    if rate is not None:
        parts.append(f"{rate:.1f} output tokens/s")
    return d.join_nonempty(parts)


def _tokens(log: LogResponse) -> str:
    total = d.total_tokens(log)
    if total is None:
        return ""
    if log.prompt_tokens is None and log.output_tokens is None:
        return d.format_count(total)
    return (
        f"{d.format_count(log.prompt_tokens)} prompt + {d.format_count(log.output_tokens)} output"
        f" = {d.format_count(total)}"
    )


def _cost(log: LogResponse) -> str:
    total = d.total_cost(log)
    if total is None:
        return ""
    return (
        f"{d.format_cost(log.prompt_cost)} prompt + {d.format_cost(log.output_cost)} output"
        f" = {d.format_cost(total)}"
    )


def settings_facts(log: LogResponse) -> list[tuple[str, str]]:
    """The run's settings: parameters, tools offered and `tool_choice`."""
    facts: list[tuple[str, str]] = []
    model = d.model_config_of(log.config)
    if model is not None:
        params = d.model_parameters(model)
        if params:
            facts.append(("parameters", " · ".join(f"{k} {v}" for k, v in params)))
    tools = d.offered_tools(log.config)
    if tools:
        facts.append(("tools", ", ".join(tool.name for tool in tools)))
    if tools or log.tool_choice is not None:
        facts.append(("tool_choice", d.describe_tool_choice(log.tool_choice, bool(tools))))
    return [(label, sanitize(value)) for label, value in facts]


def evaluator_name(result: EvaluationResultResponse) -> str:
    """The evaluator's name when its log says it, else its id."""
    if result.evaluator_log is not None and result.evaluator_log.config.name:
        return result.evaluator_log.config.name
    return result.evaluator_id


def _message_heading(message: ChatMessage, where: str) -> str:
    heading = message.role
    if message.name:
        heading += f" ({message.name})"
    if where == "output_message":
        heading += " · output"
    elif where.startswith("logs["):  # Another generation of a v5 Prompt call.
        heading += f" · generation {int(where[5 : where.index(']')]) + 1}"
    return heading


def _body_lines(message: ChatMessage) -> list[str]:
    lines = []
    text = d.message_text(message)
    if text:
        lines.append(text)
    for part in message.thinking or []:
        lines.append(f"[{part.type}] {part.thinking or ''}".rstrip())
    if message.tool_call is not None:
        pretty, _ = d.pretty_json_text(message.tool_call.arguments)
        lines.append(f"→ function call {message.tool_call.name}\n{pretty}")
    return lines


def text_lines(doc: LogDocument) -> Iterator[Line]:
    """The text report, line by line with a style name each. Every string is sanitised."""
    log = doc.log
    yield f"Log {sanitize(log.id)}", "title"
    for line in notes(doc):
        yield f"  {line}", "error" if doc.problems else "muted"
    facts = all_facts(doc)
    width = max((len(label) for label, _ in facts), default=0)
    for label, value in facts:
        style = "error" if label == "error" else "body"
        yield f"  {label:<{width}}  {value}", style
    chat = d.conversation(log)
    yield "", "body"
    yield f"Conversation ({chat.count} messages)", "heading"
    if not chat.turns:
        yield "  No messages in this log.", "muted"
    for turn in chat.turns:
        message = turn.message
        yield f"[{sanitize(_message_heading(message, turn.where))}]", _role_style(message.role)
        if turn.unpaired:
            answers = sanitize(message.tool_call_id or "(no tool_call_id)")
            yield f"  (answers {answers}: no matching call earlier in the log)", "muted"
        for block in _body_lines(message):
            yield from _indented(block, "  ", "body")
        for call in message.tool_calls or []:
            yield f"  → {sanitize(call.function.name)}  {sanitize(call.id)}", "call"
            pretty, is_json = d.pretty_json_text(call.function.arguments)
            if not is_json:
                yield "    (arguments are not valid JSON; shown as received)", "error"
            yield from _indented(pretty, "    ", "body")
            result = turn.results.get(call.id)
            if result is None:
                yield "    ← no result in this log", "muted"
            else:
                yield "    ← result", "role-tool"
                yield from _indented(d.message_text(result), "      ", "body")
    if log.output is not None and not _output_shown(log):
        yield "", "body"
        yield "Output", "heading"
        yield from _indented(log.output, "  ", "body")
    if log.judgment is not None:
        yield f"Judgment: {sanitize(d.format_value(log.judgment))}", "body"
    yield "", "body"
    yield f"Evaluations ({len(log.evaluation_results)})", "heading"
    if not log.evaluation_results:
        yield "  No evaluation results on this log.", "muted"
    for evaluation in log.evaluation_results:
        if evaluation.error:
            value, style = f"error: {one_line(evaluation.error, 300)}", "error"
        else:
            value = f"{d.format_value(evaluation.value)} ({d.value_kind(evaluation.value)})"
            style = "body"
        yield f"  {one_line(evaluator_name(evaluation), 60)}: {sanitize(value)}", style
    yield from _trace_lines(doc)
    feedback = log.feedback or []
    yield "", "body"
    yield f"Feedback ({len(feedback)})", "heading"
    if doc.v5 is not None:
        yield f"  {NO_FEEDBACK}", "muted"
    elif not feedback:
        yield "  No feedback on this log.", "muted"
    for item in feedback:
        who = d.join_nonempty([item.user, d.format_time(item.created_at)])
        yield f"  {one_line(item.type, 30)}: {one_line(d.format_value(item.value), 300)}", "body"
        if who:
            yield f"    {sanitize(who)}", "muted"


#: What the Feedback section says for a v5 log.
NO_FEEDBACK: Final = (
    "v5 keeps no feedback: human and other judgments are Evaluator logs (see Evaluations)."
)


def notes(doc: LogDocument) -> list[str]:
    """What the document is when not a plain log, and what could not be read (sanitised)."""
    lines = [f"({sanitize(doc.note)})"] if doc.note and doc.note not in doc.problems else []
    lines += [f"could not read: {sanitize(problem)}" for problem in doc.problems]
    return lines


def all_facts(doc: LogDocument) -> list[tuple[str, str]]:
    """Header, v5 and settings facts, every value sanitised."""
    facts = header_facts(doc.log)
    if doc.v5 is not None:
        hidden = V4_ONLY if d.model_config_of(doc.log.config) else V4_ONLY | {"model"}
        facts = [fact for fact in facts if fact[0] not in hidden]
        facts += [(label, sanitize(value)) for label, value in v5_facts(doc)]
    return facts + settings_facts(doc.log)


def _trace_lines(doc: LogDocument) -> Iterator[Line]:
    if doc.v5 is None or not doc.v5.trace_children:
        return
    nodes = list(trace_nodes(doc.v5))
    yield "", "body"
    yield f"Trace ({len(nodes)} logs)", "heading"
    for node in nodes:
        yield "  " + "  " * node.depth + one_line(node_line(node), 200), "body"


def _output_shown(log: LogResponse) -> bool:
    """True when `output` is already on screen as the output message's text."""
    message = log.output_message
    return message is not None and d.message_text(message).strip() == (log.output or "").strip()


def _role_style(role: str) -> str:
    return f"role-{role}" if f"role-{role}" in STYLES else "role"


def _indented(text: str, prefix: str, style: str) -> Iterator[Line]:
    for line in sanitize(text).split("\n"):
        yield f"{prefix}{line}", style


def to_markdown(doc: LogDocument) -> str:
    """A Markdown transcript of the log, for a bug report. Every string is sanitised."""
    log = doc.log
    out: list[str] = [f"# Log `{_code(log.id)}`", ""]
    out += [*(f"> {_cell(line)}" for line in notes(doc)), "", "| | |", "|---|---|"]
    for label, value in all_facts(doc):
        out.append(f"| {label} | {_cell(value)} |")
    chat = d.conversation(log)
    out += ["", f"## Conversation ({chat.count} messages)", ""]
    if not chat.turns:
        out += ["No messages in this log.", ""]
    for number, turn in enumerate(chat.turns, 1):
        message = turn.message
        out += [f"### {number}. {sanitize(_message_heading(message, turn.where))}", ""]
        if turn.unpaired:
            answers = _code(message.tool_call_id or "(no tool_call_id)")
            out += [f"*Answers `{answers}`: no matching call earlier in the log.*", ""]
        for block in _body_lines(message):
            out += [*_fence(block, "text"), ""]
        for call in message.tool_calls or []:
            pretty, is_json = d.pretty_json_text(call.function.arguments)
            note = "" if is_json else " (arguments are not valid JSON)"
            out += [f"**Tool call** `{_code(call.function.name)}` (`{_code(call.id)}`){note}", ""]
            out += [*_fence(pretty, "json" if is_json else "text"), ""]
            result = turn.results.get(call.id)
            if result is None:
                out += ["*No result in this log.*", ""]
            else:
                out += ["**Result**", "", *_fence(d.message_text(result), "text"), ""]
    if log.output is not None and not _output_shown(log):
        out += ["## Output", "", *_fence(log.output, "text"), ""]
    if log.judgment is not None:
        out += [f"**Judgment:** {_cell(d.format_value(log.judgment))}", ""]
    out += [f"## Evaluations ({len(log.evaluation_results)})", ""]
    if log.evaluation_results:
        out += ["| evaluator | value | type | error | created |", "|---|---|---|---|---|"]
        for evaluation in log.evaluation_results:
            out.append(
                f"| {_cell(evaluator_name(evaluation))} "
                f"| {_cell(d.format_value(evaluation.value))} "
                f"| {d.value_kind(evaluation.value)} | {_cell(evaluation.error or '')} "
                f"| {d.format_time(evaluation.created_at)} |"
            )
    else:
        out.append("No evaluation results on this log.")
    lines = [text for text, _ in _trace_lines(doc)][2:]
    if lines:
        out += ["", f"## {lines[0]}", "", *_fence("\n".join(lines[1:]), "text")]
    feedback = log.feedback or []
    out += ["", f"## Feedback ({len(feedback)})", ""]
    if doc.v5 is not None:
        out.append(NO_FEEDBACK)
    elif feedback:
        out += ["| type | value | user | created |", "|---|---|---|---|"]
        for item in feedback:
            out.append(
                f"| {_cell(item.type)} | {_cell(d.format_value(item.value))} "
                f"| {_cell(item.user or '')} | {d.format_time(item.created_at)} |"
            )
    else:
        out.append("No feedback on this log.")
    return "\n".join(out) + "\n"


def _fence(text: str, language: str) -> list[str]:
    """A fenced block longer than any backtick run inside, so the text cannot end it early."""
    fence = "`" * max(3, longest_run(text, "`") + 1)
    return [f"{fence}{language}", sanitize(text), fence]


def _cell(text: str) -> str:
    return one_line(text, 500).replace("|", "\\|")


def _code(text: str) -> str:
    return one_line(text, 200).replace("`", "'")


def longest_run(text: str, char: str) -> int:
    """The longest run of `char` in `text` (to pick a Markdown fence that cannot close early)."""
    return max((len(run) for run in re.findall(f"{re.escape(char)}+", text)), default=0)
