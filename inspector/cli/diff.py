"""`inspector diff A B`: what differs between two logs, as text, JSON or Markdown."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Final, TextIO

from inspector.cli.options import add_network_options, make_parser
from inspector.errors import InspectorError
from inspector.model.decode import LogDocument

FORMATS: Final = ("text", "json", "markdown")


def diff_parser() -> argparse.ArgumentParser:
    """The parser of `inspector diff`."""
    parser = make_parser(
        "diff",
        "Show what differs between two logs: config and parameters, inputs, each message\n"
        "(added, removed, changed word by word), tool calls and their arguments, the\n"
        "output, tokens, cost and latency, and the provider payloads (by jq path).",
        "A and B are each a JSON file of one log, - for stdin (one side only), a log id\n"
        "(fetched from the API), or MANY#ID: the log with id ID in an export or folder.\n\n"
        "exit status: 0 whether or not the logs differ, 1 for an error, 2 for a wrong\n"
        "command line. With --exit-code, as diff(1): 0 the same, 1 they differ, 2 trouble.",
    )
    parser.add_argument("old", metavar="A", help="the first log (shown as ---, [-removed-])")
    parser.add_argument("new", metavar="B", help="the second log (shown as +++, {+added+})")
    parser.add_argument(
        "-f", "--format", choices=FORMATS, default="text", help="output format (default: text)"
    )
    parser.add_argument("--exit-code", action="store_true", help="exit with 1 when the logs differ")
    add_network_options(parser)
    return parser


def run_diff(argv: Sequence[str], out: TextIO) -> int:
    """`inspector diff A B`: print the diff; the exit status says if they differ when asked."""
    args = diff_parser().parse_args(argv)
    from inspector.model.decode import gc_paused
    from inspector.open.compare import load_pair, side_name
    from inspector.present.diff import decode_top, diff_logs
    from inspector.present.diff_render import to_json, to_markdown, to_text

    def fetch(log_id: str) -> LogDocument:
        from inspector.cli.options import fetch_log, settings_from_args

        return fetch_log(log_id, settings_from_args(args))

    try:
        old, new = load_pair(args.old, args.new, fetch)
    except InspectorError as exc:
        if args.exit_code:
            # 1 means "they differ" here, so a failure must not exit with 1 too.
            exc.exit_code = 2
        raise
    with gc_paused():
        diff = diff_logs(
            decode_top(old.raw),
            decode_top(new.raw),
            side_name(args.old, old),
            side_name(args.new, new),
        )
    if args.format == "json":
        out.flush()
        buffer = getattr(out, "buffer", None)
        data = to_json(diff) + b"\n"
        if buffer is not None:
            buffer.write(data)
            buffer.flush()
        else:
            out.write(data.decode())
    else:
        out.write(to_markdown(diff) if args.format == "markdown" else to_text(diff))
    out.flush()
    return 1 if args.exit_code and diff.differs else 0
