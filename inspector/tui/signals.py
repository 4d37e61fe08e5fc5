"""SIGTERM and SIGHUP end the app like `q` does: the terminal restored, temporary files removed.

Without this, `timeout`, `kill`, `tmux kill-session` or a dropped ssh connection end the
process at once: the terminal is left in the alternate screen with mouse reporting on,
and the catalog of an export (log data) stays in the temp folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from typing import Any, Final

#: The signals that end the app, and the exit status each gives (128 + its number).
SIGNALS: Final = (signal.SIGTERM, signal.SIGHUP)


#: The handlers the signals had before the app took them, to give back on exit.
_previous: dict[int, Any] = {}


def exit_on_signals(app: Any) -> None:
    """Make SIGTERM and SIGHUP call `app.exit` while the app's event loop runs."""
    loop = asyncio.get_running_loop()
    for number in SIGNALS:
        # Not in the main thread (a test's app), or no signals here: nothing to do.
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            previous = signal.getsignal(number)
            loop.add_signal_handler(number, _exit, app, number)
            _previous[number] = previous


def restore_signals() -> None:
    """Give the signals back the handlers they had before the app started."""
    loop = asyncio.get_running_loop()
    for number in SIGNALS:
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            if loop.remove_signal_handler(number) and number in _previous:
                signal.signal(number, _previous.pop(number))


def _exit(app: Any, number: int) -> None:
    app.exit(return_code=128 + number)
