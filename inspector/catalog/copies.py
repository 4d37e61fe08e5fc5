"""One row per log: which rows of the catalog repeat a log that another row already lists.

Humanloop's exporter writes an evaluated log both in its File's `logs/` and, wrapped in
an evaluation record, in `evaluations/…/logs/`; a copied file or a concatenated export
repeats logs too. A log also nested in a flow's trace (or in `evaluator_logs`) is no
row of its own: it stays reachable from that trace, and its own record is its row.
"""

from __future__ import annotations

from typing import Final

from inspector.catalog.source import Source
from inspector.catalog.store import Store
from inspector.catalog.summary import record_id

#: Up to this many repeated ids, the log's own record is told from a wrapped copy by
#: reading the bytes of each copy; above it, the first readable copy is kept.
OWN_RECORD_CHECKS: Final = 5000


def copies_to_drop(store: Store, source: Source) -> list[int]:
    """The ordinals of every row whose log id another row keeps.

    The log's own record wins over a wrapped one, then a readable record over an
    invalid one, then the first in source order.
    """
    # One sorted pass (no index on `id` exists yet while the list is being made).
    rows = store.read(
        "SELECT id, ordinal, file, offset, length FROM logs WHERE id IN"
        " (SELECT id FROM logs WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1)"
        " ORDER BY id, invalid, ordinal"
    )
    groups: dict[str, list[tuple[int, int, int, int]]] = {}
    for log_id, ordinal, file, offset, length in rows:
        groups.setdefault(log_id, []).append((ordinal, file, offset, length))
    drop: list[int] = []
    for log_id, copies in groups.items():
        keep = copies[0][0]
        if len(groups) <= OWN_RECORD_CHECKS:
            for ordinal, file, offset, length in copies:
                if record_id(source.read(file, offset, length)) == log_id:
                    keep = ordinal
                    break
        drop += [copy[0] for copy in copies if copy[0] != keep]
    return drop
