"""Render the README pictures of the HTML page: a sample log in Chromium, light and dark.

Run from the repository root: `python screenshots/make_html_screenshots.py` (needs the
system's `chromium` and Playwright, as the browser tests do).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from inspector.model.decode import decode_log  # noqa: E402
from inspector.present.html import one_page  # noqa: E402
from tests.support.browser import browser_context  # noqa: E402

SAMPLE = HERE.parent / "inspector" / "samples" / "weather-parallel-tools.json"


def main() -> None:
    """Write `screenshots/html-light.png` and `screenshots/html-dark.png`."""
    with tempfile.TemporaryDirectory() as scratch:
        page_file = Path(scratch) / "log.html"
        page_file.write_text(one_page(decode_log(SAMPLE.read_bytes(), SAMPLE.name)))
        profile = Path(scratch) / "profile"
        with browser_context(profile, viewport={"width": 900, "height": 1100}) as context:
            page = context.new_page()
            page.goto(page_file.as_uri())
            for scheme in ("light", "dark"):
                page.emulate_media(color_scheme=scheme)
                page.screenshot(path=str(HERE / f"html-{scheme}.png"))
                print(f"screenshots/html-{scheme}.png")


if __name__ == "__main__":
    main()
