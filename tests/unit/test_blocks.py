"""The block layout without a terminal: heights, collapsing, slicing and search steps."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.tui.widgets.block_layout import BlockLayout
from inspector.tui.widgets.blocks import (
    COLLAPSE_LINES,
    PREVIEW_LINES,
    Block,
    BlockMatches,
    Part,
    Styles,
    layout_block,
    text_blocks,
)


def block(text: str, key: str = "b", **kwargs: object) -> Block:
    return Block(key, [("HEADER", "heading")], [Part(text)], **kwargs)  # type: ignore[arg-type]


def test_short_blocks_are_laid_out_whole() -> None:
    lines, _ = layout_block(block("one\ntwo"), 40, Styles(), collapsed=True)
    assert [line.plain for line in lines] == ["HEADER", "one", "two", ""]


def test_long_blocks_collapse_to_a_preview_that_says_what_is_hidden() -> None:
    text = "\n".join(f"line {i}" for i in range(50))
    lines, _ = layout_block(block(text), 40, Styles(), collapsed=True)
    plain = [line.plain for line in lines]
    assert plain[1 : 1 + PREVIEW_LINES] == [f"line {i}" for i in range(PREVIEW_LINES)]
    assert plain[1 + PREVIEW_LINES].startswith(f"⋯ {50 - PREVIEW_LINES} more lines")
    expanded, _ = layout_block(block(text), 40, Styles(), collapsed=False)
    assert len(expanded) == 1 + 50 + 1


def test_collapsed_height_of_a_long_block_is_exact_without_laying_it_out() -> None:
    text = "word " * 10_000
    estimate = block(text).estimate_height(60, collapsed=True)
    lines, _ = layout_block(block(text), 60, Styles(), collapsed=True)
    assert estimate == len(lines) == 1 + PREVIEW_LINES + 1 + 1


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=300))
def test_estimates_are_exact_for_lines_narrower_than_the_view(line: str) -> None:
    text = "\n".join([line[:40]] * 5)
    estimate = block(text).estimate_height(80, collapsed=False)
    lines, _ = layout_block(block(text), 80, Styles(), collapsed=False)
    assert estimate == len(lines)


def test_a_long_text_is_cut_into_bare_slices_that_keep_every_character() -> None:
    text = "\n".join(f"{i} " + "x" * (i % 50) for i in range(2_000))
    blocks = text_blocks("value", text, lines=100, chars=4_000)
    assert len(blocks) > 1
    assert all(b.bare and b.gap_after == 0 for b in blocks)
    assert "\n".join(b.parts[0].text for b in blocks) == text


def test_search_steps_from_the_cursor_both_ways() -> None:
    blocks = [block("needle", f"k{i}") for i in range(5)]
    matches = BlockMatches()
    assert matches.find(blocks, re.compile("needle")) == 5
    assert matches.step(cursor=2, step=1) == 2, "first jump forward: at or after the cursor"
    assert matches.step(cursor=2, step=1) == 3
    matches.find(blocks, re.compile("needle"))
    assert matches.step(cursor=2, step=-1) == 1, "first jump back: before the cursor"
    assert matches.step(cursor=2, step=-1) == 0
    assert matches.step(cursor=2, step=-1) == 4, "wraps around"
    # Offsets are in `search_text`, which starts with the header line.
    assert matches.of(4) == ([(7, 13)], (7, 13))
    assert matches.of(3) == ([(7, 13)], None)


def test_layout_corrects_estimates_and_reports_how_far_content_above_moved() -> None:
    # A line wider than the view wraps at word boundaries: the estimate by cell count
    # is one line short here, and laying the block out corrects it.
    wide = " ".join(["abcdefghi"] * 9)  # 89 cells, wraps to 3 lines of 40 words-wise
    blocks = [block(wide, f"k{i}", collapsible=False) for i in range(3)]
    layout = BlockLayout(blocks)
    layout.relayout(38)
    estimated = list(layout.heights)
    shift = layout.make_exact(layout.offsets[2], layout.offsets[2] + 1, BlockMatches().of)
    assert layout.heights[2] == len(layout.strips(2))
    assert shift == 0, "nothing above the first line asked for was laid out"
    shift = layout.make_exact(layout.offsets[1] + 1, layout.offsets[2] + 1, BlockMatches().of)
    assert shift == layout.heights[1] - estimated[1]


def test_collapse_threshold_is_what_the_docs_say() -> None:
    assert not block("\n".join("x" * COLLAPSE_LINES)).is_long(80)
    assert block("\n".join("x" * (COLLAPSE_LINES + 1))).is_long(80)
