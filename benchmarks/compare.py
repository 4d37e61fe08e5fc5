"""Target 9 (issue 12): totals over an export, CSV/JSON Lines export against `jq -c .`, a diff.

Totals run in a fresh process on the catalog once it is ready (listed and indexed),
timed from the call until the numbers are back; and once right after listing, while the
text index is still being built beside them. Exports run as the
command a user types, `inspector show FILE --format jsonl|csv`, against `jq -c . FILE`,
both with output to /dev/null, alternating. The diff runs on the 10 MB log against a
copy with a changed parameter, message, tool argument and payload value, in-process
(decode both, diff, render as text) and as `inspector diff A B`.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.generate import DATA, Input
from benchmarks.launch import inspector_command


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def _child_totals(path: str) -> dict[str, float]:
    """Seconds for `Catalog.stats` with no filter, a model and errors only, once listed."""
    from inspector.catalog import Catalog, Query

    catalog = Catalog.open(path)
    catalog.start()
    catalog.wait(listed_only=True)
    # Right after listing, the text index is still being built on the other core.
    start = time.perf_counter()
    catalog.stats()
    timings: dict[str, float] = {"totals, every log, while text is indexed": 0.0}
    timings["totals, every log, while text is indexed"] = time.perf_counter() - start
    catalog.wait()
    model = catalog.models()[0]
    for name, query in (
        ("totals, every log", Query()),
        ("totals, one model", Query(model=model)),
        ("totals, errors only", Query(errors_only=True)),
    ):
        start = time.perf_counter()
        stats = catalog.stats(query)
        timings[name] = time.perf_counter() - start
        assert stats.totals.count > 0
    catalog.close()
    return timings


def totals(path: Path, repeat: int) -> dict[str, list[float]]:
    """{measurement: [seconds, ...]}, a fresh process per run."""
    found: dict[str, list[float]] = {}
    for _ in range(repeat):
        result = subprocess.run(
            [sys.executable, "-m", "benchmarks.compare", "--child", str(path)],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent.parent,
        )
        for name, seconds in json.loads(result.stdout).items():
            found.setdefault(name, []).append(seconds)
    return found


def has_jq() -> bool:
    """Whether `jq` is on the PATH (CI: `apt-get install -y jq`)."""
    return shutil.which("jq") is not None


def exports(path: Path, repeat: int) -> dict[str, list[float]]:
    """Wall time of each export command and of `jq -c .`, alternating."""
    commands = {
        "inspector show --format jsonl": inspector_command("show", str(path), "--format", "jsonl"),
        "inspector show --format csv": inspector_command("show", str(path), "--format", "csv"),
        "inspector show --errors --format jsonl": inspector_command(
            "show", str(path), "--errors", "--format", "jsonl"
        ),
    }
    if has_jq():
        commands["jq -c ."] = ["jq", "-c", ".", str(path)]
    found: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, argv in commands.items():
            found[name].append(_wall(argv))
    return found


def changed_copy(item: Input) -> Path:
    """The big log with a parameter, a message, a tool argument and a payload value changed."""
    target = DATA / f"{item.path.stem}-changed.json"
    if target.exists() and target.stat().st_mtime >= Path(__file__).stat().st_mtime:
        return target
    log: dict[str, Any] = json.loads(item.path.read_bytes())
    changed = copy.deepcopy(log)
    changed["id"] = log["id"] + "b"
    changed["config"]["temperature"] = 0.9
    messages = changed["messages"]
    for index in (5, len(messages) // 2, len(messages) - 3):
        content = messages[index].get("content")
        if isinstance(content, str):
            messages[index]["content"] = content.replace(" the ", " a ", 3) + " (edited)"
    calling = [message for message in messages if message.get("tool_calls")]
    if calling:
        calling[len(calling) // 2]["tool_calls"][0]["function"]["arguments"] = '{"edited":true}'
    changed["provider_response"]["usage"]["completion_tokens"] += 1
    target.write_bytes(json.dumps(changed, ensure_ascii=False, separators=(",", ":")).encode())
    return target


def diff(item: Input, repeat: int) -> dict[str, list[float]]:
    """The diff of the big log and its changed copy: in-process, and as a command."""
    from inspector.model.decode import decode_log, gc_paused
    from inspector.present.diff import decode_top, diff_logs
    from inspector.present.diff_render import to_text

    other = changed_copy(item)
    found: dict[str, list[float]] = {
        "diff in-process (decode, diff, text)": [],
        "inspector diff": [],
    }
    for _ in range(repeat):
        start = time.perf_counter()
        a = decode_log(item.path.read_bytes(), str(item.path))
        b = decode_log(other.read_bytes(), str(other))
        with gc_paused():
            result = diff_logs(decode_top(a.raw), decode_top(b.raw), "a", "b")
        text = to_text(result)
        found["diff in-process (decode, diff, text)"].append(time.perf_counter() - start)
        assert result.differs and "temperature" in text
        found["inspector diff"].append(_wall(inspector_command("diff", str(item.path), str(other))))
    return found


if __name__ == "__main__" and sys.argv[1:2] == ["--child"]:
    print(json.dumps(_child_totals(sys.argv[2])))
