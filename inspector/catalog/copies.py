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
    groups = store.read("SELECT id FROM logs WHERE id IS NOT NULL GROUP BY id HAVING count(*) > 1")
    drop: list[int] = []
    for (log_id,) in groups:
        rows = store.read(
            "SELECT ordinal, file, offset, length FROM logs WHERE id = ? ORDER BY invalid, ordinal",
            [log_id],
        )
        keep = rows[0][0]
        if len(groups) <= OWN_RECORD_CHECKS:
            for ordinal, file, offset, length in rows:
                if record_id(source.read(file, offset, length)) == log_id:
                    keep = ordinal
                    break
        drop += [row[0] for row in rows if row[0] != keep]
    return drop
