"""The v4 logs of a list related to one log: its parent chain, their children, its session.

A v4 log points up with `parent_id` and shares a `session_id` with its session; the
catalog indexes both, so its tree is found with a few indexed queries and no log decoded.
"""

from __future__ import annotations

import asyncio
from typing import Final

from inspector.catalog import Catalog, Entry, Query
from inspector.open.many import CatalogList, LogList

#: At most this many related logs are gathered (a runaway session stays bounded).
LIMIT: Final = 100_000


def related_entries(catalog: Catalog, log_id: str, limit: int = LIMIT) -> list[Entry]:
    """The logs of `catalog` in the same tree or session as `log_id`, in source order.

    The tree is that of the topmost ancestor present (following `parent_id` while the
    parent is in the catalog, stopping at a cycle), with every log below it; the logs
    sharing the log's `session_id` are added with everything below them.
    """
    ordinal = catalog.ordinal_of(log_id)
    entry = catalog.entry(ordinal) if ordinal is not None else None
    if entry is None:
        return []
    found: dict[int, Entry] = {entry.ordinal: entry}
    top = entry
    seen = {log_id}
    while top.parent_id and top.parent_id not in seen:
        seen.add(top.parent_id)
        up = catalog.ordinal_of(top.parent_id)
        above = catalog.entry(up) if up is not None else None
        if above is None:
            break
        found[above.ordinal] = top = above
    if entry.session_id:
        for member in catalog.entries(Query(session_id=entry.session_id)):
            if len(found) >= limit:
                break
            found.setdefault(member.ordinal, member)
    # Everything below what is found so far, level by level (each log walked once).
    walked: set[str] = set()
    level = [row.id for row in found.values() if row.id]
    while level and len(found) < limit:
        below: list[str] = []
        for parent_id in level:
            if parent_id in walked:
                continue
            walked.add(parent_id)
            for child in catalog.children(parent_id):
                if child in found or len(found) >= limit:
                    continue
                row = catalog.entry(child)
                if row is not None:
                    found[child] = row
                    if row.id:
                        below.append(row.id)
        level = below
    return [found[key] for key in sorted(found)]


async def related_in(log_list: LogList, log_id: str) -> list[Entry] | None:
    """The related logs of a list, or None when the list cannot say (a project over the API)."""
    if not isinstance(log_list, CatalogList):
        return None
    return await asyncio.to_thread(related_entries, log_list.catalog, log_id)
