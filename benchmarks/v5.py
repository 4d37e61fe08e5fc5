"""Issue 10's speed targets: a 100,000-log v5 export as the exporter lays it out, and a big trace.

`python -m benchmarks.v5 [--flows N]` writes the export (seeded) into `benchmarks/.data/`,
then measures in a fresh process each: the list screen on the export (first rows on
screen, every log listed, filters and sorts, as target 6 measures a v4 export), and the
Trace pane of a flow of 1,981 nodes (from the key `9` until the pane is built and drawn).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from benchmarks import listing
from benchmarks.report import ROOT

DATA = ROOT / "benchmarks" / ".data"


async def _trace(path: str) -> dict[str, float]:
    from benchmarks.trace import Paints
    from inspector.tui.app import Launch, make_app
    from inspector.tui.panes.trace import TracePane
    from inspector.tui.widgets.trace_tree import TraceTree

    paints = Paints(TraceTree, 1)
    app = make_app(Launch(target=path))
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        # Another table pane first, so the one-off import of the table widget is not counted.
        await pilot.press("6")
        await app.workers.wait_for_complete()
        await pilot.pause()
        paints.arm()
        began = time.perf_counter()
        # The action the key `9` runs, awaited: the pane is built and switched to.
        await app.screen.run_action("show_pane('trace')")
        built = time.perf_counter() - began
        # Drawn: the tree's first rows painted (`pilot.pause()` waited ~0.4 s for idle).
        drawn = await paints.wait(began)
        pane = app.screen.query_one(TracePane)
        assert pane.built and pane.children
        return {
            "trace pane of 1,981 nodes: built": built,
            "trace pane of 1,981 nodes: drawn": drawn,
        }


def _export(flows: int) -> Path:
    from tests.support import exports_v5

    root = DATA / f"v5-export-{flows}"
    if not (root / "exports").exists():
        shutil.rmtree(root, ignore_errors=True)
        exports_v5.make_export(root, flows=flows)
    return root


def _trace_file() -> Path:
    from tests.support import exports_v5

    path = DATA / "v5-trace-1981.json"
    if not path.exists():
        DATA.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(exports_v5.deep_trace(44, 2)))
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    # 22,472 flows make 100,000 logs: flows, agents, prompts, tools, judgments, records.
    parser.add_argument("--flows", type=int, default=22_472)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    export = _export(args.flows)
    trace = _trace_file()
    results = listing.run(export, args.repeat)
    for _ in range(args.repeat):
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.v5", "--trace", str(trace)],
            capture_output=True, text=True, check=True, cwd=ROOT,
        ).stdout  # fmt: skip
        for key, value in json.loads(output.splitlines()[-1]).items():
            results.setdefault(key, []).append(value)
    for key, values in results.items():
        print(f"{key:32} median {sorted(values)[len(values) // 2]:.3f} s  ({len(values)} runs)")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--trace"]:
        print(json.dumps(asyncio.run(_trace(sys.argv[2]))))
    else:
        main()
