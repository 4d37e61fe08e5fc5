"""The Tools pane's content: tools offered, `tool_choice`, calls made, and tool results."""

from __future__ import annotations

from inspector.model.log import LogResponse
from inspector.present import words as d
from inspector.sanitize import one_line, sanitize
from inspector.tui.widgets.blocks import Block, Part
from inspector.tui.widgets.fields import heading, json_text, spaced


def tools_blocks(log: LogResponse) -> list[Block]:
    """Blocks for the Tools pane, with a sentence where a section is empty."""
    offered = d.offered_tools(log.config)
    names = {tool.name for tool in offered}
    blocks = [heading("offered", "Tools offered", f"{len(offered)}")]
    if not offered:
        blocks.append(_note("offered.none", "No tools were offered to the model by this config."))
    for index, tool in enumerate(offered):
        parts = []
        if tool.description:
            parts.append(Part(sanitize(tool.description), "body", 2))
        parts.append(Part("parameters", "label", 2))
        parts.append(Part(sanitize("\n".join(d.schema_lines(tool.parameters))), "body", 4))
        if tool.parameters:
            parts.append(Part("JSON Schema", "label", 2))
            parts.append(Part(sanitize(json_text(tool.parameters)), "body", 4, json=True))
        header = [(one_line(tool.name, 120), "call"), (f"  {tool.origin}", "muted")]
        blocks.append(Block(f"offered.{index}", header, parts))

    blocks.append(heading("choice", "tool_choice"))
    choice = d.describe_tool_choice(log.tool_choice, bool(offered))
    blocks.append(
        Block("choice.value", [(sanitize(choice), "value")], collapsible=False, gap_after=0)
    )

    calls = list(d.all_tool_calls(log))
    blocks.append(heading("calls", "Tool calls made in this log", f"{len(calls)}"))
    if not calls:
        blocks.append(_note("calls.none", "The model made no tool calls in this log."))
    for index, (where, call) in enumerate(calls):
        known = call.function.name in names
        verdict = ("✓ offered", "result") if known else ("⚠ not among the offered tools", "warning")
        if not offered:
            verdict = ("no tools list to check against", "muted")
        header = [
            (one_line(call.function.name, 120), "call"),
            (f"  {one_line(call.id, 80)}  {where}  ", "muted"),
            verdict,
        ]
        pretty, is_json = d.pretty_json_text(call.function.arguments)
        parts = []
        if not is_json:
            parts.append(Part("⚠ arguments are not valid JSON; shown as received", "warning", 2))
        parts.append(Part(sanitize(pretty) or "(no arguments)", "body", 2, json=is_json))
        blocks.append(Block(f"calls.{index}", header, parts))

    results = log.tools or []
    blocks.append(heading("results", "Tool results used in the prompt (tools)", f"{len(results)}"))
    if not results:
        blocks.append(
            _note("results.none", "No tool results were used to fill the prompt template.")
        )
    for index, result in enumerate(results):
        header = [(one_line(result.name, 120), "call"), (f"  {one_line(result.id, 80)}", "muted")]
        parts = [
            Part(sanitize(result.signature), "label", 2),
            Part(sanitize(result.result) or "(empty)", "body", 2),
        ]
        blocks.append(Block(f"results.{index}", header, parts))
    return spaced(blocks)


def _note(key: str, text: str) -> Block:
    return Block(key, [(text, "muted")], collapsible=False, gap_after=0)
