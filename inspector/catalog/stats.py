"""Totals over the logs a query matches, computed in SQLite: counts, tokens, cost, latency.

Logs are grouped by model (else config name: the list's label). Latency percentiles
are nearest-rank: the smallest latency with at least p% of the latencies at or below it.
"""

from __future__ import annotations

import heapq
from array import array
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Protocol

import msgspec

from inspector.catalog.entry import Entry
from inspector.catalog.store import TOTALS_INDEX
from inspector.present import words as d
from inspector.sanitize import one_line


class Reads(Protocol):
    """What `compute` reads with (`store.Reads`: every read sees one state of the rows)."""

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...

    def each(
        self, sql: str, params: Sequence[Any], take: Callable[[list[tuple[Any, ...]]], None]
    ) -> None: ...

    def has_index(self, name: str) -> bool: ...


#: Up to this many latencies are read into Python and ranked there; beyond, each
#: percentile is read off the index by rank.
STREAMED: Final = 50_000
#: The latency percentiles shown.
_SHARES: Final = (50, 95)


class Totals(msgspec.Struct, frozen=True):
    """Totals over a set of logs (None where no log of the set had the value)."""

    #: The model (or config name) of this group; None for the totals over every group.
    model: str | None
    count: int
    #: Logs with an error, and records that are not readable logs.
    errors: int
    prompt_tokens: int | None
    output_tokens: int | None
    #: Prompt plus output cost in USD.
    cost: float | None
    #: Latency in seconds: median, 95th percentile and maximum.
    p50: float | None
    p95: float | None
    max: float | None

    @property
    def error_rate(self) -> float:
        """Share of the logs with an error, from 0 to 1 (0 for no logs)."""
        return self.errors / self.count if self.count else 0.0

    def as_json(self) -> dict[str, Any]:
        """The totals as plain JSON values (the shape of `show --stats --format json`)."""
        return {
            "count": self.count,
            "errors": self.errors,
            "error_rate": round(self.error_rate, 6),
            "tokens": {"prompt": self.prompt_tokens, "output": self.output_tokens},
            "cost": self.cost,
            "latency": {"p50": self.p50, "p95": self.p95, "max": self.max},
        }


class Stats(msgspec.Struct, frozen=True):
    """Totals over every matching log, and the same for each model, biggest group first."""

    totals: Totals
    by_model: list[Totals]

    def as_json(self) -> dict[str, Any]:
        """One JSON object: the totals' fields and `by_model`, a list with a `model` each."""
        return {
            **self.totals.as_json(),
            "by_model": [{"model": group.model, **group.as_json()} for group in self.by_model],
        }


def _position(count: int, share: int) -> int:
    """The nearest rank of the `share` percentile of `count` values, from 1."""
    return max(1, -(-share * count // 100))


def _rank(values: Sequence[float], share: int) -> float | None:
    return values[_position(len(values), share) - 1] if values else None


def _totals(
    model: str | None, row: Sequence[Any], latencies: Mapping[int, float | None], longest: Any
) -> Totals:
    count, errors, prompt, output, cost = row
    return Totals(
        model=model,
        count=int(count),
        errors=int(errors or 0),
        prompt_tokens=None if prompt is None else int(prompt),
        output_tokens=None if output is None else int(output),
        cost=cost,
        p50=latencies[50],
        p95=latencies[95],
        max=longest,
    )


def _add(values: Sequence[Any]) -> Any:
    present = [value for value in values if value is not None]
    return sum(present) if present else None


def compute(
    reads: Reads,
    clause: str,
    params: Sequence[Any],
    *,
    ranked: bool = True,
    streamed: int | None = None,
) -> Stats:
    """Totals and the breakdown by model over `logs WHERE clause` (see `sql.where`).

    SQLite sums each group in one pass; every read sees one state of the rows (`reads`,
    from `Store.together`). The latency percentiles (nearest rank) of up to `streamed`
    logs (default `STREAMED`) are ranked in Python, from the latencies SQLite hands back
    sorted by group and value. Beyond that, with `ranked` (the caller's word that the
    clause is cheap to ask again) and the totals index made, each one is read off the
    index by rank (`_ranked`): at a million logs, moving every latency into Python took
    1.8 s of the totals' 1.8 s.
    """
    sums = reads.rows(
        "SELECT label, count(*), sum(error IS NOT NULL), sum(prompt_tokens),"
        " sum(output_tokens), sum(cost), count(latency), max(latency)"
        f" FROM logs WHERE {clause} GROUP BY label",
        params,
    )
    timed = sum(int(row[6]) for row in sums)
    most = STREAMED if streamed is None else streamed
    if ranked and timed > most and reads.has_index(TOTALS_INDEX):
        by_label, overall_ranks = _ranked(reads, clause, params, sums, timed)
    else:
        by_label, overall_ranks = _streamed(reads, clause, params)
    groups = [
        _totals(str(label), row[:5], by_label.get(label, _NONE), longest)
        for label, *row, _, longest in sums
    ]
    groups.sort(key=lambda group: (-group.count, (group.model or "").casefold()))
    overall = (
        sum(int(row[1]) for row in sums),
        sum(int(row[2] or 0) for row in sums),
        *(_add([row[column] for row in sums]) for column in (3, 4, 5)),
    )
    longest = max((row[7] for row in sums if row[7] is not None), default=None)
    return Stats(totals=_totals(None, overall, overall_ranks, longest), by_model=groups)


#: A group's percentiles, by share.
Ranks = dict[int, float | None]
_NONE: Final[Ranks] = dict.fromkeys(_SHARES)


def _streamed(reads: Reads, clause: str, params: Sequence[Any]) -> tuple[dict[Any, Ranks], Ranks]:
    """The percentiles of each group and of all, from every latency read into Python.

    The latencies arrive in batches and are kept as packed doubles: a million of them
    cost 8 MB, where a list of row tuples cost well over 100 MB. (Window functions were
    measured 4x slower on 100,000 logs: they sort twice, and once more for the whole.)
    """
    by_label: dict[Any, array[float]] = {}

    def take(batch: list[tuple[Any, ...]]) -> None:
        for label, latency in batch:
            values = by_label.get(label)
            if values is None:
                values = by_label[label] = array("d")
            values.append(latency)

    reads.each(
        f"SELECT label, latency FROM logs WHERE ({clause}) AND latency IS NOT NULL"
        " ORDER BY label, latency",
        params,
        take,
    )
    # Each group's run is sorted already: merged lazily, with no list of every value
    # (0.18 s and 8 MB for a million, against 0.45 s and 40 MB through `sorted`).
    every = array("d", heapq.merge(*by_label.values()))
    ranks = {
        label: {share: _rank(values, share) for share in _SHARES}
        for label, values in by_label.items()
    }
    return ranks, {share: _rank(every, share) for share in _SHARES}


def _ranked(
    reads: Reads, clause: str, params: Sequence[Any], sums: list[tuple[Any, ...]], timed: int
) -> tuple[dict[Any, Ranks], Ranks]:
    """The percentiles of each group and of all, read off the totals index by rank.

    A group's is its latencies' `k`-th (`LIMIT 1 OFFSET k`), reached from the nearer end
    (the 95th from the top): SQLite steps through the entries it skips. The percentile of
    all lies between the lowest and the highest of the groups' (below the lowest are
    fewer than p % of each group, at or below the highest at least p % of each), so it
    is found among the latencies between those two, once those below are counted.
    """
    indexed = f"FROM logs INDEXED BY {TOTALS_INDEX} WHERE ({clause}) AND latency"

    def nth(condition: str, values: Sequence[Any], position: int, count: int) -> float:
        # The `position`-th smallest of `count` latencies, or the same from the top.
        way, skip = ("ASC", position - 1) if 2 * position <= count else ("DESC", count - position)
        found = reads.rows(
            f"SELECT latency {indexed} {condition} ORDER BY latency {way} LIMIT 1 OFFSET ?",
            [*params, *values, skip],
        )
        return float(found[0][0])

    def below(low: float, position: int) -> int:
        # The latencies below `low`, counted from the end nearer the `position`-th.
        if 2 * position <= timed:
            return int(reads.rows(f"SELECT count(*) {indexed} < ?", [*params, low])[0][0])
        return timed - int(reads.rows(f"SELECT count(*) {indexed} >= ?", [*params, low])[0][0])

    groups: dict[Any, dict[int, float]] = {}
    for label, *_, count, _longest in sums:
        if count:
            condition, count = "IS NOT NULL AND label IS ?", int(count)
            groups[label] = {
                share: nth(condition, [label], _position(count, share), count) for share in _SHARES
            }
    overall: Ranks = {}
    for share in _SHARES:
        low = min(ranks[share] for ranks in groups.values())
        high = max(ranks[share] for ranks in groups.values())
        position = _position(timed, share)
        if low == high:
            overall[share] = low
            continue
        skipped = below(low, position)
        window = int(
            reads.rows(f"SELECT count(*) {indexed} BETWEEN ? AND ?", [*params, low, high])[0][0]
        )
        overall[share] = nth("BETWEEN ? AND ?", [low, high], position - skipped, window)
    by_label: dict[Any, Ranks] = dict(groups)
    return by_label, overall


def _rate(totals: Totals) -> str:
    return f"{totals.errors:,} ({totals.error_rate:.1%})" if totals.count else "0"


def text_lines(stats: Stats, *, by_model: bool = True) -> list[str]:
    """The totals as aligned lines of text (model names sanitised), then a table by model."""
    t = stats.totals
    lines = [
        f"logs      {t.count:,}",
        f"errors    {_rate(t)}",
        f"tokens    prompt {d.format_count(t.prompt_tokens)} · output "
        f"{d.format_count(t.output_tokens)}",
        f"cost      {d.format_cost(t.cost)}",
        f"latency   p50 {d.format_seconds(t.p50)} · p95 {d.format_seconds(t.p95)}"
        f" · max {d.format_seconds(t.max)}",
    ]
    if not by_model or not stats.by_model:
        return lines
    names = [one_line(group.model or "—", 40) for group in stats.by_model]
    width = max(len("model"), *map(len, names))
    header = (
        "model".ljust(width),
        "logs",
        "errors",
        "prompt",
        "output",
        "cost",
        "p50",
        "p95",
        "max",
    )
    rows = [header] + [
        (
            name.ljust(width),
            f"{group.count:,}",
            _rate(group),
            d.format_count(group.prompt_tokens),
            d.format_count(group.output_tokens),
            d.format_cost(group.cost),
            d.format_seconds(group.p50),
            d.format_seconds(group.p95),
            d.format_seconds(group.max),
        )
        for name, group in zip(names, stats.by_model, strict=True)
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines.append("")
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [
            c.rjust(w) for c, w in zip(row[1:], widths[1:], strict=True)
        ]
        lines.append("  ".join(cells).rstrip())
    return lines


def _group(model: str | None, entries: Sequence[Entry]) -> Totals:
    latencies = sorted(e.latency for e in entries if e.latency is not None)
    prompt = [e.prompt_tokens for e in entries if e.prompt_tokens is not None]
    output = [e.output_tokens for e in entries if e.output_tokens is not None]
    costs = [e.cost for e in entries if e.cost is not None]
    return Totals(
        model=model,
        count=len(entries),
        errors=sum(e.error is not None for e in entries),
        prompt_tokens=sum(prompt) if prompt else None,
        output_tokens=sum(output) if output else None,
        cost=sum(costs) if costs else None,
        p50=_rank(latencies, 50),
        p95=_rank(latencies, 95),
        max=latencies[-1] if latencies else None,
    )


def of_entries(entries: Sequence[Entry]) -> Stats:
    """The same totals in Python, over rows already fetched (a list from the API)."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(entry.label, []).append(entry)
    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[0].casefold()))
    return Stats(_group(None, entries), [_group(name, members) for name, members in ordered])
