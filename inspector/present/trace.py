"""A v5 log's trace as rows (one per node, depth-first) and totals; the facts only v5 has.

Shared by `show` and the Trace pane. Node names and errors are log text: callers
sanitise them before they reach a terminal.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from inspector.model.document import LogDocument
from inspector.model.v5 import V5Log
from inspector.present import words as d


@dataclass(frozen=True, slots=True)
class TraceNode:
    """One log of a trace, flattened: where it is (`path` of child indexes) and its facts."""

    path: tuple[int, ...]
    depth: int
    log: V5Log

    @property
    def name(self) -> str:
        """The file path (or name) of the version that made the log."""
        version = self.log.version
        return version.path or version.name or version.id or "?"

    @property
    def tokens(self) -> int | None:
        """Prompt, output and reasoning tokens of this log alone."""
        counts = (self.log.prompt_tokens, self.log.output_tokens, self.log.reasoning_tokens)
        return None if all(c is None for c in counts) else sum(c or 0 for c in counts)

    @property
    def cost(self) -> float | None:
        """Prompt plus output cost of this log alone."""
        if self.log.prompt_cost is None and self.log.output_cost is None:
            return None
        return (self.log.prompt_cost or 0.0) + (self.log.output_cost or 0.0)


@dataclass(frozen=True, slots=True)
class TraceTotals:
    """Sums over every node of a trace."""

    nodes: int
    errors: int
    tokens: int
    cost: float
    latency: float | None


def trace_nodes(root: V5Log) -> Iterator[TraceNode]:
    """Every node of the trace under `root` (root first), depth-first, without recursion."""
    stack: list[tuple[tuple[int, ...], V5Log]] = [((), root)]
    while stack:
        path, log = stack.pop()
        yield TraceNode(path, len(path), log)
        children = log.trace_children or []
        stack.extend((path + (i,), children[i]) for i in range(len(children) - 1, -1, -1))


def totals(nodes: list[TraceNode]) -> TraceTotals:
    """Totals of a trace; latency is the root's."""
    return TraceTotals(
        nodes=len(nodes),
        errors=sum(1 for node in nodes if node.log.error),
        tokens=sum(node.tokens or 0 for node in nodes),
        cost=sum(node.cost or 0.0 for node in nodes),
        latency=nodes[0].log.latency if nodes else None,
    )


def node_line(node: TraceNode) -> str:
    """`prompt  weather/answer  complete · 1.2 s · 345 tok · $0.0012 · error: …` (unsanitised)."""
    log = node.log
    parts = [
        log.status or "",
        d.format_seconds(log.latency) if log.latency is not None else "",
        f"{d.format_count(node.tokens)} tok" if node.tokens is not None else "",
        d.format_cost(node.cost) if node.cost is not None else "",
        f"error: {log.error}" if log.error else "",
    ]
    return f"{log.kind:<9} {node.name}  {d.join_nonempty(parts)}".rstrip()


def v5_facts(doc: LogDocument) -> list[tuple[str, str]]:
    """Facts a v5 log has and v4 lacks (unsanitised): kind, file, version, times, trace."""
    log = doc.v5
    if log is None:
        return []
    version = log.version
    children = len(log.trace_children or [])
    tokens = d.format_count(log.reasoning_tokens) if log.reasoning_tokens is not None else ""
    facts = [
        ("kind", f"{log.kind} log (v5)"),
        ("file", d.join_nonempty([version.path or version.name, version.id])),
        ("version", d.join_nonempty([version.version_id, version.version_name])),
        ("log status", log.status or ""),
        ("started", d.format_time(log.start_time, precise=True) if log.start_time else ""),
        ("ended", d.format_time(log.end_time, precise=True) if log.end_time else ""),
        ("reasoning", f"{tokens} tokens" if tokens else ""),
        ("trace", d.join_nonempty([log.trace_id, f"{children} children" if children else None])),
        ("trace parent", log.trace_parent_id or ""),
        ("trace flow", log.trace_flow_id or ""),
        ("batches", ", ".join(log.batches or [])),
        ("evaluated log", log.parent_id or ""),
    ]
    return [(label, value) for label, value in facts if value and value != d.DASH]


#: Header facts of v4 that a v5 log's facts above replace.
V4_ONLY: frozenset[str] = frozenset({"config", "project", "session", "parent"})
