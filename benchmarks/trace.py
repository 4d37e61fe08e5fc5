"""The Trace pane at scale (issues 10 and 14): open and expand traces of 2,000 and 10,000 logs.

Inputs are generated (seeded) by `tests/support/traces.py`: flows of 2,000 and 10,000
nested logs, whose first child has a tenth of them as children (collapsed at first), and
a chain 50 flows deep (152 logs, 52 levels). Each run is a fresh process, headless
(`run_test`, 140×40):

- open: from the action of key `9` until the tree's rows are painted (the first call of
  its `render_line` below the titles), imports warmed by showing another pane first;
- expand: from the key `l` on the node with many children until the newly shown rows are
  painted (on the deep chain: `e`, expand all, with the chain closed at its root).

The baseline, in the same run and timed the same way: a bare Textual app whose second tab
holds a `Tree` of ten nodes (open: switching to that tab until the tree is painted;
expand: the key `down` in it until the next paint).

    python -m benchmarks.trace [--repeat 5]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks import report as r
from benchmarks.generate import DATA
from benchmarks.report import ROOT

SIZE = (140, 40)
#: (name, limit in seconds of open, of expand) per input.
INPUTS = {"2,000 logs": (0.300, 0.100), "10,000 logs": (0.300, 0.100), "50 levels": (0.300, 0.100)}


def inputs() -> dict[str, Path]:
    """Write the traces once (seeded); their paths by name."""
    from tests.support import traces

    DATA.mkdir(parents=True, exist_ok=True)
    made: dict[str, tuple[str, Callable[[], dict[str, Any]]]] = {
        "2,000 logs": ("trace-2000.json", lambda: traces.nested_flow(2_000)),
        "10,000 logs": ("trace-10000.json", lambda: traces.nested_flow(10_000)),
        "50 levels": ("trace-deep-50.json", lambda: traces.deep_flow(50)),
    }
    paths = {}
    for name, (file, build) in made.items():
        path = DATA / file
        if not path.exists():
            path.write_text(json.dumps(build()))
        paths[name] = path
    return paths


class Paints:
    """Records when a widget class first draws a row after `arm()` (wraps `render_line`)."""

    def __init__(self, cls: Any, first_row: int) -> None:
        self.at: float | None = None
        self.armed = False
        original = cls.render_line
        paints = self

        def render_line(widget: Any, y: int) -> Any:
            if paints.armed and paints.at is None and y >= first_row:
                paints.at = time.perf_counter()
            return original(widget, y)

        cls.render_line = render_line

    def arm(self) -> None:
        self.at, self.armed = None, True

    async def wait(self, began: float) -> float:
        deadline = began + 30
        while self.at is None and time.perf_counter() < deadline:
            await asyncio.sleep(0.0005)
        assert self.at is not None, "nothing was painted"
        self.armed = False
        return self.at - began


async def _inspector(path: str, deep: bool) -> dict[str, float]:
    from inspector.tui.app import Launch, make_app
    from inspector.tui.widgets.trace_tree import TraceTree
    from tests.support.traces import BIG

    paints = Paints(TraceTree, 1)
    app = make_app(Launch(target=path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.press("6")
        await pilot.pause()
        paints.arm()
        began = time.perf_counter()
        await app.screen.run_action("show_pane('trace')")
        opened = await paints.wait(began)
        await pilot.pause()
        tree = app.screen.query_one(TraceTree)
        if deep:
            # The chain opens whole: close it at the root, then `e` opens all of it.
            tree.go_to(0)
            tree.close_row(0)
        else:
            tree.go_to(tree.rows.index(tree.outline.index_of(BIG)))
        await pilot.pause()
        await pilot.pause()
        shown = len(tree.rows)
        paints.arm()
        began = time.perf_counter()
        await pilot.press("e" if deep else "l")
        expanded = await paints.wait(began)
        assert len(tree.rows) > shown
        return {"open": opened, "expand": expanded}


async def _baseline() -> dict[str, float]:
    from textual.app import App, ComposeResult
    from textual.widgets import Static, TabbedContent, TabPane, Tree

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            with TabbedContent():
                with TabPane("first", id="first"):
                    yield Static("first")
                with TabPane("tree", id="second"):
                    tree: Tree[None] = Tree("root")
                    for n in range(10):
                        tree.root.add_leaf(f"node {n}")
                    tree.root.expand()
                    yield tree

    paints = Paints(Tree, 1)
    app = Bare()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        paints.arm()
        began = time.perf_counter()
        app.query_one(TabbedContent).active = "second"
        opened = await paints.wait(began)
        await pilot.pause()
        app.query_one(Tree).focus()
        await pilot.pause()
        paints.arm()
        began = time.perf_counter()
        await pilot.press("down")
        moved = await paints.wait(began)
        return {"open": opened, "expand": moved}


def _child(path: str) -> dict[str, float]:
    if path == "baseline":
        return asyncio.run(_baseline())
    return asyncio.run(_inspector(path, deep="deep" in Path(path).name))


def _run(path: str) -> dict[str, float]:
    output = subprocess.run(
        [sys.executable, "-m", "benchmarks.trace", "--child", path],
        capture_output=True, text=True, check=True, cwd=ROOT,
    ).stdout  # fmt: skip
    result: dict[str, float] = json.loads(output.splitlines()[-1])
    return result


def run(repeat: int) -> dict[str, dict[str, list[float]]]:
    """Medians' raw material: per input (and `baseline`), per measurement, the times."""
    paths = inputs()
    results: dict[str, dict[str, list[float]]] = {}
    for _ in range(repeat):
        # Alternating, so the machine's load falls on all alike.
        for name, path in [("baseline", "baseline"), *((n, str(p)) for n, p in paths.items())]:
            for key, value in _run(path).items():
                results.setdefault(name, {}).setdefault(key, []).append(value)
    return results


def table(results: dict[str, dict[str, list[float]]]) -> str:
    """The Markdown table of medians, ratios to the baseline and the targets."""
    base = {key: r.median(values) for key, values in results["baseline"].items()}
    rows = []
    for name, (open_limit, expand_limit) in INPUTS.items():
        for key, limit in (("open", open_limit), ("expand", expand_limit)):
            mine = r.median(results[name][key])
            what = "expand all (`e`)" if key == "expand" and "levels" in name else key
            rows.append(
                [name, what, r.ms(mine), r.ms(base[key]), r.ratio(mine / base[key]),
                 f"≤ {r.ms(limit)}", r.verdict(mine <= limit)]
            )  # fmt: skip
    header = ["trace", "measurement", "inspector", "bare Tree app", "ratio", "target", "met"]
    return r.table(header, rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    print(table(run(args.repeat)))


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        print(json.dumps(_child(sys.argv[2])))
    else:
        main()
