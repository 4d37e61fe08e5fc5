"""One key, one meaning: a key bound in several places does one idea in all of them."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from textual.binding import Binding

from inspector.errors import SettingsError
from inspector.settings import load_settings
from inspector.tui.bindings import binding_ids, binding_owners, keymap_for

#: Keys whose meaning is one idea that the place decides, so any action may answer them there.
CONTEXTUAL: dict[str, str] = {
    "enter": "open or activate what is under the cursor",
    "escape": "back, close or cancel: leave what is in front",
    "space": "act on the row or block under the cursor (mark it, fold it)",
    "q": "quit, or close the screen in front",
    "question_mark": "the help, or close it",
    "f1": "the help, or close it",
    "slash": "search or filter what is shown",
    "y": "copy what is selected",
    # Movement: in a tree, left and h go to the parent (collapse), right and l into the node.
    **dict.fromkeys(["up", "down", "left", "right", "j", "k", "h", "l"], "move the cursor"),
    **dict.fromkeys(["home", "end", "g", "G", "pageup", "pagedown"], "move the cursor"),
}

#: Keys whose actions have different names in different widgets for one idea: only these.
SAME_IDEA: dict[str, tuple[frozenset[str], str]] = {
    "n": (frozenset({"next_match", "match"}), "the next match of the search"),
    "N": (frozenset({"previous_match", "match"}), "the previous match of the search"),
    "e": (frozenset({"expand_all", "toggle_all"}), "expand (or collapse) everything"),
    "m": (frozenset({"markdown", "toggle_markdown"}), "show as Markdown, or as text"),
    # The source behind a view: the template behind the messages, the raw text behind the tree.
    "t": (frozenset({"template", "toggle_raw"}), "the template or raw text behind the view"),
    "w": (frozenset({"export", "write_html"}), "write what is shown to a file"),
}


def meaning(binding: Binding) -> str:
    """The action without its namespace and parameters: `toggle_all(1)` and `toggle_all(0)` are one
    action in two states, `app.open_target` and `open_target` one action."""
    return binding.action.split("(")[0].rsplit(".", 1)[-1]


def places_by_key() -> dict[str, dict[str, list[str]]]:
    """Every key the app binds → its meanings → where (`Owner: binding id`)."""
    keys: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for owner in binding_owners():
        for item in owner.__dict__["BINDINGS"]:
            binding = item if isinstance(item, Binding) else Binding(*item)
            for key in binding.key.split(","):
                keys[key.strip()][meaning(binding)].append(f"{owner.__name__}: {binding.id}")
    return keys


def test_no_key_means_two_things() -> None:
    clashes = []
    for key, meanings in sorted(places_by_key().items()):
        if len(meanings) < 2 or key in CONTEXTUAL:
            continue
        allowed, _idea = SAME_IDEA.get(key, (frozenset(), ""))
        if not set(meanings) <= allowed:
            clashes.append(
                f"`{key}`: " + "; ".join(f"{m} ({', '.join(w)})" for m, w in meanings.items())
            )
    assert not clashes, "keys with two meanings:\n" + "\n".join(clashes)


def test_the_allow_lists_hold_only_keys_the_app_binds() -> None:
    # A stale entry would let a key come back with a second meaning unnoticed.
    bound = places_by_key()
    assert set(SAME_IDEA) <= set(bound)
    for key, (allowed, _idea) in SAME_IDEA.items():
        assert set(bound[key]) == allowed, key


def test_the_list_filters_are_one_key_and_their_old_ids_are_gone() -> None:
    ids = binding_ids()
    assert ids["list.filter-by"].key == "f"
    for old in [
        "list.errors-only",
        "list.filter-model",
        "list.filter-status",
        "list.filter-feedback",
    ]:
        assert old not in ids


def test_a_keys_table_naming_a_removed_filter_key_is_refused_on_one_line(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keys]\n"list.filter-model" = "M"\n')
    path.chmod(0o600)
    with pytest.raises(SettingsError) as refused:
        keymap_for(load_settings(flags={}, path=path).keys)
    message = str(refused.value)
    assert "line 2: no binding has the id `list.filter-model`" in message
    assert "list.filter-by" in message and "\n" not in message
