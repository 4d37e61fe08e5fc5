"""`LogScreen`: one log in tabbed panes, with loading and error states, search and navigation."""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.dom import DOMNode
from textual.message import Message
from textual.widgets import (
    ContentSwitcher,
    Footer,
    TabbedContent,
)

from inspector.catalog import Source
from inspector.errors import InspectorError
from inspector.model.decode import LogDocument, nested_log
from inspector.open.one import DocumentSource, LogSource, ManyLogs, Waiting
from inspector.sanitize import one_line, sanitize
from inspector.tui.panes.base import Pane
from inspector.tui.panes.log_tabs import PANES, LogTabs
from inspector.tui.screens.sharing import SHARE_BINDINGS, SharingScreen
from inspector.tui.view_state import view_state
from inspector.tui.widgets.load_state import ErrorPanel, LoadingPanel
from inspector.tui.widgets.log_header import LogHeader
from inspector.tui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from inspector.tui.panes.evaluations import EvaluationsPane

#: Given a step (+1 or -1), the source of the neighbouring log in the list, or None.
Stepper = Callable[[int], Awaitable[LogSource | None]]
#: Given a log id, its source in the list the log was opened from, or None.
Resolver = Callable[[str], Awaitable[LogSource | None]]


def _resolve(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class LogScreen(SharingScreen):
    """Shows one log; loads it from its source in a worker (`w` / `W` write it as HTML)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(
            Binding(
                str(n),
                f"show_pane('{pane_id}')",
                title,
                show=False,
                tooltip=f"The {title} pane",
                id=f"log.pane-{pane_id}",
            )
            for n, (pane_id, title) in enumerate(PANES, 1)
        ),
        Binding(
            "slash",
            "search",
            "Search",
            tooltip="Search the current pane (ctrl+r in the prompt: regular expressions)",
            id="log.search",
        ),
        Binding("n", "next_match", "Next match", show=False, id="log.next-match"),
        Binding("N", "previous_match", "Previous match", show=False, id="log.previous-match"),
        Binding(
            "y", "copy", "Copy", tooltip="Copy the selected value, message or line", id="log.copy"
        ),
        Binding(
            "x",
            "copy_markdown",
            "Copy as Markdown",
            show=False,
            tooltip="Copy the whole log as a Markdown transcript, for a bug report",
            id="log.copy-markdown",
        ),
        *SHARE_BINDINGS,
        Binding("r", "reload", "Reload", tooltip="Load the log again", show=False, id="log.reload"),
        Binding(
            "o",
            "app.open_target",
            "Open",
            tooltip="Open another log: a file, a folder, an export or a log id",
            show=False,
            id="log.open",
        ),
        Binding(
            "p", "parent", "Parent", tooltip="Open the parent log (parent_id)", id="log.parent"
        ),
        Binding(
            "escape,backspace",
            "back",
            "Back",
            tooltip="Close the search, else back to the previous log or the list",
            show=False,
            id="log.back",
        ),
        Binding(
            "right_square_bracket",
            "step(1)",
            "Next log",
            show=False,
            tooltip="The next log of the list this one was opened from",
            id="log.next-log",
        ),
        Binding(
            "left_square_bracket",
            "step(-1)",
            "Previous log",
            show=False,
            tooltip="The previous log of the list this one was opened from",
            id="log.previous-log",
        ),
    ]

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
    """

    def __init__(
        self,
        source: LogSource,
        *,
        trail: str = "",
        stepper: Stepper | None = None,
        resolver: Resolver | None = None,
        pane: str | None = None,
    ) -> None:
        super().__init__()
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

    def key_sections(self) -> list[tuple[str, type[DOMNode]]]:
        """Where the keys of this screen work, for the help screen (`?`)."""
        from inspector.tui.panes.evaluations import EvaluationsPane
        from inspector.tui.panes.messages import MessagesPane
        from inspector.tui.panes.payload import PayloadPane
        from inspector.tui.widgets.block_view import BlockView
        from inspector.tui.widgets.json_explorer import JsonExplorer
        from inspector.tui.widgets.text_view import TextView

        return [
            ("A log", LogScreen),
            ("Messages, Overview, Tools", BlockView),
            ("Messages", MessagesPane),
            ("Request and Response", PayloadPane),
            ("Request and Response: the JSON explorer", JsonExplorer),
            ("Evaluations", EvaluationsPane),
            ("Raw, and the raw text of a payload", TextView),
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
        yield SearchBar()
        yield Footer()

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
    async def load(self) -> None:
        """Load the log from the source; every failure ends on the error panel."""
        self.query_one("#body", ContentSwitcher).current = "loading"
        self._wanted = None
        try:
            doc = await self.source.load(self._progress)
        except ManyLogs as many:
            # The file turned out to be a list of logs: show it as one.
            self._progress("")
            self.post_message(LogScreen.ManyLogs(self, many.source))
            return
        except InspectorError as error:
            self._progress("")
            self._show_error(error.message)
            return
        except Exception as error:
            self._show_error(f"unexpected error: {type(error).__name__}: {error}")
            return
        await self._show(doc)

    def _show_error(self, message: str) -> None:
        self.document = None
        self.refresh_bindings()
        self.query_one(ErrorPanel).show(message)
        self.query_one("#body", ContentSwitcher).current = "error"
        self.query_one(LogHeader).placeholder = f"could not open {self.source.label}"

    async def _show(self, doc: LogDocument) -> None:
        self.document = doc
        self.refresh_bindings()
        self.query_one(LogHeader).document = doc
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
            settled: asyncio.Future[None] = self._loop.create_future()
            self.call_after_refresh(_resolve, settled)
            await settled
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
        painted: asyncio.Future[None] = self._loop.create_future()
        self.call_after_refresh(_resolve, painted)
        await painted

    # -- panes ---------------------------------------------------------------------

    def current_pane(self) -> Pane | None:
        """The pane of the active tab."""
        tabs = self.query(TabbedContent)
        if not tabs or tabs.first().active_pane is None:
            return None
        active = tabs.first().active_pane
        found = active.query(Pane) if active is not None else None
        return found.first() if found else None

    async def _activate(self, pane_id: str) -> None:
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
        tabs = self.query(TabbedContent)
        if tabs and tabs.first().active == f"tab-{pane_id}":
            pane = self.current_pane()
            if pane is not None:
                pane.focus_content()
        elif tabs:
            # Build the pane before switching to it, so the switch is drawn once, with
            # the content, rather than empty and then filled a frame later. A key pressed
            # while the tabs are still being mounted has no pane to switch to yet.
            panes = self.query(f"#pane-{pane_id}").results(Pane)
            pane = next(panes, None)
            if pane is None:
                return
            await pane.ensure_built()
            if self._wanted != pane_id:
                return  # a later key asked for another pane while this one was built
            # Drop focus first: a focused widget in a pane being hidden would pass its
            # focus to a neighbour in the same pane, and that pane would show again.
            self.set_focus(None)
            tabs.first().active = f"tab-{pane_id}"

    # -- search --------------------------------------------------------------------

    def action_search(self) -> None:
        if self.document is not None:
            self.query_one(SearchBar).open()

    @on(SearchBar.Changed)
    def _search_changed(self, event: SearchBar.Changed) -> None:
        self._pattern = event.pattern
        self._apply_search()

    def _apply_search(self) -> None:
        pane = self.current_pane()
        target = pane.searchable if pane is not None else None
        bar = self.query_one(SearchBar)
        if target is None:
            bar.set_status("nothing to search here" if self._pattern else "")
            return
        count = target.search(self._pattern)
        if self._pattern is None:
            bar.set_status("")
        else:
            bar.set_status(
                f"{count:,} match{'es' if count != 1 else ''}" if count else "no matches"
            )

    @on(SearchBar.Done)
    def _search_done(self, event: SearchBar.Done) -> None:
        pane = self.current_pane()
        if not event.jump:
            self._pattern = None
            self._apply_search()
        elif pane is not None:
            self._goto(1)
        if pane is not None:
            pane.focus_content()

    def _goto(self, step: int) -> None:
        pane = self.current_pane()
        target = pane.searchable if pane is not None else None
        if target is None or self._pattern is None:
            self.notify("No search: press / first")
            return
        index = target.goto_match(step)
        if index < 0:
            self.notify("No matches")
        else:
            self.query_one(SearchBar).set_status(f"{index + 1:,} of {target.match_count:,}")

    def action_next_match(self) -> None:
        self._goto(1)

    def action_previous_match(self) -> None:
        self._goto(-1)

    # -- copy and navigation -------------------------------------------------------

    def action_copy(self) -> None:
        pane = self.current_pane()
        text = pane.copy_text() if pane is not None else None
        if not text:
            self.notify("Nothing selected to copy")
            return
        # What is copied is what is shown: control bytes stay visible escapes.
        self.app.copy_to_clipboard(sanitize(text))
        first = one_line(text, 50)
        self.notify(f"Copied {len(text):,} characters: {first}")

    def action_copy_markdown(self) -> None:
        if self.document is None:
            return
        from inspector.present.report import to_markdown

        # `to_markdown` sanitises every string it takes from the log.
        text = to_markdown(self.document)
        self.app.copy_to_clipboard(text)
        self.notify(f"Copied a Markdown transcript ({len(text):,} characters)")

    def action_reload(self) -> None:
        if not self.source.reloadable:
            self.notify(f"{self.source.label} cannot be read again")
            return
        self.load()

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
            "show_pane",
            "copy_markdown",
            "write_html",
        ):
            return self.document is not None
        return True

    def action_parent(self) -> None:
        log = self.document.log if self.document is not None else None
        if log is None:
            return
        if not log.parent_id:
            self.notify("This log has no parent_id")
            return
        trail = f"← {one_line(log.id, 40)} (its child)"
        self.post_message(LogScreen.OpenLog(log.parent_id, trail, self.resolver))

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
        self.app.push_screen(LogScreen(DocumentSource(nested), trail=trail, pane="messages"))
