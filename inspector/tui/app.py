"""`InspectorApp`: the Textual app, the resources it runs on, its global keys and navigation.

`make_app` is the one way to build it, for the command line and the tests alike: it
takes plain values (what to open, the settings, an optional HTTP transport for tests),
and the app owns the rest. It builds the run's one API client, opens the target
through the one rule (`inspector.open.rule`), starts and stops the demo's loopback
server, and closes all of it on exit.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, ClassVar, cast

import msgspec
from rich.text import Text
from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from inspector.errors import InspectorError
from inspector.open.one import Api, ApiSource, LogSource
from inspector.open.rule import list_of, open_target, open_text
from inspector.open.targets import classify
from inspector.sanitize import one_line, sanitize
from inspector.settings import Settings, load_settings
from inspector.tui.bindings import keymap_for, palette_entries
from inspector.tui.signals import exit_on_signals, restore_signals
from inspector.tui.type_ahead import LastKey, arrived, send_on, was_sent_on
from inspector.tui.view_state import ViewState

# The list screen, the index behind it, the loopback server and the other screens are
# imported where first used: `inspector FILE` paints one log sooner without them.
if TYPE_CHECKING:
    from inspector.api.server import LogServer
    from inspector.open.many import LogList
    from inspector.tui.screens.log_screen import LogScreen


class Demo(msgspec.Struct, frozen=True):
    """Serve a folder of logs on loopback for the run, and list one of its projects."""

    folder: str
    project: str
    name: str
    #: More `(name, id)` projects or v5 files listed after the first, in the same list.
    more: tuple[tuple[str, str], ...] = ()


class Launch(msgspec.Struct, frozen=True):
    """What a run opens first, as the command line gave it."""

    #: A TARGET as typed (a file, a folder or a log id), or None.
    target: str | None = None
    #: The bytes of `-`, read before the app took the terminal.
    stdin: bytes | None = None
    #: A project to list over the API (`--project`).
    project: str | None = None
    #: The bundled samples, served over HTTP by the app itself (`inspector demo`).
    demo: Demo | None = None
    #: A v5 file to list over the API (`--file`).
    file: str | None = None
    #: A log source or list built by the caller (embedding inspector, or a test's
    #: scripted source); the app still owns the API client and closes it.
    opened: LogSource | LogList | None = None


class InspectorApp(App[None]):
    """Opens a log (or a list of logs) and lets the user move between them."""

    CSS_PATH = "app.tcss"
    TITLE = "inspector"
    # The terminal's own title is never set from log data.
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", tooltip="Quit inspector", id="quit"),
        Binding("question_mark,f1", "help", "Help", tooltip="Show every key", id="help"),
        Binding(
            "d", "diff", "Diff", show=False, tooltip="Diff the marked log with this one", id="diff"
        ),
    ]

    def __init__(
        self, launch: Launch, settings: Settings | None = None, transport: Any = None
    ) -> None:
        super().__init__()
        self.launch = launch
        self.settings = settings
        self.transport = transport
        self.view_state = ViewState()
        #: Set when the first target cannot be opened; the command line prints it.
        self.error_message: str | None = None
        #: The user's own keys by binding id (`[keys]` in the settings file).
        self.user_keys: dict[str, str] = {}
        self._api: Api | None = None
        self._server: LogServer | None = None
        #: The pane keys, the last typed winning (`on_key`); made at the first key.
        self._pane_keys: LastKey | None = None

    # -- the run's resources -------------------------------------------------------

    @property
    def api(self) -> Api:
        """The run's API access: one client, opened on first use, closed on exit."""
        if self._api is None:
            if self.settings is None:
                self.settings = load_settings(flags={})
            self._api = Api(self.settings, self.transport)
        return self._api

    def _start_demo(self, demo: Demo) -> None:
        import secrets

        from inspector.api.server import LogServer

        # A throwaway key: the client never sends a request without one.
        key = secrets.token_urlsafe(16)
        self._server = LogServer(demo.folder, api_key=key).start()
        base = self.settings if self.settings is not None else Settings()
        # The user's theme, keys and clipboard stay; the address and key are the demo's.
        self.settings = replace(base, base_url=self._server.base_url, api_key=key, timeout=10.0)

    async def on_unmount(self) -> None:
        restore_signals()
        if self._api is not None:
            await self._api.aclose()
        if self._server is not None:
            self._server.stop()
            self._server = None

    def on_mount(self) -> None:
        exit_on_signals(self)
        theme = getattr(self.settings, "theme", None)
        if theme and theme in self.available_themes:
            self.theme = theme
        elif theme:
            known = ", ".join(sorted(self.available_themes))
            self.notify(f"Unknown theme {theme!r} in the settings; known: {known}")
        try:
            self.user_keys = keymap_for(self.settings.keys if self.settings else ())
            self.set_keymap(self.user_keys)
            first = self._open_first()
        except InspectorError as error:
            self.error_message = error.message
            self.exit(return_code=error.exit_code)
            return
        if first is not None:
            # After the app's mount: Textual mounts the app in a batch whose frames are
            # never written, and a screen pushed in it would be laid out and drawn there
            # for nothing, then again for the terminal.
            self.call_next(self._push, first)

    def _open_first(self) -> LogSource | LogList | None:
        launch = self.launch
        if launch.opened is not None:
            return launch.opened
        if launch.demo is not None:
            from inspector.open.many import demo_list

            self._start_demo(launch.demo)
            parts = [(launch.demo.name, launch.demo.project), *launch.demo.more]
            return demo_list(self.api, parts)
        if launch.file is not None:
            from inspector.open.many import ProjectList

            return ProjectList(self.api, launch.file, f"file {launch.file}", file=True)
        if launch.stdin is not None:
            return open_target(launch.stdin, self.api)
        if launch.project is not None:
            return open_target(None, self.api, project=launch.project)
        if launch.target is not None:
            return open_target(classify(launch.target), self.api)
        return None

    def _push(self, opened: LogSource | LogList, *, trail: str = "") -> None:
        if _is_list(opened):
            from inspector.tui.screens.list_screen import ListScreen

            self.push_screen(ListScreen(cast("LogList", opened)))
        else:
            # Imported here: a list's first paint does without it (one log's, not).
            from inspector.tui.screens.log_screen import LogScreen

            self.push_screen(LogScreen(cast(LogSource, opened), trail=trail))

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            arrived(event)  # In the order typed, before any widget's queue can change it.
        await super().on_event(event)

    def on_key(self, event: events.Key) -> None:
        """A key typed ahead that went past the box it was meant for: to that box (see
        `inspector.tui.type_ahead`). Runs before the app's bindings.

        A box takes the letters typed into it, so a letter that gets here while a box is
        focused was typed ahead of it: it is typed into the box before the next key is
        handled (`q` typed ahead into a search is a letter of the search). While a
        chooser is open, its keys go to it in line behind those sent before its box was
        there.
        """
        if was_sent_on(event):
            return  # Sent on once already: the bindings of where it went now apply.
        if not self.screen_stack:
            return  # Typed as the app closed: its screens are gone.
        # Here, not for the first paint: a list imports them, a log's search bar later.
        from textual.widgets import Input

        from inspector.tui.screens.choice import ChoiceScreen

        if self._pane_keys is None:
            from inspector.tui.screens.log_keys import pane_keys

            self._pane_keys = LastKey(pane_keys(self.user_keys))
        screen, focused = self.screen, self.focused
        if isinstance(screen, ChoiceScreen) and screen.takes(event):
            send_on(event, screen)
        elif isinstance(focused, Input) and event.is_printable and event.character:
            focused.insert_text_at_cursor(event.character)
            event.prevent_default()
            event.stop()
        elif self._pane_keys.stale(event):
            # A pane key typed before one already handled: the pane of the last one wins.
            event.prevent_default()
            event.stop()

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
        bindings = self.active_bindings.items()
        keys = [key for key, b in bindings if b.binding.action in ("quit", "app.quit")]
        if keys:
            shortest = min(keys, key=len)  # `q` rather than Textual's own `ctrl+q`.
            self.notify(f"Press {shortest} to quit inspector", title="Do you want to quit?")

    async def action_quit(self) -> None:
        """Quit, once the tabs of a log being opened are built."""
        from inspector.tui.screens.log_screen import LogScreen

        for screen in self.screen_stack:
            if isinstance(screen, LogScreen):
                await screen.tabs_built()
        self.exit()

    # -- what screens ask of the app -----------------------------------------------

    def on_log_screen_many_logs(self, message: LogScreen.ManyLogs) -> None:
        """A file opened as one log holds many: show it as a list in the log's place."""
        from inspector.tui.screens.list_screen import ListScreen

        if self.screen is message.screen:
            self.pop_screen()
        try:
            self.push_screen(ListScreen(list_of(message.source)))
        except InspectorError as error:
            self.notify(error.message, severity="error")

    def on_log_screen_open_log(self, message: LogScreen.OpenLog) -> None:
        """Open a log by id (a parent): from the list it came from if there, else the API."""

        from inspector.tui.screens.log_screen import LogScreen

        async def open_it() -> None:
            resolver = message.resolver
            source = await resolver(message.log_id) if resolver is not None else None
            if source is None:
                source = ApiSource(message.log_id, self.api)
            self.push_screen(LogScreen(source, trail=message.trail, resolver=resolver))

        self.run_worker(open_it(), exit_on_error=False)

    def action_open_target(self) -> None:
        """Ask for a file, folder or log id, and open it in a new screen."""
        from inspector.tui.screens.open_target import OpenTargetScreen

        def opened(target: str | None) -> None:
            if not target:
                return
            try:
                self._push(open_text(target, self.api))
            except InspectorError as error:
                self.notify(error.message, severity="error")

        self.push_screen(OpenTargetScreen(), opened)

    def action_go_back(self) -> None:
        """Go back to the screen this one was opened from."""
        # The stack holds Textual's default screen under the first log.
        if len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.notify("Nothing to go back to (q quits)")

    async def action_diff(self) -> None:
        """The log marked in a list (`space`) against the log on screen."""
        from inspector.tui.screens.diff_screen import show_diff

        await show_diff(self, getattr(self.screen, "document", None))

    def action_help(self) -> None:
        """Show the keys."""
        from inspector.tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    # -- command palette -----------------------------------------------------------

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The actions bound to keys on this screen, then the theme switcher.

        Built from the same bindings as the help screen and the footer; Textual's own
        entries that duplicate ours (Quit, Keys) or make no sense here are left out.
        """
        for entry in palette_entries(screen):
            yield SystemCommand(entry.title, entry.help, entry.run)
        for command in super().get_system_commands(screen):
            if command.title in ("Theme", "Screenshot"):
                yield command


def _is_list(opened: object) -> bool:
    """True for a list of logs: those are made only by `inspector.open.many`, so when it
    has not been imported (one log, first paint), nothing is a list."""
    many = sys.modules.get("inspector.open.many")
    if many is None:
        return False
    return isinstance(opened, many.CatalogList | many.ProjectList | many.ChainedList)


def make_app(
    launch: Launch, settings: Settings | None = None, transport: Any = None
) -> InspectorApp:
    """The app for a run: what to open, the settings, and (for tests) an HTTP transport."""
    return InspectorApp(launch, settings, transport)
