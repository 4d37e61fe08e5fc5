"""Run the benchmark suite: `python -m benchmarks [--quick] [--only 1,3] [--out FILE]`.

Generates its inputs into `benchmarks/.data/` (seeded, so the same on every machine),
runs each target next to its baseline, prints the tables of medians and ratios, and
writes them to `benchmarks/results.md` (`--quick`: `benchmarks/.data/results-quick.md`).
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    bench_catalog,
    cli,
    compare,
    decoding,
    launch,
    listing,
    memory,
    panes,
    scale,
    v5,
)
from benchmarks import report as r
from benchmarks import trace as trace_bench
from benchmarks.generate import DATA, ensure


@dataclass(frozen=True)
class Plan:
    """Which inputs each target runs on, and how many times."""

    quick: bool
    #: (log, limit as a multiple of the baseline) for target 1.
    launch: list[tuple[str, float]]
    #: (big log, small log) for target 2.
    panes: tuple[str, str]
    decoding: list[str]
    memory: str
    cli: str
    #: Logs in the export of target 6.
    export: int = 2_000
    #: Logs in each input of target 7 (`--sizes` changes them).
    scale: tuple[int, ...] = (2_000,)
    #: The big log of target 9's diff.
    diff: str = "10mb"
    repeat: dict[int, int] = field(default_factory=dict)


FULL = Plan(
    quick=False,
    launch=[("10kb", 1.5), ("1mb", 1.5), ("10mb", 1.5), ("50mb", 2.0)],
    panes=("10mb", "10kb"),
    decoding=["1mb", "10mb", "50mb"],
    memory="50mb",
    cli="50mb",
    export=100_000,
    scale=scale.SIZES,
    repeat={1: 10, 2: 5, 3: 5, 4: 3, 5: 5, 6: 3, 8: 3, 9: 3, 10: 5},
)
QUICK = Plan(
    quick=True,
    launch=[("10kb", 1.5), ("200kb", 1.5)],
    panes=("200kb", "10kb"),
    decoding=["200kb"],
    memory="200kb",
    cli="200kb",
    export=2_000,
    repeat={1: 2, 2: 1, 3: 3, 4: 1, 5: 2, 6: 1, 7: 1, 8: 1, 9: 1, 10: 1},
    diff="200kb",
)

#: Target 2: the limit in seconds of each measurement on the big log.
PANE_LIMITS = {"show": 0.150, "end": 0.100, "search": 0.200}


def target_launch(plan: Plan) -> str:
    repeat = plan.repeat[1]
    rows = []
    for name, limit in plan.launch:
        item = ensure(name)
        times: dict[str, list[float]] = {"inspector": [], "baseline": []}
        for _ in range(repeat):
            times["inspector"].append(
                launch.time_to_text(launch.inspector_argv(item.path), item.log_id)
            )
            times["baseline"].append(
                launch.time_to_text(launch.baseline_argv(item.log_id), item.log_id)
            )
        mine, base = r.median(times["inspector"]), r.median(times["baseline"])
        rows.append(
            [name, r.size(item.size), r.ms(mine), r.ms(base), r.ratio(mine / base),
             f"≤ {limit}×", r.verdict(mine / base <= limit)]
        )  # fmt: skip
    return (
        f"### 1. Launch to first paint\n\n`inspector FILE` in a pty ({launch.COLUMNS}×"
        f"{launch.ROWS}) from spawn until the log id is written to the terminal, against "
        f"`benchmarks/tabs_app.py` (a header and 8 tabs) timed the same way; medians of "
        f"{repeat} runs each, alternating.\n\n"
        + r.table(["log", "size", "inspector", "8-tab app", "ratio", "target", "met"], rows)
    )


def target_panes(plan: Plan) -> str:
    repeat = plan.repeat[2]
    big, small = (ensure(name) for name in plan.panes)
    results = panes.run([big, small], repeat)
    rows = []
    for measurement, values in results[big.spec.name].items():
        mine, base = r.median(values), r.median(results[small.spec.name][measurement])
        limit = PANE_LIMITS[measurement.split()[0]]
        rows.append(
            [measurement, r.ms(mine), r.ms(base), r.ratio(mine / base), f"≤ {r.ms(limit)}",
             r.verdict(mine <= limit)]
        )  # fmt: skip
    return (
        f"### 2. Panes, jumps and search on the {r.size(big.size)} log\n\n"
        f"Headless (`run_test`, {panes.SIZE[0]}×{panes.SIZE[1]}), from sending the key until "
        f"the first frame that shows the result; medians of {repeat} runs. `show X`: first "
        f"time the pane is shown (it is built then). `end of X`: the `end` key. Search: "
        f"`/` then typing `quokka` (each keystroke searches the pane again; the slowest "
        f"keystroke is reported), `enter` for the first match, `n` for the next. The ratio "
        f"is to the same measurement on the {r.size(small.size)} log.\n\n"
        + r.table(["measurement", big.spec.name, small.spec.name, "ratio", "target", "met"], rows)
    )


def target_decoding(plan: Plan) -> str:
    repeat = plan.repeat[3]
    items = [ensure(name) for name in plan.decoding]
    results = decoding.run(items, repeat)
    rows = []
    missing = False
    for item in items:
        times = results[item.spec.name]
        mine = r.median(times["decode_log"])
        loads = r.median(times["json.loads"])
        row = [item.spec.name, r.size(item.size), r.ms(mine)]
        row += [r.ms(r.median(times["decode_log + payloads"])), r.ms(loads)]
        ok = loads / mine >= 1
        if times["SDK pydantic"]:
            sdk = r.median(times["SDK pydantic"])
            row += [r.ms(sdk), r.ratio(loads / mine), r.ratio(sdk / mine)]
            ok = ok and sdk / mine >= 2
        else:
            missing = True
            row += ["not installed", r.ratio(loads / mine), "–"]
        rows.append([*row, r.verdict(ok)])
    note = (
        "\n\nThe SDK is not installed here: `pip install -e '.[bench]'` adds humanloop==0.7.35."
        if missing
        else ""
    )
    return (
        f"### 3. Decoding\n\nThe same bytes, in this process, medians of {repeat} runs. "
        "`decode_log` keeps the provider payloads as raw bytes; `+ payloads` also decodes "
        "both, as opening the Request and Response panes does. Target: `json.loads` / "
        "`decode_log` ≥ 1× and SDK / `decode_log` ≥ 2×.\n\n"
        + r.table(
            [
                "log",
                "size",
                "decode_log",
                "decode_log + payloads",
                "json.loads",
                "SDK pydantic",
                "json.loads / decode_log",
                "SDK / decode_log",
                "met",
            ],
            rows,
        )
        + note
    )


def target_memory(plan: Plan) -> str:
    repeat = plan.repeat[4]
    item = ensure(plan.memory)
    results = memory.run(item, repeat)
    peak = r.median(results["inspector"])
    rows = [
        [item.spec.name, r.size(item.size), r.size(peak), r.ratio(peak / item.size),
         r.size(r.median(results["baseline app"])), r.size(r.median(results["json.loads"])),
         "≤ 3×", r.verdict(peak / item.size <= 3)]
    ]  # fmt: skip
    return (
        "### 4. Peak memory\n\nPeak RSS of a fresh process that opens the log headless, "
        f"waits until it is shown, opens the {', '.join(memory.PANES_OPENED)} panes and waits "
        "until Raw has indexed every line; for "
        "scale, the 8-tab app alone and a process that only runs `json.loads` on the file. "
        f"Medians of {repeat} runs.\n\n"
        + r.table(
            [
                "log",
                "file",
                "inspector peak RSS",
                "× file",
                "8-tab app",
                "json.loads",
                "target",
                "met",
            ],
            rows,
        )
    )


def target_cli(plan: Plan) -> str:
    repeat = plan.repeat[5]
    item = ensure(plan.cli)
    results = cli.run(item, repeat)
    mine = r.median(results["inspector show --format json"])
    base = r.median(results["json.tool"])
    rows = [
        [item.spec.name, r.size(item.size), r.secs(mine), r.secs(base), r.ratio(mine / base),
         "≤ 1.5×", r.verdict(mine / base <= 1.5)]
    ]  # fmt: skip
    imports = [
        [f"`{command}`", ", ".join(found[:3]) + (" …" if len(found) > 3 else "") or "none",
         r.verdict(not found)]
        for command, found in cli.import_checks(item).items()
    ]  # fmt: skip
    return (
        "### 5. `inspector show --format json` and imports\n\nWall time of each command as a "
        f"subprocess, output to /dev/null, medians of {repeat} runs, alternating.\n\n"
        + r.table(
            [
                "log",
                "size",
                "inspector show --format json",
                "python -m json.tool",
                "ratio",
                "target",
                "met",
            ],
            rows,
        )
        + "\n\nTextual modules imported (`python -X importtime -m inspector …`):\n\n"
        + r.table(["command", "Textual modules", "met"], imports)
    )


#: Target 6: the limit in seconds of each measurement of the list screen.
LIST_LIMITS = {"first rows on screen": 2.0, "filter": 1.0}


def target_export(plan: Plan) -> str:
    repeat = plan.repeat[6]
    scale = "quick" if plan.quick else "full"
    catalog_rows = bench_catalog.run(scale)
    path = bench_catalog.inputs(plan.export)[0][1]
    samples = listing.run(path, repeat)
    rows = []
    for measurement, values in samples.items():
        value = r.median(values)
        limit = LIST_LIMITS.get(measurement)
        if limit is None and ("filter" in measurement or "errors" in measurement):
            limit = LIST_LIMITS["filter"]
        target = f"≤ {r.secs(limit)}" if limit is not None else ""
        met = r.verdict(value <= limit) if limit is not None else ""
        rows.append([measurement, r.secs(value), target, met])
    return (
        f"### 6. An export of {plan.export:,} logs (issue 6)\n\n"
        "The catalog on its own, each measurement in a fresh process, medians of "
        f"{bench_catalog.SCALES[scale][1]} runs, with a baseline from the same run:\n\n"
        + bench_catalog.table(catalog_rows)
        + f"\n\nThe list screen in the app on the JSON Lines export (headless, 140×40, a fresh "
        f"process per run, medians of {repeat}): from start until the first rows are in the "
        "table and until every log is listed, then each filter or sort from the change until "
        "the table shows the new rows.\n\n"
        + r.table(["measurement", "median", "target", "met"], rows)
    )


#: Target 9: limits in seconds (totals, diff); exports must not be slower than jq.
COMPARE_LIMITS = {"totals": 1.0, "diff": 1.0}


def target_compare(plan: Plan) -> str:
    repeat = plan.repeat[9]
    path = bench_catalog.inputs(plan.export)[0][1]
    rows = []
    for name, values in compare.totals(path, repeat).items():
        value = r.median(values)
        if "while" in name:  # Not the target's case: the index is not ready yet.
            rows.append([name, r.secs(value), "", "", ""])
            continue
        limit = COMPARE_LIMITS["totals"]
        rows.append([name, r.secs(value), "", f"≤ {r.secs(limit)}", r.verdict(value <= limit)])
    found = compare.exports(path, repeat)
    jq = r.median(found.pop("jq -c .")) if "jq -c ." in found else None
    for name, values in found.items():
        value = r.median(values)
        if jq is None:
            rows.append([name, r.secs(value), "jq not installed", "", ""])
        elif "--errors" in name:
            rows.append([name, r.secs(value), r.secs(jq), "", ""])
        else:
            rows.append([name, r.secs(value), r.secs(jq), "≤ jq -c .", r.verdict(value <= jq)])
    item = ensure(plan.diff)
    for name, values in compare.diff(item, repeat).items():
        value = r.median(values)
        limit = COMPARE_LIMITS["diff"]
        rows.append([name, r.secs(value), "", f"≤ {r.secs(limit)}", r.verdict(value <= limit)])
    return (
        f"### 9. Totals, exports and diffs (issue 12)\n\nTotals: `Catalog.stats` on the JSON "
        f"Lines export of {plan.export:,} logs once it is indexed (and once just after "
        f"listing, while the text index is still built), a fresh process per run. Exports: "
        f"the whole command, output to /dev/null, against `jq -c .` on the same file. "
        f"Diff: the {r.size(item.size)} log against a copy with a parameter, three "
        f"messages, tool arguments and a payload value changed. Medians of {repeat} runs.\n\n"
        + r.table(["measurement", "median", "jq -c .", "target", "met"], rows)
    )


def target_scale(plan: Plan) -> str:
    results = scale.run(plan.scale)
    return (
        "### 7. How cost grows with the number of logs (issue 14)\n\n"
        "Each input three times: one JSON Lines file; the same logs laid out as Humanloop's "
        f"exporter writes them (`files/<id>/logs/N.jsonl`, {scale.PAGE:,} lines a file, "
        f"{scale.FILE_LOGS:,} logs a File); and as list pages of {scale.PAGE:,} records. "
        "Every column is one fresh process (one run each: a "
        "million logs takes minutes); the baseline is a plain one-thread msgspec scan of the "
        "summary fields (id, created_at, output) of every log, in the same run. Listed: every "
        "log is a row (sorts and non-text filters see them all); indexed: the text index "
        "too, and the index cache written. Filters, sort and totals (count, errors, models, "
        "statuses) once indexed; the totals bar: sums and latency percentiles by model over "
        "every log and over one model's. 2nd open: a new process on the unchanged export, "
        "until the full count shows (the index read from the cache). Export: `inspector show PATH "
        "--format json` to /dev/null. Peak RSS of the catalog's process (of its largest "
        "worker).\n\n" + scale.table(results)
    )


def target_v5(plan: Plan) -> str:
    return v5.section(plan.export, plan.repeat.get(8, 1))


def target_trace(plan: Plan) -> str:
    repeat = plan.repeat[10]
    results = trace_bench.run(repeat)
    return (
        "### 10. The Trace pane at scale (issues 10 and 14)\n\n"
        "Seeded flows of 2,000 and 10,000 nested logs (a tenth of them under one collapsed "
        "node) and a chain 50 flows deep, headless at 140×40, a fresh process per run. Open: "
        "the action of key `9` until the tree's rows are painted. Expand: `l` on the node "
        "with many children (on the chain: `e` with the chain closed) until its rows are "
        "painted. Baseline, same run, timed the same way: a bare Textual app switching to a "
        f"tab with a 10-node `Tree`, and `down` in it. Medians of {repeat} runs.\n\n"
        + trace_bench.table(results)
    )


TARGETS = {
    1: target_launch,
    2: target_panes,
    3: target_decoding,
    4: target_memory,
    5: target_cli,
    6: target_export,
    7: target_scale,
    8: target_v5,
    9: target_compare,
    10: target_trace,
}
#: Targets that have a name as well as a number, for `--only`.
NAMES = {"scale": 7, "v5": 8, "compare": 9, "trace": 10}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small inputs, few runs (CI)")
    parser.add_argument("--only", help="targets to run, e.g. 1,3 (default: all)")
    parser.add_argument("--out", type=Path, help="where to write the tables")
    parser.add_argument(
        "--sizes",
        help="logs in each input of target 7 (default 10000,100000,1000000; the 1M inputs "
        "take 15 GB of disk and several minutes: leave it out with --sizes 10000,100000)",
    )
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    if args.sizes:
        plan = replace(plan, scale=tuple(int(n) for n in args.sizes.split(",")))
    chosen = [NAMES.get(n) or int(n) for n in args.only.split(",")] if args.only else list(TARGETS)
    out: Path = args.out or (
        DATA / "results-quick.md" if args.quick else Path(__file__).with_name("results.md")
    )
    started = time.perf_counter()
    sections = [
        "## Results"
        + (" (quick mode: small inputs, not the targets' numbers)" if plan.quick else ""),
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {r.machine()}.",
    ]
    print("\n\n".join(sections), flush=True)
    for number in chosen:
        section = TARGETS[number](plan)
        print(f"\n{section}", flush=True)
        sections.append(section)
    sections.append(f"Suite ran in {time.perf_counter() - started:,.0f} s.")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("\n\n".join(sections) + "\n")
    print(f"\n{sections[-1]} Tables written to {out}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
