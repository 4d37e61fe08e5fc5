"""`InspectorApp`: the Textual app, its global keys, the command palette and navigation."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any, ClassVar, cast

from rich.text import Text
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from inspector.errors import InspectorError
from inspector.model.decode import LogDocument
from inspector.open.many import CatalogList, LogList, ProjectList
from inspector.open.one import Api, ApiSource, DocumentSource, FileSource, LogSource
from inspector.open.targets import classify
from inspector.sanitize import one_line, sanitize
from inspector.settings import Settings
from inspector.tui.screens.help import HelpScreen
from inspector.tui.screens.list_screen import ListScreen
from inspector.tui.screens.log_screen import LogScreen, Resolver
from inspector.tui.screens.open_target import OpenTargetScreen
from inspector.tui.signals import exit_on_signals, restore_signals
from inspector.tui.view_state import ViewState


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
        start: LogSource | LogList | None = None,
        *,
        settings: Settings | None = None,
        transport: Any = None,
    ) -> None:
        super().__init__()
        self.start = start
        self.settings = settings
        self.transport = transport
        self.view_state = ViewState()
        self._api: Api | None = None
        self._theme_setting = getattr(settings, "theme", None)

    def on_mount(self) -> None:
        exit_on_signals(self)
        theme = self._theme_setting
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            known = ", ".join(sorted(self.available_themes))
            self.notify(f"Unknown theme {theme!r} in the settings; known: {known}", markup=False)
        start = self.start
        if isinstance(start, CatalogList | ProjectList):
            self.push_screen(ListScreen(start))
        elif start is not None:
            self.push_screen(LogScreen(cast(LogSource, start)))

    async def on_unmount(self) -> None:
        restore_signals()
        if self._api is not None:
            await self._api.aclose()

    def notify(self, message: str, *args: Any, **kwargs: Any) -> None:
        """Every notification, from any widget, shown as plain text without control bytes.

        Messages can quote log text or file names (errors, copied values); markup is
        never parsed and escapes are made visible here, whoever sent the notification.
        """
        kwargs["markup"] = False
        super().notify(sanitize(message), *args, **kwargs)

    def _fatal_error(self) -> None:
        """Exit after a bug with one line on stderr instead of Textual's traceback.

        Textual prints a traceback with local variables, which could show log text or
        settings on the terminal; a bug report needs only the one line.
        """
        error = self._exception
        name = type(error).__name__ if error is not None else "error"
        detail = one_line(str(error), 300) if error is not None else ""
        self.bell()
        self.panic(Text(f"inspector: error: internal error ({name}: {detail}); please report it"))

    def action_help_quit(self) -> None:
        """Ctrl-C: name the key that quits, as plain text (Textual's own hint is markup)."""
        keys = [
            k for k, b in self.active_bindings.items() if b.binding.action in ("quit", "app.quit")
        ]
        if keys:
            shortest = min(keys, key=len)  # `q` rather than Textual's own `ctrl+q`.
            self.notify(f"Press {shortest} to quit inspector", title="Do you want to quit?")

    async def action_quit(self) -> None:
        """Quit, once the tabs of a log being opened are built."""
        for screen in self.screen_stack:
            if isinstance(screen, LogScreen):
                await screen.tabs_built()
        self.exit()

    # -- opening logs --------------------------------------------------------------

    @property
    def api(self) -> Api:
        """The run's API access (one client, opened on first use)."""
        if self._api is None:
            if self.settings is None:
                from inspector.settings import load_settings

                self.settings = load_settings(flags={})
            self._api = Api(self.settings, self.transport)
        return self._api

    def open_target(self, target: str, *, trail: str = "") -> None:
        """Open a target typed by the user (a file, folder or log id) in a new screen."""
        try:
            kind = classify(target)
            if kind.kind == "stdin":
                raise InspectorError("stdin can only be read when inspector starts")
            if kind.kind == "id":
                self.push_screen(LogScreen(ApiSource(kind.value, self.api), trail=trail))
            elif kind.kind == "folder":
                self.open_list(kind.value)
            else:
                self.push_screen(LogScreen(FileSource(kind.value), trail=trail))
        except InspectorError as error:
            self.notify(error.message, severity="error", markup=False)

    def open_list(self, target: str | bytes, label: str | None = None) -> None:
        """Open a file, folder or bytes of many logs as a list (one log opens as a log)."""
        from inspector.catalog import Catalog, open_source

        opened = open_source(target, label=label)
        if isinstance(opened, LogDocument):
            self.push_screen(LogScreen(DocumentSource(opened)))
            return
        catalog = Catalog(opened)
        catalog.start()
        self.push_screen(ListScreen(CatalogList(catalog, opened.label)))

    def replace_with_list(self, screen: Screen[Any], path: str) -> None:
        """Show a file of many logs as a list in place of the log screen that tried it."""
        if self.screen is screen:
            self.pop_screen()
        try:
            self.open_list(path)
        except InspectorError as error:
            self.notify(error.message, severity="error", markup=False)

    def open_log_id(
        self, log_id: str, *, trail: str = "", resolver: Resolver | None = None
    ) -> None:
        """Open a log by id (a parent): from the list it came from if there, else the API."""

        async def open_it() -> None:
            source = await resolver(log_id) if resolver is not None else None
            if source is None:
                source = ApiSource(log_id, self.api)
            self.push_screen(LogScreen(source, trail=trail, resolver=resolver))

        self.run_worker(open_it(), exit_on_error=False)

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
