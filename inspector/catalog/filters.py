"""Filters as typed on a command line (`--since 7d`, `--until 2024-09-30`) made into a `Query`."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Final

from inspector.catalog.entry import Query
from inspector.errors import UsageError
from inspector.sanitize import one_line

_SPAN: Final = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNITS: Final = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_moment(text: str, *, end: bool = False, now: datetime | None = None) -> float:
    """Seconds since the epoch for a date, a date and time, or a span back from now.

    `7d`, `12h`, `30m`, `90s`, `2w` go back from `now`. An ISO date or date and time
    without a zone is UTC. A bare date with `end=True` (for `--until`) means the end of
    that day, so `--since 2024-09-01 --until 2024-09-30` covers all of September.
    Raises `UsageError` naming the text when it is none of these.
    """
    now = now or datetime.now(UTC)
    span = _SPAN.match(text)
    if span:
        seconds = float(span.group(1)) * _UNITS[span.group(2).lower()]
        return (now - timedelta(seconds=seconds)).timestamp()
    stripped = text.strip()
    try:
        if len(stripped) == 10:
            day = date.fromisoformat(stripped)
            moment = datetime(day.year, day.month, day.day, tzinfo=UTC)
            return (moment + timedelta(days=1) if end else moment).timestamp()
        moment = datetime.fromisoformat(stripped.replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"not a date, time or span: {one_line(text, 80)!r}"
            " (try 2024-09-30, 2024-09-30T12:00, 7d, 12h)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()


def make_query(
    *,
    search: str | None = None,
    status: str | None = None,
    model: str | None = None,
    errors: bool = False,
    since: str | None = None,
    until: str | None = None,
    now: datetime | None = None,
) -> Query:
    """The `Query` for the command line's filters (None and False match everything)."""
    start = None if since is None else parse_moment(since, now=now)
    stop = None if until is None else parse_moment(until, end=True, now=now)
    if start is not None and stop is not None and start >= stop:
        raise UsageError(
            f"--since {one_line(since or '', 80)} is not before --until {one_line(until or '', 80)}"
        )
    return Query(
        text=search or "",
        status=status,
        model=model,
        errors_only=errors,
        since=start,
        until=stop,
    )
