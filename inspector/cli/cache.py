"""`inspector cache`: where the index cache is and its size; `inspector cache clear` empties it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from inspector.catalog.cache import CacheUsage, IndexCache, cache_dir
from inspector.cli.options import make_parser
from inspector.present.words import format_bytes
from inspector.sanitize import one_line


def run_cache(argv: Sequence[str], out: TextIO) -> int:
    """`inspector cache [clear]`: print the cache's folder, entries and size, or clear it."""
    parser = make_parser(
        "cache",
        "Show where the index of big exports is cached, and how big the cache is.\n"
        "A second open of an unchanged export reads its index from there instead of\n"
        "building it again. `inspector cache clear` removes every cached index.\n\n"
        "environment: INSPECTOR_CACHE_DIR moves the cache; INSPECTOR_CACHE_MB bounds\n"
        "its size (default 4000; 0 turns the cache off).",
    )
    parser.add_argument("action", nargs="?", choices=["clear"], help="remove every cached index")
    args = parser.parse_args(argv)
    cache = IndexCache.from_environment()
    if cache is None:
        out.write(f"index cache: off (INSPECTOR_CACHE_MB=0); folder {_shown(cache_dir())}\n")
        return 0
    if args.action == "clear":
        removed = cache.clear()
        size = format_bytes(removed.size)
        out.write(f"removed {_entries(removed)} ({size}) from {_where(removed)}\n")
        return 0
    usage = cache.usage()
    out.write(
        f"index cache: {_where(usage)}\n"
        f"{_entries(usage)}, {format_bytes(usage.size)} of at most {format_bytes(usage.limit)}\n"
    )
    return 0


def _where(usage: CacheUsage) -> str:
    return _shown(usage.folder)


def _shown(path: object) -> str:
    return one_line(str(path), 500)


def _entries(usage: CacheUsage) -> str:
    return f"{usage.entries} cached {'index' if usage.entries == 1 else 'indexes'}"
