"""`one_line_cell` draws a cell as `DataTable` does through Rich's layout, segment for segment."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.padding import Padding
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.renderables.styled import Styled
from textual.strip import Strip

from inspector.tui.widgets.table_cells import one_line_cell

CONSOLE = Console(width=200, color_system="truecolor", legacy_windows=False)

STYLES = st.sampled_from(
    ["", "bold", "red", "bold red", "green", "italic on blue", "underline", "reverse", "dim"]
)
#: Plain ASCII, wide (CJK, emoji), combining marks, spaces at either end.
CHARS = st.sampled_from(list("abc xyz019-._…") + ["界", "日本", "🙂", "e\u0301", "  ", "\u200b"])


@st.composite
def texts(draw: st.DrawFn) -> Text:
    text = Text(
        "".join(draw(st.lists(CHARS, max_size=30))),
        style=draw(STYLES),
        justify=draw(st.sampled_from([None, "default", "left", "right"])),
        overflow=draw(st.sampled_from([None, "fold", "crop", "ellipsis"])),
    )
    for _ in range(draw(st.integers(0, 3))):
        start = draw(st.integers(0, len(text.plain)))
        end = draw(st.integers(start, len(text.plain)))
        text.stylize(draw(STYLES), start, end)
    return text


def rich_cell(text: Text, width: int, padding: int, style: Style, post: Style) -> list[Segment]:
    """The way `DataTable._render_cell` draws a cell of a one-line row (Textual 8.2.8)."""
    options = CONSOLE.options.update_dimensions(width, 1).update(no_wrap=True)
    lines = CONSOLE.render_lines(
        Styled(Padding(text, (0, padding)), pre_style=style, post_style=post), options
    )
    assert len(lines) == 1
    return lines[0]


def simplified(segments: list[Segment]) -> list[Segment]:
    return list(Strip(segments).simplify())


@settings(max_examples=400, deadline=None)
@given(
    text=texts(),
    width=st.integers(1, 40),
    padding=st.integers(0, 2),
    style=STYLES,
    post=st.sampled_from(["", "on red", "yellow"]),
    meta=st.integers(0, 99),
)
def test_a_cell_is_drawn_as_rich_draws_it(
    text: Text, width: int, padding: int, style: str, post: str, meta: int
) -> None:
    base = CONSOLE.get_style(style) + Style.from_meta({"row": meta, "column": 1})
    post_style = CONSOLE.get_style(post)
    drawn = one_line_cell(text, width, padding, base, post_style, CONSOLE)
    if drawn is None:
        assert width - 2 * padding < 1
        return
    expected = rich_cell(text, width, padding, base, post_style)
    assert simplified(drawn) == simplified(expected)
    assert Segment.get_line_length(drawn) == width


def test_what_takes_rich_layout_is_left_to_it() -> None:
    plain = CONSOLE.get_style("")
    for text in (Text("two\nlines"), Text("a\ttab"), Text("mid", justify="center")):
        assert one_line_cell(text, 20, 1, plain, plain, CONSOLE) is None
    assert one_line_cell(Text("x"), 2, 1, plain, plain, CONSOLE) is None  # no room inside
