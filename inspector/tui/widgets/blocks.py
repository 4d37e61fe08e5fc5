"""The data of a `BlockView`: blocks of text parts, and how one block is laid out.

A block is one selectable unit (a message, a field of the overview): a header line and
text parts, each wrapped on its own with an indent. Text must already be sanitised.
Styles are names (`role-user`, `json-key`, …) that the view maps to theme colours.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Final

from rich.cells import cell_len
from textual.content import Content, Span
from textual.style import Style

from inspector.bigtext.jsontext import json_tokens
from inspector.present.words import format_bytes

#: A block whose text is longer than this many lines starts collapsed.
COLLAPSE_LINES: Final = 12
#: How many lines of a collapsed block are shown.
PREVIEW_LINES: Final = 6

#: A run of header text and the name of its style.
Run = tuple[str, str]
#: A search match inside a block's `search_text`: (start, end).
Match = tuple[int, int]


@dataclass(eq=False, slots=True)
class Part:
    """A run of body text, wrapped on its own below the header."""

    text: str
    style: str = "body"
    indent: int = 0
    #: Highlight as JSON text (pretty-printed tool arguments, payloads).
    json: bool = False


@dataclass(eq=False)
class Block:
    """One selectable unit of a `BlockView`."""

    key: str
    header: list[Run]
    parts: list[Part] = field(default_factory=list)
    #: What `y` copies; the block's whole text when not given.
    copy_text: str | None = None
    #: Blocks that never collapse (short facts, section headings).
    collapsible: bool = True
    #: No header line: a slice of one long text, or a line of a list.
    bare: bool = False
    #: Blank lines drawn before and after the block.
    gap_before: int = 0
    gap_after: int = 1

    @cached_property
    def header_text(self) -> str:
        """The header as plain text."""
        return "".join(text for text, _ in self.header)

    @cached_property
    def part_starts(self) -> list[int]:
        """Where each part starts in `search_text`."""
        starts = []
        offset = len(self.header_text) + 1
        for part in self.parts:
            starts.append(offset)
            offset += len(part.text) + 1
        return starts

    @cached_property
    def search_text(self) -> str:
        """Header and parts joined by newlines: what search looks through."""
        return "\n".join([self.header_text, *(part.text for part in self.parts)])

    @property
    def text_to_copy(self) -> str:
        """The text `y` copies."""
        if self.copy_text is not None:
            return self.copy_text
        return "\n".join(part.text for part in self.parts) or self.header_text

    def is_long(self, width: int) -> bool:
        """True when some part of the block is long enough to be collapsed."""
        return self.collapsible and any(is_long_part(part, width) for part in self.parts)

    def estimate_height(self, width: int, collapsed: bool) -> int:
        """Lines the block takes at `width`: exact for collapsed long parts.

        Other parts are estimated from cell lengths, which is exact for lines narrower
        than the view; `BlockView` replaces it with the real height once the block is
        drawn.
        """
        height = (0 if self.bare else 1) + self.gap_before + self.gap_after
        collapse = collapsed and self.collapsible
        for part in self.parts:
            if collapse and is_long_part(part, width):
                height += PREVIEW_LINES + 1
                continue
            part_width = max(1, width - part.indent)
            for line in part.text.split("\n"):
                # Printable ASCII is one cell a character; `cell_len` is slow on long lines.
                cells = len(line) if line.isascii() and line.isprintable() else cell_len(line)
                height += max(1, math.ceil(cells / part_width))
        return height


def is_long_part(part: Part, width: int) -> bool:
    """True when a part certainly wraps to more than `COLLAPSE_LINES` lines.

    Decided from character and newline counts alone, so it costs nothing on megabytes
    of text: n lines of source, or more than n × width characters, cannot fit in fewer
    than n wrapped lines.
    """
    if len(part.text) > COLLAPSE_LINES * max(1, width - part.indent):
        return True
    return part.text.count("\n", 0, COLLAPSE_LINES * 200) >= COLLAPSE_LINES


@dataclass
class BlockMatches:
    """The matches of a search in a list of blocks, and which one is current."""

    pattern: re.Pattern[str] | None = None
    #: (block index, start, end) in each block's `search_text`, in order.
    found: list[tuple[int, int, int]] = field(default_factory=list)
    #: Index into `found` of the current match, or -1 before the first jump.
    index: int = -1

    def find(self, blocks: list[Block], pattern: re.Pattern[str] | None) -> int:
        """Search every block; return how many matches there are."""
        self.pattern, self.found, self.index = pattern, [], -1
        if pattern is not None:
            for number, block in enumerate(blocks):
                for found in pattern.finditer(block.search_text):
                    if found.end() > found.start():
                        self.found.append((number, found.start(), found.end()))
        return len(self.found)

    def of(self, block: int) -> tuple[list[Match], Match | None]:
        """The matches inside one block, and the current match if it is there."""
        matches = [(start, end) for number, start, end in self.found if number == block]
        current = None
        if 0 <= self.index < len(self.found) and self.found[self.index][0] == block:
            current = self.found[self.index][1:]
        return matches, current

    def step(self, cursor: int, step: int) -> int:
        """Make the next (1) or previous (-1) match current; the first jump starts at `cursor`."""
        if self.index >= 0:
            self.index = (self.index + step) % len(self.found)
        elif step > 0:
            after = [i for i, (block, _, _) in enumerate(self.found) if block >= cursor]
            self.index = after[0] if after else 0
        else:
            before = [i for i, (block, _, _) in enumerate(self.found) if block < cursor]
            self.index = before[-1] if before else len(self.found) - 1
        return self.index


class Styles(dict[str, Style]):
    """Style names to Textual styles; unknown names render unstyled."""

    def __missing__(self, name: str) -> Style:
        return Style()


def layout_block(
    block: Block,
    width: int,
    styles: Styles,
    *,
    collapsed: bool,
    matches: list[Match] = (),  # type: ignore[assignment]
    current: Match | None = None,
) -> tuple[list[Content], int | None]:
    """Lay a block out as wrapped lines of `Content`, ending with a blank separator.

    Returns the lines and the row of the current match (None when not shown). In a
    collapsed block each long part shows `PREVIEW_LINES` lines and a line saying what is
    hidden; only the text that can reach the preview is wrapped.
    """
    marker = Style(bold=True, underline=True) + styles["match-current"]
    lines: list[Content] = [Content("")] * block.gap_before
    if not block.bare:
        header = Content.assemble(*((text, styles[name]) for text, name in block.header))
        header = _highlight(header, 0, matches, current, styles, marker)
        lines.extend(header.wrap(width) if header.cell_length > width else [header])
    collapse = collapsed and block.collapsible
    for part, start in zip(block.parts, block.part_starts, strict=True):
        part_width = max(1, width - part.indent)
        long_part = collapse and is_long_part(part, width)
        text = _prefix(part.text, PREVIEW_LINES + 1, part_width) if long_part else part.text
        content = _styled(text, part, styles)
        content = _highlight(content, start, matches, current, styles, marker)
        wrapped = content.wrap(part_width)
        if long_part:
            wrapped = wrapped[:PREVIEW_LINES]
            rest = part.text[_consumed(wrapped) :]
            count = rest.count("\n") + 1
            wrapped.append(
                Content.styled(
                    f"⋯ {count:,} more line{'s' if count != 1 else ''}"
                    f" ({format_bytes(len(rest))}) · enter expands",
                    styles["more"],
                )
            )
        pad = " " * part.indent
        lines.extend(Content(pad) + line if pad else line for line in wrapped)
    lines.extend([Content("")] * block.gap_after)
    row = None
    if current is not None:
        for index, line in enumerate(lines):
            if any(span.style is marker for span in line.spans):
                row = index
                break
    return lines, row


def text_blocks(key: str, text: str, *, lines: int = 200, chars: int = 8_000) -> list[Block]:
    """Cut one long text into bare blocks, so only the slices on screen are wrapped."""
    blocks: list[Block] = []
    start = 0
    while start < len(text) or not blocks:
        end = start
        for _ in range(lines):
            newline = text.find("\n", end, start + chars)
            if newline < 0:
                end = min(len(text), start + chars)
                break
            end = newline + 1
        piece = text[start:end]
        part = Part(piece.removesuffix("\n"))
        blocks.append(
            Block(f"{key}.{len(blocks)}", [], [part], bare=True, collapsible=False, gap_after=0)
        )
        start = end
        if start >= len(text):
            break
    return blocks


def _prefix(text: str, lines: int, width: int) -> str:
    """The start of `text` that can fill at most `lines` wrapped lines of `width`."""
    text = text[: lines * width]
    cut = -1
    for _ in range(lines):
        cut = text.find("\n", cut + 1)
        if cut < 0:
            return text
    return text[:cut]


def _consumed(lines: list[Content]) -> int:
    """Roughly how many characters of source `lines` show (newlines and spaces included)."""
    return sum(len(line.plain) + 1 for line in lines)


def _styled(text: str, part: Part, styles: Styles) -> Content:
    base = styles[part.style]
    if not part.json:
        return Content.styled(text, base) if part.style != "body" else Content(text)
    spans: list[Span] = []
    offset = 0
    for line in text.split("\n"):
        for start, end, kind in json_tokens(line):
            if kind != "punctuation":
                spans.append(Span(offset + start, offset + end, styles[f"json-{kind}"]))
        offset += len(line) + 1
    return Content(text, spans)


def _highlight(
    content: Content,
    start: int,
    matches: list[Match],
    current: Match | None,
    styles: Styles,
    marker: Style,
) -> Content:
    """Add the spans of the matches that fall inside `content` (which starts at `start`)."""
    if not matches:
        return content
    end = start + len(content.plain)
    spans = []
    for match_start, match_end in matches:
        if match_end <= start or match_start >= end:
            continue
        style = marker if (match_start, match_end) == current else styles["match"]
        spans.append(Span(max(0, match_start - start), min(end, match_end) - start, style))
    return content.add_spans(spans) if spans else content
