"""`inspector serve [DIR]`: a folder of logs served like the Humanloop API, on loopback."""

from __future__ import annotations

import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from inspector.cli.options import SAMPLES, make_parser, port
from inspector.errors import UsageError


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
    parser.add_argument("--port", type=port, default=0, help="port to listen on (default: free)")
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
