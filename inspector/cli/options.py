"""What every command shares: the parser's error format, the network options, and settings.

Every command that fetches (`show`, the TUI) declares the same options with
`add_network_options` and builds `Settings` the same way; the limits of each value are
the settings' own (`inspector.settings`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from inspector.errors import SettingsError
from inspector.model.decode import LogDocument
from inspector.settings import (
    Settings,
    check_max_bytes,
    check_retries,
    check_timeout,
    config_path,
    load_settings,
    parse_size,
)

if TYPE_CHECKING:
    # Only a type here: the retry module (and its imports) load with the API client.
    from inspector.api.retry import RetryNotice

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


#: The bundled sample logs, served by `inspector serve` without a folder and by `inspector demo`.
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
    """Show a retry on stderr: `inspector: HTTP 503 from h on attempt 1 of 3; trying again…`."""
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


def _checked(parse: Callable[[str], Any], check: Callable[[Any], Any], usage: str) -> Any:
    """An argparse type: parse the text, then check it with the settings' own limits."""

    def convert(text: str) -> Any:
        try:
            value = parse(text)
        except (ValueError, SettingsError):
            raise argparse.ArgumentTypeError(f"expected {usage}, got {text!r}") from None
        try:
            return check(value)
        except SettingsError as error:
            raise argparse.ArgumentTypeError(error.message) from None

    return convert


_seconds = _checked(float, partial(check_timeout, what="the timeout"), "a number of seconds")
_retries = _checked(int, partial(check_retries, what="retries"), "a whole number")
_size = _checked(
    parse_size, partial(check_max_bytes, what="the size"), "a number of bytes such as 64M"
)


def port(text: str) -> int:
    """An argparse type for a TCP port (0 picks a free one)."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)
