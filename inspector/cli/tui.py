"""`inspector TARGET`, `inspector --project …` and `inspector demo`: the terminal UI.

The command line only parses: it hands plain values (what to open, the settings) to
`inspector.tui.app.make_app`, and the app builds and owns everything it runs on.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, TextIO

from inspector.cli.options import SAMPLES, add_network_options, make_parser
from inspector.errors import InspectorError, UsageError
from inspector.open.targets import classify, read_stdin

if TYPE_CHECKING:
    from inspector.settings import Settings
    from inspector.tui.app import Launch

#: The projects of the bundled samples, by name, for `inspector demo --project`.
DEMO_PROJECTS = {
    "support-bot": "pr_eHBIgJLVHKtP3skqoO6cD",
    "weather-assistant": "pr_38aIBnYYURLgfB0eKJkwr",
    "dev-copilot": "pr_6RVAU5KhVrWmZZUvTyKWm",
    # A v5 flow file (flow → prompt → tool, with a judgment), listed from `/v5/logs`.
    "weather-flow-v5": "fl_4nGt8Kw2RzQp6VmYc1HxD",
}


def open_parser(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the TARGET, --project and network options of `inspector TARGET` to `parser`."""
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


def run_tui(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    """`inspector TARGET` or `inspector --project pr_…`: open the terminal UI."""
    with _starting():
        return _run_tui(parser, argv)


def _run_tui(parser: argparse.ArgumentParser, argv: Sequence[str]) -> int:
    args = parser.parse_args(argv)
    if args.target is None and args.project is None and args.file is None:
        parser.print_help()
        return 0
    if args.target is not None and args.project is not None:
        raise UsageError("give a TARGET or --project, not both")
    from inspector.cli.options import settings_from_args
    from inspector.settings import for_v5
    from inspector.tui.app import Launch

    settings = settings_from_args(args)
    if args.file is not None:
        return _run(Launch(file=args.file), for_v5(settings))
    if args.target is not None and classify(args.target).kind == "id":
        settings = for_v5(settings, args.target)
    stdin = None
    # Checked here, so a TARGET that names nothing is one line on stderr, and no screen.
    if args.target is not None and classify(args.target).kind == "stdin":
        stdin = read_stdin()
        _reattach_terminal()
    return _run(Launch(target=args.target, stdin=stdin, project=args.project), settings)


def run_demo(argv: Sequence[str], out: TextIO | None = None) -> int:
    """`inspector demo`: the bundled samples, fetched over HTTP from a loopback server."""
    parser = make_parser(
        "demo",
        "Open the bundled sample logs in the terminal UI. They are served over HTTP by a\n"
        "server on 127.0.0.1, the way the Humanloop v4 API served logs; no account or\n"
        "key is needed.",
    )
    parser.add_argument(
        "--project",
        choices=sorted(DEMO_PROJECTS),
        help="list only this sample project (default: support-bot's v4 logs, then the v5"
        " flow weather-flow-v5, in one list)",
    )
    args = parser.parse_args(argv)
    with _starting():
        return _run_demo(args)


def _run_demo(args: argparse.Namespace) -> int:
    from inspector.tui.app import Demo, Launch

    if args.project is None:
        more = (("weather-flow-v5", DEMO_PROJECTS["weather-flow-v5"]),)
        demo = Demo(str(SAMPLES), DEMO_PROJECTS["support-bot"], "support-bot", more)
    else:
        demo = Demo(str(SAMPLES), DEMO_PROJECTS[args.project], args.project)
    from inspector.settings import load_settings

    return _run(Launch(demo=demo), load_settings(flags={}))


def _run(launch: Launch, settings: Settings | None) -> int:
    from inspector.tui.app import make_app
    from inspector.tui.bindings import keymap_for

    # A bad `[keys]` table is one line on stderr before the app takes the screen.
    keymap_for(settings.keys if settings is not None else ())
    app = make_app(launch, settings)
    _started()
    app.run()
    if app.error_message is not None:
        raise InspectorError(app.error_message)
    return app.return_code or 0


@contextlib.contextmanager
def _starting() -> Iterator[None]:
    """No garbage collection while the app's modules are imported and the app is built
    (until `_started`, or an error): they make objects that live as long as the process,
    and collecting among them, over and over, cost the first frame 20-40 ms."""
    gc.disable()
    try:
        yield
    finally:
        _started()


def _started() -> None:
    # What exists now (the modules, the app) lives as long as the process: the collector
    # need not walk it again (a full collection over it took 20-30 ms).
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


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
