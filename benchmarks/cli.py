"""Target 5: `inspector show FILE --format json` against `python -m json.tool`, and imports.

Both commands run as subprocesses with output to /dev/null, timed by wall clock from
spawn to exit. The import check runs `inspector --help` and `inspector show FILE` under
`python -X importtime` and looks for any Textual module in what was imported.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from benchmarks.generate import Input
from benchmarks.launch import inspector_command


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def show_argv(path: Path) -> list[str]:
    return inspector_command("show", str(path), "--format", "json")


def json_tool_argv(path: Path) -> list[str]:
    return [sys.executable, "-m", "json.tool", str(path)]


def run(item: Input, repeat: int) -> dict[str, list[float]]:
    """{command: [seconds, ...]}, the two commands alternating."""
    results: dict[str, list[float]] = {"inspector show --format json": [], "json.tool": []}
    for _ in range(repeat):
        results["inspector show --format json"].append(_wall(show_argv(item.path)))
        results["json.tool"].append(_wall(json_tool_argv(item.path)))
    return results


def textual_imports(argv: list[str]) -> list[str]:
    """The Textual modules `python -X importtime -m inspector ARGV` imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "inspector", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    modules = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()]
    return [name for name in modules if name == "textual" or name.startswith("textual.")]


def import_checks(item: Input) -> dict[str, list[str]]:
    """{command: Textual modules it imported} for `--help` and `show FILE`."""
    return {
        "inspector --help": textual_imports(["--help"]),
        "inspector show FILE": textual_imports(["show", str(item.path)]),
        "inspector show FILE --format json": textual_imports(
            ["show", str(item.path), "--format", "json"]
        ),
    }
