"""The block-based panes (Overview, Messages, Tools) and the Raw pane."""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

import msgspec
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.model.log import ChatMessage
from inspector.present import words as d
from inspector.sanitize import sanitize
from inspector.tui.view_state import view_state
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block, Part
from inspector.tui.widgets.message_blocks import message_blocks, template_blocks
from inspector.tui.widgets.overview import overview_blocks
from inspector.tui.widgets.pane import BlocksPane, Pane, Searchable
from inspector.tui.widgets.text_view import TextView
from inspector.tui.widgets.tools import tools_blocks


class OverviewPane(BlocksPane):
    """Identity, status, timing, usage, the config, inputs, metadata and output."""

    def blocks(self) -> list[Block]:
        return overview_blocks(self.doc)


class MessagesPane(BlocksPane):
    """The conversation: messages then the output, tool results under their calls."""

    EMPTY = "No messages and no output in this log."

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "toggle_template", "Template", tooltip="Show the config's chat_template"),
        Binding("m", "markdown", "Markdown", tooltip="Render the message as Markdown"),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.showing_template = False

    def blocks(self) -> list[Block]:
        blocks = message_blocks(self.doc.log)
        log = self.doc.log
        if log.output_message is None and log.output:
            header = [(" OUTPUT ", "role-assistant"), ("  output", "muted")]
            blocks.append(Block("output", header, [Part(sanitize(log.output))]))
        return blocks

    def count(self) -> int:
        log = self.doc.log
        extra = 1 if log.output_message is None and log.output else 0
        return len(log.messages or []) + (log.output_message is not None) + extra

    def expand_all_default(self) -> bool:
        return view_state(self).expand_messages

    def on_block_view_expand_all_changed(self, event: BlockView.ExpandAllChanged) -> None:
        view_state(self).expand_messages = event.expand

    def _template(self) -> list[ChatMessage]:
        model = d.model_config_of(self.doc.log.config)
        return model.chat_template or [] if model is not None else []

    def action_toggle_template(self) -> None:
        views = self.query(BlockView)
        if not views:
            return
        if not self._template():
            self.notify("This log's config has no chat_template.", markup=False)
            return
        self.showing_template = not self.showing_template
        view = views.first()
        if self.showing_template:
            view.set_blocks(template_blocks(self._template()))
            self.notify(
                "Showing the config's chat_template (t: back to the messages)", markup=False
            )
        else:
            view.set_blocks(self.blocks())

    def action_markdown(self) -> None:
        views = self.query(BlockView)
        block = views.first().current_block if views else None
        if block is None:
            return
        from inspector.tui.screens.viewer import ValueViewer

        text = "\n\n".join(part.text for part in block.parts if part.style == "body")
        self.app.push_screen(ValueViewer(block.header_text.strip(), text, markdown=True))


class ToolsPane(BlocksPane):
    """The tools offered, `tool_choice`, the calls made and the tool results."""

    def blocks(self) -> list[Block]:
        return tools_blocks(self.doc.log)

    def count(self) -> int:
        return len(d.offered_tools(self.doc.log.config))


class RawPane(Pane):
    """The whole log exactly as received, pretty-printed, read-only and searchable."""

    def make(self) -> Iterable[Widget]:
        note = (
            "The log as received, every field kept, pretty-printed. / to search, y to copy a line."
        )
        yield Static(Content(note), classes="pane-note")
        # UTF-8 bytes: the view decodes the lines it draws (a `str` would double the size).
        yield TextView(msgspec.json.format(self.doc.raw, indent=2), json=True)

    @property
    def searchable(self) -> Searchable | None:
        found = self.query(TextView)
        return found.first() if found else None

    def copy_text(self) -> str | None:
        found = self.query(TextView)
        return found.first().selected_text() if found else None
