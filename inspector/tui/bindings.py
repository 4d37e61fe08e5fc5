"""What the keys do, read from the bindings themselves: for the help screen and the palette.

Nothing here is kept by hand: a key added to a screen or pane shows in the help and the
command palette because it is bound, with its tooltip (or description) as its text.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import Any, Final

import msgspec
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from inspector.errors import SettingsError
from inspector.settings import KeySetting

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


class KeyHelp(msgspec.Struct, frozen=True):
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


def key_help(owner: type[DOMNode], keymap: Mapping[str, str] | None = None) -> list[KeyHelp]:
    """The keys bound on a class (and its bases), one line per action, in binding order.

    `keymap` holds the user's own keys by binding id (the `[keys]` settings).
    """
    keys: dict[tuple[str, str], list[str]] = {}
    texts: dict[tuple[str, str], str] = {}
    for binding in _bindings(owner):
        if not binding.description or binding.system:
            continue
        slot = (binding.action, binding.description)
        labels = keys.setdefault(slot, [])
        mapped = (keymap or {}).get(binding.id or "")
        for key in (mapped or binding.key_display or binding.key).split(","):
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
        lines = key_help(owner, _user_keys(screen))
        if lines:
            sections.append((title, lines))
    everywhere = key_help(type(screen.app), _user_keys(screen))
    sections.append(("Everywhere", [*everywhere, *_palette_help()]))
    return sections


def _user_keys(screen: Screen[Any]) -> Mapping[str, str]:
    keys = getattr(screen.app, "user_keys", None)
    return keys if isinstance(keys, Mapping) else {}


def _palette_help() -> list[KeyHelp]:
    return [
        KeyHelp("ctrl+p", "The command palette: every action of this screen by name", ""),
        KeyHelp("tab / shift+tab", "Move the focus", ""),
    ]


class PaletteEntry(msgspec.Struct, frozen=True):
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


# -- your own keys ---------------------------------------------------------------------

#: The modules whose screens, panes and widgets declare bindings (some load lazily).
_BINDING_MODULES: Final = (
    "inspector.tui.app",
    "inspector.tui.screens",
    "inspector.tui.panes",
    "inspector.tui.widgets",
)


def binding_owners() -> list[type[DOMNode]]:
    """Every class of the app that declares bindings, its modules imported first."""
    import pkgutil  # only with a `[keys]` table or for `inspector keys`: first paint

    for package in _BINDING_MODULES:
        module = importlib.import_module(package)
        for info in pkgutil.iter_modules(getattr(module, "__path__", [])):
            importlib.import_module(f"{package}.{info.name}")
    owners: list[type[DOMNode]] = []
    pending: list[type[DOMNode]] = [DOMNode]
    while pending:
        cls = pending.pop()
        for sub in cls.__subclasses__():
            pending.append(sub)
            if sub.__module__.startswith("inspector.") and "BINDINGS" in sub.__dict__:
                owners.append(sub)
    return sorted(set(owners), key=lambda owner: (owner.__module__, owner.__qualname__))


def binding_ids() -> dict[str, Binding]:
    """Every binding of the app by its id."""
    return {b.id: b for owner in binding_owners() for b in _bindings(owner) if b.id}


def keymap_for(settings: Sequence[KeySetting]) -> dict[str, str]:
    """The `[keys]` table as a Textual keymap; an unknown id or a clash names its line.

    A clash is a key the table gives to a binding of a screen, pane or widget (with its
    bases) that another of its bindings already answers.
    """
    if not settings:
        return {}
    known = binding_ids()
    keymap: dict[str, str] = {}
    where: dict[str, str] = {}
    for entry in settings:
        if entry.binding not in known:
            close = sorted(i for i in known if i.split(".")[0] == entry.binding.split(".")[0])
            hint = f"; ids like it: {', '.join(close[:8])}" if close else ""
            raise SettingsError(
                f"{entry.where}: no binding has the id `{entry.binding}`{hint}"
                " (`inspector keys` lists them all)"
            )
        keys = ",".join(part.strip() for part in entry.keys.split(",") if part.strip())
        if not keys:
            raise SettingsError(f"{entry.where}: `{entry.binding}` is given no key")
        keymap[entry.binding] = keys
        where[entry.binding] = entry.where
    for owner in binding_owners():
        taken: dict[str, str] = {}
        for binding in _bindings(owner):
            keys = keymap.get(binding.id or "", binding.key)
            for key in keys.split(","):
                other = taken.setdefault(key.strip(), binding.id or binding.action)
                mine = binding.id if binding.id in where else other
                # Two bindings of one key that the app itself declares answer in different
                # states (`t` in Messages); a clash is one that the table makes.
                if other != (binding.id or binding.action) and mine in where:
                    raise SettingsError(
                        f"{where.get(mine, 'the [keys] table')}: `{key.strip()}` would mean both"
                        f" `{other}` and `{binding.id or binding.action}`"
                    )
    return keymap


def key_rows() -> Iterator[tuple[str, str, str]]:
    """`(id, keys, what it does)` for every binding (`inspector keys`)."""
    for binding_id, binding in sorted(binding_ids().items()):
        yield binding_id, binding.key, binding.tooltip or binding.description
