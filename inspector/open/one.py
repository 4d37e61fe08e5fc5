"""Where a log comes from: a file, bytes already read, a decoded document, or the API.

Each source loads a `LogDocument` on demand, so `r` can load it again. Plain asyncio,
no Textual: the TUI awaits these in a worker and shows the progress they report.
"""

from __future__ import annotations

import asyncio
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

import msgspec

from inspector.catalog import Source, open_source
from inspector.errors import InspectorError
from inspector.model.decode import LogDocument
from inspector.present.words import format_bytes
from inspector.sanitize import one_line
from inspector.settings import safe_url

if TYPE_CHECKING:
    # Imported when first used: `inspector show FILE` never needs httpx.
    from inspector.api.client import HumanloopClient
    from inspector.api.retry import RetryNotice
    from inspector.settings import Settings


class Waiting(msgspec.Struct, frozen=True):
    """Loading is waiting before another attempt; the screen counts down to `until`."""

    reason: str
    #: `time.monotonic()` when the next attempt starts.
    until: float
    attempt: int
    attempts: int

    def describe(self, now: float) -> str:
        """`HTTP 503 from host on attempt 1 of 3; trying again in 1.4 s` as of `now`."""
        left = max(0.0, self.until - now)
        return (
            f"{self.reason} on attempt {self.attempt - 1} of {self.attempts}; "
            f"trying again in {left:.1f} s"
        )


#: Called with a sentence about what is happening ("Reading… 12 MB of 50 MB"), or with
#: a `Waiting` while a fetch waits to try again.
Progress = Callable[[str | Waiting], None]

#: Regular files up to this size are read and decoded on the event loop, in about 30 ms.
INLINE = 16 * 1024 * 1024


class ManyLogs(InspectorError):
    """A file opened as one log holds many (a list page): show this source as a list."""

    def __init__(self, source: Source) -> None:
        super().__init__(f"{one_line(source.label, 200)} holds many logs")
        self.source = source


def load_file(path: str) -> LogDocument:
    """One file's log, or `ManyLogs` with the opened source when it is a list of logs."""
    opened = open_source(path)
    if isinstance(opened, Source):
        raise ManyLogs(opened)
    return opened


class LogSource(Protocol):
    """Something that can (re)load one log."""

    @property
    def label(self) -> str:
        """How the source is named on screen before the log is known."""
        ...

    @property
    def reloadable(self) -> bool:
        """True when loading again can give a different log (a file, the API)."""
        ...

    async def load(self, progress: Progress) -> LogDocument:
        """Load and decode the log, or raise an `InspectorError`."""
        ...


class FileSource(msgspec.Struct, frozen=True):
    """A JSON file of one log; reloading reads the file again."""

    path: str

    @property
    def label(self) -> str:
        return one_line(self.path, 120)

    @property
    def reloadable(self) -> bool:
        return True

    async def load(self, progress: Progress) -> LogDocument:
        try:
            info = Path(self.path).stat()
            small = stat.S_ISREG(info.st_mode) and info.st_size <= INLINE
        except OSError:
            small = False  # `load_file` words the error
        if small:
            # Faster than a trip to a thread that competes with the first frames for the
            # GIL, and the log is on the first frame. Big files get a thread and a line.
            return load_file(self.path)
        if info_size := _size(self.path):
            progress(f"Reading {self.label}: {format_bytes(info_size)}")
        else:
            progress(f"Reading {self.label}")
        return await asyncio.to_thread(load_file, self.path)


def _size(path: str) -> int | None:
    try:
        return Path(path).stat().st_size
    except OSError:
        return None


@dataclass(frozen=True)
class DocumentSource:
    """A log that is already decoded: nested in another log, or taken from a list."""

    doc: LogDocument
    #: Loads the log again from where it came from, when that is possible.
    reload: Callable[[], LogDocument] | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return one_line(self.doc.log.id, 120)

    @property
    def reloadable(self) -> bool:
        return self.reload is not None

    async def load(self, progress: Progress) -> LogDocument:
        if self.reload is not None:
            return await asyncio.to_thread(self.reload)
        return self.doc


class Api:
    """The one `HumanloopClient` of a run, opened when first needed and closed at exit.

    Every fetch of the run (logs, list pages, parents) shares its connection pool.
    """

    def __init__(self, settings: Settings, transport: Any = None) -> None:
        self.settings = settings
        self.transport = transport
        self._client: HumanloopClient | None = None
        #: Clients for other base URLs of the same server (the demo's `/v5` beside `/v4`).
        self._others: dict[str, HumanloopClient] = {}

    def client(self, base_url: str | None = None) -> HumanloopClient:
        """The shared client (`inspector.api.client.HumanloopClient`), created on first use;
        with `base_url`, one for that base (same key and limits), also closed at exit."""
        from inspector.api.client import HumanloopClient

        if base_url is not None and base_url != self.settings.base_url:
            if base_url not in self._others:
                settings = replace(self.settings, base_url=base_url)
                self._others[base_url] = HumanloopClient(settings, transport=self.transport)
            return self._others[base_url]
        if self._client is None:
            self._client = HumanloopClient(self.settings, transport=self.transport)
        return self._client

    async def aclose(self) -> None:
        """Close the clients' connections, if they were ever opened."""
        for other in self._others.values():
            await other.aclose()
        self._others.clear()
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def retry_progress(progress: Progress) -> Callable[[RetryNotice], None]:
    """Turn the client's retry notices into `Waiting` news for a progress callback."""

    def on_retry(notice: RetryNotice) -> None:
        until = time.monotonic() + notice.wait
        progress(Waiting(notice.reason, until, notice.attempt, notice.attempts))

    return on_retry


@dataclass(frozen=True)
class ApiSource:
    """A log fetched by id from the Humanloop API (or the demo's loopback server)."""

    log_id: str
    api: Api = field(compare=False)

    @property
    def label(self) -> str:
        return one_line(self.log_id, 120)

    @property
    def reloadable(self) -> bool:
        return True

    async def load(self, progress: Progress) -> LogDocument:
        progress(f"Fetching {self.label} from {one_line(safe_url(self.api.settings.base_url), 80)}")
        client = self.api.client()
        return await client.get_log(self.log_id, on_retry=retry_progress(progress))
