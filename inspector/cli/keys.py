"""`inspector keys`: every key binding's id, its keys and what it does, for `[keys]`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from inspector.cli.options import make_parser
from inspector.settings import config_path


def run_keys(argv: Sequence[str], out: TextIO) -> int:
    """Print the binding ids that the settings file's `[keys]` table can remap."""
    make_parser(
        "keys",
        "List every key of the terminal UI by its binding id. Give a binding your own\n"
        f"keys in the [keys] table of {config_path()}, e.g.\n\n"
        '  [keys]\n  "log.pane-raw" = "0"\n  "log.search" = "slash,ctrl+f"\n',
    ).parse_args(argv)
    # The bindings live on the app's widgets: this command alone imports Textual.
    from inspector.tui.bindings import key_rows

    rows = list(key_rows())
    width = max(len(binding) for binding, _, _ in rows)
    keys_width = max(len(keys) for _, keys, _ in rows)
    for binding, keys, text in rows:
        out.write(f"{binding:<{width}}  {keys:<{keys_width}}  {text}\n")
    out.flush()
    return 0
