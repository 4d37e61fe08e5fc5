"""Benchmark of the catalog (issue 6): open, first page, full index, filters, sorts, memory.

Each measurement runs in a fresh subprocess (so peak RSS is the catalog's own), several
times; the table shows medians and, beside each, a baseline measured in the same run:
reading the file, `json.loads` of every log, or a substring scan of every line.

    python -m benchmarks.bench_catalog            # 100,000 logs (about 500 MB)
    python -m benchmarks.bench_catalog --quick    # 2,000 logs, for CI smoke runs
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from benchmarks.gen_logs import write_array, write_jsonl
from benchmarks.generate import DATA

SCALES = {"quick": (2_000, 3), "medium": (10_000, 3), "full": (100_000, 3)}
#: Targets from issue 6, in seconds.
TARGETS = {"first page (200 rows)": 2.0, "text filter": 1.0, "model filter": 1.0}
TEXT_QUERIES = ("kaloren", "anexmi dorsa", "kal")


def _child_catalog(path: str) -> dict[str, Any]:
    """Open, index and query one export; every time from the start of `Catalog.open`."""
    start = time.perf_counter()
    from inspector.catalog import Catalog, Query

    catalog = Catalog.open(path)
    opened = time.perf_counter() - start
    catalog.start()
    first_page = listed = None
    while not catalog.progress.done:
        now = time.perf_counter() - start
        if first_page is None and catalog.total >= 200 and len(catalog.query(limit=200)) == 200:
            first_page = time.perf_counter() - start
        if listed is None and catalog.progress.listed:
            listed = now
        time.sleep(0.002)
    done = time.perf_counter() - start
    if first_page is None:  # Fewer than 200 logs, or indexing outran the loop.
        catalog.query(limit=200)
        first_page = time.perf_counter() - start
    result: dict[str, Any] = {
        "open (with imports)": opened,
        "first page (200 rows)": first_page,
        "all listed": listed if listed is not None else done,
        "full index (with text)": done,
        "logs": catalog.total,
        "error": catalog.progress.error,
    }
    timings = {}
    for text in TEXT_QUERIES:
        timings[f"text filter '{text}'"] = _timed(
            lambda text=text: (catalog.count(Query(text=text)), catalog.query(Query(text=text)))
        )
    model = catalog.models()[0]
    timings["model filter"] = _timed(
        lambda: (catalog.count(Query(model=model)), catalog.query(Query(model=model)))
    )
    timings["errors-only filter"] = _timed(
        lambda: (catalog.count(Query(errors_only=True)), catalog.query(Query(errors_only=True)))
    )
    for sort in ("cost", "label", "created_at"):
        timings[f"sort by {sort}"] = _timed(lambda sort=sort: catalog.query(sort=sort))
    middle = catalog.query(sort="latency", offset=catalog.total // 2, limit=1)[0].ordinal
    timings["step to next ([ ])"] = _timed(lambda: catalog.neighbours(middle, sort="latency"))
    timings["load one log"] = _timed(lambda: catalog.load(middle))
    result.update(timings)
    result["text filter"] = max(v for k, v in timings.items() if k.startswith("text filter"))
    result["database MB"] = sum(f.stat().st_size for f in catalog._store.folder.iterdir()) / 1e6
    catalog.close()
    result["peak RSS MB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result["cpu s"] = time.process_time()
    return result


def _timed(action: Any) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def _child_baseline(path: str) -> dict[str, Any]:
    """Reading the bytes, `json.loads` of every log, and a substring scan of every line."""
    start = time.perf_counter()
    with Path(path).open("rb") as stream:
        while stream.read(1 << 22):
            pass
    read = time.perf_counter() - start
    start = time.perf_counter()
    count = 0
    if path.endswith(".jsonl"):
        with Path(path).open("rb", buffering=1 << 20) as stream:
            for line in stream:
                if line.strip():
                    json.loads(line)
                    count += 1
    else:
        count = len(json.loads(Path(path).read_bytes()))
    loads = time.perf_counter() - start
    start = time.perf_counter()
    with Path(path).open("rb", buffering=1 << 20) as stream:
        hits = sum(1 for line in stream if b"kaloren" in line)
    scan = time.perf_counter() - start
    return {
        "read file": read,
        "json.loads every log": loads,
        "substring scan": scan,
        "logs": count,
        "hits": hits,
        "peak RSS MB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _in_child(kind: str, path: Path) -> dict[str, Any]:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_catalog", "--child", kind, str(path)],
        capture_output=True,
        text=True,
        check=True,
        # Index from scratch every run: no cache entry from the run before.
        env={**os.environ, "INSPECTOR_CACHE_MB": "0"},
        cwd=Path(__file__).parent.parent,
    )
    measured: dict[str, Any] = json.loads(result.stdout)
    return measured


def inputs(count: int) -> list[tuple[str, Path]]:
    """The JSON Lines export of `count` logs and its JSON-array twin (generated once)."""
    lines = write_jsonl(DATA / f"logs-{count}.jsonl", count)
    return [("jsonl", lines), ("array", write_array(DATA / f"logs-{count}.json", lines))]


def run(scale: str) -> list[dict[str, Any]]:
    """Run the benchmark at `scale` (`quick`, `medium` or `full`); one dict per metric."""
    count, repeats = SCALES[scale]
    rows: list[dict[str, Any]] = []
    for shape, path in inputs(count):
        runs = [_in_child("catalog", path) for _ in range(repeats)]
        base = [_in_child("baseline", path) for _ in range(repeats)]
        errors = {r["error"] for r in runs} - {None}
        if errors or any(r["logs"] != count for r in runs):
            raise RuntimeError(f"{path}: indexing failed: {errors or runs[0]['logs']}")

        def median(samples: list[dict[str, Any]], key: str) -> float:
            return statistics.median(sample[key] for sample in samples)

        baselines = {
            "first page (200 rows)": "read file",
            "all listed": "json.loads every log",
            "full index (with text)": "json.loads every log",
            "text filter": "substring scan",
            "peak RSS MB": "peak RSS MB",
        }
        case = f"{shape}, {count:,} logs, {path.stat().st_size / 1e6:.0f} MB"
        for metric in runs[0]:
            if metric in ("logs", "error"):
                continue
            value = median(runs, metric)
            row: dict[str, Any] = {
                "benchmark": "catalog",
                "case": case,
                "metric": metric,
                "median": value,
                "runs": repeats,
            }
            if metric in baselines:
                row["baseline"] = baselines[metric]
                row["baseline median"] = median(base, baselines[metric])
                row["ratio"] = value / row["baseline median"] if row["baseline median"] else None
            if metric in TARGETS:
                row["target"] = TARGETS[metric]
                row["met"] = value <= TARGETS[metric]
            rows.append(row)
    return rows


def table(rows: list[dict[str, Any]]) -> str:
    """The rows as a Markdown table."""
    lines = [
        "| case | metric | median | baseline (same run) | ratio | target |",
        "|---|---|---:|---|---:|---|",
    ]
    for row in rows:
        unit = "" if row["metric"].endswith("MB") else " s"
        base = ""
        if "baseline" in row:
            base = f"{row['baseline']}: {row['baseline median']:.3f}{unit}"
        ratio = f"{row['ratio']:.2f}x" if row.get("ratio") is not None else ""
        target = ""
        if "target" in row:
            target = f"≤ {row['target']} s: {'met' if row['met'] else 'MISSED'}"
        value = f"{row['median']:.3f}{unit}"
        lines.append(f"| {row['case']} | {row['metric']} | {value} | {base} | {ratio} | {target} |")
    return "\n".join(lines)


def main() -> None:
    """Command line: `--quick`, `--scale NAME`, or `--child KIND PATH` (internal)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="2,000 logs, for a smoke run")
    parser.add_argument("--scale", choices=sorted(SCALES), default="full")
    parser.add_argument("--child", nargs=2, metavar=("KIND", "PATH"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, path = args.child
        measure = _child_catalog if kind == "catalog" else _child_baseline
        print(json.dumps(measure(path)))
        return
    scale = "quick" if args.quick else args.scale
    started = time.perf_counter()
    rows = run(scale)
    print(table(rows))
    load = os.getloadavg()
    print(
        f"\n{os.cpu_count()} CPUs, load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f};"
        f" Python {sys.version.split()[0]}; {time.perf_counter() - started:.0f} s in all."
    )


if __name__ == "__main__":
    main()
