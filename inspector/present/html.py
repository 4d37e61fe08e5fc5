"""One log as a section of a self-contained HTML page, a function per part of the page.

The words are the ones `inspector show` and the TUI use (`present.words`, `present.report`);
this module only lays them out. Every string from the log reaches the page through
`html_build`, which sanitises and escapes it. To add a part (a trace tree, say), write a
function from `LogDocument` to `Html` and put it in `SECTIONS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import msgspec

from inspector import __version__
from inspector.model.decode import LogDocument
from inspector.model.log import raw_is_absent
from inspector.present import words as d
from inspector.present.html_build import (
    Html,
    Note,
    facts_table,
    grid,
    header_row,
    heading,
    join,
    json_tree,
    muted,
    tag,
)
from inspector.present.html_chat import conversation_section
from inspector.present.html_page import IndexRow, index, page_end, page_start
from inspector.present.report import evaluator_name, header_facts, settings_facts
from inspector.present.usage import provider_token_details

Section = Callable[[LogDocument], Html]
GENERATOR = f"inspector {__version__}"


def header_section(doc: LogDocument) -> Html:
    """The facts a reader wants first, then the run's settings and the provider's usage."""
    facts = header_facts(doc.log) + settings_facts(doc.log)
    facts += [
        (words, f"{d.format_count(count)} (provider_response.usage)")
        for words, count in provider_token_details(doc.log.provider_response)
    ]
    return join([tag("h1", f"Log {doc.log.id}"), facts_table(facts)])


def tools_section(doc: LogDocument) -> Html:
    """The tools offered with their parameters, and `tool_choice` in words."""
    offered = d.offered_tools(doc.log.config)
    parts = [heading("Tools offered", len(offered))]
    if not offered:
        parts.append(muted("No tools were offered to the model by this config."))
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
    results = doc.log.tools or []
    if results:
        parts.append(heading("Tool results used in the prompt", len(results)))
        for result in results:
            title = tag("span", result.name, class_="call-name")
            parts += [tag("h3", title, " ", tag("code", result.signature, class_="muted"))]
            parts.append(tag("pre", result.result or "(empty)"))
    return join(parts)


def inputs_section(doc: LogDocument) -> Html:
    """The inputs and metadata the log was made with (none: nothing shown)."""
    parts: list[Html] = []
    for title, mapping in (("Inputs", doc.log.inputs), ("Metadata", doc.log.metadata)):
        if mapping:
            values = [(key, _plain(value)) for key, value in mapping.items()]
            parts += [heading(title, len(mapping)), facts_table(values)]
    return join(parts)


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else msgspec.json.encode(value).decode()


def evaluations_section(doc: LogDocument) -> Html:
    """Each evaluation result: evaluator, value and its type, error, time."""
    results = doc.log.evaluation_results
    parts = [heading("Evaluations", len(results))]
    if not results:
        return join([*parts, muted("No evaluation results on this log.")])
    rows = [header_row("evaluator", "value", "type", "error", "created")]
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
    return join([*parts, grid(rows)])


def feedback_section(doc: LogDocument) -> Html:
    """Every feedback item: type, value, who and when."""
    feedback = doc.log.feedback or []
    parts = [heading("Feedback", len(feedback))]
    if not feedback:
        return join([*parts, muted("No feedback on this log.")])
    rows = [header_row("type", "value", "user", "created")]
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
    return join([*parts, grid(rows)])


def payloads_section(doc: LogDocument) -> Html:
    """The provider request and response as folding JSON trees, each node with its jq path."""
    parts = [heading("Provider request and response")]
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
    above = Note("(shown above, under Provider request and response)")
    tree = json_tree(doc.raw, {"provider_request": above, "provider_response": above})
    return tag("details", summary, tree, class_="raw-log")


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


def page_file_name(log_id: str) -> str:
    """`inspector-data_abc.html`: the log id with anything unsafe in a file name replaced."""
    return f"inspector-{re.sub(r'[^A-Za-z0-9_-]', '_', log_id)[:100]}.html"


def save_page(doc: LogDocument, folder: Path) -> Path:
    """Write the page of one log into `folder`; return where it went."""
    path = folder / page_file_name(doc.log.id)
    path.write_text(one_page(doc), encoding="utf-8")
    return path


def _footer(source: str) -> str:
    return (
        f"Made by {GENERATOR} from {source}."
        " Log text is shown as text; nothing on this page runs or loads."
    )
