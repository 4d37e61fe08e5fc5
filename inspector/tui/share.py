"""Sharing the log on screen: where its HTML page is written, and the browser that opens it.

No Textual here: the log screen calls these from its `w` and `W` keys (opening runs in a
thread, since a browser named in $BROWSER can block until it exits).
"""

from __future__ import annotations

import os
import tempfile
import webbrowser
from pathlib import Path
from typing import Final

from inspector.model.decode import LogDocument
from inspector.present.html import save_page

#: Browsers that draw in the terminal: started from the app they would fight it for the
#: screen and the keyboard, so they never count as a browser to open the page in.
CONSOLE_BROWSERS: Final = frozenset({"www-browser", "links", "elinks", "lynx", "w3m", "browsh"})


def page_folder() -> Path:
    """The folder the page goes to: the current folder, or the temp folder if it is read-only."""
    here = Path.cwd()
    return here if os.access(here, os.W_OK) else Path(tempfile.gettempdir())


def write_page(doc: LogDocument) -> Path:
    """Write the log's HTML page into `page_folder()`; OSError if it cannot be written."""
    return save_page(doc, page_folder())


def system_browser() -> webbrowser.BaseBrowser | None:
    """The system's graphical browser, or None where there is none (a server, a container)."""
    try:
        browser = webbrowser.get()
    except webbrowser.Error:
        return None
    command = (getattr(browser, "name", "") or "").split()
    if command and Path(command[0]).name in CONSOLE_BROWSERS:
        return None
    return browser


def open_page(path: Path) -> bool:
    """Open `path` in the system's browser; False where there is none or it refused."""
    browser = system_browser()
    if browser is None:
        return False
    try:
        return bool(browser.open(path.resolve().as_uri()))
    except OSError:
        return False
