"""The wait policy as a unit: backoff, jitter, `Retry-After` in every form, retryable statuses."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest

from inspector.api.retry import Backoff, RetryNotice, is_retryable_status, retry_after

NOW = 1_700_000_000.0


def clock() -> float:
    return NOW


def test_backoff_doubles_from_half_a_second_up_to_eight() -> None:
    no_jitter = Backoff(rng=lambda: 0.0)
    assert [no_jitter.wait(n) for n in range(7)] == [0.5, 1.0, 2.0, 4.0, 8.0, 8.0, 8.0]


def test_jitter_takes_off_at_most_a_quarter() -> None:
    most = Backoff(rng=lambda: 0.999999)
    assert most.wait(0) == pytest.approx(0.375, abs=1e-5)
    assert most.wait(4) == pytest.approx(6.0, abs=1e-4)
    real = Backoff()
    waits = [real.wait(1) for _ in range(200)]
    assert all(0.75 <= wait <= 1.0 for wait in waits)
    assert len(set(waits)) > 1


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after-ms": "1500"}, 1.5),
        ({"Retry-After-Ms": "20"}, 0.02),
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": " 2.5 "}, 2.5),
        ({"Retry-After": "0"}, 0.0),
        ({"retry-after-ms": "300", "Retry-After": "9"}, 0.3),
        ({"retry-after-ms": "soon", "Retry-After": "9"}, 9.0),
        (
            {"Retry-After": format_datetime(datetime.fromtimestamp(NOW + 30, UTC), usegmt=True)},
            30.0,
        ),
        ({"Retry-After": "Tue, 14 Nov 2023 22:13:50 GMT"}, 30.0),
        ({"Retry-After": format_datetime(datetime.fromtimestamp(NOW - 99, UTC), usegmt=True)}, 0.0),
    ],
)
def test_retry_after_forms(headers: dict[str, str], seconds: float) -> None:
    assert retry_after(headers, clock) == pytest.approx(seconds)


@pytest.mark.parametrize("value", ["-1", "nan", "inf", "soon", "", "Tue, 99 Nov"])
def test_unreadable_retry_after_is_ignored(value: str) -> None:
    assert retry_after({"Retry-After": value}, clock) is None
    assert Backoff(rng=lambda: 0.0, clock=clock).wait(2, {"Retry-After": value}) == 2.0


def test_no_hint_at_all() -> None:
    assert retry_after({}, clock) is None


def test_retry_after_is_used_instead_of_backoff_and_capped_at_a_minute() -> None:
    policy = Backoff(rng=lambda: 0.5, clock=clock)
    assert policy.wait(3, {"Retry-After": "2"}) == 2.0
    assert policy.wait(0, {"Retry-After": "120"}) == 60.0
    assert policy.wait(0, {"retry-after-ms": "3600000"}) == 60.0
    assert policy.wait(0, {"retry-after-ms": "0"}) == 0.0


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 529, 599])
def test_retryable_statuses(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize("status", [200, 301, 400, 401, 403, 404, 405, 410, 418, 422, 600])
def test_statuses_never_retried(status: int) -> None:
    assert not is_retryable_status(status)


def test_notice_reads_as_one_line() -> None:
    notice = RetryNotice(attempt=2, attempts=3, wait=1.234, reason="HTTP 503 from 127.0.0.1")
    assert notice.describe() == "HTTP 503 from 127.0.0.1 on attempt 1 of 3; trying again in 1.2 s"
