"""Totals over a query (`Catalog.stats`), the command line's date filters, and exports."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from msgspec.structs import replace

from inspector.catalog import Catalog, Query
from inspector.catalog.export import CSV_COLUMNS, format_for, one_line_json, write_csv, write_jsonl
from inspector.catalog.filters import make_query, parse_moment
from inspector.catalog.stats import compute, of_entries, text_lines
from inspector.catalog.store import Reads
from inspector.errors import UsageError
from tests.support import exports

COUNT = 45
LOGS = exports.make_logs(COUNT)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Catalog]:
    path = tmp_path_factory.mktemp("stats") / "export.jsonl"
    path.write_bytes(exports.jsonl(LOGS))
    built = Catalog.open(path)
    built.start()
    assert built.wait(timeout=60)
    yield built
    built.close()


def label(log: dict[str, Any]) -> str:
    config = log["config"]
    return str(config.get("model") or config["name"])


def nearest_rank(values: list[float], share: int) -> float | None:
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[max(1, math.ceil(share * len(ordered) / 100)) - 1]


def expected(logs: list[dict[str, Any]]) -> dict[str, Any]:
    # The list's latency: the provider's, else the duration.
    latencies = [
        log["duration"] if log["provider_latency"] is None else log["provider_latency"]
        for log in logs
    ]
    return {
        "count": len(logs),
        "errors": sum("error" in log for log in logs),
        "prompt": sum(log["prompt_tokens"] for log in logs),
        "output": sum(log["output_tokens"] for log in logs),
        "cost": sum(log["prompt_cost"] + log["output_cost"] for log in logs),
        "p50": nearest_rank(latencies, 50),
        "p95": nearest_rank(latencies, 95),
        "max": max(latencies) if latencies else None,
    }


def test_totals_match_a_count_in_python(catalog: Catalog) -> None:
    stats = catalog.stats()
    want = expected(LOGS)
    totals = stats.totals
    assert (totals.count, totals.errors) == (want["count"], want["errors"])
    assert (totals.prompt_tokens, totals.output_tokens) == (want["prompt"], want["output"])
    assert totals.cost == pytest.approx(want["cost"])
    assert (totals.p50, totals.p95, totals.max) == (want["p50"], want["p95"], want["max"])
    assert totals.error_rate == pytest.approx(want["errors"] / COUNT)


def test_by_model_groups_every_log_biggest_first(catalog: Catalog) -> None:
    groups = catalog.stats().by_model
    assert sum(group.count for group in groups) == COUNT
    counts = [group.count for group in groups]
    assert counts == sorted(counts, reverse=True)
    for group in groups:
        members = [log for log in LOGS if label(log) == group.model]
        want = expected(members)
        assert group.count == want["count"] and group.errors == want["errors"]
        assert (group.p50, group.p95, group.max) == (want["p50"], want["p95"], want["max"])
        assert group.cost == pytest.approx(want["cost"])


def test_filters_apply_to_totals(catalog: Catalog) -> None:
    errors = catalog.stats(Query(errors_only=True)).totals
    assert errors.count == errors.errors == sum("error" in log for log in LOGS)
    model = catalog.stats(Query(model="gpt-4o")).totals
    assert model.count == sum(log["config"].get("model") == "gpt-4o" for log in LOGS)
    text = catalog.stats(Query(text="refund")).totals
    assert text.count == catalog.count(Query(text="refund")) > 0


def test_totals_in_python_agree_with_sql(catalog: Catalog) -> None:
    for query in (Query(), Query(model="gpt-4o"), Query(errors_only=True)):
        in_python = of_entries(list(catalog.entries(query)))
        in_sql = catalog.stats(query)
        assert in_python.totals == replace(in_sql.totals, cost=in_python.totals.cost)
        assert in_python.totals.cost == pytest.approx(in_sql.totals.cost)
        assert [g.model for g in in_python.by_model] == [g.model for g in in_sql.by_model]


def test_no_matching_logs_gives_zero_totals(catalog: Catalog) -> None:
    stats = catalog.stats(Query(model="no-such-model"))
    assert stats.totals.count == 0 and stats.totals.error_rate == 0.0
    assert stats.totals.p50 is None and stats.by_model == []
    assert stats.as_json()["latency"] == {"p50": None, "p95": None, "max": None}


def test_json_shape(catalog: Catalog) -> None:
    shaped = catalog.stats().as_json()
    assert {"count", "errors", "tokens", "cost", "latency", "by_model"} <= set(shaped)
    assert set(shaped["latency"]) == {"p50", "p95", "max"}
    assert {group["model"] for group in shaped["by_model"]} == {label(log) for log in LOGS}
    json.dumps(shaped)


def test_text_lines_align_a_table_by_model(catalog: Catalog) -> None:
    lines = text_lines(catalog.stats())
    assert lines[0] == f"logs      {COUNT}"
    assert lines[6].split() == [
        "model",
        "logs",
        "errors",
        "prompt",
        "output",
        "cost",
        "p50",
        "p95",
        "max",
    ]
    assert {line.split()[0] for line in lines[7:]} == {label(log) for log in LOGS}


NOW = datetime(2024, 9, 20, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "end", "moment"),
    [
        ("7d", False, datetime(2024, 9, 13, 12, 0, tzinfo=UTC)),
        ("12h", False, datetime(2024, 9, 20, 0, 0, tzinfo=UTC)),
        ("90m", False, datetime(2024, 9, 20, 10, 30, tzinfo=UTC)),
        ("1w", False, datetime(2024, 9, 13, 12, 0, tzinfo=UTC)),
        ("2024-09-01", False, datetime(2024, 9, 1, tzinfo=UTC)),
        ("2024-09-30", True, datetime(2024, 10, 1, tzinfo=UTC)),
        ("2024-09-20T10:15", False, datetime(2024, 9, 20, 10, 15, tzinfo=UTC)),
        ("2024-09-20T10:15:00Z", True, datetime(2024, 9, 20, 10, 15, tzinfo=UTC)),
        ("2024-09-20T12:15+02:00", False, datetime(2024, 9, 20, 10, 15, tzinfo=UTC)),
    ],
)
def test_moments(text: str, end: bool, moment: datetime) -> None:
    assert parse_moment(text, end=end, now=NOW) == moment.timestamp()


@pytest.mark.parametrize("text", ["yesterday", "7x", "2024-13-01", ""])
def test_bad_moments_name_the_text(text: str) -> None:
    with pytest.raises(UsageError, match="not a date"):
        parse_moment(text, now=NOW)


def test_since_must_come_before_until() -> None:
    with pytest.raises(UsageError, match="not before"):
        make_query(since="2024-09-02", until="2024-09-01")


def test_since_and_until_select_by_created_time(catalog: Catalog) -> None:
    since, until = "2024-09-20T11:00:00Z", "2024-09-20T11:30:00Z"
    query = make_query(since=since, until=until, now=NOW)
    low, high = parse_moment(since), parse_moment(until)
    want = [
        log["id"]
        for log in LOGS
        if "created_at" in log
        and low <= datetime.fromisoformat(log["created_at"]).timestamp() < high
    ]
    assert want and [entry.id for entry in catalog.entries(query)] == want


def test_jsonl_export_is_the_stored_lines(catalog: Catalog) -> None:
    out = io.BytesIO()
    seen: list[tuple[int, int]] = []
    written = write_jsonl(catalog, Query(errors_only=True), out, lambda *done: seen.append(done))
    lines = out.getvalue().splitlines()
    stored = [exports.encode(log) for log in LOGS if "error" in log]
    assert lines == stored and written == len(stored)
    assert seen[-1] == (len(stored), len(stored))


def test_jsonl_from_a_pretty_array_is_one_log_per_line(tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_bytes(exports.array(LOGS[:5], indent=2))
    with Catalog.open(path) as pretty:
        pretty.start()
        assert pretty.wait(timeout=60)
        out = io.BytesIO()
        write_jsonl(pretty, Query(), out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == LOGS[:5]


def test_jsonl_escape_for_a_terminal_keeps_the_json() -> None:
    stored = '{"output": "a\u009bb\u202ec"}'.encode()
    escaped = one_line_json(stored, escape=True)
    assert b"\xc2\x9b" not in escaped and b"\\u009b" in escaped
    assert json.loads(escaped) == json.loads(stored)


def test_csv_export_has_the_list_columns(catalog: Catalog) -> None:
    out = io.StringIO()
    write_csv(catalog, Query(model="gpt-4o"), out)
    rows = list(csv.reader(io.StringIO(out.getvalue())))
    assert tuple(rows[0]) == CSV_COLUMNS
    wanted = [log for log in LOGS if log["config"].get("model") == "gpt-4o"]
    assert [row[0] for row in rows[1:]] == [log["id"] for log in wanted]
    first = dict(zip(CSV_COLUMNS, rows[1], strict=True))
    log = wanted[0]
    assert first["model"] == "gpt-4o" and first["status"] == "completed"
    assert int(first["tokens"]) == log["prompt_tokens"] + log["output_tokens"]
    assert float(first["cost"]) == pytest.approx(log["prompt_cost"] + log["output_cost"])
    assert first["output"] == log["output"].splitlines()[0]


def test_csv_quotes_and_sanitises_cells(tmp_path: Path) -> None:
    log = exports.make_log(0) | {"output": 'say "hi", then\x1b[2J leave'}
    path = tmp_path / "one.jsonl"
    path.write_bytes(exports.jsonl([log, exports.make_log(1)]))
    with Catalog.open(path) as small:
        small.start()
        assert small.wait(timeout=60)
        out = io.StringIO()
        write_csv(small, Query(), out)
    assert '"say ""hi"", then\\x1b[2J leave"' in out.getvalue()
    assert "\x1b" not in out.getvalue()


@pytest.mark.parametrize(
    ("name", "fmt"),
    [("a.jsonl", "jsonl"), ("B.CSV", "csv"), ("x.ndjson", "jsonl"), ("x.txt", None)],
)
def test_format_by_extension(name: str, fmt: str | None) -> None:
    assert format_for(name) == fmt


def test_jsonl_export_of_a_gzip_file_is_the_stored_lines(tmp_path: Path) -> None:
    path = tmp_path / "export.jsonl.gz"
    path.write_bytes(gzip.compress(exports.jsonl(LOGS[:20])))
    with Catalog.open(path) as packed:
        packed.start(text=False)
        assert packed.wait(timeout=60)
        out = io.BytesIO()
        write_jsonl(packed, Query(model="gpt-4o"), out)
    wanted = [exports.encode(log) for log in LOGS[:20] if log["config"].get("model") == "gpt-4o"]
    assert out.getvalue().splitlines() == wanted


def test_latencies_taken_in_small_batches_give_the_same_totals(catalog: Catalog) -> None:
    # `Reads.each` hands rows over 10,000 at a time; batches of 4 cross every boundary.
    class ByFour(Reads):
        def each(self, sql: str, params: Any, take: Any) -> None:
            rows = self.rows(sql, params)
            for start in range(0, len(rows), 4):
                take(rows[start : start + 4])

    with catalog._store.together() as reads:
        by_four = compute(ByFour(reads._reader), "1", [], ranked=False)
    assert by_four == catalog.stats()
    assert catalog.stats().totals.p95 == expected(LOGS)["p95"]
