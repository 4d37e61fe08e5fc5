"""Shortcuts for big logs give the same answers: stepped line index, raw JSON search."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.bigtext import lines
from inspector.bigtext.jsonvalues import iter_matches, node_value, shallow
from inspector.bigtext.lines import literal_text
from inspector.tui.widgets.json_explorer import value_text
from inspector.tui.widgets.search_bar import compile_query
from inspector.tui.widgets.text_view import TextView

TRICKY_JSON = (
    b'{"a\\u0041b": "x\\ny", "k": "\\u212a", "s": "\\u00e9t\\u00e9", "q": "say \\"hi\\"",'
    b' "p": "a\\/b", "n": [1e5, 1.50, -0, 2E-3], "t": [true, false, null], "A": {"Ab": "ABC"},'
    b' "e": {}, "l": [], "deep": {"inner": [{"x": "abc"}, ["abc"], "tab\\there"]}}'
)
QUERIES = ["ab", "aab", "k", "e", "1", "100000", "1.5", "hi", 'say "hi"', "a/b", "é", "tab"]
QUERIES += ["true", "TRUE", "ABC", "abc", "x", "inner", "e-", "2e", "zzz"]


def _decoded_matches(value: Any, pattern: re.Pattern[str]) -> list[tuple[Any, ...]]:
    """The definition: keys and scalar texts that match, in document order."""
    found: list[tuple[Any, ...]] = []

    def visit(path: tuple[Any, ...], current: Any) -> None:
        scalar = not isinstance(current, dict | list)
        text = current if isinstance(current, str) else msgspec.json.encode(current).decode()
        if (path and isinstance(path[-1], str) and pattern.search(path[-1])) or (
            scalar and pattern.search(text)
        ):
            found.append(path)
        if not scalar:
            items = current.items() if isinstance(current, dict) else enumerate(current)
            for key, child in items:
                visit((*path, key), child)

    visit((), value)
    return found


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("regex", [False, True])
def test_raw_json_search_finds_what_the_decoded_search_finds(query: str, regex: bool) -> None:
    pattern = compile_query(query, regex=regex)
    assert pattern is not None
    raw = msgspec.Raw(TRICKY_JSON)
    expected = _decoded_matches(msgspec.json.decode(TRICKY_JSON), pattern)
    assert list(iter_matches(raw, pattern)) == expected
    assert list(iter_matches(msgspec.json.decode(TRICKY_JSON), pattern)) == expected


def test_values_decode_one_level_at_a_time_and_copy_whole() -> None:
    root = shallow(msgspec.Raw(TRICKY_JSON))
    assert isinstance(root["deep"], msgspec.Raw)
    assert [node_value(n) for n in node_value(root["n"])] == [100000.0, 1.5, 0, 0.002]
    assert value_text(root) == value_text(msgspec.json.decode(TRICKY_JSON))


def test_literal_queries_are_told_from_regular_expressions() -> None:
    assert literal_text(re.compile(re.escape("a.b c/d"))) == "a.b c/d"
    assert literal_text(re.compile("a.b")) is None
    assert literal_text(re.compile(r"\d+")) is None


@given(
    st.text(alphabet="ab\n é😀K\x1b", max_size=80),
    st.sampled_from(["a", "é", "k", "b\na", "\\s+", "a.", "😀"]),
    st.booleans(),
    st.integers(min_value=0, max_value=20),
)
def test_stepped_index_and_search_match_the_whole_text(
    text: str, query: str, regex: bool, end_after: int
) -> None:
    old_step, old_tail = lines.STEP, lines.TAIL
    lines.STEP, lines.TAIL = 3, 4
    try:
        index = lines.LineIndex(text.encode())
        for _ in range(end_after):  # part of the text indexed, then the end wanted
            index.step()
        index.reach_end()
        expected_lines = text.split("\n")
        assert index.total() == index.known == len(expected_lines)
        assert [index.line(i) for i in reversed(range(len(expected_lines)))] == list(
            reversed(expected_lines)
        )
        while not index.done:
            index.step()
        # As wide as the widest line with its newline, or the last line without one.
        widths = [*(len(line) + 1 for line in expected_lines[:-1]), len(expected_lines[-1])]
        assert index.widest == max(widths)
        assert [index.line(i) for i in range(len(expected_lines))] == expected_lines
        try:
            pattern = compile_query(query, regex=regex)
        except re.error:
            return
        assert pattern is not None
        expected = [m.span() for m in pattern.finditer(text) if m.end() > m.start()]
        data = text.encode()
        found = [(len(data[:s].decode()), len(data[:e].decode())) for s, e in index.find(pattern)]
        assert found == expected
    finally:
        lines.STEP, lines.TAIL = old_step, old_tail


async def test_text_view_jumps_to_the_end_before_the_index_gets_there() -> None:
    from textual.app import App, ComposeResult

    text = "\n".join(f"line {n}" for n in range(5_000))

    class ViewApp(App[None]):
        def compose(self) -> ComposeResult:
            yield TextView(text)

    old_step = lines.STEP
    lines.STEP = 64
    try:
        async with ViewApp().run_test(size=(40, 10)) as pilot:
            view = pilot.app.query_one(TextView)
            view.focus()
            await pilot.press("end")
            assert view.cursor == 4_999
            assert view.line(view.cursor) == "line 4999"
            await pilot.press("pageup")
            assert view.line(view.cursor) == f"line {view.cursor}"
            await pilot.app.workers.wait_for_complete()
            assert view.line_count == 5_000
    finally:
        lines.STEP = old_step


async def test_tree_label_widths_are_measured_without_rendering() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import Tree

    from inspector.tui.widgets.json_explorer import JsonExplorer

    hostile = b'{"[/INST] \\u001b]0;x": ["\\u202e\\ud83d\\ude00 wide \\u4e2d\\u6587", {"a": [1]}]}'

    class TreeApp(App[None]):
        def compose(self) -> ComposeResult:
            yield JsonExplorer(msgspec.Raw(TRICKY_JSON))
            yield JsonExplorer(msgspec.Raw(hostile))

    async with TreeApp().run_test(size=(80, 30)) as pilot:
        for tree in pilot.app.query(JsonExplorer):
            tree.action_expand_all()
            await pilot.pause()
            for line in tree._tree_lines:
                assert tree.get_label_width(line.node) == Tree.get_label_width(tree, line.node)
