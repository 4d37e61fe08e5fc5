"""`one_line_cell`: a table cell of one line of text, drawn as `DataTable` draws it, 4× sooner.

`DataTable` draws every cell through Rich's general layout (`Padding` in `Styled`, then
`Console.render_lines`: measure, wrap, split, crop, pad), about 60 µs a cell here; a
list's first frame draws some 230 of them, and every page down as many again. A cell of
the list is one line of text already cut to its column, so most of that work finds
nothing to do. `tests/unit/test_table_cells.py` checks, on random texts, styles and
widths, that the segments are the ones Rich's layout gives.
"""

from __future__ import annotations

from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text


def one_line_cell(
    text: Text, width: int, padding: int, style: Style, post_style: Style, console: Console
) -> list[Segment] | None:
    """The segments of `text` in a cell `width` cells wide with `padding` on each side,
    styled as `rich.styled.Styled(Padding(text), style, post_style)` styles it.

    None for what takes Rich's layout: text of more than one line, tabs, centred or full
    justification, or no room at all.
    """
    plain = text.plain
    justify = text.justify or "default"
    overflow = text.overflow or "fold"
    inner = width - 2 * padding
    if (
        inner < 1
        or "\n" in plain
        or "\t" in plain
        or justify not in ("default", "left", "right")
        or overflow not in ("fold", "crop", "ellipsis")
    ):
        return None
    text = text.copy()
    if justify == "right":
        text.rstrip()
    text.truncate(inner, overflow=overflow)
    gap = inner - text.cell_len
    # A left or right justified line is padded inside the text (the padding takes its
    # style); any other is padded after it, plain.
    if gap and justify == "right":
        text.pad_left(gap)
    elif gap and justify == "left":
        text.pad_right(gap)
    segments = [segment for segment in text.render(console, end="") if segment.text]
    if text.style:
        segments = list(Segment.apply_style(segments, console.get_style(text.style)))
    if gap and justify == "default":
        segments.append(Segment(" " * gap))
    if padding:
        segments = [Segment(" " * padding), *segments, Segment(" " * padding)]
    return list(Segment.apply_style(segments, style, post_style))
