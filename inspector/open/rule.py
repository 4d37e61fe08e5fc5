"""The one rule for what a target opens as: one log, or a list of many.

`inspector TARGET`, `o` in the app, and `inspector show TARGET` all go through here, so a
file is one log or a list for every command alike, and is read once to decide.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from inspector.catalog.source import Source, holds_many, open_source
from inspector.errors import InspectorError
from inspector.model.decode import LogDocument
from inspector.open.one import Api, ApiSource, DocumentSource, FileSource, LogSource
from inspector.open.targets import Target, classify
from inspector.sanitize import one_line

if TYPE_CHECKING:
    from inspector.open.many import CatalogList, LogList


def open_local(target: Target | bytes, *, label: str | None = None) -> LogDocument | Source:
    """A file, folder or stdin bytes: the one log it holds (decoded), or the source of many."""
    if isinstance(target, bytes):
        return open_source(target, label=label or "stdin")
    if target.kind == "id":
        raise InspectorError(f"{one_line(target.value, 120)} is a log id, not a file")
    return open_source(target.value, label=label)


#: Longest `list_of` waits for the first page of rows before the list is shown.
FIRST_PAGE_SECONDS = 0.2


def list_of(source: Source) -> CatalogList:
    """A source of many logs as a list, indexed in the background from now on."""
    # Imported here: one log's first paint never needs the index (SQLite, processes).
    from inspector.catalog.catalog import Catalog
    from inspector.open.many import CatalogList

    catalog = Catalog(source)
    # Held after its first page until the list says it is drawn (`CatalogList.shown`).
    catalog.start(hold=True)
    # That page takes milliseconds: the list finds it when it mounts, not a poll later.
    catalog.wait(FIRST_PAGE_SECONDS, first_page=True)
    return CatalogList(catalog, source.label)


def open_target(
    target: Target | bytes | None, api: Api, *, project: str | None = None
) -> LogSource | LogList:
    """What the app shows for a target: a log to load, or a list of logs.

    A file whose first bytes start an array or JSON Lines is a list at once; any other
    file is loaded as one log in the background (the app paints first), and a list page
    found then comes back as `ManyLogs` with the source already opened.
    """
    if project is not None or target is None:
        if project is None:
            raise InspectorError("nothing to open: give a TARGET or --project")
        from inspector.open.many import ProjectList  # only lists need it: first paint

        return ProjectList(api, project)
    if isinstance(target, bytes):
        opened = open_local(target)
        return DocumentSource(opened) if isinstance(opened, LogDocument) else list_of(opened)
    if target.kind == "id":
        return ApiSource(target.value, api)
    if target.kind == "stdin":
        raise InspectorError("stdin can only be read when inspector starts")
    if target.kind == "file" and not starts_like_many(target.value):
        return FileSource(target.value)
    opened = open_local(target)
    return DocumentSource(opened) if isinstance(opened, LogDocument) else list_of(opened)


def open_text(text: str, api: Api) -> LogSource | LogList:
    """A target typed by the user (`o`): a path, a folder or a log id."""
    return open_target(classify(text), api)


def starts_like_many(path: str) -> bool:
    """True when a file starts like a list of logs (an array or JSON Lines), or is gzip.

    Reads only the first bytes (never waiting on a FIFO); a list page (`{"records": …}`)
    is an object, found when the file is loaded (`inspector.open.one.load_file`).
    """
    return holds_many(path)
