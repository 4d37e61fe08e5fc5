"""`LogScreen`: one log in tabbed panes, with loading and error states, search and navigation."""

from __future__ import annotations

import asyncio
import contextlib
import re
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import ContentSwitcher, Static, TabbedContent

from inspector.errors import InspectorError
from inspector.model.decode import LogDocument, nested_log
from inspector.open.one import DocumentSource, LogSource, ManyLogs, Waiting
from inspector.open.parents import parent_finder
from inspector.sanitize import one_line
from inspector.tui.panes.log_tabs import LogTabs
from inspector.tui.screens.log_keys import LOG_BINDINGS
from inspector.tui.screens.log_search import LogSearch
from inspector.tui.view_state import view_state
from inspector.tui.widgets.keys_footer import KeysFooter
from inspector.tui.widgets.load_state import ErrorPanel, LoadingPanel
from inspector.tui.widgets.log_header import LogHeader
from inspector.tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from inspector.catalog import Source
    from inspector.tui.panes.base import Pane
    from inspector.tui.panes.evaluations import EvaluationsPane

#: Given a step (+1 or -1), the source of the neighbouring log in the list, or None.
Stepper = Callable[[int], Awaitable[LogSource | None]]
#: Given a log id, its source in the list the log was opened from, or None.
Resolver = Callable[[str], Awaitable[LogSource | None]]


#: Seconds a pane switch waits at most for the screen to refresh (`LogScreen._refreshed`).
REFRESH_WAIT = 2.0


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class LogScreen(LogSearch):
    """Shows one log; loads it from its source in a worker (`w` / `W` write it as HTML)."""

    BINDINGS: ClassVar[list[BindingType]] = LOG_BINDINGS

    class ManyLogs(Message):
        """The file turned out to hold many logs: the app shows them as a list instead."""

        def __init__(self, screen: LogScreen, source: Source) -> None:
            super().__init__()
            self.screen = screen
            self.source = source

    class OpenLog(Message):
        """Open a related log by id (the parent), from the list if it is there."""

        def __init__(self, log_id: str, trail: str, resolver: Resolver | None) -> None:
            super().__init__()
            self.log_id = log_id
            self.trail = trail
            self.resolver = resolver

    #: Focus is given to the pane shown, never to whatever comes first (the search input).
    AUTO_FOCUS = ""

    DEFAULT_CSS = """
    LogScreen #body { height: 1fr; }
    LogScreen LogTabs, LogScreen TabbedContent { height: 1fr; }
    LogScreen TabPane { padding: 0; }
    LogScreen .pane-note { height: 1; color: $text-muted; padding: 0 1; background: $boost; }
    LogScreen #reload-failed { display: none; color: $text-error; }
    """

    def __init__(
        self,
        source: LogSource,
        *,
        trail: str = "",
        stepper: Stepper | None = None,
        resolver: Resolver | None = None,
        pane: str | None = None,
        position: Callable[[], str] | None = None,
    ) -> None:
        super().__init__()
        #: Where the log is in the list it was opened from (`3 of 12`), for the header.
        self.position = position
        self.source = source
        self.resolver = resolver
        #: The pane to open on instead of the last one used.
        self.first_pane = pane
        self.trail = trail
        self.stepper = stepper
        self.document: LogDocument | None = None
        self._pattern: re.Pattern[str] | None = None
        self._building: asyncio.Future[None] | None = None
        #: The pane the last number key asked for: when keys come faster than panes are
        #: built, the last one wins, and keys pressed while the tabs mount are kept.
        self._wanted: str | None = None
        #: A pane switch is under way (`action_show_pane`).
        self._switching = False

    def key_sections(self) -> list[tuple[str, type[DOMNode]]]:
        """Where the keys of this screen work, for the help screen (`?`)."""
        from inspector.tui.panes.evaluations import EvaluationsPane
        from inspector.tui.panes.messages import MessagesPane
        from inspector.tui.panes.payload import PayloadPane
        from inspector.tui.widgets.block_view import BlockView
        from inspector.tui.widgets.json_explorer import JsonExplorer
        from inspector.tui.widgets.text_view import TextView
        from inspector.tui.widgets.trace_tree import TraceTree

        return [
            ("A log", LogScreen),
            ("Messages, Overview, Tools", BlockView),
            ("Messages", MessagesPane),
            ("Request and Response", PayloadPane),
            ("Request and Response: the JSON explorer", JsonExplorer),
            ("Evaluations", EvaluationsPane),
            ("Raw, and the raw text of a payload", TextView),
            ("Trace", TraceTree),
            ("The search prompt", SearchBar),
        ]

    def compose(self) -> ComposeResult:
        header = LogHeader()
        header.placeholder = f"opening {self.source.label}"
        header.trail = self.trail
        yield header
        with ContentSwitcher(initial="loading", id="body"):
            yield LoadingPanel(f"Opening {self.source.label}", id="loading")
            yield ErrorPanel(id="error")
            yield Vertical(id="ready")
        yield Static(id="reload-failed", classes="pane-note")
        yield SearchBar()
        yield KeysFooter()

    def on_mount(self) -> None:
        self._loop = asyncio.get_running_loop()
        self.load()

    # -- loading -------------------------------------------------------------------

    def _progress(self, news: str | Waiting) -> None:
        """Show what loading is doing; safe to call from a worker thread."""

        def update() -> None:
            if self.is_attached:  # a reading thread may report after the screen closed
                self.query_one(LoadingPanel).show(news)

        if threading.current_thread() is threading.main_thread():
            update()
        else:
            # Not `call_from_thread`, which would hold the reader up until the next frame.
            self._loop.call_soon_threadsafe(update)

    @work(exclusive=True, exit_on_error=False, group="load")
    async def load(self, keep: bool = False) -> None:
        """Load the log from the source; every failure ends on the error panel.

        With `keep` (a reload), the log shown stays while loading, and after a failure.
        """
        if not keep:
            self.query_one("#body", ContentSwitcher).current = "loading"
        # `_wanted` stays: a number key typed while the log loads opens that pane (and
        # after `]`, the pane shown before).
        try:
            doc = await self.source.load(self._progress)
        except ManyLogs as many:
            # The file turned out to be a list of logs: show it as one.
            self._progress("")
            self.post_message(LogScreen.ManyLogs(self, many.source))
            return
        except InspectorError as error:
            self._progress("")
            self._show_error(error.message, keep)
            return
        except Exception as error:
            self._show_error(f"unexpected error: {type(error).__name__}: {error}", keep)
            return
        self.query_one("#reload-failed", Static).display = False
        await self._show(doc)

    def _show_error(self, message: str, keep: bool = False) -> None:
        if keep and self.document is not None:
            note = self.query_one("#reload-failed", Static)
            note.update(Content(f"Reload failed, showing the log as before: {one_line(message)}"))
            note.display = True
            return
        self.query_one(ErrorPanel).back = len(self.app.screen_stack) > 2
        self.query_one(ErrorPanel).retry = self.source.reloadable
        self.document = None
        self.refresh_bindings()
        self.query_one(ErrorPanel).show(message)
        self.query_one("#body", ContentSwitcher).current = "error"
        self.query_one(LogHeader).placeholder = f"could not open {self.source.label}"

    async def _show(self, doc: LogDocument) -> None:
        self.document = doc
        self.refresh_bindings()
        self.query_one(LogHeader).document = doc
        where = self.position() if self.position is not None else ""
        if where:
            self.query_one(LogHeader).trail = f"log {where} in the list · ] next · [ previous"
        await self._header_painted()
        self._building = self._loop.create_future()
        try:
            ready = self.query_one("#ready", Vertical)
            await ready.remove_children()
            pane = self._wanted or self.first_pane or view_state(self).pane
            self.first_pane = None
            await ready.mount(LogTabs(doc, initial=pane))
            self.query_one("#body", ContentSwitcher).current = "ready"
            await self._activate(pane)
            # The tabs settle on their first tab through messages of their own; a switch
            # made before those are handled would be undone by them.
            await self._refreshed()
        finally:
            _resolve(self._building)
        if self._wanted is not None and self._wanted != pane:
            # A number key pressed while the tabs were mounting: the last one wins.
            await self.action_show_pane(self._wanted)

    async def tabs_built(self) -> None:
        """Wait until tabs being built are built.

        Quitting halfway fails in Textual's `Tabs._on_mount`, and with the header
        painted first, a user can ask to quit just then.
        """
        if self._building is not None:
            await self._building

    async def _header_painted(self) -> None:
        """Wait until the header has been drawn, so it shows before the tabs are built.

        The app runs calls only once its startup is over, and frames drawn during the
        startup are dropped: wait for a call, then for a refresh.
        """
        started: asyncio.Future[None] = self._loop.create_future()
        self.app.call_later(_resolve, started)
        await started
        await self._refreshed()

    async def _refreshed(self) -> None:
        """Wait for the next refresh, by when messages posted so far have been handled.

        Bounded: a number key's switch waits here in the app's own message loop, and a
        refresh that did not come (a benchmark run once hung here) would hold up every
        key after it. Past the bound the switch goes on, at worst undone by a late tab
        message, which the next key puts right.
        """
        refreshed: asyncio.Future[None] = self._loop.create_future()
        self.call_after_refresh(_resolve, refreshed)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(refreshed, REFRESH_WAIT)

    # -- panes ---------------------------------------------------------------------

    def current_pane(self) -> Pane | None:
        """The pane of the active tab."""
        from inspector.tui.panes.base import Pane  # with the tabs, after first paint

        tabs = self.query(TabbedContent)
        if not tabs or tabs.first().active_pane is None:
            return None
        active = tabs.first().active_pane
        found = active.query(Pane) if active is not None else None
        return found.first() if found else None

    async def _activate(self, pane_id: str) -> None:
        from inspector.tui.panes.base import Pane  # with the tabs, after first paint

        pane = self.query_one(f"#pane-{pane_id}", Pane)
        await pane.ensure_built()
        tabs = self.query(TabbedContent)
        # The user may have moved on while the pane was being built.
        if not tabs or tabs.first().active != f"tab-{pane_id}":
            return
        view_state(self).pane = pane_id
        pane.focus_content()
        if self._pattern is not None:
            self._apply_search()

    @on(TabbedContent.TabActivated)
    async def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        pane_id = (event.pane.id or "").removeprefix("tab-")
        if pane_id:
            await self._activate(pane_id)

    async def action_show_pane(self, pane_id: str) -> None:
        self._wanted = pane_id
        if self._building is not None and not self._building.done():
            return  # the tabs are mounting: `_show` opens the pane wanted once they are
        if self._switching:
            # Keys typed ahead reach whichever widget has focus as each arrives, so two
            # of these can run at once; the switch under way goes on to the pane wanted.
            return
        self._switching = True
        try:
            await self._switch_to_wanted()
        finally:
            self._switching = False

    async def _switch_to_wanted(self) -> None:
        """Switch to `_wanted`, and again while later keys change it: the last key wins."""
        from inspector.tui.panes.base import Pane  # with the tabs, after first paint

        while (tabs := self.query(TabbedContent)) and (pane_id := self._wanted) is not None:
            if tabs.first().active == f"tab-{pane_id}":
                pane = self.current_pane()
                if pane is not None:
                    pane.focus_content()
                return
            # Build the pane before switching to it, so the switch is drawn once, with
            # the content, rather than empty and then filled a frame later.
            pane = next(self.query(f"#pane-{pane_id}").results(Pane), None)
            if pane is None:
                return
            await pane.ensure_built()
            if self._wanted != pane_id:
                continue  # a later key asked for another pane while this one was built
            # Drop focus first: a focused widget in a pane being hidden would pass its
            # focus to a neighbour in the same pane, and that pane would show again.
            self.set_focus(None)
            tabs.first().active = f"tab-{pane_id}"
            # The tabs follow a switch through messages of their own; one more switch
            # before those are handled would be undone by them (the tabs would go back).
            await self._refreshed()
            if self._wanted == pane_id:
                return

    # -- copy and navigation -------------------------------------------------------

    def action_reload(self) -> None:
        if not self.source.reloadable:
            self.notify(f"{self.source.label} cannot be read again")
            return
        self.load(keep=self.document is not None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Hide keys that do nothing for this log (no parent, not opened from a list)."""
        if action == "parent":
            log = self.document.log if self.document is not None else None
            return log is not None and bool(log.parent_id)
        if action == "step":
            return self.stepper is not None
        if action in (
            "search",
            "next_match",
            "previous_match",
            "copy",
            "copy_markdown",
            "write_html",
        ):
            return self.document is not None
        return True

    def open_related(self, log_id: str, trail: str, finder: Resolver) -> None:
        self.post_message(LogScreen.OpenLog(log_id, trail, finder))

    async def action_back(self) -> None:
        bar = self.query_one(SearchBar)
        if bar.has_class("-open") or self._pattern is not None:
            bar.remove_class("-open")
            self._pattern = None
            self._apply_search()
            return
        await self.run_action("app.go_back")

    async def action_step(self, step: int) -> None:
        if self.stepper is None:
            self.notify("This log was not opened from a list")
            return
        try:
            source = await self.stepper(step)
        except InspectorError as error:
            self.notify(error.message, severity="error")
            return
        if source is None:
            self.notify("No more logs in that direction")
            return
        self.source = source
        self.query_one(LogHeader).document = None
        self.load()

    def on_evaluations_pane_open_log(self, event: EvaluationsPane.OpenLog) -> None:
        if self.document is None:
            return
        try:
            nested = nested_log(self.document, event.index, event.field)
        except InspectorError as error:
            self.notify(error.message, severity="error")
            return
        where = f"evaluation_results[{event.index}].{event.field}"
        trail = f"← {one_line(self.document.log.id, 40)} {where}"
        # A judge's log is read for its prompt and answer: open it on the messages.
        # Its parent is usually the log it is inside: `p` finds it without the API.
        finder = parent_finder(self.source, self.document, self.resolver)
        screen = LogScreen(DocumentSource(nested), trail=trail, pane="messages", resolver=finder)
        self.app.push_screen(screen)
