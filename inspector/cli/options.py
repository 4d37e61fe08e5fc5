"""Command-line pieces for the network: shared options, fetching for `show`, `inspector serve`.

Kept apart from `cli.py` so every command that fetches (`show`, the TUI) declares the same
options with `add_network_options` and builds `Settings` the same way.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn, TextIO

from inspector.api.retry import RetryNotice
from inspector.errors import SettingsError, UsageError
from inspector.model.decode import LogDocument
from inspector.settings import Settings, config_path, load_settings, parse_size

#: The bundled sample logs, served by `inspector serve` without a folder and by `inspector demo`.
PROG = "inspector"


class Parser(argparse.ArgumentParser):
    """argparse, with our error line format and exit status 2 for usage errors."""

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{PROG}: error: {message}\n")


def make_parser(
    command: str, description: str, epilog: str | None = None
) -> argparse.ArgumentParser:
    """A parser for `inspector COMMAND` with the project's error format and exit status 2."""
    return Parser(
        prog=f"{PROG} {command}",
        description=description,
        epilog=epilog,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


SAMPLES = Path(__file__).parent.parent / "samples"


def add_network_options(parser: argparse.ArgumentParser) -> None:
    """Add --base-url, --timeout, --retries, --max-size and --insecure (all default to unset)."""
    group = parser.add_argument_group(
        "network (for log ids)",
        "The key comes only from the environment variable HUMANLOOP_API_KEY.\n"
        f"Defaults can be set in {config_path()}\n"
        "(TOML: base_url, timeout, retries, max_size, theme; or the file in $INSPECTOR_CONFIG).",
    )
    group.add_argument(
        "--base-url",
        metavar="URL",
        help="API base URL (default: $HUMANLOOP_BASE_URL, the settings file, "
        "or https://api.humanloop.com/v4)",
    )
    group.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        help="deadline for each attempt, connecting to last byte (default: 30)",
    )
    group.add_argument(
        "--retries",
        metavar="N",
        type=_retries,
        help="extra attempts after 429, 5xx, timeouts and dropped connections (default: 2)",
    )
    group.add_argument(
        "--max-size",
        metavar="BYTES",
        type=_size,
        help="largest response accepted, after decompression, e.g. 64M (default: 256M)",
    )
    group.add_argument(
        "--insecure",
        action="store_true",
        default=None,
        help="allow sending the key over plain http:// to a host that is not loopback",
    )


def settings_from_args(args: argparse.Namespace) -> Settings:
    """Settings from parsed network options, the environment, the settings file and defaults."""
    flags = {
        "base_url": args.base_url,
        "timeout": args.timeout,
        "retries": args.retries,
        "max_bytes": args.max_size,
        "insecure": args.insecure,
    }
    return load_settings(flags=flags)


def print_retry(notice: RetryNotice, err: TextIO | None = None) -> None:
    """Show a retry on stderr: `inspector: HTTP 503 from h; retrying in 1.2 s (attempt 2 of 3)`."""
    stream = err if err is not None else sys.stderr
    stream.write(f"inspector: {notice.describe()}\n")
    stream.flush()


def fetch_log(log_id: str, settings: Settings) -> LogDocument:
    """Fetch one log for a command-line command, retry progress on stderr."""
    from inspector.api.client import HumanloopClient
    from inspector.settings import for_v5

    async def fetch() -> LogDocument:
        async with HumanloopClient(for_v5(settings, log_id), on_retry=print_retry) as client:
            return await client.get_log(log_id)

    return asyncio.run(fetch())


def run_serve(argv: Sequence[str], out: TextIO) -> int:
    """`inspector serve [DIR] [--port N]`: serve a folder of logs on loopback until Ctrl-C."""
    from inspector.api.server import LogServer

    parser = make_parser(
        "serve",
        "Serve a folder of log JSON files with the Humanloop v4 API's shape on 127.0.0.1,\n"
        "for trying inspector without an account. Any API key is accepted.",
    )
    parser.add_argument(
        "folder",
        metavar="DIR",
        nargs="?",
        help="folder of *.json logs, one log per file (default: the bundled samples)",
    )
    parser.add_argument("--port", type=_port, default=0, help="port to listen on (default: free)")
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else SAMPLES
    server = LogServer(folder, port=args.port, log=sys.stderr)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    try:
        ids = server.log_ids
        out.write(f"serving {len(ids)} logs from {folder} at {server.base_url}\n")
        example = ids[0] if ids else "data_…"
        out.write(
            f"try: HUMANLOOP_API_KEY=any inspector show {example} --base-url {server.base_url}\n"
            "press Ctrl-C to stop\n"
        )
        out.flush()
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        out.write("stopped\n")
        return 0
    finally:
        server.stop()


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("must be more than 0 seconds")
    return value


def _retries(text: str) -> int:
    if not text.isdigit() or int(text) > 10:
        raise argparse.ArgumentTypeError(f"expected a whole number from 0 to 10, got {text!r}")
    return int(text)


def _size(text: str) -> int:
    try:
        value = parse_size(text)
    except SettingsError:
        message = f"expected a number of bytes such as 1048576 or 64M, got {text!r}"
        raise argparse.ArgumentTypeError(message) from None
    if value <= 0:
        raise argparse.ArgumentTypeError("must be more than 0 bytes")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)
