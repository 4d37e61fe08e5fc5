"""The command line: parse argv into plain values, run a command, turn errors into one line.

`inspector show` and `inspector --help` never import Textual, so they start fast and
work where no terminal UI can run (CI, pipes).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn, TextIO

from inspector import __version__
from inspector.cli.options import PROG, Parser, make_parser
from inspector.errors import InspectorError, UsageError
from inspector.model.decode import LogDocument
from inspector.open.targets import Target, classify, read_stdin
from inspector.sanitize import one_line

FORMATS = ("text", "json", "markdown")
#: The projects of the bundled samples, by name, for `inspector demo --project`.
DEMO_PROJECTS = {
    "support-bot": "pr_eHBIgJLVHKtP3skqoO6cD",
    "weather-assistant": "pr_38aIBnYYURLgfB0eKJkwr",
    "dev-copilot": "pr_6RVAU5KhVrWmZZUvTyKWm",
    # A v5 flow file (flow → prompt → tool, with a judgment), listed from `/v5/logs`.
    "weather-flow-v5": "fl_4nGt8Kw2RzQp6VmYc1HxD",
}

DESCRIPTION = """\
Look inside Humanloop LLM logs: messages, tool calls, provider payloads,
evaluations and feedback.

commands:
  inspector TARGET          open the terminal UI on a log (or a list of logs)
  inspector demo            open the bundled sample logs, served over HTTP
  inspector show TARGET     print one log as text, JSON or a Markdown transcript,
                            or one line per log for a file or folder of many
  inspector serve [DIR]     serve a folder of logs like the v4 API, on 127.0.0.1
"""

EPILOG = """\
TARGET is a JSON file of one log or of many (a JSON array, a list page with
`records`, or JSON Lines), a folder of such files, - to read from stdin, or a
log id (data_…) to fetch from the Humanloop API with the key in HUMANLOOP_API_KEY.
Run `inspector COMMAND --help` for the options of a command.
"""


def _main_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog=PROG,
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    return parser


def _show_parser() -> argparse.ArgumentParser:
    from inspector.cli.options import add_network_options

    parser = make_parser(
        "show",
        "Print one log without opening the terminal UI.",
        "formats: text, a readable summary (colour only on a terminal); json, the log\n"
        "exactly as received, every field kept, pretty-printed; markdown, a transcript\n"
        "for a bug report.\n\n"
        "A TARGET of many logs prints one line per log (id, created, model or config,\n"
        "status, tokens, cost, first line of output; json: one object per line);\n"
        "--id ID prints that one log in any format.",
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
    add_network_options(parser)
    return parser


def run_show(argv: Sequence[str], out: TextIO) -> int:
    """`inspector show`: print one log in the chosen format."""
    args = _show_parser().parse_args(argv)
    target = classify(args.target)
    if target.kind == "id":
        from inspector.cli.options import fetch_log, settings_from_args

        doc: LogDocument | None = fetch_log(target.value, settings_from_args(args))
    else:
        doc = _one_or_many(target, args.id, args.format, out)
    if doc is None:
        return 0
    if args.format == "json":
        write_json(doc, out)
    elif args.format == "markdown":
        from inspector.present.report import to_markdown

        out.write(to_markdown(doc))
    else:
        write_text(doc, out)
    out.flush()
    if doc.problems and args.format != "json":
        # Printed what could be read; the exit status still tells a script it was not all.
        sys.stderr.write(
            f"inspector: error: {one_line(doc.source, 200)}: {one_line(doc.problems[0], 300)}\n"
        )
        return 1
    return 0


def _one_or_many(target: Target, log_id: str | None, fmt: str, out: TextIO) -> LogDocument | None:
    """The log to print; None once the lines of a source of many logs are printed."""
    from inspector.catalog.source import Source
    from inspector.cli.show_many import check_id, find_log, open_local, write_summary

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


def _open_parser() -> argparse.ArgumentParser:
    from inspector.cli.options import add_network_options

    parser = _main_parser()
    parser.add_argument(
        "target",
        metavar="TARGET",
        nargs="?",
        help="a log id, a JSON file of one log or many, a folder of them, or -",
    )
    parser.add_argument(
        "--project",
        metavar="PROJECT_ID",
        help="list a project's logs from the API (pr_…) instead of opening a TARGET",
    )
    parser.add_argument(
        "--file",
        metavar="FILE_ID",
        help="list a v5 file's logs from the API (fl_…, pr_…, tl_…, ev_…, ag_…)",
    )
    add_network_options(parser)
    return parser


def run_tui(argv: Sequence[str]) -> int:
    """`inspector TARGET` or `inspector --project pr_…`: open the terminal UI."""
    parser = _open_parser()
    args = parser.parse_args(argv)
    if args.target is None and args.project is None and args.file is None:
        parser.print_help()
        return 0
    if args.target is not None and args.project is not None:
        raise UsageError("give a TARGET or --project, not both")
    from inspector.cli.options import settings_from_args
    from inspector.open.one import Api

    settings = settings_from_args(args)
    if args.file is not None:
        from inspector.open.many import ProjectList
        from inspector.settings import for_v5

        settings = for_v5(settings)
        start: Any = ProjectList(Api(settings), args.file, f"file {args.file}", file=True)
    else:
        if args.target is not None and classify(args.target).kind == "id":
            from inspector.settings import for_v5

            settings = for_v5(settings, args.target)
        start = _start(args.target, args.project, Api(settings))
    from inspector.tui.app import InspectorApp

    app = InspectorApp(start, settings=settings)
    app.run()
    return app.return_code or 0


def _start(target_text: str | None, project: str | None, api: Any) -> Any:
    """What the app opens first: a log source, or a list of logs."""
    from inspector.open.many import CatalogList, ProjectList
    from inspector.open.one import ApiSource, FileSource

    if project is not None:
        return ProjectList(api, project)
    assert target_text is not None
    target = classify(target_text)
    if target.kind == "id":
        return ApiSource(target.value, api)
    if target.kind == "file" and not _holds_many(target.value):
        # One log: the app paints at once and reads the file in the background.
        return FileSource(target.value)
    from inspector.catalog import Catalog, open_source
    from inspector.open.one import DocumentSource

    data: str | bytes = target.value
    if target.kind == "stdin":
        data = read_stdin()
        _reattach_terminal()
    opened = open_source(data, label="stdin" if target.kind == "stdin" else None)
    if isinstance(opened, LogDocument):
        return DocumentSource(opened)
    catalog = Catalog(opened)
    catalog.start()
    return CatalogList(catalog, opened.label)


def _holds_many(path: str) -> bool:
    """True when a file starts like a list of logs (an array or JSON Lines).

    Reads only the first bytes; a list page (`{"records": …}`) is found when the
    file fails to decode as one log, and the app then shows it as a list.
    """
    import mmap

    from inspector.catalog.shapes import detect

    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - mmap needs the file object
            if os.fstat(handle.fileno()).st_size == 0:
                return False
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
                return detect(mapped, lines=path.endswith(".jsonl")) in ("array", "jsonl")
    except OSError:
        return False


def run_demo(argv: Sequence[str]) -> int:
    """`inspector demo`: the bundled samples, fetched over HTTP from a loopback server."""
    import secrets

    parser = make_parser(
        "demo",
        "Open the bundled sample logs in the terminal UI. They are served over HTTP by a\n"
        "server on 127.0.0.1, the way the Humanloop v4 API served logs; no account or\n"
        "key is needed.",
    )
    parser.add_argument(
        "--project",
        choices=sorted(DEMO_PROJECTS),
        default="support-bot",
        help="which sample project to list (default: support-bot)",
    )
    args = parser.parse_args(argv)
    from inspector.api.server import LogServer
    from inspector.cli.options import SAMPLES
    from inspector.open.many import ProjectList
    from inspector.open.one import Api
    from inspector.settings import Settings
    from inspector.tui.app import InspectorApp

    # A throwaway key: the client never sends a request without one.
    key = secrets.token_urlsafe(16)
    with LogServer(SAMPLES, api_key=key) as server:
        v5 = args.project.endswith("-v5")
        base = server.base_url.removesuffix("/v4") + "/v5" if v5 else server.base_url
        settings = Settings(base_url=base, api_key=key, timeout=10.0)
        label = f"demo: {'file' if v5 else 'project'} {args.project} on {base}"
        start = ProjectList(Api(settings), DEMO_PROJECTS[args.project], label=label, file=v5)
        app = InspectorApp(start, settings=settings)
    app.run()
    return app.return_code or 0


def _reattach_terminal() -> None:
    """After reading a log from a pipe, read keys from the terminal instead.

    Textual reads keys from stdin; once the piped log is consumed, point stdin at the
    controlling terminal, as `less` and `fzf` do.
    """
    try:
        tty = os.open("/dev/tty", os.O_RDONLY)
    except OSError:
        raise UsageError("reading a log from stdin needs a terminal to show it on") from None
    os.dup2(tty, 0)
    os.close(tty)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        if args and args[0] == "show":
            return run_show(args[1:], sys.stdout)
        if args and args[0] == "demo":
            return run_demo(args[1:])
        if args and args[0] == "serve":
            from inspector.cli.options import run_serve

            return run_serve(args[1:], sys.stdout)
        return run_tui(args)
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
