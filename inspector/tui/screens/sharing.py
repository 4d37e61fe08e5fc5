"""The keys that share the log on screen: `w` writes it as an HTML page, `W` also opens it.

A base for `LogScreen`, which lists the keys among its own (so the help and the palette
show them in their place). Writing the page of a big log takes seconds, and a browser
named in $BROWSER may not return until it exits, so both run in a thread and report back
with a notification.
"""

from __future__ import annotations

from typing import Final

from textual.binding import Binding, BindingType
from textual.screen import Screen

from inspector.model.decode import LogDocument

#: `w` and `W`, for the log screen to list where they belong among its keys.
SHARE_BINDINGS: Final[list[BindingType]] = [
    Binding(
        "w",
        "write_html",
        "Write HTML",
        show=False,
        tooltip="Write the log as a self-contained HTML page, to share it, and say where",
        id="log.write-html",
    ),
    Binding(
        "W",
        "write_html(True)",
        "Open in browser",
        show=False,
        tooltip="Write the log as an HTML page and open it in the system's browser",
        id="log.open-html",
    ),
]


class SharingScreen(Screen[None]):
    """A screen showing one log (`document`) that can be written out as an HTML page.

    Its actions only: the keys are `SHARE_BINDINGS`, placed by the screen among its own.
    """

    #: The log on screen; None while it loads (set by the screen that shows it).
    document: LogDocument | None = None

    def action_write_html(self, open_it: bool = False) -> None:
        if self.document is None:
            self.notify("No log on screen to write yet")
            return
        document = self.document
        self.run_worker(
            lambda: self._share(document, open_it), thread=True, group="share", exit_on_error=False
        )

    def _share(self, document: LogDocument, open_it: bool) -> None:
        """Write the page, maybe open it; every outcome becomes a notification."""
        # Imported here: the HTML writer and the browser are not needed for first paint.
        from inspector.tui.share import open_page, write_page

        try:
            path = write_page(document)
        except OSError as exc:
            self._tell(f"Could not write the HTML page: {exc.strerror or exc}", error=True)
            return
        if not open_it:
            self._tell(f"Wrote {path} (W opens it in the browser)")
        elif open_page(path):
            self._tell(f"Wrote {path} and opened it in the browser")
        else:
            self._tell(f"Wrote {path}; no browser to open it with here", error=True)

    def _tell(self, message: str, *, error: bool = False) -> None:
        severity = "warning" if error else "information"
        self.app.call_from_thread(self.notify, message, severity=severity)
