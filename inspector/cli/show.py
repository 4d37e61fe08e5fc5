"""`inspector show TARGET`: one log as text, JSON, Markdown or HTML, or a line per log of many."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from inspector.cli.options import add_network_options, make_parser
from inspector.errors import UsageError
from inspector.model.decode import LogDocument
from inspector.open.targets import Target, classify
from inspector.sanitize import one_line

FORMATS = ("text", "json", "markdown", "html", "jsonl", "csv", "curl")


def show_parser() -> argparse.ArgumentParser:
    parser = make_parser(
        "show",
        "Print one log without opening the terminal UI.",
        "formats: text, a readable summary (colour only on a terminal); json, the log\n"
        "exactly as received, every field kept, pretty-printed; markdown, a transcript\n"
        "for a bug report; html, a self-contained page to share (it loads and runs\n"
        "nothing: open it in any browser, attach it to a ticket).\n\n"
        "A TARGET of many logs prints one line per log (id, created, model or config,\n"
        "status, tokens, cost, first line of output; json: one object per line; html:\n"
        "one page, an index linking every log); --id ID prints that one log in any format.\n"
        "Of many logs, jsonl writes each log exactly as stored, one per line, and csv the\n"
        "list's columns; the filters below pick which, and --stats prints totals instead.\n"
        "curl prints one log's provider request as a curl command, the key as\n"
        "$PROVIDER_API_KEY.",
    )
    parser.add_argument(
        "target",
        metavar="TARGET",
        help="a JSON file of one log or many, a folder of them, - for stdin, or a log id",
    )
    parser.add_argument(
        "-f", "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument("--id", metavar="ID", help="of many logs, print the one with this id")
    parser.add_argument(
        "-o", "--output", metavar="FILE", help="write to FILE instead of stdout (replaced whole)"
    )
    from inspector.cli.show_select import add_selection_options

    add_selection_options(parser)
    add_network_options(parser)
    return parser


def run_show(argv: Sequence[str], out: TextIO) -> int:
    """`inspector show`: print one log in the chosen format (to stdout or `-o FILE`)."""
    args = show_parser().parse_args(argv)
    if args.output is None:
        return _show(args, out)
    with output_file(Path(args.output)) as file:
        return _show(args, file)


@contextmanager
def output_file(path: Path) -> Iterator[TextIO]:
    """A file written beside `path` and renamed over it once complete (never half a page)."""
    part = path.with_name(f".{path.name}.part")
    try:
        file = part.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    try:
        with file:
            yield file
        try:
            part.replace(path)
        except OSError as exc:
            raise _cannot_write(path, exc) from None
    finally:
        part.unlink(missing_ok=True)


def _cannot_write(path: Path, exc: OSError) -> UsageError:
    return UsageError(f"cannot write {one_line(str(path), 200)}: {exc.strerror or exc}")


def _show(args: argparse.Namespace, out: TextIO) -> int:
    target = classify(args.target)
    if target.kind == "id":
        from inspector.cli.options import fetch_log, settings_from_args

        doc: LogDocument | int = fetch_log(target.value, settings_from_args(args))
    else:
        doc = _one_or_many(target, args, out)
    if isinstance(doc, int):
        return doc
    from inspector.cli import show_select

    show_select.check_one(doc, args)
    if args.format == "curl":
        show_select.write_curl(doc, out)
    elif args.format == "jsonl":
        show_select.write_jsonl_one(doc, out)
    elif args.format == "json":
        write_json(doc, out)
    elif args.format == "markdown":
        from inspector.present.report import to_markdown

        out.write(to_markdown(doc))
    elif args.format == "html":
        from inspector.cli.show_html import write_one_html

        write_one_html(doc, out)
    else:
        write_text(doc, out)
    out.flush()
    if doc.problems and args.format != "json":
        # Printed what could be read; the exit status still tells a script it was not all.
        where = f"{one_line(doc.source, 200)}: {one_line(doc.problems[0], 300)}"
        sys.stderr.write(f"inspector: error: {where}\n")
        return 1
    return 0


def _one_or_many(target: Target, args: argparse.Namespace, out: TextIO) -> LogDocument | int:
    """The log to print; the exit status once the lines (totals, export) of many are printed."""
    from inspector.catalog.source import Source
    from inspector.cli.show_many import check_id, find_log, write_summary
    from inspector.cli.show_select import ONE_FORMATS, needs_catalog, run_many
    from inspector.open.rule import open_local
    from inspector.open.targets import read_stdin

    log_id, fmt = args.id, args.format
    opened = open_local(read_stdin() if target.kind == "stdin" else target)
    if not isinstance(opened, Source):
        return check_id(opened, log_id)
    if log_id is not None:
        return find_log(opened, log_id)
    if needs_catalog(args) or fmt in ONE_FORMATS:
        return run_many(opened, args, out)
    if fmt == "html":
        from inspector.cli.show_html import write_many_html

        write_many_html(opened, out)
        return 0
    return write_summary(opened, fmt, out)


def write_json(doc: LogDocument, out: TextIO) -> None:
    """The log exactly as received (unknown fields and all), pretty-printed."""
    import msgspec

    pretty = msgspec.json.format(doc.raw, indent=2)
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(pretty)
        buffer.write(b"\n")
    else:
        out.write(pretty.decode("utf-8", "replace") + "\n")


def write_text(doc: LogDocument, out: TextIO) -> None:
    """The text summary; coloured with Rich only when `out` is a terminal."""
    from inspector.present.report import STYLES, text_lines

    if not _wants_colour(out):
        out.writelines(f"{text}\n" for text, _ in text_lines(doc))
        return
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, markup=False, emoji=False, soft_wrap=True)
    for text, style in text_lines(doc):
        console.print(Text(text, style=STYLES.get(style, "")))


def _wants_colour(out: TextIO) -> bool:
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR"):
        return True
    return out.isatty()
