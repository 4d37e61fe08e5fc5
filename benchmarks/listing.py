"""The list screen on a big export, headless: first rows on screen, filters and sorts in the app.

Each run starts a fresh app on the export (the catalog indexes it in the background) and
times, with Pilot, what a user waits for: the first rows in the table, every log listed,
then each filter or sort from the change until the table shows the new rows (count,
first page and redraw). Runs happen in a subprocess each, so one run's memory and threads
cannot slow the next.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.report import ROOT

#: (what, the query change) applied one after the other once every log is listed.
CHANGES: list[tuple[str, dict[str, Any]]] = [
    ("text filter 'kaloren'", {"text": "kaloren"}),
    ("text filter 'anexmi dorsa'", {"text": "anexmi dorsa"}),
    ("errors only", {"text": "", "errors_only": True}),
    ("model filter", {"errors_only": False, "model": "gpt-4o"}),
    ("clear filters", {"model": None}),
]
SORTS = ["cost", "label"]


async def _measure(path: str) -> dict[str, float]:
    from inspector.catalog import Catalog, open_source
    from inspector.open.many import CatalogList
    from inspector.tui.app import Launch, make_app
    from inspector.tui.screens.list_screen import ListScreen

    start = time.perf_counter()
    opened = open_source(path)
    catalog = Catalog(opened)  # type: ignore[arg-type]
    catalog.start()
    app = make_app(Launch(opened=CatalogList(catalog, path)))
    result: dict[str, float] = {}
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ListScreen)
        while not screen.rows:
            await asyncio.sleep(0.005)
        await pilot.pause()
        result["first rows on screen"] = time.perf_counter() - start
        while not catalog.progress.listed:
            await asyncio.sleep(0.02)
        result["every log listed"] = time.perf_counter() - start
        while not catalog.progress.done:
            await asyncio.sleep(0.05)
        await app.workers.wait_for_complete()
        await pilot.pause()
        for name, change in CHANGES:
            began = time.perf_counter()
            screen._set_query(**change)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            result[name] = time.perf_counter() - began
        for key in SORTS:
            began = time.perf_counter()
            screen._set_sort(key, True)
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
            result[f"sort by {key}"] = time.perf_counter() - began
    return result


def run(path: Path, repeat: int) -> dict[str, list[float]]:
    """Measure `repeat` times, each in a fresh process; medians are the caller's."""
    samples: dict[str, list[float]] = {}
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.listing", str(path)],
            capture_output=True,
            text=True,
            check=True,
            # Index from scratch every run: no cache entry from the run before.
            env={**os.environ, "INSPECTOR_CACHE_MB": "0"},
            cwd=ROOT,
        ).stdout
        for key, value in json.loads(output.splitlines()[-1]).items():
            samples.setdefault(key, []).append(value)
    return samples


if __name__ == "__main__":
    print(json.dumps(asyncio.run(_measure(sys.argv[1]))))
