"""`ListScreen`: many logs in a table, filtered and sorted, opened one at a time."""

from __future__ import annotations

from dataclasses import replace
from typing import ClassVar, Final

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.dom import DOMNode
from textual.timer import Timer
from textual.widgets import DataTable, Footer, Input, ProgressBar, Static

from inspector.catalog import Entry, Query
from inspector.errors import InspectorError
from inspector.open.many import EntrySource, LogList
from inspector.open.one import LogSource, Waiting
from inspector.sanitize import one_line
from inspector.tui.screens.choice import ChoiceScreen
from inspector.tui.screens.list_compare import CompareKeys
from inspector.tui.screens.log_screen import LogScreen
from inspector.tui.widgets.list_rows import COLUMNS, SORT_TITLES, row_cells

#: Rows fetched at a time; more are fetched as the cursor nears the end.
PAGE: Final = 200


class ListScreen(CompareKeys):
    """A table of logs with filters; enter opens one, `]` and `[` step through them."""

    AUTO_FOCUS = ""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter_text", "Filter", tooltip="Filter by words in the logs"),
        Binding("e", "errors_only", "Errors", tooltip="Show only logs with an error"),
        Binding("m", "filter_model", "Model", tooltip="Show only one model"),
        Binding("t", "filter_status", "Status", show=False, tooltip="Show only one status"),
        Binding("f", "filter_feedback", "Feedback", show=False, tooltip="Filter by feedback"),
        Binding("g", "session", "Session", tooltip="Only the selected log's session, or all"),
        Binding("c", "clear_filters", "Clear", tooltip="Clear every filter"),
        Binding("s", "sort", "Sort", tooltip="Sort by a column"),
        Binding("S", "reverse", "Reverse", show=False, tooltip="Reverse the order"),
        Binding("r", "reload", "Reload", show=False, tooltip="Fetch the rows again"),
        Binding("o", "app.open_target", "Open", show=False, tooltip="Open another log or list"),
        Binding("escape", "back", "Back", show=False, tooltip="Back, or clear the filter text"),
    ]

    DEFAULT_CSS = """
    ListScreen #list-title { height: 1; padding: 0 1; background: $panel; }
    ListScreen #list-filters { height: 1; padding: 0 1; background: $panel; color: $text-muted; }
    ListScreen #list-search { height: 1; border: none; padding: 0 1; background: $boost; }
    ListScreen ProgressBar { height: 1; padding: 0 1; display: none; }
    ListScreen ProgressBar.-indexing { display: block; }
    ListScreen DataTable { height: 1fr; }
    ListScreen #list-details { height: 2; padding: 0 1; background: $boost; color: $text-muted; }
    """

    def __init__(self, log_list: LogList) -> None:
        super().__init__()
        self.log_list = log_list
        self.query_filter = Query()
        self.sort = "created_at"
        self.descending = True
        self.rows: list[Entry] = []
        self.total = 0
        self.matching = 0
        self._opened: Entry | None = None
        self._timer: Timer | None = None
        self._debounce: Timer | None = None
        self._listed = False

    def key_sections(self) -> list[tuple[str, type[DOMNode]]]:
        """Where the keys of this screen work, for the help screen (`?`)."""
        return [("A list of logs", ListScreen)]

    def compose(self) -> ComposeResult:
        yield Static(id="list-title")
        yield Input(
            placeholder="/ to filter: words in ids, outputs, messages, errors", id="list-search"
        )
        yield Static(id="list-filters")
        yield ProgressBar(total=1.0, show_eta=False, id="list-progress")
        table: DataTable[Text] = DataTable(cursor_type="row", zebra_stripes=True)
        for title, key, width in COLUMNS:
            table.add_column(title, key=key, width=width or None)
        yield table
        yield Static(id="list-details")
        yield Footer()

    def on_mount(self) -> None:
        self._show_filters()
        self._title()
        self.refresh_rows()
        if self.log_list.progress() is not None:
            self._timer = self.set_interval(0.3, self._poll)
        self.query_one(DataTable).focus()

    # -- rows ----------------------------------------------------------------------

    def _news(self, news: str | Waiting) -> None:
        text = news if isinstance(news, str) else news.reason
        self.query_one("#list-details", Static).update(Content(one_line(text, 200)))

    @work(exclusive=True, group="rows", exit_on_error=False)
    async def refresh_rows(self, keep: int | None = None) -> None:
        """Count the matching logs and show the first page (keeping the cursor's log)."""
        try:
            self.matching = await self.log_list.count(self.query_filter, self._news)
            rows = await self.log_list.page(
                self.query_filter, self.sort, self.descending, 0, PAGE, self._news
            )
        except InspectorError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        table = self.query_one(DataTable)
        table.clear()
        self.rows = []
        self._append(rows)
        self._title()
        if keep is not None:
            self._select(keep)
        self._details()

    def _append(self, rows: list[Entry]) -> None:
        table = self.query_one(DataTable)
        for entry in rows:
            table.add_row(*row_cells(entry), key=str(entry.ordinal))
        self.rows.extend(rows)

    @work(exclusive=True, group="more", exit_on_error=False)
    async def load_more(self) -> None:
        """Fetch the next page of rows."""
        if len(self.rows) >= self.matching:
            return
        try:
            rows = await self.log_list.page(
                self.query_filter, self.sort, self.descending, len(self.rows), PAGE, self._news
            )
        except InspectorError as error:
            self.notify(error.message, severity="error", timeout=10)
            return
        self._append(rows)
        self._title()

    def _select(self, ordinal: int) -> bool:
        for index, entry in enumerate(self.rows):
            if entry.ordinal == ordinal:
                self.query_one(DataTable).move_cursor(row=index)
                return True
        return False

    def _poll(self) -> None:
        """While a file is indexed: update the counts, and the rows when they change."""
        progress = self.log_list.progress()
        if progress is None:
            return
        bar = self.query_one(ProgressBar)
        bar.set_class(not progress.done, "-indexing")
        bar.update(progress=progress.fraction)
        self.total = progress.indexed
        if (len(self.rows) < PAGE and progress.indexed > len(self.rows)) or (
            progress.listed and not self._listed
        ):
            self._listed = progress.listed
            current = self.current_entry()
            self.refresh_rows(keep=current.ordinal if current else None)
        self._title()
        if progress.done and self._timer is not None:
            self._timer.stop()
            if progress.error:
                self.notify(progress.error, severity="warning", timeout=15)
            if progress.note:
                self.notify(progress.note, timeout=10)

    def current_entry(self) -> Entry | None:
        """The row under the cursor."""
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # -- what the screen says -------------------------------------------------------

    def _title(self) -> None:
        progress = self.log_list.progress()
        total = progress.indexed if progress is not None else self.matching
        parts = [one_line(self.log_list.label, 80)]
        if progress is not None and not progress.listed:
            parts.append(f"indexing… {total:,} logs so far")
        elif progress is not None:
            parts.append(f"{total:,} logs")
        if self._filtered() or progress is None:
            parts.append(f"{self.matching:,} match")
        parts.append(f"showing {len(self.rows):,}")
        if (
            progress is not None
            and progress.listed
            and not progress.done
            and self.query_filter.text
        ):
            parts.append(f"text search covers {progress.searchable:,} so far")
        order = "↓" if self.descending else "↑"
        sort = SORT_TITLES.get(self.sort, self.sort) if self.log_list.sortable else "server order"
        parts.append(f"sorted by {sort} {order if self.log_list.sortable else ''}".rstrip())
        self.query_one("#list-title", Static).update(Content(" · ".join(parts)))

    def _filtered(self) -> bool:
        return self.query_filter != Query()

    def _show_filters(self) -> None:
        q = self.query_filter
        items = [
            f"model: {one_line(q.model, 40) if q.model else 'any'} (m)",
            f"status: {one_line(q.status, 20) if q.status else 'any'} (t)",
            f"errors only: {'yes' if q.errors_only else 'no'} (e)",
            f"feedback: {one_line(q.feedback, 30) if q.feedback else 'any'} (f)",
            f"session: {one_line(q.session_id, 30) if q.session_id else 'any'} (g)",
        ]
        if not self.log_list.sortable:
            items = ["the API filters by text only (/); open a file of logs for more"]
        self.query_one("#list-filters", Static).update(Content("   ".join(items)))

    def _details(self) -> None:
        entry = self.current_entry()
        if entry is None:
            sentence = "No logs match." if self._filtered() else "No logs yet."
            self.query_one("#list-details", Static).update(Content(sentence))
            return
        facts = [
            f"session {entry.session_id}" if entry.session_id else "",
            f"parent {entry.parent_id}" if entry.parent_id else "",
            f"{entry.evaluation_count} evaluations" if entry.evaluation_count else "",
            f"feedback {entry.feedback}" if entry.feedback else "",
            entry.location,
        ]
        line = one_line(" · ".join(f for f in facts if f), 400)
        error = f"error: {one_line(entry.error, 300)}" if entry.error else ""
        self.query_one("#list-details", Static).update(Content(f"{line}\n{error}".rstrip()))

    @on(DataTable.RowHighlighted)
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._details()
        if event.cursor_row >= len(self.rows) - 30:
            self.load_more()

    # -- opening logs ---------------------------------------------------------------

    @on(DataTable.RowSelected)
    def _selected(self, event: DataTable.RowSelected) -> None:
        entry = self.current_entry()
        if entry is not None:
            self._open(entry)

    def _open(self, entry: Entry) -> None:
        self._opened = entry
        screen = LogScreen(
            EntrySource(self.log_list, entry), stepper=self._step, resolver=self._resolve
        )
        self.app.push_screen(screen)

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
        while not self._select(found.ordinal) and len(self.rows) < min(self.matching, 10 * PAGE):
            before = len(self.rows)
            rows = await self.log_list.page(
                self.query_filter, self.sort, self.descending, before, PAGE, self._news
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

    def _set_query(self, **changes: object) -> None:
        unsupported = [name for name in changes if name not in self.log_list.filters]
        if unsupported:
            self.notify(
                "The API filters by text only; open an export file for other filters.",
            )
            return
        self.query_filter = replace(self.query_filter, **changes)  # type: ignore[arg-type]
        self._show_filters()
        current = self.current_entry()
        self.refresh_rows(keep=current.ordinal if current else None)

    def action_filter_text(self) -> None:
        self.query_one("#list-search", Input).focus()

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
        if event.value != self.query_filter.text:
            self._set_query(text=event.value)
        self.query_one(DataTable).focus()

    def action_errors_only(self) -> None:
        self._set_query(errors_only=not self.query_filter.errors_only)

    def _choose(self, name: str, title: str) -> None:
        if name not in self.log_list.filters:
            self._set_query(**{name: None})
            return
        choices = self.log_list.choices(name)
        if not choices:
            self.notify(f"No {name} values in these logs")
            return

        def chosen(value: str | None) -> None:
            if value is not None:
                self._set_query(**{name: value or None})

        self.app.push_screen(ChoiceScreen(title, choices, any_label=f"any {name}"), chosen)

    def action_filter_model(self) -> None:
        self._choose("model", "Show the logs of one model")

    def action_filter_status(self) -> None:
        self._choose("status", "Show the logs with one status")

    def action_filter_feedback(self) -> None:
        self._choose("feedback", "Show the logs with this feedback")

    def action_session(self) -> None:
        if self.query_filter.session_id is not None:
            self._set_query(session_id=None)
            return
        entry = self.current_entry()
        if entry is None or not entry.session_id:
            self.notify("The selected log has no session_id")
            return
        self._set_query(session_id=entry.session_id)

    def action_clear_filters(self) -> None:
        self.query_one("#list-search", Input).value = ""
        self.query_filter = Query()
        self._show_filters()
        self.refresh_rows()

    def _set_sort(self, key: str, descending: bool) -> None:
        if not self.log_list.sortable:
            self.notify("The API decides the order; open an export file to sort.")
            return
        self.sort, self.descending = key, descending
        current = self.current_entry()
        self.refresh_rows(keep=current.ordinal if current else None)

    def action_sort(self) -> None:
        keys = list(SORT_TITLES)

        def chosen(value: str | None) -> None:
            if value:
                self._set_sort(keys[[SORT_TITLES[k] for k in keys].index(value)], self.descending)

        self.app.push_screen(ChoiceScreen("Sort by", [SORT_TITLES[k] for k in keys]), chosen)

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
            self.query_one(DataTable).focus()
            return
        await self.run_action("app.go_back")

    def on_unmount(self) -> None:
        self.log_list.close()
