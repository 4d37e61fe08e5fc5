"""`ListScreen`: many logs in a table, filtered and sorted, opened one at a time."""

from __future__ import annotations

from typing import ClassVar, Final

import msgspec
from textual import on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.content import Content
from textual.dom import DOMNode
from textual.timer import Timer
from textual.widgets import DataTable, Input, ProgressBar, Static

from inspector.catalog import Entry, Progress, Query, from_places
from inspector.errors import InspectorError, MissingKeyError
from inspector.open.many import EntrySource, LogList
from inspector.open.one import LogSource, Waiting
from inspector.sanitize import one_line
from inspector.tui.frames import after_drawn
from inspector.tui.screens.list_base import ListBase
from inspector.tui.screens.list_choosers import ListChoosers
from inspector.tui.screens.list_compare import CompareKeys
from inspector.tui.screens.list_keys import LIST_BINDINGS
from inspector.tui.screens.list_words import (
    ACTION_NEEDS,
    details_lines,
    failure_text,
    filters_line,
    title_line,
)
from inspector.tui.widgets.keys_footer import KeysFooter
from inspector.tui.widgets.log_table import LogTable

#: Rows fetched at a time; more are fetched as the cursor nears the end.
PAGE: Final = 200
#: Rows left below the last one fetched past which End fetches only the last page (a
#: table that starts further down the list; earlier pages come as the cursor goes up),
#: not every row between: a million rows held in the table would take gigabytes.
FAR: Final = 10 * PAGE
#: Rows from either end of the table at which the next page is fetched.
NEAR: Final = 30
#: Seconds between looks at the index's progress while it is built, and before its
#: first logs are in (`ListScreen._poll_first`).
POLL_SECONDS: Final = 0.3
FIRST_POLL_SECONDS: Final = 0.02


class ListScreen(ListChoosers, CompareKeys):
    """A table of logs with filters; enter opens one, `]` and `[` step through them."""

    #: Focused as it is composed, before its rows are first drawn (focus restyles them).
    AUTO_FOCUS = "LogTable"

    BINDINGS: ClassVar[list[BindingType]] = LIST_BINDINGS

    DEFAULT_CSS = """
    ListScreen #list-title { height: 1; padding: 0 1; background: $panel; }
    ListScreen #list-filters { height: auto; padding: 0 1; background: $panel; color: $text-muted; }
    ListScreen #list-search, ListScreen #list-search:focus {
        height: 1; border: none; padding: 0 1; background: $boost;
    }
    ListScreen ProgressBar { height: 1; padding: 0 1; display: none; }
    ListScreen ProgressBar.-indexing { display: block; }
    ListScreen DataTable { height: 1fr; }
    ListScreen #list-error {
        height: 1fr; padding: 1 2; border: round $error; color: $text-error; display: none;
    }
    ListScreen.-failed #list-error { display: block; }
    ListScreen.-failed DataTable, ListScreen.-failed #list-search { display: none; }
    ListScreen.-failed #list-filters { display: none; }
    ListScreen #list-details { height: 2; padding: 0 1; background: $boost; color: $text-muted; }
    """

    def __init__(self, log_list: LogList) -> None:
        super().__init__(log_list)
        self.total = 0
        self.matching = 0
        #: The place in the list of the table's first row (0 unless End jumped far).
        self.first = 0
        self._opened: Entry | None = None
        self._timer: Timer | None = None
        self._debounce: Timer | None = None
        self._listed = self._complete = False
        #: How many logs were indexed when the rows were last asked for (`_listed`: whether
        #: all were listed by then, `_complete`: whether every row was built, see
        #: `Progress.complete`); `_poll` asks again when any has changed since.
        self._asked = self._asked_rows = 0
        #: The rows built when the matches shown were asked for (`Progress.rows`): the
        #: title says what they cover until the next ones land. None before any lands.
        self._counted_rows: int | None = None
        #: Why the rows could not be listed; the screen stays in its error state until a reload.
        self.failure: str | None = None
        self._retry = True
        #: Open the highlighted log once the rows are in (enter in the filter box).
        self._open_when_listed = False

    def key_sections(self) -> list[tuple[str, type[DOMNode]]]:
        """Where the keys of this screen work, for the help screen (`?`)."""
        return [("A list of logs", ListScreen), ("The rows", LogTable)]

    def compose(self) -> ComposeResult:
        yield Static(id="list-title")
        yield Input(
            placeholder="/ to filter: words in ids, names, outputs, messages, errors",
            id="list-search",
            compact=True,
        )
        yield Static(id="list-filters")
        yield ProgressBar(total=1.0, show_eta=False, id="list-progress")
        yield LogTable()
        yield Static(id="list-error")
        yield Static(id="list-details")
        yield KeysFooter()

    def on_mount(self) -> None:
        # `AUTO_FOCUS` waits for the terminal to have the focus; this does not.
        self.query_one(LogTable).focus()
        self._show_filters()
        self._title()
        # Rows at hand go into the first frame; others are fetched on a thread.
        progress = self.log_list.progress()
        ready = self.log_list.ready(self.query_filter, self.sort, self.descending, PAGE)
        if ready is None:
            self.refresh_rows()
        else:
            self._asking(progress)
            self._show_rows(*ready)
        if progress is not None:
            self._timer = self.set_interval(POLL_SECONDS, self._poll)
            self.set_timer(FIRST_POLL_SECONDS, self._poll_first)

    # -- rows ----------------------------------------------------------------------

    def _news(self, news: str | Waiting) -> None:
        text = news if isinstance(news, str) else news.reason
        self.query_one("#list-details", Static).update(Content(one_line(text, 200)))

    @work(exclusive=True, group="rows", exit_on_error=False)
    async def refresh_rows(self, keep: int | None = None) -> None:
        """Count the matching logs and show the first page (keeping the cursor's log)."""
        # The totals of the rows shown so far are given up (recounted once these are
        # shown): left to run, they would hold the catalog until done, a second or more
        # at a million logs, before this could count anything.
        self.workers.cancel_group(self, "totals")
        self._asking(self.log_list.progress())
        first = 0
        kept = self.current_entry() if keep is not None else None
        try:
            matching = await self.log_list.count(self.query_filter, self._news)
            rows = await self.log_list.page(
                self.query_filter, self.sort, self.descending, 0, PAGE, self._news
            )
            if kept is not None and kept.ordinal == keep and all(r.ordinal != keep for r in rows):
                # The cursor's log is further down in the new order: the page around it.
                place = await self.log_list.position(
                    kept, self.query_filter, self.sort, self.descending
                )
                if place is not None:
                    first = max(0, place - PAGE // 2)
                    rows = await self.log_list.page(
                        self.query_filter, self.sort, self.descending, first, PAGE, self._news
                    )
        except InspectorError as error:
            self._fail(error.message, retry=not isinstance(error, MissingKeyError))
            return
        self._show_rows(matching, rows, keep, first)

    @work(exclusive=True, group="rows", exit_on_error=False)
    async def _refresh_at_end(self) -> None:
        """More logs listed while the table shows the end of a long list: its end again."""
        self._asking(self.log_list.progress())
        try:
            self.matching = await self.log_list.count(self.query_filter, self._news)
        except InspectorError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        await self._jump_to_last()

    def _asking(self, progress: Progress | None) -> None:
        """Rows are asked for now: polls ask again only for logs indexed after this."""
        if progress is not None:
            self._asked, self._asked_rows = progress.indexed, progress.rows
            self._listed = self._listed or progress.listed
            self._complete = self._complete or progress.complete

    def _show_rows(
        self, matching: int, rows: list[Entry], keep: int | None = None, first: int = 0
    ) -> None:
        """Show a page of the matching rows (the first, unless `first` says where it
        starts), keeping the cursor on `keep`'s log."""
        self.matching = matching
        self.failure = None
        self.remove_class("-failed")
        self.refresh_bindings()
        # The user may have moved while the rows were fetched: keep where they are now.
        moved = self.current_entry()
        if keep is not None and moved is not None and moved.ordinal != keep:
            keep = moved.ordinal
        self.first = first
        self._counted_rows = self._asked_rows
        self.query_one(LogTable).set_entries(rows)
        self.post_message(self.Shown())
        if rows:
            # Once drawn, the index may take every core again (it held back meanwhile).
            after_drawn(self, self.log_list.shown)
        self._title()
        if keep is not None:
            self._select(keep)
        self._details()
        if self._open_when_listed:
            self._open_when_listed = False
            self._open_current()

    def _fail(self, message: str, *, retry: bool) -> None:
        """Stay in an error state that says what went wrong (not a toast that passes)."""
        self.failure = message
        self._retry = retry
        self._open_when_listed = False
        back = len(self.app.screen_stack) > 2
        text = failure_text(message, reloadable=retry, back=back)
        self.query_one("#list-error", Static).update(Content(text))
        self.add_class("-failed")
        self._title()
        self.refresh_bindings()

    def _append(self, rows: list[Entry]) -> None:
        self.query_one(LogTable).add_entries(rows)

    @work(exclusive=True, group="more", exit_on_error=False)
    async def load_more(self, everything: bool = False) -> None:
        """Fetch the next page of rows (or every row left, to go to the last one)."""
        end = self.first + len(self.rows)
        if end >= self.matching:
            return
        if everything and self.log_list.sortable and self.matching - end > FAR:
            await self._jump_to_last()
            return
        # The API sends 50 rows a request: fetch at most 40 requests for End.
        most = self.matching if self.log_list.sortable else end + 2000
        rows = await self._fetch(end, most - end if everything else PAGE)
        if rows is None or end != self.first + len(self.rows):
            return  # Other rows came meanwhile: these would not follow them.
        self._append(rows)
        self._title()
        if everything:
            self.query_one(LogTable).last()

    async def _jump_to_last(self) -> None:
        """Show the last page alone, the cursor on its last row."""
        start = max(0, self.matching - PAGE)
        rows = await self._fetch(start, PAGE)
        if not rows:
            return
        table = self.query_one(LogTable)
        self.first = start
        table.set_entries(rows)
        table.last()
        self._title()

    @work(exclusive=True, group="before", exit_on_error=False)
    async def load_before(self) -> None:
        """Fetch the page before the table's first row (when it starts further down)."""
        await self._prepend()

    async def _prepend(self) -> None:
        first = self.first
        if first == 0:
            return
        start = max(0, first - PAGE)
        rows = await self._fetch(start, first - start)
        if rows is None or first != self.first:
            return
        table = self.query_one(LogTable)
        cursor = table.cursor_row
        self.first = start
        table.set_entries([*rows, *self.rows])
        # The same log under the cursor, at the same height on the screen.
        table.move_cursor(row=cursor + len(rows), scroll=False)
        table.scroll_to(y=table.scroll_y + len(rows), animate=False, immediate=True)
        self._title()

    async def _fetch(self, offset: int, limit: int) -> list[Entry] | None:
        """Rows from `offset` in the list as filtered and ordered now; None when they
        cannot be fetched (a toast says why) or no longer fit (new filters or order)."""
        asked = self._asked_for()
        try:
            rows = await self.log_list.page(
                self.query_filter, self.sort, self.descending, offset, limit, self._news
            )
        except InspectorError as error:
            self.notify(error.message, severity="error", timeout=10)
            return None
        return rows if asked == self._asked_for() else None

    def _asked_for(self) -> tuple[Query, str, bool]:
        """What the rows shown answer: fetched rows for anything else are dropped."""
        return self.query_filter, self.sort, self.descending

    @on(LogTable.WantsLast)
    def _wants_last(self) -> None:
        if self.first + len(self.rows) < self.matching:
            self.load_more(everything=True)
        else:
            self.query_one(LogTable).last()

    @on(LogTable.WantsFirst)
    def _wants_first(self) -> None:
        if self.first > 0:
            self.refresh_rows()
        else:
            self.query_one(LogTable).first()

    def _select(self, ordinal: int) -> bool:
        for index, entry in enumerate(self.rows):
            if entry.ordinal == ordinal:
                self.query_one(LogTable).move_cursor(row=index)
                return True
        return False

    def _poll_first(self) -> None:
        """Until the index holds its first logs: look again soon, not at the next `_poll`.

        The rows fetched as the screen mounts often come a few milliseconds before the
        index has any: without this, the first rows would wait for the next poll.
        """
        progress = self.log_list.progress()
        if progress is None or self.rows or self.failure is not None:
            return
        if progress.indexed == 0 and not progress.done:
            self.set_timer(FIRST_POLL_SECONDS, self._poll_first)
            return
        self._poll()

    def _poll(self) -> None:
        """While a file is indexed: update the counts, and the rows when they change."""
        progress = self.log_list.progress()
        if progress is None:
            return
        bar = self.query_one(ProgressBar)
        bar.set_class(not progress.done, "-indexing")
        bar.update(progress=progress.fraction)
        self.total = progress.indexed
        # A page not full yet fills as the index grows: asked again for logs not yet seen.
        if (
            (len(self.rows) < PAGE and progress.indexed > max(len(self.rows), self._asked))
            or (progress.listed and not self._listed)
            or (progress.complete and not self._complete)
            or self._rows_grew(progress)
        ):
            self._listed, self._complete = progress.listed, progress.complete
            current = self.current_entry()
            if self.first > 0:
                self._refresh_at_end()
            else:
                self.refresh_rows(keep=current.ordinal if current else None)
        self._title()
        if progress.done and self._timer is not None:
            self._timer.stop()
            if progress.error:
                self.notify(progress.error, severity="warning", timeout=15)
            if progress.note:
                self.notify(progress.note, timeout=10)

    def _rows_grew(self, progress: Progress) -> bool:
        """Between the two passes of a big source: the filter or order shown reads the
        rows, and a tenth more of them are built since it was asked (its matches fill
        in as the rows come, a few times, not at every poll)."""
        if progress.complete or not progress.listed:
            return False
        if from_places(self.query_filter, self.sort):
            return False  # The list of places: complete already.
        return progress.rows - self._asked_rows >= max(1, progress.indexed // 10)

    # -- what the screen says -------------------------------------------------------

    def _title(self) -> None:
        order = (self.sort, self.descending) if self.log_list.sortable else None
        progress = self.log_list.progress()
        if progress is not None and self._counted_rows is not None:
            # The matches shown were counted over the rows built when they were asked for.
            progress = msgspec.structs.replace(
                progress, rows=min(progress.rows, self._counted_rows)
            )
        line = title_line(
            self.log_list.label,
            progress,
            matching=self.matching,
            shown=len(self.rows),
            first=self.first,
            query=self.query_filter,
            order=order,
        )
        if self.failure is not None:
            line = f"{one_line(self.log_list.label, 80)} · could not list the logs"
        self.query_one("#list-title", Static).update(Content(line))

    def _filtered(self) -> bool:
        return self.query_filter != Query()

    def _show_filters(self) -> None:
        line = filters_line(self.query_filter, self.log_list.filters)
        self.query_one("#list-filters", Static).update(Content(line))

    def _details(self) -> None:
        text = details_lines(self.current_entry(), filtered=self._filtered())
        self.query_one("#list-details", Static).update(Content(text))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, _: DataTable.RowHighlighted) -> None:
        self._details()
        # Where the cursor is now: a table given new rows reports row 0 first, though
        # the cursor may have moved on since (to the last row, after End).
        cursor = self.query_one(LogTable).cursor_row
        if cursor >= len(self.rows) - NEAR:
            self.load_more()
        if self.first > 0 and cursor < NEAR:
            self.load_before()

    # -- opening logs ---------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        self._open_current()  # A click on the row under the cursor.

    def action_open_log(self) -> None:
        """Open the log under the cursor (enter in the table); pressed before the first
        rows are in, the first of them once they are."""
        if self.current_entry() is None and self._fetching_rows():
            self._open_when_listed = True
            return
        self._open_current()

    def _fetching_rows(self) -> bool:
        return any(worker.group == "rows" and worker.is_running for worker in self.workers)

    def _open_current(self) -> None:
        # Imported here: the list's first paint does without it.
        from inspector.tui.screens.log_screen import LogScreen

        entry = self.current_entry()
        if entry is not None:
            self._opened = entry
            screen = LogScreen(
                EntrySource(self.log_list, entry),
                stepper=self._step,
                resolver=self._resolve,
                position=self._position,
            )
            self.app.push_screen(screen)

    def _position(self) -> str:
        """Where the log opened last is in this list: `3 of 12`."""
        table = self.query_one(LogTable)
        if self._opened is None or not self._select(self._opened.ordinal):
            return ""
        return f"{self.first + table.cursor_row + 1:,} of {self.matching:,}"

    async def _step(self, step: int) -> LogSource | None:
        """The log after or before the one opened last, in this list's order."""
        if self._opened is None:
            return None
        found = await self.log_list.neighbour(
            self._opened, self.query_filter, self.sort, self.descending, step
        )
        if found is None:
            return None
        self._opened = found
        if step < 0 and not self._select(found.ordinal) and self.first > 0:
            await self._prepend()  # The log before the table's first row.
            self._select(found.ordinal)
        # Onwards, the next pages (rows after the table's last never hold an earlier log).
        while (
            step > 0
            and not self._select(found.ordinal)
            and len(self.rows) < min(self.matching, 10 * PAGE)
        ):
            end = self.first + len(self.rows)
            rows = await self.log_list.page(
                self.query_filter, self.sort, self.descending, end, PAGE, self._news
            )
            if not rows:
                break
            self._append(rows)
        return EntrySource(self.log_list, found)

    async def _resolve(self, log_id: str) -> LogSource | None:
        """A log of this list by id, to follow `parent_id` without the API."""
        found = await self.log_list.find(log_id)
        return EntrySource(self.log_list, found) if found is not None else None

    # -- filters and sorting -----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only what works: the filters and sorts of this list; after a failure, r and o."""
        if self.failure is not None:
            return action in ("open", "back") or (action == "reload" and self._retry)
        need = ACTION_NEEDS.get(action)
        can = self.log_list.filters | ({"sort"} if self.log_list.sortable else set())
        return need is None or bool(need & can)

    @on(ListBase.Changed)
    def _changed(self) -> None:
        self._show_filters()
        current = self.current_entry()
        self.refresh_rows(keep=current.ordinal if current else None)

    def action_filter_text(self) -> None:
        # At once, not after the keys already typed (as `focus()` does): letters typed
        # right after `/` then find the box focused, and go in it (`InspectorApp.on_key`).
        self.set_focus(self.query_one("#list-search", Input))

    @on(Input.Changed, "#list-search")
    def _typed(self, event: Input.Changed) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        value = event.value
        self._debounce = self.set_timer(0.25, lambda: self._set_query(text=value))

    @on(Input.Submitted, "#list-search")
    def _submitted(self, event: Input.Submitted) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        self.set_focus(self.query_one(LogTable))  # The keys typed after enter move in it.
        # One enter filters and opens the highlighted log, once the rows are in.
        if event.value != self.query_filter.text:
            self._open_when_listed = True
            self._set_query(text=event.value)
        elif self._fetching_rows():
            self._open_when_listed = True
        else:
            self._open_current()

    def action_reverse(self) -> None:
        self._set_sort(self.sort, not self.descending)

    @on(DataTable.HeaderSelected)
    def _header(self, event: DataTable.HeaderSelected) -> None:
        key = str(event.column_key.value)
        self._set_sort(key, not self.descending if key == self.sort else key != "label")

    def action_reload(self) -> None:
        current = self.current_entry()
        self.refresh_rows(keep=current.ordinal if current else None)

    async def action_back(self) -> None:
        search = self.query_one("#list-search", Input)
        if search.has_focus or self.query_filter.text:
            search.value = ""
            self._set_query(text="")
            self.set_focus(self.query_one(LogTable))
            return
        await self.run_action("app.go_back")

    def on_unmount(self) -> None:
        self.log_list.close()
