"""`TextView`: a read-only view of big text (a raw log, a payload) that draws only what is seen.

The text is UTF-8 bytes in a `LineIndex`, the way toolong keeps a file: a first step
is indexed before the view is shown and the rest in steps between frames (or at
once when a key needs it; `end` indexes back from the end), and each frame decodes,
sanitises, highlights and draws only the visible lines. Lines do not wrap (the view
scrolls sideways) until `ctrl+w` wraps them at the width.
"""

from __future__ import annotations

import asyncio
import re
from bisect import bisect_right
from collections import OrderedDict
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content, Span
from textual.geometry import Region, Size
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style

from inspector.bigtext.jsontext import json_tokens
from inspector.bigtext.lines import ByteText, LineIndex
from inspector.sanitize import sanitize

#: Stop collecting matches past this many: enough to page through, bounded in memory.
MAX_MATCHES = 100_000
#: Texts longer than this are not wrapped (wrapping reads every line).
WRAP_LIMIT = 16 * 1024 * 1024
STYLE_NAMES = [
    *("json-key", "json-string", "json-number", "json-literal"),
    *("match", "match-current", "cursor"),
]


class TextView(ScrollView, can_focus=True):
    """Big read-only text with a line cursor, JSON highlighting and search."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="text.cursor-down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="text.cursor-up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="text.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="text.page-up"),
        Binding("home,g", "first", "Top", show=False, id="text.first"),
        Binding("end,G", "last", "Bottom", show=False, id="text.last"),
        Binding("left,h", "scroll_left", "Left", show=False, id="text.scroll-left"),
        Binding("right,l", "scroll_right", "Right", show=False, id="text.scroll-right"),
        Binding(
            "ctrl+w",
            "toggle_wrap",
            "Wrap",
            tooltip="Wrap long lines, or scroll sideways",
            id="text.toggle-wrap",
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {f"text-view--{name}" for name in STYLE_NAMES}

    DEFAULT_CSS = """
    TextView {
        background: $surface;
        & > .text-view--json-key { color: $text-primary; }
        & > .text-view--json-string { color: $text-success; }
        & > .text-view--json-number { color: $text-warning; }
        & > .text-view--json-literal { color: $text-secondary; text-style: italic; }
        & > .text-view--match { background: $warning 40%; }
        & > .text-view--match-current { background: $warning; color: $text; text-style: bold; }
        & > .text-view--cursor { background: $accent 15%; }
    }
    """

    cursor: reactive[int] = reactive(0, init=False)

    def __init__(
        self,
        text: str | ByteText = "",
        *,
        json: bool = False,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._json = json
        self._styles: dict[str, Style] = {}
        self._cache: OrderedDict[int, Content] = OrderedDict()
        self._matches: list[tuple[int, int]] = []
        self._match_index = -1
        #: While wrapped: the text as given, and the first row of each of its lines.
        self._unwrapped: LineIndex | None = None
        self._first_rows: list[int] = []
        self.load(text)

    def load(self, text: str | ByteText) -> None:
        """Show `text` (a `str`, or UTF-8 bytes or `PrettyJson`), replacing what was shown."""
        data = text.encode("utf-8", "surrogatepass") if isinstance(text, str) else text
        self._unwrapped, self._first_rows = None, []
        self._lines = LineIndex(data)
        self._cache.clear()
        self._matches = []
        self._match_index = -1
        self._update_size()
        self.cursor = 0
        self.refresh()
        if self.is_mounted:
            self._index_in_background()

    def on_mount(self) -> None:
        self._index_in_background()

    @property
    def text(self) -> str:
        """The whole text."""
        data = self._lines.data
        return data[: len(data)].decode("utf-8", "replace")

    @property
    def line_count(self) -> int:
        """How many lines the text has."""
        return self._lines.total()

    def line(self, index: int) -> str:
        """Line `index`, without its newline and unsanitised."""
        return self._lines.line(index)

    # -- indexing ------------------------------------------------------------------

    def _index_in_background(self) -> None:
        if not self._lines.done:
            self.run_worker(
                self._index_rest(),
                name="index lines",
                group="index",
                exclusive=True,
                exit_on_error=False,
            )

    async def _index_rest(self) -> None:
        steps = 0
        lines = self._lines
        while not lines.done and lines is self._lines:
            lines.step()
            steps += 1
            if steps % 32 == 0 or lines.done:
                self._update_size()
            # A real pause, not sleep(0): a key goes through several queues, and each
            # hop would otherwise wait for a whole step.
            await asyncio.sleep(0.002)

    def _update_size(self) -> None:
        self.virtual_size = Size(self._lines.widest + 1, self._lines.known)

    # -- drawing -------------------------------------------------------------------

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = {}
        self._cache.clear()
        self.refresh()

    def _style(self, name: str) -> Style:
        if not self._styles:
            self._styles = {
                n: Style.from_rich_style(self.get_component_rich_style(f"text-view--{n}"))
                for n in STYLE_NAMES
            }
        return self._styles[name]

    def _content(self, index: int) -> Content:
        cached = self._cache.get(index)
        if cached is not None:
            return cached
        text = sanitize(self.line(index))
        spans = []
        if self._json:
            spans = [
                Span(start, end, self._style(f"json-{kind}"))
                for start, end, kind in json_tokens(text)
                if kind != "punctuation"
            ]
        if self._matches:
            spans.extend(self._match_spans(index, text))
        content = Content(text, spans)
        self._cache[index] = content
        if len(self._cache) > 1024:
            self._cache.popitem(last=False)
        return content

    def _match_spans(self, index: int, text: str) -> list[Span]:
        start = self._lines.start(index)
        end = start + len(self._lines.line_bytes(index))
        first = bisect_right(self._matches, (start, -1))
        spans = []
        for position in range(first, len(self._matches)):
            match_start, match_end = self._matches[position]
            if match_start > end:
                break
            # Offsets are in the raw line; sanitising only ever lengthens a line, so a
            # match in a line holding escapes may be drawn a little early.
            name = "match-current" if position == self._match_index else "match"
            local = self._lines.column(index, match_start)
            length = self._lines.length(match_start, match_end)
            spans.append(Span(local, min(len(text), local + length), self._style(name)))
        return spans

    def render_line(self, y: int) -> Strip:
        index = round(self.scroll_y) + y
        width = self.scrollable_content_region.width
        base = self.rich_style
        if index >= self._lines.known:
            return Strip.blank(width, base)
        content = self._content(index)
        x = round(self.scroll_x)
        strip = Strip(content.render_segments()).crop(x, x + width)
        if content.cell_length > x + width and width > 1:
            # The line goes on past the right edge: say so rather than cut it silently.
            more = Strip([Segment("…", RichStyle(bold=True))])
            strip = Strip.join([strip.crop(0, width - 1), more])
        if index == self.cursor and self.has_focus:
            strip = strip.adjust_cell_length(width).apply_style(self._style("cursor").rich_style)
        return strip.adjust_cell_length(width).apply_style(base)

    # -- cursor and keys -----------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    def go_to_line(self, index: int, *, center: bool = False) -> None:
        """Put the cursor on a line and scroll it into view."""
        known = self._lines.known
        self._lines.reach(index)
        if self._lines.known != known:
            self._update_size()
        self.cursor = max(0, min(self._lines.known - 1, index))
        height = self.scrollable_content_region.height
        if center:
            self.set_scroll(None, max(0, self.cursor - height // 2))
        else:
            self.scroll_to_region(Region(0, self.cursor, 1, 1), animate=False, force=True)

    def action_cursor_down(self) -> None:
        self.go_to_line(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self.go_to_line(self.cursor - 1)

    def action_page_down(self) -> None:
        self.go_to_line(self.cursor + self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        self.go_to_line(self.cursor - self.scrollable_content_region.height)

    def action_first(self) -> None:
        self.go_to_line(0)

    def action_last(self) -> None:
        self._lines.reach_end()
        self._update_size()
        self.go_to_line(self._lines.known - 1)

    def on_click(self, event: events.Click) -> None:
        self.cursor = min(self._lines.known - 1, round(self.scroll_y) + event.y)

    def selected_text(self) -> str:
        """The line under the cursor (what `y` copies): the whole line, also when wrapped."""
        if self._unwrapped is not None:
            return self._unwrapped.line(bisect_right(self._first_rows, self.cursor) - 1)
        return self.line(self.cursor)

    def action_toggle_wrap(self) -> None:
        """Wrap long lines at the width (rows of at most the width), or undo it."""
        original = self._unwrapped
        if original is not None:
            line = bisect_right(self._first_rows, self.cursor) - 1
            self._unwrapped, self._first_rows = None, []
            self.load(original.data)
            self.go_to_line(line)
            return
        if len(self._lines.data) > WRAP_LIMIT:
            self.notify("Too long to wrap; scroll sideways with ← and →")
            return
        width = max(8, self.scrollable_content_region.width - 1)
        self._lines.reach_end()
        line, rows, first_rows = self.cursor, list[str](), list[int]()
        for index in range(self._lines.known):
            text = self._lines.line(index)
            first_rows.append(len(rows))
            rows.extend(text[start : start + width] for start in range(0, len(text), width))
            if not text:
                rows.append("")
        unwrapped = self._lines
        self.load("\n".join(rows))
        self._unwrapped, self._first_rows = unwrapped, first_rows
        self.set_scroll(0, None)
        self.go_to_line(first_rows[line] if first_rows else 0)

    # -- search --------------------------------------------------------------------

    def search(self, pattern: re.Pattern[str] | None) -> int:
        """Find the matches of `pattern` (at most `MAX_MATCHES`); return how many."""
        self._matches = []
        self._match_index = -1
        if pattern is not None:
            for found in self._lines.find(pattern):
                self._matches.append(found)
                if len(self._matches) >= MAX_MATCHES:
                    break
        self._cache.clear()
        self.refresh()
        return len(self._matches)

    @property
    def match_count(self) -> int:
        """How many matches the last search found."""
        return len(self._matches)

    @property
    def match_index(self) -> int:
        """The index of the current match, or -1."""
        return self._match_index

    def goto_match(self, step: int) -> int:
        """Go to the next (1) or previous (-1) match from the cursor; return its index."""
        if not self._matches:
            return -1
        if self._match_index < 0:
            cursor_offset = self._lines.start(self.cursor)
            first = bisect_right(self._matches, (cursor_offset, -1))
            index = first if step > 0 else first - 1
        else:
            index = self._match_index + step
        self._match_index = index % len(self._matches)
        start, end = self._matches[self._match_index]
        line = self._lines.line_of(start)
        self._update_size()
        self._cache.clear()
        self.go_to_line(line, center=True)
        column = self._lines.column(line, start)
        width = self.scrollable_content_region.width
        if not self.scroll_x <= column < self.scroll_x + width - self._lines.length(start, end):
            self.set_scroll(max(0, column - width // 3), None)
        self.refresh()
        return self._match_index
