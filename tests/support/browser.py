"""A real headless Chromium for the browser tests: the system's own, never a downloaded one.

Playwright drives Debian's `chromium` (or the browser named by `INSPECTOR_CHROMIUM`). The
flags keep it off the network on its own account (no updates, no sync, no QUIC), so any
request a test sees comes from the page. Where there is no browser, tests skip and say why.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
NO_BROWSER = (
    "no Chromium on this machine: install Debian's `chromium` (apt-get install -y chromium, as "
    ".ci/run does) or name a Chromium binary in INSPECTOR_CHROMIUM"
)


def chromium_path() -> str | None:
    """The system Chromium, or None."""
    named = os.environ.get("INSPECTOR_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def need_chromium() -> str:
    """The Chromium binary, or skip the test with the reason."""
    path = chromium_path()
    if path is None:
        pytest.skip(NO_BROWSER)
    return path


@contextmanager
def browser_context(user_data: Path, **options: Any) -> Iterator[Any]:
    """A Playwright browser context on the system Chromium, with a fresh profile."""
    executable = need_chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("Playwright for Python is not installed: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(user_data),
            executable_path=executable,
            headless=True,
            args=CHROMIUM_FLAGS[1:],
            **options,
        )
        try:
            yield context
        finally:
            context.close()


def dump_dom(url: str, user_data: Path) -> str:
    """The DOM of `url` after it loaded, as Chromium's own `--dump-dom` prints it."""
    executable = need_chromium()
    done = subprocess.run(
        [executable, *CHROMIUM_FLAGS, f"--user-data-dir={user_data}", "--dump-dom", url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return done.stdout
