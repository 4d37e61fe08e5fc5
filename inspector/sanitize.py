"""The one place untrusted text is made safe to put on a terminal.

Log text can carry terminal control sequences (ESC, OSC 52 clipboard writes, window
titles, screen clears); no Textual widget strips them. `sanitize` replaces every C0
control byte except newline and tab, DEL and every C1 control with a visible escape such
as `\\x1b`, and turns CRLF into LF. Bidirectional-override characters, which reorder
what is shown (the "Trojan Source" trick), become visible escapes such as `\\u202e`.
"""

from __future__ import annotations

import re
from typing import Final

#: C0 except \\t and \\n, DEL, C1, and the Unicode bidi embedding/override/isolate marks.
_UNSAFE: Final = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def sanitize(text: str) -> str:
    """Return `text` with every unsafe character replaced by a visible escape."""
    if "\r\n" in text:
        text = text.replace("\r\n", "\n")
    return _UNSAFE.sub(_escape, text)


def one_line(text: str, limit: int = 200) -> str:
    """Sanitise `text` and fold it to a single line of at most `limit` characters.

    For table cells, titles and error messages, where a newline would break the layout.
    """
    flat = sanitize(text[: limit * 4] if len(text) > limit * 4 else text)
    flat = " ".join(flat.split())
    if len(flat) > limit:
        return flat[: limit - 1] + "…"
    return flat
