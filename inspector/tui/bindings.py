"""What the keys do, read from the bindings themselves: for the help screen and the palette.

Nothing here is kept by hand: a key added to a screen or pane shows in the help and the
command palette because it is bound, with its tooltip (or description) as its text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

#: Key names as people write them.
_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "colon": ":",
    "space": "space",
    "full_stop": ".",
    "comma": ",",
}


def key_label(key: str) -> str:
    """`question_mark` → `?`, `ctrl+r` stays `ctrl+r`."""
    return _KEY_NAMES.get(key, key)


@dataclass(frozen=True)
class KeyHelp:
    """One line of help: the keys, and what they do."""

    keys: str
    text: str
    action: str


def _bindings(owner: type[DOMNode]) -> Iterator[Binding]:
    """The bindings inspector's own classes declare on `owner` and its bases.

    Textual's generic keys (focus, scrolling, a table's cursor) are left out: they work
    as in any Textual app, and listing them would bury what this app does.
    """
    for cls in reversed(owner.__mro__):
        if not cls.__module__.startswith("inspector.") or "BINDINGS" not in cls.__dict__:
            continue
        for binding in cls.__dict__["BINDINGS"]:
            yield binding if isinstance(binding, Binding) else Binding(*binding)


def key_help(owner: type[DOMNode]) -> list[KeyHelp]:
    """The keys bound on a class (and its bases), one line per action, in binding order."""
    keys: dict[tuple[str, str], list[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for binding in _bindings(owner):
        if not binding.description or binding.system:
            continue
        slot = (binding.action, binding.description)
        labels = keys.setdefault(slot, [])
        for key in (binding.key_display or binding.key).split(","):
            label = key_label(key.strip())
            if label not in labels:
                labels.append(label)
        texts[slot] = binding.tooltip or binding.description
    return [KeyHelp(" / ".join(labels), texts[slot], slot[0]) for slot, labels in keys.items()]


def help_sections(screen: Screen[Any]) -> list[tuple[str, list[KeyHelp]]]:
    """The help of a screen: its own sections (`key_sections()`), then the app's keys."""
    sections: list[tuple[str, list[KeyHelp]]] = []
    owners = getattr(screen, "key_sections", None)
    for title, owner in owners() if owners is not None else [("This screen", type(screen))]:
        lines = key_help(owner)
        if lines:
            sections.append((title, lines))
    sections.append(("Everywhere", [*key_help(type(screen.app)), *_palette_help()]))
    return sections


def _palette_help() -> list[KeyHelp]:
    return [
        KeyHelp("ctrl+p", "The command palette: every action of this screen by name", ""),
        KeyHelp("tab / shift+tab", "Move the focus", ""),
    ]


@dataclass(frozen=True)
class PaletteEntry:
    """A command of the palette: a bound action of the current screen."""

    title: str
    help: str
    run: Callable[[], Any]


def palette_entries(screen: Screen[Any]) -> Iterator[PaletteEntry]:
    """Every action bound on the screen's focus chain by inspector itself, once each.

    Textual's own widget bindings (cursor moves of a table, tab focus) are left to the
    keys: the palette lists what this app can do.
    """
    seen: set[str] = set()
    for active in screen.active_bindings.values():
        binding = active.binding
        if not active.enabled or not binding.description or binding.system:
            continue
        if not type(active.node).__module__.startswith("inspector."):
            continue
        if binding.action in seen:
            continue
        seen.add(binding.action)
        key = key_label((binding.key_display or binding.key).split(",")[0])
        yield PaletteEntry(
            binding.description,
            f"{binding.tooltip or binding.description} (key: {key})",
            partial(screen.app.run_action, binding.action, active.node),
        )
