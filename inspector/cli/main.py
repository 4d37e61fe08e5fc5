"""The command line: parse argv into plain values, run a command, turn errors into one line.

`inspector show` and `inspector --help` never import Textual, so they start fast and
work where no terminal UI can run (CI, pipes).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Sequence
from typing import Final, NoReturn

from inspector import __version__
from inspector.cli.options import PROG, Parser
from inspector.cli.signals import Signalled, catch_signals
from inspector.errors import InspectorError
from inspector.sanitize import one_line

DESCRIPTION = """\
Look inside Humanloop LLM logs: messages, tool calls, provider payloads,
evaluations and feedback.

commands:
  inspector TARGET          open the terminal UI on a log (or a list of logs)
  inspector demo            open the bundled sample logs, served over HTTP
  inspector show TARGET     print one log as text, JSON, a Markdown transcript or
                            an HTML page, or one line per log for a file or folder
                            of many
  inspector web TARGET      the terminal UI in a web browser, served on 127.0.0.1
  inspector diff A B        what differs between two logs (config, messages word
                            by word, tool calls, output, usage, payloads)
  inspector serve [DIR]     serve a folder of logs like the v4 API, on 127.0.0.1
  inspector cache [clear]   where big exports' indexes are cached; clear them
  inspector keys            every key's binding id, for your own keys in [keys]
"""

#: `inspector COMMAND`: (module in `inspector.cli`, function, the stream it writes to).
#: Imported only when run, so `inspector show` never imports what `web` needs.
COMMANDS: Final = {
    "show": ("show", "run_show", "stdout"),
    "diff": ("diff", "run_diff", "stdout"),
    "demo": ("tui", "run_demo", "stdout"),
    "web": ("web", "run_web", "stderr"),
    "cache": ("cache", "run_cache", "stdout"),
    "keys": ("keys", "run_keys", "stdout"),
    "serve": ("serve", "run_serve", "stdout"),
}

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    restore_signals = catch_signals()
    try:
        command = COMMANDS.get(args[0]) if args else None
        if command is not None:
            module, function, stream = command
            run = getattr(importlib.import_module(f"inspector.cli.{module}"), function)
            return int(run(args[1:], getattr(sys, stream)))
        from inspector.cli.tui import open_parser, run_tui

        return run_tui(open_parser(_main_parser()), args)
    except InspectorError as exc:
        # Messages can quote log text or file names: one sanitised line, always.
        sys.stderr.write(f"{PROG}: error: {one_line(exc.message, 2000)}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write(f"{PROG}: interrupted\n")
        return 130
    except Signalled as exc:
        # After SIGHUP the terminal may be gone: the exit status says enough.
        with contextlib.suppress(OSError):
            sys.stderr.write(f"{PROG}: stopped by signal {exc.number}\n")
        return 128 + exc.number
    except BrokenPipeError:
        # The reader went away (`inspector show … | head`): not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    finally:
        restore_signals()


def run() -> NoReturn:
    """Console-script entry point."""
    sys.exit(main())
