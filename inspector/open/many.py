"""Lists of logs for the list screen: a catalog of a file or folder, or a project over the API.

Both answer the same questions (how many match, a page of rows, one whole log, the
next one) with `inspector.catalog.Entry` rows, so the screen does not care where the
logs live. Plain asyncio and no Textual: the catalog's blocking calls run in a thread.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final, Protocol, TypeVar
from urllib.parse import urlsplit

import msgspec

from inspector.catalog import Catalog, Entry, Progress, Query
from inspector.catalog.shapes import Record
from inspector.catalog.stats import Stats
from inspector.catalog.store import Ticket, asking
from inspector.catalog.summary import summarize
from inspector.errors import InspectorError
from inspector.model.decode import LogDocument
from inspector.open.one import Api, retry_progress
from inspector.open.one import Progress as News
from inspector.sanitize import one_line

T = TypeVar("T")

#: Rows asked of the API per request.
API_PAGE: Final = 50
#: Most logs indexed for `CatalogList.ready` to count and fetch rows on the caller's thread.
READY_ROWS: Final = 5_000


class LogList(Protocol):
    """What the list screen needs from where the logs are."""

    #: What the list is of, for the title: a file name, or a project on a host.
    label: str
    #: True when rows can be sorted by any column (a catalog; the API sorts itself).
    sortable: bool
    #: The `Query` fields this list can filter on.
    filters: frozenset[str]

    def progress(self) -> Progress | None:
        """Indexing progress, or None when there is nothing to wait for."""
        ...

    async def count(self, query: Query, news: News) -> int:
        """How many logs match."""
        ...

    async def page(
        self, query: Query, sort: str, descending: bool, offset: int, limit: int, news: News
    ) -> list[Entry]:
        """A page of the matching rows."""
        ...

    async def document(self, entry: Entry, news: News) -> LogDocument:
        """The whole log of a row, from its exact bytes."""
        ...

    async def neighbour(
        self, entry: Entry, query: Query, sort: str, descending: bool, step: int
    ) -> Entry | None:
        """The row after (`step` 1) or before (-1) `entry` in the current order."""
        ...

    async def find(self, log_id: str) -> Entry | None:
        """The row of a log id, when this list holds it (to follow `parent_id`)."""
        ...

    async def position(self, entry: Entry, query: Query, sort: str, descending: bool) -> int | None:
        """Where `entry` is among the matching rows in this order; None when it does not
        match, or when the list cannot tell without fetching every row before it."""
        ...

    def choices(self, name: str) -> list[str]:
        """The values a filter can take: `model`, `status` or `feedback`."""
        ...

    def ready(
        self, query: Query, sort: str, descending: bool, limit: int
    ) -> tuple[int, list[Entry]] | None:
        """How many logs match and the first `limit` of them, when both can be had at once
        on the caller's thread (a few rows already indexed); None to ask `count` and `page`.

        The list screen shows these rows in its first frame instead of one frame later.
        """
        ...

    def shown(self) -> None:
        """The first rows are on screen: background work may go at full speed now."""
        ...

    def close(self) -> None:
        """Stop background work and free what the list holds."""
        ...


class CatalogList:
    """The logs of a file, folder or stdin, indexed by a `Catalog` in the background."""

    sortable = True
    filters = frozenset({"text", "model", "status", "errors_only", "feedback", "session_id"})

    def __init__(self, catalog: Catalog, label: str) -> None:
        self.catalog = catalog
        self.label = label

    def progress(self) -> Progress | None:
        return self.catalog.progress

    async def _asked(self, call: Callable[[], T]) -> T:
        """`call` on a thread; if the caller is cancelled meanwhile (a filter typed past,
        its worker replaced), its queries are given up: the next filter does not wait
        for them (about a second each for a word in most of a million logs)."""
        ticket = Ticket()

        def run() -> T:
            with asking(ticket):
                return call()

        try:
            return await asyncio.to_thread(run)
        except asyncio.CancelledError:
            ticket.cancel()
            raise

    async def count(self, query: Query, news: News) -> int:
        return await self._asked(lambda: self.catalog.count(query))

    async def stats(self, query: Query) -> Stats:
        """Totals of the logs `query` matches (given up too if the caller is cancelled:
        at a million logs they take a second or more, and hold the catalog's reader)."""
        return await self._asked(lambda: self.catalog.stats(query))

    async def page(
        self, query: Query, sort: str, descending: bool, offset: int, limit: int, news: News
    ) -> list[Entry]:
        return await self._asked(
            lambda: self.catalog.query(
                query, sort=sort, descending=descending, offset=offset, limit=limit
            )
        )

    async def document(self, entry: Entry, news: News) -> LogDocument:
        return await asyncio.to_thread(self.catalog.load, entry.ordinal)

    async def neighbour(
        self, entry: Entry, query: Query, sort: str, descending: bool, step: int
    ) -> Entry | None:
        def find() -> Entry | None:
            before, after = self.catalog.neighbours(
                entry.ordinal, query, sort=sort, descending=descending
            )
            ordinal = after if step > 0 else before
            return None if ordinal is None else self.catalog.entry(ordinal)

        return await asyncio.to_thread(find)

    async def find(self, log_id: str) -> Entry | None:
        def look() -> Entry | None:
            ordinal = self.catalog.ordinal_of(log_id)
            return None if ordinal is None else self.catalog.entry(ordinal)

        return await asyncio.to_thread(look)

    async def position(self, entry: Entry, query: Query, sort: str, descending: bool) -> int | None:
        return await self._asked(
            lambda: self.catalog.position(entry.ordinal, query, sort=sort, descending=descending)
        )

    def choices(self, name: str) -> list[str]:
        if name == "model":
            return self.catalog.models()
        if name == "status":
            return self.catalog.statuses()
        if name == "feedback":
            return self.catalog.feedback_types()
        return []

    def ready(
        self, query: Query, sort: str, descending: bool, limit: int
    ) -> tuple[int, list[Entry]] | None:
        catalog = self.catalog
        # A first page just listed: a millisecond's SQL. An index from the cache (a
        # million rows to count) is asked on a thread, as every later page is.
        if not catalog.wait(0, first_page=True) or catalog.total > READY_ROWS:
            return None
        try:
            rows = catalog.query(query, sort=sort, descending=descending, limit=limit)
            return catalog.count(query), rows
        except InspectorError:
            return None  # `count` and `page` say what went wrong, on the screen.

    def shown(self) -> None:
        self.catalog.release()

    def close(self) -> None:
        self.catalog.close()


class _Pages(msgspec.Struct):
    """The pages fetched for one search: rows and documents by position, and the total."""

    total: int | None = None
    entries: dict[int, Entry] = msgspec.field(default_factory=dict)
    documents: dict[int, LogDocument] = msgspec.field(default_factory=dict)
    fetched: set[int] = msgspec.field(default_factory=set)


class ProjectList:
    """A project's logs from `GET /logs`, fetched a page at a time as the list scrolls.

    The API searches text itself (`search`) and orders its answers; other filters and
    sorting need a file (`inspector FILE`), and the screen says so.
    """

    sortable = False
    filters = frozenset({"text"})

    def __init__(
        self,
        api: Api,
        project_id: str,
        label: str | None = None,
        *,
        file: bool = False,
        base_url: str | None = None,
    ) -> None:
        self.api = api
        self.project_id = project_id
        #: A v5 file's logs (`--file`) rather than a v4 project's.
        self.file = file
        #: Where to list from, when not the run's base URL (the demo's `/v5` beside `/v4`).
        self.base_url = base_url
        host = urlsplit(api.settings.base_url).hostname or api.settings.base_url
        self.label = label or f"project {project_id} on {host}"
        self._searches: dict[str, _Pages] = {}

    def progress(self) -> Progress | None:
        return None

    def _pages(self, query: Query) -> _Pages:
        return self._searches.setdefault(query.text.strip(), _Pages())

    async def _fetch(self, query: Query, number: int, news: News) -> _Pages:
        pages = self._pages(query)
        if number in pages.fetched:
            return pages
        text = query.text.strip()
        page = await self.api.client(self.base_url).list_logs(
            self.project_id,
            page=number,
            size=API_PAGE,
            search=text or None,
            on_retry=retry_progress(news),
            file=self.file,
        )
        pages.total = page.total
        pages.fetched.add(number)
        for index, doc in enumerate(page.records):
            position = number * API_PAGE + index
            record = Record(0, 0, len(doc.raw), f"API page {number} · records[{index}]", doc.raw)
            row, _ = summarize(record, position)
            pages.entries[position] = Entry.from_row(row)
            pages.documents[position] = doc
        return pages

    async def count(self, query: Query, news: News) -> int:
        pages = await self._fetch(query, 0, news)
        return pages.total or 0

    async def page(
        self, query: Query, sort: str, descending: bool, offset: int, limit: int, news: News
    ) -> list[Entry]:
        pages = await self._fetch(query, 0, news)
        end = min(offset + limit, pages.total or 0)
        for number in range(offset // API_PAGE, (end - 1) // API_PAGE + 1 if end else 0):
            pages = await self._fetch(query, number, news)
        return [pages.entries[i] for i in range(offset, end) if i in pages.entries]

    async def document(self, entry: Entry, news: News) -> LogDocument:
        for pages in self._searches.values():
            doc = pages.documents.get(entry.ordinal)
            if doc is not None and doc.log.id == entry.id:
                return doc
        if entry.id is None:
            raise InspectorError("this row has no log id to fetch")
        client = self.api.client(self.base_url)
        return await client.get_log(entry.id, on_retry=retry_progress(news))

    async def neighbour(
        self, entry: Entry, query: Query, sort: str, descending: bool, step: int
    ) -> Entry | None:
        position = entry.ordinal + step
        pages = self._pages(query)
        if position < 0 or (pages.total is not None and position >= pages.total):
            return None

        def ignore(_: object) -> None:
            return None

        pages = await self._fetch(query, position // API_PAGE, ignore)
        return pages.entries.get(position)

    async def find(self, log_id: str) -> Entry | None:
        for pages in self._searches.values():
            for entry in pages.entries.values():
                if entry.id == log_id:
                    return entry
        return None

    async def position(self, entry: Entry, query: Query, sort: str, descending: bool) -> int | None:
        return None  # The API pages in its own order: only the rows fetched are known.

    def choices(self, name: str) -> list[str]:
        return []

    def ready(
        self, query: Query, sort: str, descending: bool, limit: int
    ) -> tuple[int, list[Entry]] | None:
        return None  # Every page is a request.

    def shown(self) -> None:
        """Nothing runs in the background."""

    def close(self) -> None:
        """Nothing to stop: the app closes the shared client."""


class ChainedList:
    """Several API lists shown as one, one after the other (the demo's v4 project and its
    v5 flow file). Rows are numbered across the lists; each row is fetched, opened and
    stepped through by the list it came from."""

    sortable = False
    filters = frozenset({"text"})

    def __init__(self, parts: list[ProjectList], label: str) -> None:
        self.parts = parts
        self.label = label
        #: Which list each row shown came from, and where that list's rows start.
        self._origin: dict[tuple[int, str | None], tuple[ProjectList, int]] = {}

    def progress(self) -> Progress | None:
        return None

    async def _counts(self, query: Query, news: News) -> list[int]:
        return [await part.count(query, news) for part in self.parts]

    async def count(self, query: Query, news: News) -> int:
        return sum(await self._counts(query, news))

    async def page(
        self, query: Query, sort: str, descending: bool, offset: int, limit: int, news: News
    ) -> list[Entry]:
        found: list[Entry] = []
        base = 0
        for part, count in zip(self.parts, await self._counts(query, news), strict=True):
            start, end = max(offset, base), min(offset + limit, base + count)
            if start < end:
                rows = await part.page(query, sort, descending, start - base, end - start, news)
                found += [self._numbered(row, part, base) for row in rows]
            base += count
        return found

    def _numbered(self, row: Entry, part: ProjectList, base: int) -> Entry:
        shown = msgspec.structs.replace(row, ordinal=row.ordinal + base)
        self._origin[(shown.ordinal, shown.id)] = (part, base)
        return shown

    async def _part(self, position: int, query: Query) -> tuple[ProjectList, int] | None:
        """The list holding row `position`, and where that list's rows start."""

        def ignore(_: object) -> None:
            return None

        base = 0
        for part in self.parts:
            count = await part.count(query, ignore)
            if 0 <= position - base < count:
                return part, base
            base += count
        return None

    async def document(self, entry: Entry, news: News) -> LogDocument:
        part, base = self._origin.get((entry.ordinal, entry.id), (self.parts[0], 0))
        return await part.document(
            msgspec.structs.replace(entry, ordinal=entry.ordinal - base), news
        )

    async def neighbour(
        self, entry: Entry, query: Query, sort: str, descending: bool, step: int
    ) -> Entry | None:
        found = await self._part(entry.ordinal + step, query)
        if found is None:
            return None
        part, base = found
        position = entry.ordinal + step - base
        pages = await part._fetch(query, position // API_PAGE, lambda _: None)
        row = pages.entries.get(position)
        return None if row is None else self._numbered(row, part, base)

    async def find(self, log_id: str) -> Entry | None:
        base = 0
        for part in self.parts:
            row = await part.find(log_id)
            if row is not None:
                return self._numbered(row, part, base)
            base += part._pages(Query()).total or 0
        return None

    async def position(self, entry: Entry, query: Query, sort: str, descending: bool) -> int | None:
        return None  # Each project's API pages in its own order, as `ProjectList`.

    def choices(self, name: str) -> list[str]:
        return []

    def ready(
        self, query: Query, sort: str, descending: bool, limit: int
    ) -> tuple[int, list[Entry]] | None:
        return None  # Every page is a request.

    def shown(self) -> None:
        """Nothing runs in the background."""

    def close(self) -> None:
        """Nothing to stop: the app closes the shared client."""


def demo_list(api: Api, parts: list[tuple[str, str]]) -> ProjectList | ChainedList:
    """The demo's list: its sample projects (`(name, id)`; a `-v5` name is a v5 file)."""
    where = api.settings.base_url
    # A v5 file is listed from the server's `/v5` API, beside the v4 one.
    v5 = where.rstrip("/").removesuffix("/v4") + "/v5"
    lists = [
        ProjectList(
            api,
            project,
            f"demo: project {name} on {v5 if name.endswith('-v5') else where}",
            file=name.endswith("-v5"),
            base_url=v5 if name.endswith("-v5") else None,
        )
        for name, project in parts
    ]
    if len(lists) == 1:
        return lists[0]
    names = " and ".join(name for name, _ in parts)
    return ChainedList(lists, f"demo: projects {names} on {where}")


@dataclass(frozen=True)
class EntrySource:
    """A `LogSource` for one row of a list: loads (and reloads) that log's bytes."""

    log_list: LogList = field(compare=False)
    entry: Entry

    @property
    def label(self) -> str:
        return one_line(self.entry.id or self.entry.location, 120)

    @property
    def reloadable(self) -> bool:
        return True

    async def load(self, progress: News) -> LogDocument:
        progress(f"Opening {self.label}")
        return await self.log_list.document(self.entry, progress)
