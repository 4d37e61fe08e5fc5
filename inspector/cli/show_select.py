"""`inspector show MANY` with filters, `--stats`, and the `jsonl` / `csv` exports; `--format curl`.

A source of many logs is indexed in a temporary catalog (the list screen's own), so the
filters mean exactly what they mean in the list, and totals are one SQL query. The text
index is only waited for when `--search` needs it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Final, TextIO

import msgspec

from inspector.catalog.catalog import Catalog
from inspector.catalog.entry import Query
from inspector.catalog.source import Source
from inspector.errors import UsageError
from inspector.model.decode import LogDocument
from inspector.sanitize import one_line

#: Formats for many logs only (`jsonl`, `csv`), or for one log only (`curl`, `markdown`).
MANY_FORMATS: Final = ("jsonl", "csv")
ONE_FORMATS: Final = ("curl", "markdown")
_FILTERS: Final = ("search", "status", "model", "errors", "since", "until")


def add_selection_options(parser: argparse.ArgumentParser) -> None:
    """Add the list's filters and `--stats` to `inspector show`."""
    group = parser.add_argument_group(
        "many logs: filters (as in the list) and totals",
        "Filters combine with AND and apply to the lines, --stats and the jsonl, csv and html\n"
        "exports.",
    )
    group.add_argument("--search", metavar="WORDS", help="logs holding every word (or prefix)")
    group.add_argument("--status", metavar="S", help="only this status (completed, failed, …)")
    group.add_argument("--model", metavar="M", help="only this model (exactly, as in the list's m)")
    group.add_argument("--errors", action="store_true", help="only logs with an error")
    group.add_argument(
        "--since", metavar="WHEN", help="created at or after: 2024-09-01, 2024-09-01T12:00, 7d, 12h"
    )
    group.add_argument(
        "--until", metavar="WHEN", help="created before (a bare date counts the whole day)"
    )
    group.add_argument(
        "--stats",
        action="store_true",
        help="print totals instead of logs: count, errors, tokens, cost, latency, by model",
    )


def selection_query(args: argparse.Namespace) -> Query | None:
    """The `Query` of the filters given; None when none was given."""
    if not any(getattr(args, name) for name in _FILTERS):
        return None
    from inspector.catalog.filters import make_query

    return make_query(
        search=args.search,
        status=args.status,
        model=args.model,
        errors=args.errors,
        since=args.since,
        until=args.until,
    )


def needs_catalog(args: argparse.Namespace) -> bool:
    """Whether a source of many logs must be indexed (filters, totals, an export)."""
    return bool(args.stats or args.format in MANY_FORMATS or selection_query(args) is not None)


def check_one(document: LogDocument, args: argparse.Namespace) -> None:
    """Refuse options that only make sense for many logs on a target of one."""
    if args.stats or args.format == "csv" or selection_query(args) is not None:
        raise UsageError(
            f"{one_line(document.source, 200)} holds one log; filters, --stats and"
            " --format csv work on a file or folder of many"
        )


def run_many(source: Source, args: argparse.Namespace, out: TextIO) -> int:
    """Filters, totals or an export over a source of many logs."""
    if args.format in ONE_FORMATS:
        raise UsageError(
            f"{one_line(source.label, 200)} holds many logs; --format {args.format}"
            " prints one: pick it with --id ID"
        )
    if args.stats and args.format not in ("text", "json"):
        raise UsageError("--stats prints text or json; drop --format or use --format json")
    query = selection_query(args) or Query()
    with Catalog(source) as catalog:
        # Only text search needs the text index; everything else is in the rows.
        catalog.start(text=bool(query.text.strip()))
        catalog.wait()
        _write(catalog, query, args, out)
        error = catalog.progress.error
        if error is not None:
            # Printed what could be read; the exit status still tells a script it was not all.
            sys.stderr.write(f"inspector: error: {one_line(error, 500)}\n")
            return 1
        return 0


def _write(catalog: Catalog, query: Query, args: argparse.Namespace, out: TextIO) -> int:
    from inspector.catalog import export

    if args.stats:
        stats = catalog.stats(query)
        if args.format == "json":
            _write_bytes(out, msgspec.json.encode(stats.as_json()) + b"\n")
        else:
            from inspector.catalog.stats import text_lines

            out.writelines(f"{line}\n" for line in text_lines(stats))
    elif args.format == "html":
        from inspector.cli.show_html import write_selected_html

        write_selected_html(catalog, query, out)
    elif args.format == "csv":
        export.write_csv(catalog, query, out)
    elif args.format == "jsonl":
        buffer = getattr(out, "buffer", None)
        out.flush()
        if buffer is None:
            raise UsageError("--format jsonl needs a binary stdout")
        export.write_jsonl(catalog, query, buffer, escape=out.isatty())
        buffer.flush()
    else:
        from inspector.cli.show_many import summary_json, summary_line

        for entry in catalog.entries(query):
            if args.format == "json":
                _write_bytes(out, summary_json(entry) + b"\n")
            else:
                out.write(summary_line(entry) + "\n")
    out.flush()
    return 0


def _write_bytes(out: TextIO, data: bytes) -> None:
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        out.flush()
        buffer.write(data)
    else:
        out.write(data.decode())


def write_curl(document: LogDocument, out: TextIO) -> None:
    """The log's provider request as a curl command (`CurlUnavailable` says why not)."""
    from inspector.present.curl import curl_command

    out.write(curl_command(msgspec.json.decode(document.raw)))
    out.flush()


def write_jsonl_one(document: LogDocument, out: TextIO) -> None:
    """One log as one line of JSON, exactly as stored but for newlines."""
    from inspector.catalog.export import one_line_json

    _write_bytes(out, one_line_json(document.raw, escape=out.isatty()) + b"\n")
    out.flush()
