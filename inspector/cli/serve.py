"""`inspector serve [DIR]`: a folder of logs served like the Humanloop API, on loopback."""

from __future__ import annotations

import os
import secrets
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from inspector.cli.options import SAMPLES, make_parser, port
from inspector.errors import UsageError
from inspector.sanitize import one_line
from inspector.settings import KEY_ENV, check_api_key


def run_serve(argv: Sequence[str], out: TextIO) -> int:
    """`inspector serve [DIR] [--port N]`: serve a folder of logs on loopback until Ctrl-C."""
    from inspector.api.server import LogServer

    parser = make_parser(
        "serve",
        "Serve a folder of log JSON files with the Humanloop v4 API's shape on 127.0.0.1,\n"
        "for trying inspector without an account. Requests must carry the key printed at\n"
        "start (or, with --key-from-env, the one in HUMANLOOP_API_KEY).",
    )
    parser.add_argument(
        "folder",
        metavar="DIR",
        nargs="?",
        help="folder of *.json logs, one log per file (default: the bundled samples)",
    )
    parser.add_argument("--port", type=port, default=0, help="port to listen on (default: free)")
    parser.add_argument(
        "--key-from-env",
        action="store_true",
        help=f"require the key in {KEY_ENV} instead of a new one (kept out of the command line)",
    )
    args = parser.parse_args(argv)
    folder = Path(args.folder) if args.folder else SAMPLES
    key, shown_key = _serve_key(args.key_from_env)
    server = LogServer(folder, port=args.port, api_key=key, log=sys.stderr)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on 127.0.0.1:{args.port}: {exc.strerror}") from None
    try:
        ids = server.log_ids
        out.write(f"serving {len(ids)} logs from {one_line(str(folder))} at {server.base_url}\n")
        for note in server.notes:
            out.write(f"  {one_line(note)}\n")
        example = ids[0] if ids else "data_…"
        out.write(
            f"try: {KEY_ENV}={shown_key} inspector show {example} --base-url {server.base_url}\n"
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


def _serve_key(from_env: bool) -> tuple[str, str]:
    """The key `inspector serve` requires, and how to show it in the hint it prints."""
    if not from_env:
        # Printed on purpose: it guards only this run of a loopback server.
        key = secrets.token_urlsafe(18)
        return key, key
    key = os.environ.get(KEY_ENV, "").strip()
    if not key:
        raise UsageError(f"--key-from-env: {KEY_ENV} is not set")
    check_api_key(key)
    return key, f'"${KEY_ENV}"'
