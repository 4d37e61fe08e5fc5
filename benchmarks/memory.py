"""Target 4: peak memory (RSS high-water mark) of the app opening a big log, headless.

Each run is a fresh process: `python -m benchmarks.memory app FILE` opens the log with
`run_test`, waits until it is shown, opens the Messages, Response and Raw panes (the
heaviest), and exits; a small launcher reads `getrusage(RUSAGE_CHILDREN)` after it exits.
The same is measured for the 8-tab baseline app and for a process that only reads the
file and runs `json.loads` on it, for scale.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
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


async def _open_app(path: str) -> None:
    from benchmarks.panes import PANES, _open

    watch, context = await _open(Path(path), "overview")
    try:
        log_id = watch.app.screen.document.log.id  # type: ignore[attr-defined]
        for check in PANES:
            if check.pane in PANES_OPENED:
                await watch.time_key(check.key, watch.shows(check.text(log_id)))
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
    else:
        asyncio.run(_open_baseline())
