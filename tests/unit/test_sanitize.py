"""The one sanitising function: control bytes become visible, text is otherwise kept."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.sanitize import one_line, sanitize

#: What `sanitize` escapes: C0 but tab and newline, DEL, C1, bidirectional overrides.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", "plain"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("esc\x1b[2J", "esc\\x1b[2J"),
        ("osc\x1b]52;c;ZXZpbA==\x07", "osc\\x1b]52;c;ZXZpbA==\\x07"),
        ("crlf\r\nline", "crlf\nline"),
        ("lone\rcr", "lone\\x0dcr"),
        ("nul\x00del\x7f", "nul\\x00del\\x7f"),
        ("c1\x9b31m\x85", "c1\\x9b31m\\x85"),
        ("bidi\u202egnp.exe", "bidi\\u202egnp.exe"),
        ("isolate\u2066x\u2069", "isolate\\u2066x\\u2069"),
        ("[bold]markup stays text[/]", "[bold]markup stays text[/]"),
        ("emoji 🎉 and 中文 and é", "emoji 🎉 and 中文 and é"),
    ],
)
def test_sanitize(text: str, expected: str) -> None:
    assert sanitize(text) == expected


@given(st.text())
def test_sanitised_text_has_no_control_byte_but_newline_and_tab(text: str) -> None:
    clean = sanitize(text)
    assert CONTROL.search(clean) is None
    assert UNSAFE.search(clean) is None


@given(st.text(alphabet=st.characters(blacklist_categories=["Cc", "Cf"])))
def test_printable_text_is_unchanged(text: str) -> None:
    assert sanitize(text) == text


@given(st.text(), st.integers(min_value=1, max_value=300))
def test_one_line_is_one_safe_line_within_the_limit(text: str, limit: int) -> None:
    line = one_line(text, limit)
    assert "\n" not in line and "\t" not in line
    assert CONTROL.search(line) is None
    assert len(line) <= limit
