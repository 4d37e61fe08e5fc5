"""`inspector web`: the terminal UI in a browser, served by textual-serve on 127.0.0.1.

Each browser tab that connects starts its own `inspector` process on the same target.
Only pages served by this server may open the app's websocket (the Origin is checked), so
another site open in the same browser cannot drive the app and read the logs.
"""

from __future__ import annotations

import argparse
import ipaddress
import re
import shlex
import socket
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Final, TextIO
from urllib.parse import urlsplit

from inspector.errors import UsageError
from inspector.open.targets import LOG_ID
from inspector.sanitize import one_line

DEFAULT_PORT: Final = 8000
_REMOTE_FONT: Final = re.compile(r"<link[^>]*fonts\.googleapis\.com[^>]*>", re.DOTALL)
LOOPBACK_NAMES: Final = frozenset({"localhost", "localhost.localdomain"})


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and localhost: only this machine can connect."""
    if host.lower() in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def public_url(host: str, port: int) -> str:
    """The address a browser uses: the host given, or this machine's name for a wildcard."""
    shown = socket.gethostname() if host in ("0.0.0.0", "::", "") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def exposure_warning(host: str, port: int, uses_key: bool) -> str | None:
    """The warning for a bind that other machines can reach; None on loopback."""
    if is_loopback(host):
        return None
    where = one_line(f"{host}:{port}", 200)
    warning = f"warning: serving on {where}: anyone who can reach this port sees these logs"
    if uses_key:
        warning += " and fetches logs with your HUMANLOOP_API_KEY"
    return warning + "."


def app_command(argv: Sequence[str]) -> str:
    """The shell command textual-serve runs for each browser tab: this `inspector`, quoted."""
    return shlex.join([sys.executable, "-m", "inspector", *argv])


def allowed_origins(url: str, host: str, port: int) -> set[str]:
    """The page origins that may open the websocket: this server's own addresses."""
    parts = urlsplit(url)
    origins = {f"{parts.scheme}://{parts.netloc}"}
    if is_loopback(host):
        origins |= {f"http://127.0.0.1:{port}", f"http://localhost:{port}", f"http://[::1]:{port}"}
    return origins


def make_server(command: str, host: str, port: int, title: str, url: str) -> Any:
    """A textual-serve server that checks Origin and never logs local variables."""
    import logging

    from aiohttp import web
    from rich.logging import RichHandler
    from textual_serve.server import Server

    origins = allowed_origins(url, host, port)

    class InspectorServer(Server):
        def initialize_logging(self) -> None:
            # textual-serve's own handler prints tracebacks with local variables; the
            # environment handed to the app (with the API key) is one of them.
            handler = RichHandler(show_path=False, show_time=False, console=self.console)
            logging.basicConfig(level="INFO", format="%(message)s", handlers=[handler])

        async def on_startup(self, app: web.Application) -> None:
            self.console.print(
                f"inspector web: open {self.public_url} (ctrl+c stops)", markup=False
            )

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page textual-serve writes asks Google for a font: the only request that
            # would leave this server. Drop it (the terminal falls back to a local font).
            response = await super().handle_index(request)
            if isinstance(response, web.Response) and response.text is not None:
                response.text = _REMOTE_FONT.sub("", response.text)
            return response

        async def handle_websocket(  # type: ignore[override]
            self, request: web.Request
        ) -> web.StreamResponse:
            if request.headers.get("Origin") not in origins:
                return web.Response(status=403, text="this page may not open the app")
            response: web.StreamResponse = await super().handle_websocket(request)
            return response

    return InspectorServer(command, host=host, port=port, title=title, public_url=url)


def serve_argv(target: str | None, project: str | None, network: list[str]) -> list[str]:
    """The arguments of the `inspector` each tab runs (a file target made absolute)."""
    if target == "-":
        raise UsageError("inspector web cannot read a log from stdin: save it to a file first")
    if target == "demo":
        return ["demo"] if project is None else ["demo", "--project", project]
    argv: list[str] = []
    if target is not None:
        path = Path(target)
        argv.append(str(path.resolve()) if path.exists() else target)
    if project is not None:
        argv += ["--project", project]
    return argv + network


def _parser() -> argparse.ArgumentParser:
    from inspector.cli.options import add_network_options, make_parser

    parser = make_parser(
        "web",
        "Serve the terminal UI to a web browser (textual-serve). Every tab that opens the\n"
        "page runs its own inspector on TARGET. TARGET is what `inspector TARGET` opens,\n"
        "or `demo` for the bundled samples.",
        "Only 127.0.0.1 can connect unless --host says otherwise; then anyone who can\n"
        "reach the port sees the logs, and for a log id or --project uses your key.",
    )
    parser.add_argument(
        "target", metavar="TARGET", nargs="?", help="a log file, folder, id, or demo"
    )
    parser.add_argument(
        "--project", metavar="PROJECT", help="a project's logs (pr_…; for demo: a name)"
    )
    parser.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"port (default: {DEFAULT_PORT})"
    )
    add_network_options(parser)
    return parser


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return int(text)


def _network_argv(args: argparse.Namespace) -> list[str]:
    argv: list[str] = []
    for flag, value in (
        ("--base-url", args.base_url),
        ("--timeout", args.timeout),
        ("--retries", args.retries),
        ("--max-size", args.max_size),
    ):
        if value is not None:
            argv += [flag, str(value)]
    return argv + (["--insecure"] if args.insecure else [])


def run_web(argv: Sequence[str], err: TextIO) -> int:
    """`inspector web TARGET [--host H] [--port N]`: serve the UI until interrupted."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.target is None and args.project is None:
        parser.print_help()
        return 0
    served = serve_argv(args.target, args.project, _network_argv(args))
    uses_key = args.target != "demo" and (
        args.project is not None or bool(args.target and LOG_ID.match(args.target))
    )
    warning = exposure_warning(args.host, args.port, uses_key)
    if warning is not None:
        err.write(f"inspector: {warning}\n")
        err.flush()
    url = public_url(args.host, args.port)
    title = "inspector " + one_line(args.target or args.project or "", 80)
    try:
        make_server(app_command(served), args.host, args.port, title, url).serve()
    except OSError as exc:
        where = one_line(f"{args.host}:{args.port}", 200)
        raise UsageError(f"cannot listen on {where}: {exc.strerror or exc}") from None
    return 0
