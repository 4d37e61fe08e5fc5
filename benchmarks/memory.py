"""Target 4: peak memory (RSS high-water mark) of the app opening a big log, headless.

Each run is a fresh process: `python -m benchmarks.memory app FILE` opens the log with
`run_test`, waits until it is shown, opens the Messages, Response and Raw panes (the
heaviest), waits until Raw has indexed every line, and exits; a small launcher reads
`getrusage(RUSAGE_CHILDREN)` after it exits. The same is measured for the 8-tab baseline
app and for a process that only reads the file and runs `json.loads` on it, for scale.

`python -m benchmarks.memory stages FILE [--trace]` does the same in one process and
prints, after each step, its resident memory and high-water mark (`/proc/self/status`),
and with `--trace` the biggest live allocations (tracemalloc, which slows it and adds
its own memory): where the peak comes from.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from benchmarks.generate import Input, Markers

PANES_OPENED = ("messages", "response", "raw")


#: Runs one command and prints the peak RSS of that child in kilobytes. A small launcher
#: is needed because a child's high-water mark starts from the RSS of the process that
#: forked it (Linux carries it over `exec`), and the suite itself is large.
LAUNCHER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
if done.returncode:
    sys.exit(done.stderr.decode(errors="replace")[-2000:])
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss(argv: list[str]) -> int:
    """Peak resident memory in bytes of a fresh process running `argv`."""
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, *argv], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{argv} failed: {done.stderr}")
    return int(done.stdout) * 1024  # kilobytes on Linux


def app_argv(path: Path) -> list[str]:
    return [sys.executable, "-m", "benchmarks.memory", "app", str(path)]


def baseline_argv() -> list[str]:
    return [sys.executable, "-m", "benchmarks.memory", "baseline"]


def json_argv(path: Path) -> list[str]:
    code = "import json, sys; json.loads(open(sys.argv[1], 'rb').read())"
    return [sys.executable, "-c", code, str(path)]


def run(item: Input, repeat: int) -> dict[str, list[int]]:
    """{what: [peak bytes, ...]} for the app, the baseline app and `json.loads`."""
    results: dict[str, list[int]] = {"inspector": [], "baseline app": [], "json.loads": []}
    for _ in range(repeat):
        results["inspector"].append(peak_rss(app_argv(item.path)))
        results["baseline app"].append(peak_rss(baseline_argv()))
        results["json.loads"].append(peak_rss(json_argv(item.path)))
    return results


def stages(item: Input) -> list[tuple[str, int, int]]:
    """(step, resident bytes, high-water mark) after each step of opening the log."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", "stages", str(item.path), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    return [tuple(row) for row in json.loads(done.stdout.splitlines()[-1])]  # type: ignore[misc]


def _status() -> tuple[int, int]:
    """This process's resident memory and its high-water mark, in bytes."""
    found = {}
    with Path("/proc/self/status").open() as status:
        for line in status:
            key, _, value = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                found[key] = int(value.split()[0]) * 1024
    return found["VmRSS"], found["VmHWM"]


class _Stages:
    """Notes memory after each step; with `trace`, prints the biggest allocations too."""

    def __init__(self, report: bool, trace: bool) -> None:
        self.report, self.trace = report, trace
        self.rows: list[tuple[str, int, int]] = []

    def __call__(self, step: str) -> None:
        rss, hwm = _status()
        self.rows.append((step, rss, hwm))
        if not self.report:
            return
        print(f"{step:<28} RSS {rss / 1e6:7.1f} MB   peak {hwm / 1e6:7.1f} MB", flush=True)
        if self.trace and tracemalloc.is_tracing():
            for stat in tracemalloc.take_snapshot().statistics("lineno")[:8]:
                print(f"    {stat}")


async def _open_app(path: str, note: _Stages | None = None) -> None:
    from benchmarks.panes import PANES, _open
    from inspector.tui.widgets.text_view import TextView

    note = note or _Stages(report=False, trace=False)
    note("imports")
    if note.trace:
        tracemalloc.start()
    watch, context = await _open(Path(path), "overview")
    try:
        note("log shown (overview)")
        log_id = watch.app.screen.document.log.id  # type: ignore[attr-defined]
        for check in PANES:
            if check.pane in PANES_OPENED:
                await watch.time_key(check.key, watch.shows(check.text(log_id)))
                note(f"{check.pane} shown")
        # Raw indexes its lines between frames: wait for all, as a user reading it would.
        # Only Raw's view: a hidden one (Response's raw text) may never be asked to index.
        deadline = time.monotonic() + 120
        for view in watch.app.screen.query("#pane-raw TextView").results(TextView):
            while not view._lines.done:
                if time.monotonic() > deadline:
                    raise TimeoutError("the Raw pane did not index its lines within 120 s")
                await asyncio.sleep(0.02)
        note("raw: every line indexed")
    finally:
        await context.__aexit__(None, None, None)


async def _open_baseline() -> None:
    from benchmarks.tabs_app import TabsApp

    app = TabsApp(Markers.END)
    async with app.run_test() as pilot:
        await pilot.pause()


if __name__ == "__main__":
    if sys.argv[1] == "app":
        asyncio.run(_open_app(sys.argv[2]))
    elif sys.argv[1] == "stages":
        stages_seen = _Stages(report="--json" not in sys.argv, trace="--trace" in sys.argv)
        stages_seen("start")
        asyncio.run(_open_app(sys.argv[2], stages_seen))
        if "--json" in sys.argv:
            print(json.dumps(stages_seen.rows))
    else:
        asyncio.run(_open_baseline())
