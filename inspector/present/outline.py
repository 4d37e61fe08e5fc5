"""A trace as an outline: nodes by index with their parents, children and depth, for either version.

v5 logs carry their tree (`trace_children`); v4 logs only point up (`parent_id`) and share a
`session_id`, so their tree is linked here from the related logs a list holds. Every walk is
iterative, so a trace thousands of levels deep needs no recursion. Names and errors are log
text: callers sanitise them before they reach a terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from inspector.model.v5 import V5Log
from inspector.present.trace import TraceNode, TraceTotals

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Facts:
    """What one row of a trace shows about its log (raw log text)."""

    log_id: str
    kind: str
    name: str
    status: str
    latency: float | None
    tokens: int | None
    cost: float | None
    error: str


@dataclass(slots=True)
class Outline(Generic[T]):
    """A forest over `items` (one per node, by index): parents, children in order, depths."""

    items: list[T]
    #: The facts of an item; called only for the rows drawn, searched or totalled.
    describe: Callable[[T], Facts]
    parent: list[int]
    children: list[list[int]]
    depth: list[int]
    roots: list[int]
    #: The node of the log being looked at, or -1.
    current: int = -1
    #: Totals worked out while building, when that is cheaper than from every node's facts.
    sums: TraceTotals | None = None
    _facts: dict[int, Facts] = field(default_factory=dict, repr=False)
    _ids: dict[str, int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.items)

    def facts(self, index: int) -> Facts:
        """What the row of node `index` shows (made once, when first asked for)."""
        found = self._facts.get(index)
        if found is None:
            found = self._facts[index] = self.describe(self.items[index])
        return found

    def index_of(self, log_id: str) -> int:
        """The first node of the log `log_id`, or -1."""
        if self._ids is None:
            ids: dict[str, int] = {}
            for index in range(len(self.items)):
                ids.setdefault(self.facts(index).log_id, index)
            self._ids = ids
        return self._ids.get(log_id, -1)

    def ancestors(self, index: int) -> list[int]:
        """The nodes above `index`, nearest first."""
        found = []
        node = self.parent[index]
        while node >= 0:
            found.append(node)
            node = self.parent[node]
        return found

    def preorder(self, roots: Sequence[int] | None = None) -> list[int]:
        """Every node under `roots` (default: all), depth-first, each before its children."""
        order: list[int] = []
        stack = list(reversed(roots if roots is not None else self.roots))
        while stack:
            node = stack.pop()
            order.append(node)
            stack.extend(reversed(self.children[node]))
        return order

    def totals(self) -> TraceTotals:
        """Sums over every node; latency is the first root's."""
        if self.sums is not None:
            return self.sums
        facts = [self.facts(index) for index in range(len(self.items))]
        return TraceTotals(
            nodes=len(facts),
            errors=sum(1 for f in facts if f.error),
            tokens=sum(f.tokens or 0 for f in facts),
            cost=sum(f.cost or 0.0 for f in facts),
            latency=facts[self.roots[0]].latency if self.roots else None,
        )


def link(
    items: list[T], describe: Callable[[T], Facts], parent: list[int], current: int = -1
) -> Outline[T]:
    """The outline of nodes whose parents are given by index (-1 for none).

    A parent link that closes a cycle is cut (that node becomes a root), so any input
    gives a forest in which every node appears once.
    """
    count = len(items)
    parent = [p if 0 <= p < count and p != i else -1 for i, p in enumerate(parent)]
    children: list[list[int]] = [[] for _ in range(count)]
    for node, up in enumerate(parent):
        if up >= 0:
            children[up].append(node)
    depth = [-1] * count
    roots = [node for node in range(count) if parent[node] < 0]
    _mark(roots, children, depth)
    # Nodes not reached hang below a cycle: cut one link of each cycle, then reach again.
    for node in range(count):
        if depth[node] >= 0:
            continue
        seen = set()
        while node not in seen:
            seen.add(node)
            node = parent[node]
        children[parent[node]].remove(node)
        parent[node] = -1
        roots.append(node)
        _mark([node], children, depth)
    roots.sort()
    return Outline(items, describe, parent, children, depth, roots, current)


def _mark(roots: list[int], children: list[list[int]], depth: list[int]) -> None:
    stack = [(root, 0) for root in roots]
    while stack:
        node, level = stack.pop()
        depth[node] = level
        stack.extend((child, level + 1) for child in children[node])


def v5_facts_of(node: TraceNode) -> Facts:
    """The row of a v5 trace node."""
    log = node.log
    return Facts(
        log.id,
        log.kind,
        node.name,
        log.status or "",
        log.latency,
        node.tokens,
        node.cost,
        log.error or "",
    )


def v5_outline(root: V5Log) -> Outline[TraceNode]:
    """The outline of a v5 log's trace (the log itself is the root and the current node)."""
    items: list[TraceNode] = []
    parent: list[int] = []
    errors = tokens = 0
    cost = 0.0
    stack: list[tuple[int, tuple[int, ...], V5Log]] = [(-1, (), root)]
    while stack:
        up, path, log = stack.pop()
        index = len(items)
        items.append(TraceNode(path, len(path), log))
        parent.append(up)
        # The totals in the same walk, from the fields (the properties cost more).
        errors += 1 if log.error else 0
        tokens += (log.prompt_tokens or 0) + (log.output_tokens or 0) + (log.reasoning_tokens or 0)
        cost += (log.prompt_cost or 0.0) + (log.output_cost or 0.0)
        children = log.trace_children
        if children:
            stack.extend((index, (*path, i), children[i]) for i in range(len(children) - 1, -1, -1))
    outline = link(items, v5_facts_of, parent, current=0)
    outline.sums = TraceTotals(len(items), errors, tokens, cost, root.latency)
    return outline


class Related(Protocol):
    """What linking v4 logs needs of each: its id and the two fields that relate it."""

    @property
    def id(self) -> str | None: ...

    @property
    def parent_id(self) -> str | None: ...

    @property
    def session_id(self) -> str | None: ...


R = TypeVar("R", bound=Related)


def v4_outline(records: Sequence[R], facts_of: Callable[[R], Facts], current_id: str) -> Outline[R]:
    """The tree of related v4 logs: each under its `parent_id` when that log is among them.

    A log id seen twice is kept once (the first); a parent that is missing makes its child
    a root; a `parent_id` cycle is cut. Logs of the session with no parent among them are
    roots too, in the order given.
    """
    items: list[R] = []
    where: dict[str, int] = {}
    for record in records:
        if record.id is None or record.id in where:
            continue
        where[record.id] = len(items)
        items.append(record)
    parent = [where.get(item.parent_id, -1) if item.parent_id else -1 for item in items]
    return link(items, facts_of, parent, current=where.get(current_id, -1))


def initial_open(outline: Outline[T], budget: int) -> set[int]:
    """Nodes to show expanded at first: the roots, then level by level while the rows
    fit `budget`, and always the path down to the current node."""
    expanded: set[int] = set()
    rows = len(outline.roots)
    level = list(outline.roots)
    while level:
        more = sum(len(outline.children[node]) for node in level)
        if not more or (expanded and rows + more > budget):
            break
        expanded.update(node for node in level if outline.children[node])
        rows += more
        level = [child for node in level for child in outline.children[node]]
    if outline.current >= 0:
        expanded.update(outline.ancestors(outline.current))
    return expanded
