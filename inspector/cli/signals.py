"""SIGTERM and SIGHUP outside the UI: unwind like Ctrl-C (servers stop, temp files go), then exit.

The default action of both signals ends the process at once, skipping every `finally`
and `atexit`: a catalog's temporary folder (log data) would stay behind.
"""

from __future__ import annotations

import signal
from collections.abc import Callable
from types import FrameType
from typing import Any, Final

SIGNALS: Final = (signal.SIGTERM, signal.SIGHUP)


class Signalled(BaseException):
    """Raised in the main thread when SIGTERM or SIGHUP arrives; `number` is the signal."""

    def __init__(self, number: int) -> None:
        super().__init__(number)
        self.number = number


def _raise(number: int, frame: FrameType | None) -> None:
    raise Signalled(number)


def catch_signals() -> Callable[[], None]:
    """Turn SIGTERM and SIGHUP into `Signalled`; returns a function that undoes it."""
    previous: dict[int, Any] = {}
    try:
        for number in SIGNALS:
            previous[number] = signal.signal(number, _raise)
    except ValueError:  # Not the main thread (a test): leave signals alone.
        pass

    def restore() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return restore
