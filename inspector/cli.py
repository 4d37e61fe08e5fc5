"""The command line: parse argv into plain values, run a command, turn errors into one line.

`inspector show` and `inspector --help` never import Textual, so they start fast and
work where no terminal UI can run (CI, pipes).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import NoReturn, TextIO

from inspector import __version__
from inspector.decoding import LogDocument, decode_log
from inspector.errors import InspectorError, UsageError
from inspector.sanitize import one_line
from inspector.sources import Target, classify, read_file, read_stdin

PROG = "inspector"
FORMATS = ("text", "json", "markdown")

DESCRIPTION = """\
Look inside Humanloop LLM logs: messages, tool calls, provider payloads,
evaluations and feedback.

commands:
  inspector show TARGET     print one log as text, JSON or a Markdown transcript,
                            or one line per log for a file or folder of many
"""

EPILOG = """\
TARGET is a JSON file of one log or of many (a JSON array, a list page with
`records`, or JSON Lines), a folder of such files, or - to read from stdin.
Run `inspector COMMAND --help` for the options of a command.
"""


class _Parser(argparse.ArgumentParser):
    """argparse, with our error line format and exit status 2 for usage errors."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{PROG}: error: {message}\n")


def _main_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _show_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog=f"{PROG} show",
        description="Print one log without opening the terminal UI.",
        epilog=(
            "formats: text, a readable summary (colour only on a terminal); json, the log\n"
            "exactly as received, every field kept, pretty-printed; markdown, a transcript\n"
            "for a bug report.\n\n"
            "A TARGET of many logs prints one line per log (id, created, model or config,\n"
            "status, tokens, cost, first line of output; json: one object per line);\n"
            "--id ID prints that one log in any format."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "target",
        metavar="TARGET",
        help="a JSON file of one log or many, a folder of them, or - for stdin",
    )
    parser.add_argument(
        "-f", "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument("--id", metavar="ID", help="of many logs, print the one with this id")
    return parser


def load_local(target: Target) -> LogDocument:
    """Read and decode a log from a file or stdin."""
    if target.kind == "stdin":
        return decode_log(read_stdin(), "stdin")
    if target.kind == "file":
        return decode_log(read_file(target.value), target.value)
    if target.kind == "folder":
        raise UsageError(f"{target.value}: is a folder; `show` reads one log from a file")
    raise UsageError(f"{target.value}: fetching a log by id needs the HTTP client")


def run_show(argv: Sequence[str], out: TextIO) -> int:
    """`inspector show`: print one log in the chosen format."""
    args = _show_parser().parse_args(argv)
    doc = _one_or_many(classify(args.target), args.id, args.format, out)
    if doc is None:
        return 0
    if args.format == "json":
        write_json(doc, out)
    elif args.format == "markdown":
        from inspector.report import to_markdown

        out.write(to_markdown(doc))
    else:
        write_text(doc, out)
    out.flush()
    return 0


def _one_or_many(target: Target, log_id: str | None, fmt: str, out: TextIO) -> LogDocument | None:
    """The log to print; None once the lines of a source of many logs are printed."""
    if target.kind == "id":
        return load_local(target)
    from inspector.catalog.source import Source
    from inspector.show_many import check_id, find_log, open_local, write_summary

    opened = open_local(target)
    if not isinstance(opened, Source):
        return check_id(opened, log_id)
    if log_id is not None:
        return find_log(opened, log_id)
    write_summary(opened, fmt, out)
    return None


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
    from inspector.report import STYLES, text_lines

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "show":
            return run_show(args[1:], sys.stdout)
        _main_parser().parse_args(args)
        _main_parser().print_help()
        return 0
    except InspectorError as exc:
        # Messages can quote log text or file names: one sanitised line, always.
        sys.stderr.write(f"{PROG}: error: {one_line(exc.message, 2000)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except BrokenPipeError:
        # The reader went away (`inspector show … | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
