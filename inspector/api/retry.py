"""When to retry a failed fetch and how long to wait: backoff with jitter, and `Retry-After`."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC
from email.utils import parsedate_to_datetime
from typing import Final

#: Statuses worth another attempt: request timeout, conflict, rate limit and every server error.
RETRY_STATUSES: Final = frozenset({408, 409, 429})


def is_retryable_status(status: int) -> bool:
    """True for 408, 409, 429 and 5xx; never for 400, 401, 403, 404 or 422."""
    return status in RETRY_STATUSES or 500 <= status <= 599


@dataclass(frozen=True, slots=True)
class RetryNotice:
    """What a caller shows while the client waits before another attempt."""

    #: The number of the attempt about to be made (2 for the first retry).
    attempt: int
    #: How many attempts there will be at most (retries + 1).
    attempts: int
    #: Seconds the client waits before that attempt.
    wait: float
    #: Why the last attempt failed, in words: `HTTP 503 from api.humanloop.com`.
    reason: str

    def describe(self) -> str:
        """One line for a status bar or stderr."""
        return (
            f"{self.reason} on attempt {self.attempt - 1} of {self.attempts}; "
            f"trying again in {self.wait:.1f} s"
        )


@dataclass(frozen=True, slots=True)
class Backoff:
    """Exponential backoff, `min(base * 2**n, cap)` seconds, less up to 25 % jitter.

    Jitter spreads out clients that failed together so they do not all come back at once;
    the server's own `Retry-After`, when given, is used instead (up to `retry_after_cap`).
    """

    base: float = 0.5
    cap: float = 8.0
    retry_after_cap: float = 60.0
    #: Returns a float in [0, 1); injectable so tests are deterministic.
    rng: Callable[[], float] = field(default=random.random, repr=False)
    #: The current time as a Unix timestamp, for `Retry-After` given as an HTTP date.
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def wait(self, retry: int, headers: Mapping[str, str] | None = None) -> float:
        """Seconds to wait before retry number `retry` (0 for the first retry)."""
        hinted = retry_after(headers, self.clock) if headers else None
        if hinted is not None:
            return min(hinted, self.retry_after_cap)
        delay = min(self.base * 2.0**retry, self.cap)
        return delay * (1 - 0.25 * self.rng())


def retry_after(headers: Mapping[str, str], clock: Callable[[], float] = time.time) -> float | None:
    """Seconds the server asks us to wait, from `retry-after-ms` or `Retry-After`, else None.

    `Retry-After` may be seconds (`"2"`, also `"1.5"`) or an HTTP date; a date in the past
    means now. Negative, non-finite or unreadable values are ignored.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    millis = _number(lowered.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000
    value = lowered.get("retry-after")
    if value is None:
        return None
    seconds = _number(value)
    if seconds is not None:
        return seconds
    try:
        when = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are GMT; a date without a zone is read as such.
        when = when.replace(tzinfo=UTC)
    return max(0.0, when.timestamp() - clock())


def _number(value: str | None) -> float | None:
    if value is None:
        return None
    try:
        number = float(value.strip())
    except ValueError:
        return None
    if not math.isfinite(number) or number < 0:
        return None
    return number
