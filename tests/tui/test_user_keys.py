"""Your own keys: every binding has an id, `[keys]` remaps it, errors name the line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import OptionList

from inspector.errors import SettingsError
from inspector.settings import load_settings
from inspector.tui.app import Launch, make_app
from inspector.tui.bindings import binding_ids, binding_owners, keymap_for
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.help import HelpScreen
from tests.support.lists import export, wait_rows
from tests.support.tui import RICH, SIZE, active_tab, app_for, screen_text, wait_for, wait_loaded


def test_every_binding_of_the_app_has_an_id_of_its_own() -> None:
    seen: dict[str, str] = {}
    for owner in binding_owners():
        for binding in owner.__dict__["BINDINGS"]:
            assert binding.id, f"{owner.__qualname__}: {binding.key} → {binding.action} has no id"
            place = f"{owner.__module__}.{owner.__qualname__}"
            assert seen.setdefault(binding.id, place) == place, f"{binding.id} used twice"
    assert len(seen) > 50


def settings_with(tmp_path: Path, table: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'theme = "textual-dark"\n\n[keys]\n{table}')
    path.chmod(0o600)
    return path


async def test_a_remapped_key_works_and_the_help_and_footer_show_it(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '"log.pane-raw" = "0"\n"log.search" = "ctrl+f"\n')
    settings = load_settings(flags={}, path=path)
    async with app_for(RICH, settings=settings).run_test(size=SIZE) as pilot:
        await wait_loaded(pilot)
        await pilot.press("0")
        await wait_for(pilot, lambda: active_tab(pilot) == "tab-raw")
        await pilot.press("8")  # the old key no longer does it
        await pilot.pause()
        footer = screen_text(pilot).splitlines()[-1]
        assert "^f Search" in footer or "ctrl+f Search" in footer
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen))
        lines = {
            line.text: line.keys
            for _, section in pilot.app.screen.sections  # type: ignore[attr-defined]
            for line in section
        }
        assert lines["The Raw pane"] == "0"
        assert lines["Search the current pane (ctrl+r in the prompt: regular expressions)"] == (
            "ctrl+f"
        )


def test_an_unknown_id_names_its_line(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '"log.search" = "ctrl+f"\n"log.nope" = "z"\n')
    with pytest.raises(SettingsError, match=r"line 5: no binding has the id `log.nope`"):
        keymap_for(load_settings(flags={}, path=path).keys)


def test_a_clash_names_its_line(tmp_path: Path) -> None:
    # `y` is already Copy on the log screen.
    path = settings_with(tmp_path, '"log.reload" = "y"\n')
    with pytest.raises(SettingsError, match=r"line 4: `y` would mean both"):
        keymap_for(load_settings(flags={}, path=path).keys)


def test_the_app_started_with_a_bad_table_says_why_on_one_line(tmp_path: Path) -> None:
    path = settings_with(tmp_path, '"no.such.binding" = "z"\n')
    result = subprocess.run(
        [sys.executable, "-m", "inspector", str(RICH)],
        capture_output=True,
        text=True,
        env={"INSPECTOR_CONFIG": str(path), "PATH": "/usr/bin:/bin", "TERM": "dumb"},
        timeout=60,
    )
    assert result.returncode == 1
    assert "line 4: no binding has the id `no.such.binding`" in result.stderr
    assert "\x1b[?1049h" not in result.stderr, "refused before the screen was taken"


def test_inspector_keys_lists_every_id() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "inspector", "keys"], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0
    listed = {line.split()[0] for line in result.stdout.splitlines()}
    assert listed == set(binding_ids())


async def test_a_remapped_key_of_a_chooser_moves_in_it_and_the_old_one_does_not(
    tmp_path: Path,
) -> None:
    path = settings_with(tmp_path, '"choice.cursor-down" = "ctrl+n"\n')
    settings = load_settings(flags={}, path=path)
    app = make_app(Launch(target=str(export(tmp_path, count=5))), settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await wait_rows(pilot, 5)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ChoiceScreen))
        options = pilot.app.screen.query_one(OptionList)
        await wait_for(pilot, lambda: options.highlighted == 0)
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: options.highlighted == 1)
        await pilot.press("down")
        for _ in range(5):
            await pilot.pause()
        assert options.highlighted == 1
