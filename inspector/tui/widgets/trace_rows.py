"""The rows of the Trace pane's tree: columns laid out to the width, capped indentation.

Log text (names, statuses, errors) goes through `one_line` and reaches Textual as
`Content`, never as markup.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content

from inspector.present import words as d
from inspector.present.outline import Outline
from inspector.sanitize import one_line

#: Levels drawn as guides; deeper rows show their depth as a number.
GUIDE_LEVELS = 8
#: Cells of the columns around the tree column (guides, arrow and name) and the error.
KIND_WIDTH = 9
#: (title, width) of the columns between the tree and the error.
COLUMNS: tuple[tuple[str, int], ...] = (
    ("status", 10),
    ("latency", 9),
    ("tokens", 9),
    ("cost", 11),
)
FIXED = KIND_WIDTH + sum(width for _, width in COLUMNS)
#: The tree column takes this share of what the fixed columns leave, within these bounds.
TREE_SHARE, TREE_MIN, TREE_MAX = 0.55, 26, 56
#: Below this, the error column is drawn this wide anyway (the view scrolls sideways).
ERROR_MIN = 24


def fit(text: str, width: int) -> str:
    """`text` as one sanitised line of exactly `width` cells (cut, then padded), a space after."""
    return one_line(text, width - 1).ljust(width - 1)[: width - 1] + " " if width > 0 else ""


def layout(width: int) -> tuple[int, int]:
    """The widths of the tree column and the error column at a view `width` cells wide."""
    rest = max(0, width - FIXED)
    tree = max(TREE_MIN, min(TREE_MAX, int(rest * TREE_SHARE)))
    return tree, max(ERROR_MIN, rest - tree)


def header_line(width: int) -> str:
    """The column titles, laid out as the rows are."""
    tree, _ = layout(width)
    titles = fit("kind", KIND_WIDTH) + fit("name", tree)
    return (titles + "".join(fit(title, cells) for title, cells in COLUMNS) + "error").rstrip()


def guides(depth: int) -> str:
    """The indentation of a row `depth` levels down: `│ ` per level, then a depth number."""
    if depth <= GUIDE_LEVELS:
        return "│ " * depth
    return "│ " * (GUIDE_LEVELS - 3) + f"{depth:>5} "


def row_content(outline: Outline[Any], node: int, expanded: bool, width: int) -> Content:
    """One row: kind, the tree (guides, arrow, name), status, latency, tokens, cost, error."""
    tree, error_width = layout(width)
    facts = outline.facts(node)
    depth = outline.depth[node]
    indent = guides(depth)
    arrow = ("▼ " if expanded else "▶ ") if outline.children[node] else "· "
    here = ""
    if node == outline.current and len(outline) > 1:
        here = "◀ this log " if tree >= 32 else "◀ "
    name_width = max(4, tree - len(indent) - len(arrow) - len(here))
    latency = d.format_seconds(facts.latency) if facts.latency is not None else ""
    tokens = d.format_count(facts.tokens) if facts.tokens is not None else ""
    cost = d.format_cost(facts.cost) if facts.cost is not None else ""
    widths = [cells for _, cells in COLUMNS]
    return Content.assemble(
        (fit(facts.kind, KIND_WIDTH), "cyan"),
        (indent, "dim yellow" if depth > GUIDE_LEVELS else "dim"),
        (arrow, "bold"),
        (fit(facts.name, name_width), "bold red" if facts.error else "bold"),
        (here, "reverse"),
        fit(facts.status, widths[0]),
        fit(latency, widths[1]),
        fit(tokens, widths[2]),
        fit(cost, widths[3]),
        (one_line(facts.error, error_width), "red"),
    )
