"""How cost grows with the number of logs (issue 14): 10k, 100k and 1M logs, a file and a folder.

Each input is generated once, seeded, under the benchmark data folder: a JSON Lines
export, and the same logs twice as a folder: laid out as Humanloop's exporter writes
them (`files/<file_id>/logs/N.jsonl`, 1,001 lines in `1.jsonl` and 1,000 in every later
file, spec §9), and as 1,000-record list pages (`GET /logs` answers saved one per file).
Each measurement runs in a fresh subprocess against a baseline from the same run, a
plain one-thread msgspec scan of the summary fields (id, created_at, output) of every log:

    python -m benchmarks.scale --sizes 10000,100000     # without the 1M inputs (15 GB)
    python -m benchmarks.scale --workers 0,1,2 --rounds 2   # listing by worker count

Every row also gives the load average over the minute before and after it: on a
shared machine the ratios move with it.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec

from benchmarks.gen_logs import write_jsonl
from benchmarks.generate import DATA

SIZES = (10_000, 100_000, 1_000_000)
PAGE = 1_000
#: The inputs of each size: one JSON Lines file, an exporter's folder, a folder of pages.
SHAPES = ("jsonl", "export", "pages")
#: Logs in each File of the exporter-shaped folder: a million logs are four Prompts'.
FILE_LOGS = 250_000
#: A word in about half of the benchmark's logs (516,248 of the million).
WIDE = "anexdorka"


class _Scan(msgspec.Struct):
    id: str
    created_at: str | None = None
    output: str | None = None


class _Page(msgspec.Struct):
    records: list[_Scan]


def jsonl(count: int) -> Path:
    """The JSON Lines export of `count` logs (shared with target 6)."""
    return write_jsonl(DATA / f"logs-{count}.jsonl", count)


def source(count: int, shape: str) -> Path:
    """The input of `count` logs in `shape` (one of `SHAPES`), generated once."""
    return {"jsonl": jsonl, "export": export, "pages": pages}[shape](count)


def export(count: int) -> Path:
    """The same logs as Humanloop's exporter lays them out (spec §9): a folder per File,
    `files/<file_id>/`, with its `file.json` and its logs in `logs/1.jsonl`, `2.jsonl`
    and so on; the exporter's rollover puts 1,001 records in `1.jsonl`, 1,000 in the
    others. `FILE_LOGS` logs a File, each File a Prompt."""
    path = DATA / f"export-{count}"
    if path.exists():
        return path
    partial = DATA / f"export-{count}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    with jsonl(count).open("rb") as lines:
        for number in range(max(1, -(-count // FILE_LOGS))):
            file_id = f"pr_Bench{number + 1:04d}"
            folder = partial / "files" / file_id
            (folder / "logs").mkdir(parents=True)
            name = f"bench-prompt-{number + 1}"
            file = {"id": file_id, "path": f"bench/{name}", "name": name, "type": "prompt"}
            (folder / "file.json").write_text(json.dumps(file))  # No newline, as written.
            left, part = min(FILE_LOGS, count - number * FILE_LOGS), 1
            while left > 0:
                take = min(left, PAGE + 1 if part == 1 else PAGE)
                chunk = b"".join(lines.readline() for _ in range(take))
                (folder / "logs" / f"{part}.jsonl").write_bytes(chunk)
                left, part = left - take, part + 1
            (folder / ".done").write_text("Export completed successfully.\n")
    partial.rename(path)
    return path


def pages(count: int) -> Path:
    """The same logs as list pages of 1,000 records (`{"page", "size", "total",
    "records"}`), one file each, as a script saving `GET /logs` answers writes them."""
    path = DATA / f"pages-{count}"
    if path.exists():
        return path
    partial = DATA / f"pages-{count}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    with jsonl(count).open("rb") as lines:
        page: list[bytes] = []
        number = 0

        def flush() -> None:
            body = b",\n".join(page)
            head = f'{{"page": {number + 1}, "size": {PAGE}, "total": {count}, "records": [\n'
            (partial / f"page-{number + 1:05d}.json").write_bytes(head.encode() + body + b"\n]}\n")

        for line in lines:
            page.append(line.rstrip(b"\n"))
            if len(page) == PAGE:
                flush()
                page, number = [], number + 1
        if page:
            flush()
    partial.rename(path)
    return path


def _child_scan(path: str) -> dict[str, Any]:
    """The baseline: one thread, msgspec, the summary fields of every log."""
    decoder = msgspec.json.Decoder(_Scan)
    page_decoder = msgspec.json.Decoder(_Page)
    start = time.perf_counter()
    count = 0
    for file in _files(Path(path)):
        if file.suffix == ".jsonl":
            with file.open("rb", buffering=1 << 20) as stream:
                for line in stream:
                    if line.strip():
                        decoder.decode(line)
                        count += 1
        else:
            count += len(page_decoder.decode(file.read_bytes()).records)
    return {"scan": time.perf_counter() - start, "logs": count, **_usage()}


def _files(path: Path) -> list[Path]:
    """The files of logs of an input: itself, or a folder's `.jsonl` and list pages."""
    if not path.is_dir():
        return [path]
    found = (file for file in path.rglob("*") if file.suffix in (".jsonl", ".json"))
    return sorted(file for file in found if file.name != "file.json")


def _child_catalog(path: str) -> dict[str, Any]:
    """Open, list, index, filter, sort and total; the cache folder comes from the parent."""
    start = time.perf_counter()
    from inspector.catalog import Catalog, Query

    catalog = Catalog.open(path)
    catalog.start()
    first = listed = rows = None
    workers = 0.0
    tick = 0
    while not catalog.progress.done:
        if first is None and catalog.total >= 200:
            first = time.perf_counter() - start
        progress = catalog.progress
        if listed is None and progress.listed:
            listed = time.perf_counter() - start
        if rows is None and progress.complete:
            rows = time.perf_counter() - start
        tick += 1
        if tick % 40 == 0:
            workers = max(workers, _children_peak())
        time.sleep(0.005)
    done = time.perf_counter() - start
    result: dict[str, Any] = {
        "first rows": first if first is not None else done,
        "listed": listed if listed is not None else done,
        # Every row built: filters, other orders and totals see every log (the same
        # moment as `listed` when a source is listed in one pass).
        "rows": rows if rows is not None else done,
        "indexed": done,
        "logs": catalog.total,
        "error": catalog.progress.error,
    }
    model = catalog.models()[0]
    timed: dict[str, Callable[[], object]] = {
        "text filter": lambda: (
            catalog.count(Query(text="kaloren")),
            catalog.query(Query(text="kaloren")),
        ),
        # A word in half of the logs: the count, the first page and one scrolled to.
        "wide text filter": lambda: (
            catalog.count(Query(text=WIDE)),
            catalog.query(Query(text=WIDE)),
            catalog.query(Query(text=WIDE), offset=5000),
        ),
        "model filter": lambda: (
            catalog.count(Query(model=model)),
            catalog.query(Query(model=model)),
        ),
        "sort by cost": lambda: catalog.query(sort="cost"),
        "totals": lambda: (
            catalog.count(),
            catalog.count(Query(errors_only=True)),
            catalog.models(),
            catalog.statuses(),
        ),
        # The list's totals bar (`Σ`): sums, error rate and latency percentiles by model,
        # over every log and over one model's.
        "totals bar": lambda: (catalog.stats(), catalog.stats(Query(model=model))),
    }
    for name, action in timed.items():
        begin = time.perf_counter()
        action()
        result[name] = time.perf_counter() - begin
    catalog.close()
    return {**result, **_usage(), "worker peak MB": workers}


def _children_peak() -> float:
    """The largest peak RSS of this process's children, in MB, from /proc (Linux).

    Not `RUSAGE_CHILDREN`: a child's high-water mark there starts at the RSS of the
    process that forked it, before it executes a fresh Python.
    """
    peak = 0.0
    for children in Path("/proc/self/task").glob("*/children"):
        for pid in children.read_text().split():
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]) / 1024)
    return peak


def _usage() -> dict[str, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "peak MB": own.ru_maxrss / 1024,
        "worker peak MB": children.ru_maxrss / 1024,
        "cpu": own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime,
    }


#: Another copy of `inspector` to measure instead (`--code DIR`: an older commit, for "before").
CODE: list[str] = []


def _env(**extra: str) -> dict[str, str]:
    env = {**os.environ, **extra}
    if CODE:
        env["PYTHONPATH"] = os.pathsep.join([*CODE, env.get("PYTHONPATH", "")])
    return env


def _cwd() -> str:
    """Where children start: `python -m` puts it first on `sys.path`, before PYTHONPATH."""
    return CODE[0] if CODE else str(Path(__file__).parent.parent)


def _in_child(kind: str, path: Path, cache: Path, workers: int | None = None) -> dict[str, Any]:
    env = _env(INSPECTOR_CACHE_DIR=str(cache))
    if workers is not None:
        env["INSPECTOR_WORKERS"] = str(workers)
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.scale", "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        cwd=_cwd(),
        env=env,
    )
    measured: dict[str, Any] = json.loads(result.stdout)
    return measured


def _export(path: Path) -> float:
    """`inspector show PATH --format json`: every log's summary streamed to /dev/null."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "inspector", "show", str(path), "--format", "json"],
        stdout=subprocess.DEVNULL,
        check=True,
        cwd=_cwd(),
        env=_env(),
    )
    return time.perf_counter() - start


#: Text only the list's rows show: the date of the first logs of every generated input.
_ROW_MARKER = "2024-09-20 11:"


def first_rows(path: Path, rounds: int = 3) -> tuple[float, float]:
    """Seconds from spawning `inspector PATH` in a real terminal (a pty) until its first
    rows are drawn, and a bare 8-tab Textual app's first paint: medians, alternated.

    Each open starts from an empty index cache, as a first open does.
    """
    from benchmarks import launch

    ours, bare = [], []
    command = [sys.executable, "-m", "inspector", str(path)]
    for _ in range(rounds):
        with tempfile.TemporaryDirectory(prefix="inspector-bench-cache-") as cache:
            env = _env(INSPECTOR_CACHE_DIR=cache)
            extra = {key: env[key] for key in ("INSPECTOR_CACHE_DIR", "PYTHONPATH") if key in env}
            ours.append(launch.time_to_text(command, _ROW_MARKER, extra_env=extra, cwd=_cwd()))
        bare.append(launch.time_to_text(launch.baseline_argv(_ROW_MARKER), _ROW_MARKER))
    return sorted(ours)[len(ours) // 2], sorted(bare)[len(bare) // 2]


def read_once(path: Path) -> None:
    """Read every byte of the input once, so that the scan and the catalog both find it
    in the page cache (the first to read it from disk would pay for both)."""
    for file in _files(path):
        with file.open("rb", buffering=0) as stream:
            while stream.read(1 << 24):
                pass


def measure(count: int, shape: str) -> dict[str, Any]:
    """Every measurement of one input: cold open (empty cache), warm open, export."""
    path = source(count, shape)
    read_once(path)
    before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="inspector-bench-cache-") as cache:
        base = _in_child("scan", path, Path(cache))
        cold = _in_child("catalog", path, Path(cache))
        warm = _in_child("catalog", path, Path(cache))
    for run in (cold, warm):
        if run["error"] or run["logs"] != count:
            raise RuntimeError(f"{path}: {run['error'] or run['logs']}")
    size = sum(file.stat().st_size for file in _files(path))
    return {
        "count": count,
        "shape": shape,
        "bytes": size,
        "scan": base["scan"],
        "cold": cold,
        "warm": warm,
        "export": _export(path),
        "first rows (pty)": first_rows(path),
        "load": (before, os.getloadavg()[0]),
    }


def measure_workers(count: int, shape: str, workers: int, rounds: int) -> dict[str, Any]:
    """A cold open with `workers` workers, against a scan just before it; the medians
    of `rounds` rounds."""
    path = source(count, shape)
    read_once(path)
    runs = []
    for _ in range(rounds):
        before = os.getloadavg()[0]
        with tempfile.TemporaryDirectory(prefix="inspector-bench-cache-") as cache:
            scan = _in_child("scan", path, Path(cache))["scan"]
            cold = _in_child("catalog", path, Path(cache), workers)
        runs.append({**cold, "scan": scan, "load": (before, os.getloadavg()[0])})
    middle = sorted(runs, key=lambda run: run["listed"] / run["scan"])[len(runs) // 2]
    return {"count": count, "shape": shape, "workers": workers, **middle}


def workers_table(results: list[dict[str, Any]]) -> str:
    """Listing and indexing by worker count, each against its own scan."""
    header = (
        "| logs | input | workers | scan | listed (× scan) | rows built (× scan)"
        " | indexed (× scan) | CPU s"
        " | peak RSS (each worker) | load before → after |"
    )
    lines = [header, header_rule(header)]
    for item in results:
        scan = item["scan"]
        lines.append(
            f"| {item['count']:,} | {item['shape']} | {item['workers']} | {scan:.2f} s"
            f" | {item['listed']:.2f} s ({item['listed'] / scan:.1f}×)"
            f" | {item['rows']:.2f} s ({item['rows'] / scan:.1f}×)"
            f" | {item['indexed']:.2f} s ({item['indexed'] / scan:.1f}×) | {item['cpu']:.1f}"
            f" | {item['peak MB']:.0f} MB ({item['worker peak MB']:.0f} MB)"
            f" | {item['load'][0]:.1f} → {item['load'][1]:.1f} |"
        )
    return "\n".join(lines)


def table(results: list[dict[str, Any]]) -> str:
    """The growth table: one row per input, times and ratios to the scan of that input."""
    header = (
        "| logs | input | first rows in a pty (bare app) | scan | listed (× scan)"
        " | rows built (× scan) | indexed (× scan) | text filter | wide text filter"
        " | model filter | sort"
        " | totals | totals bar | 2nd open | export"
        " | peak RSS (workers) | CPU s | load |"
    )
    lines = [header, header_rule(header)]
    for item in results:
        cold, warm, scan = item["cold"], item["warm"], item["scan"]
        rows, bare = item["first rows (pty)"]
        lines.append(
            f"| {item['count']:,} | {item['shape']}, {item['bytes'] / 1e6:,.0f} MB"
            f" | {rows:.2f} s ({bare:.2f} s, {rows / bare:.2f}×)"
            f" | {scan:.2f} s | {cold['listed']:.2f} s ({cold['listed'] / scan:.1f}×)"
            f" | {cold['rows']:.2f} s ({cold['rows'] / scan:.1f}×)"
            f" | {cold['indexed']:.2f} s ({cold['indexed'] / scan:.1f}×)"
            f" | {cold['text filter']:.3f} s | {cold['wide text filter']:.3f} s"
            f" | {cold['model filter']:.3f} s"
            f" | {cold['sort by cost']:.3f} s | {cold['totals']:.3f} s"
            f" | {cold.get('totals bar', float('nan')):.3f} s"
            f" | {warm['indexed']:.2f} s | {item['export']:.2f} s"
            f" | {cold['peak MB']:.0f} MB ({cold['worker peak MB']:.0f} MB) | {cold['cpu']:.1f}"
            f" | {item['load'][0]:.1f} → {item['load'][1]:.1f} |"
        )
    return "\n".join(lines)


def header_rule(header: str) -> str:
    """The Markdown rule under `header`."""
    return "|" + "---|" * (header.count("|") - 1)


def run(sizes: tuple[int, ...] = SIZES) -> list[dict[str, Any]]:
    """Every size, in every shape."""
    return [measure(count, shape) for count in sizes for shape in SHAPES]


def main() -> None:
    """Command line: `--sizes 10000,100000`, or `--child KIND PATH` (internal)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--code", help="measure the inspector package in this folder instead")
    parser.add_argument("--workers", help="compare these worker counts (e.g. 0,1,2)")
    parser.add_argument("--rounds", type=int, default=1, help="rounds of --workers (medians)")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child
        print(json.dumps((_child_scan if kind == "scan" else _child_catalog)(path)))
        return
    if args.code:
        CODE.append(str(Path(args.code).resolve()))
    sizes = tuple(int(n) for n in args.sizes.split(","))
    if args.workers:
        counts = [int(n) for n in args.workers.split(",")]
        compared = [
            measure_workers(size, shape, count, args.rounds)
            for size in sizes
            for shape in SHAPES
            for count in counts
        ]
        print(workers_table(compared))
        print(json.dumps(compared))
        return
    results = run(sizes)
    print(table(results))
    print(json.dumps(results))


if __name__ == "__main__":
    main()
