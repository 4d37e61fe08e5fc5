"""One row per log: which rows of the catalog repeat a log that another row already lists.

Humanloop's exporter writes an evaluated log both in its File's `logs/` and, wrapped in
an evaluation record, in `evaluations/…/logs/`; a copied file or a concatenated export
repeats logs too. A log also nested in a flow's trace (or in `evaluator_logs`) is no
row of its own: it stays reachable from that trace, and its own record is its row.

Repeats are spotted while the rows come in (`Repeats`), from a 32-bit hash of each id
that a worker computes beside its rows: one bit per hash value says it was seen. When
listing ends, only the rows whose hash came twice are read back and compared by their
ids. A `GROUP BY id` over every row at that point sorted a million ids in 1.2 s, all
of it after the last row was in.
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, Final

from inspector.catalog.entry import COLUMNS
from inspector.catalog.summary import record_id

if TYPE_CHECKING:  # A worker imports this module for `id_hashes` alone.
    from inspector.catalog.source import Source
    from inspector.catalog.store import Store

#: Up to this many repeated ids, the log's own record is told from a wrapped copy by
#: reading the bytes of each copy; above it, the first readable copy is kept.
OWN_RECORD_CHECKS: Final = 5000
#: Where a row's ordinal and id are (`summary.Row`).
_ORDINAL: Final = COLUMNS.index("ordinal")
_ID: Final = COLUMNS.index("id")
#: Bits of `Repeats`'s table: 16 or more for each log a source may hold (a log is rarely
#: under 300 bytes), at most 2**26 (8 MB). A million ids leave about 1.5 % of them sharing
#: a bit with another; `Repeats.suspects` sets those apart by their whole hash.
MAX_BITS: Final = 1 << 26
_MIN_BITS: Final = 1 << 16
_BYTES_PER_LOG: Final = 300
#: Ordinals looked up per query: under the 999 parameters of SQLite before 3.32.
_LOOKUP: Final = 500


def id_hash(log_id: Any) -> int:
    """A hash of a row's id that every process agrees on (unlike `hash`); 0 for no id."""
    if log_id is None:
        return 0
    return zlib.crc32(str(log_id).encode("utf-8", "surrogatepass")) | 1


def id_hashes(rows: Iterable[Sequence[Any]]) -> array[int]:
    """`id_hash` of each row (`summary.Row`), in their order."""
    return array("I", [id_hash(row[_ID]) for row in rows])


class Repeats:
    """The id hash of every row listed so far, and the hashes seen more than once.

    Rows are added in source order, a batch at a time; `suspects` then names every row
    whose hash another row shares: every repeated id is among them, with the rare rows
    whose different ids hash alike, which `copies_to_drop` tells apart.
    """

    def __init__(self, source_bytes: int = 0, *, bits: int | None = None) -> None:
        """A table sized for a source of `source_bytes` (or of `bits` bits, for tests)."""
        if bits is None:
            expected = max(1, source_bytes // _BYTES_PER_LOG)
            bits = min(MAX_BITS, max(_MIN_BITS, 1 << (16 * expected).bit_length()))
        self._mask = bits - 1
        #: One bit a slot, made at the first `add`: a million logs' table is 8 MB, and
        #: zeroing it took 5 ms, which a catalog made before its first page would wait.
        self._seen: bytearray | None = None
        #: Every row's hash, by ordinal (4 bytes a row).
        self._hashes = array("I")
        self._twice: set[int] = set()

    def add(self, first: int, hashes: array[int]) -> None:
        """The hashes of the rows from ordinal `first` on (`id_hashes`)."""
        if first > len(self._hashes):  # Ordinals no row has: nothing to compare.
            self._hashes.extend([0] * (first - len(self._hashes)))
        elif first < len(self._hashes):
            raise ValueError(f"rows from {first} added twice")
        if self._seen is None:
            self._seen = bytearray(max(1, (self._mask + 1) // 8))
        seen, mask, twice = self._seen, self._mask, self._twice
        for value in hashes:
            if value:
                slot = value & mask
                byte, bit = slot >> 3, 1 << (slot & 7)
                if seen[byte] & bit:
                    twice.add(slot)
                else:
                    seen[byte] |= bit
        self._hashes.extend(hashes)

    def add_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        """Rows in memory (`summary.Row`), their ordinals consecutive."""
        if rows:
            self.add(rows[0][_ORDINAL], id_hashes(rows))

    def suspects(self) -> list[int]:
        """The ordinals of the rows whose whole hash another row has too."""
        twice, mask = self._twice, self._mask
        if not twice:
            return []
        # Rows whose slot was taken twice, then of those the ones whose whole 32 bits
        # repeat: ids that only shared a slot differ there, and are not read back.
        found = [
            (ordinal, value)
            for ordinal, value in enumerate(self._hashes)
            if value and value & mask in twice
        ]
        counts = Counter(value for _, value in found)
        return [ordinal for ordinal, value in found if counts[value] > 1]


def copies_to_drop(
    store: Store,
    source: Source,
    repeats: Repeats,
    table: str = "logs",
    read: Callable[[int, Any, int], bytes] | None = None,
) -> list[int]:
    """The ordinals of every row whose log id another row keeps (rows of `logs`, or
    of `places` for a listing in two passes: both have the columns read here).
    `read(file, offset, length)` reads a record's bytes (`source.read` by default).

    The log's own record wins over a wrapped one, then a readable record over an
    invalid one, then the first in source order.
    """
    groups: dict[str, list[tuple[int, int, int, int, int]]] = {}
    suspects = repeats.suspects()
    for start in range(0, len(suspects), _LOOKUP):
        chunk = suspects[start : start + _LOOKUP]
        rows = store.read(
            f"SELECT id, invalid, ordinal, file, offset, length FROM {table}"
            f" WHERE ordinal IN ({', '.join('?' * len(chunk))}) AND id IS NOT NULL",
            chunk,
        )
        for log_id, *place in rows:
            groups.setdefault(log_id, []).append(tuple(place))
    repeated = {log_id: sorted(rows) for log_id, rows in groups.items() if len(rows) > 1}
    drop: list[int] = []
    for log_id, copies in sorted(repeated.items()):
        keep = copies[0][1]
        if len(repeated) <= OWN_RECORD_CHECKS:
            for _, ordinal, file, offset, length in copies:
                if record_id((read or source.read)(file, offset, length)) == log_id:
                    keep = ordinal
                    break
        drop += [copy[1] for copy in copies if copy[1] != keep]
    return drop
