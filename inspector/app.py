"""`InspectorApp`: the Textual app, its global keys, the command palette and navigation."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from inspector.errors import InspectorError
from inspector.loading import ApiSource, BytesSource, FileSource, LogSource
from inspector.sanitize import one_line
from inspector.screens.help import HelpScreen
from inspector.screens.log_screen import LogScreen
from inspector.screens.open_target import OpenTargetScreen
from inspector.sources import classify
from inspector.view_state import ViewState


class InspectorApp(App[None]):
    """Opens a log (or a list of logs) and lets the user move between them."""

    CSS_PATH = "app.tcss"
    TITLE = "inspector"
    # The terminal's own title is never set from log data.
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Quit inspector"),
        Binding("question_mark,f1", "help", "Help", tooltip="Show every key"),
    ]

    def __init__(
        self,
        source: LogSource | None = None,
        *,
        settings: Any = None,
        transport: Any = None,
    ) -> None:
        super().__init__()
        self.start_source = source
        self.settings = settings
        self.transport = transport
        self.view_state = ViewState()
        theme = getattr(settings, "theme", None)
        if theme:
            self.theme = theme

    def on_mount(self) -> None:
        if self.start_source is not None:
            self.push_screen(LogScreen(self.start_source))

    async def action_quit(self) -> None:
        """Quit, once the tabs of a log being opened are built."""
        for screen in self.screen_stack:
            if isinstance(screen, LogScreen):
                await screen.tabs_built()
        self.exit()

    # -- opening logs --------------------------------------------------------------

    def source_for(self, target: str) -> LogSource:
        """The source of a target typed by the user (a path or a log id)."""
        kind = classify(target)
        if kind.kind == "file":
            return FileSource(kind.value)
        if kind.kind == "id":
            return self.api_source(kind.value)
        if kind.kind == "stdin":
            raise InspectorError("stdin can only be read when inspector starts")
        raise InspectorError(f"{one_line(target, 80)}: opening a folder needs the list screen")

    def api_source(self, log_id: str) -> LogSource:
        """A source fetching `log_id` from the API with the app's settings."""
        if self.settings is None:
            from inspector.config import load_settings

            self.settings = load_settings(flags={})
        return ApiSource(log_id, self.settings, self.transport)

    def open_target(self, target: str, *, trail: str = "") -> None:
        """Open a target in a new screen, or say why it cannot be opened."""
        try:
            source = self.source_for(target)
        except InspectorError as error:
            self.notify(error.message, severity="error", markup=False)
            return
        self.push_screen(LogScreen(source, trail=trail))

    def open_log_id(self, log_id: str, *, trail: str = "") -> None:
        """Open a log by id (the parent of a log)."""
        self.push_screen(LogScreen(self.api_source(log_id), trail=trail))

    def action_open_target(self) -> None:
        """Ask for a target and open it."""

        def opened(target: str | None) -> None:
            if target:
                self.open_target(target)

        self.push_screen(OpenTargetScreen(), opened)

    def go_back(self) -> None:
        """Go back to the screen this one was opened from."""
        # The stack holds Textual's default screen under the first log.
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.notify("Nothing to go back to (q quits)", markup=False)

    def action_help(self) -> None:
        """Show the keys."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    # -- command palette -----------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action bound to a key on this screen, then Textual's own commands."""
        seen: set[str] = set()
        for active in screen.active_bindings.values():
            binding = active.binding
            title = binding.description or binding.action
            if not title or binding.action in seen or not active.enabled:
                continue
            seen.add(binding.action)
            help_text = f"{binding.tooltip or title} (key: {self.get_key_display(binding)})"
            yield SystemCommand(
                title, help_text, partial(self.run_action, binding.action, active.node)
            )
        yield from super().get_system_commands(screen)


__all__ = ["BytesSource", "FileSource", "InspectorApp"]
