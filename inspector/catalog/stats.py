"""Totals over the logs a query matches, computed in SQLite: counts, tokens, cost, latency.

Latency percentiles are nearest-rank (the smallest latency with at least p% of the
latencies at or below it), found with window functions so that SQLite sorts once per
group and Python sees one row per group, however many logs match.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final

from inspector.catalog.entry import Entry
from inspector.present import words as d
from inspector.sanitize import one_line

Reader = Callable[[str, Sequence[Any]], list[tuple[Any, ...]]]

#: The expression logs are grouped by for the breakdown: the model, else the config name.
_GROUP: Final = "label"


@dataclass(frozen=True, slots=True)
class Totals:
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


@dataclass(frozen=True, slots=True)
class Stats:
    """Totals over every matching log, and the same for each model, biggest group first."""

    totals: Totals
    by_model: list[Totals]

    def as_json(self) -> dict[str, Any]:
        """One JSON object: the totals' fields and `by_model`, a list with a `model` each."""
        return {
            **self.totals.as_json(),
            "by_model": [{"model": group.model, **group.as_json()} for group in self.by_model],
        }


def _sql(clause: str, group: str) -> str:
    # `group` is a column name or a constant chosen here, never user input.
    return f"""
WITH matching AS (
  SELECT {group} AS grp, error IS NOT NULL AS failed, prompt_tokens, output_tokens,
         cost, latency
  FROM logs WHERE {clause}
),
ranked AS (
  SELECT grp, latency,
         row_number() OVER (PARTITION BY grp ORDER BY latency) AS k,
         count(*) OVER (PARTITION BY grp) AS n
  FROM matching WHERE latency IS NOT NULL
),
percentiles AS (
  SELECT grp,
         min(CASE WHEN k >= (50 * n + 99) / 100 THEN latency END) AS p50,
         min(CASE WHEN k >= (95 * n + 99) / 100 THEN latency END) AS p95
  FROM ranked GROUP BY grp
)
SELECT m.grp, count(*), sum(m.failed), sum(m.prompt_tokens), sum(m.output_tokens),
       sum(m.cost), p.p50, p.p95, max(m.latency)
FROM matching AS m LEFT JOIN percentiles AS p ON p.grp IS m.grp
GROUP BY m.grp ORDER BY count(*) DESC, m.grp COLLATE NOCASE
"""


def _totals(row: tuple[Any, ...], *, grouped: bool) -> Totals:
    group, count, errors, prompt, output, cost, p50, p95, top = row
    return Totals(
        model=str(group) if grouped and group is not None else None,
        count=int(count),
        errors=int(errors or 0),
        prompt_tokens=None if prompt is None else int(prompt),
        output_tokens=None if output is None else int(output),
        cost=cost,
        p50=p50,
        p95=p95,
        max=top,
    )


def compute(read: Reader, clause: str, params: Sequence[Any]) -> Stats:
    """Totals and the breakdown by model over `logs WHERE clause` (see `sql.where`)."""
    overall = read(_sql(clause, "''"), params)
    totals = (
        _totals(overall[0], grouped=False)
        if overall
        else Totals(None, 0, 0, None, None, None, None, None, None)
    )
    groups = [_totals(row, grouped=True) for row in read(_sql(clause, _GROUP), params)]
    return Stats(totals=totals, by_model=groups)


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


def _rank(values: list[float], share: int) -> float | None:
    # Nearest rank, as the SQL: the ceil(share% of n)-th smallest value.
    return values[max(1, -(-share * len(values) // 100)) - 1] if values else None


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
