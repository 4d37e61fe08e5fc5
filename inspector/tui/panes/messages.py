"""The Messages pane: the conversation, tool results under their calls, the template."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from inspector.model.log import ChatMessage
from inspector.present import words as d
from inspector.sanitize import sanitize
from inspector.tui.panes.base import BlocksPane
from inspector.tui.panes.messages_content import message_blocks, template_blocks
from inspector.tui.view_state import view_state
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block, Part


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
            self.notify("This log's config has no chat_template.")
            return
        self.showing_template = not self.showing_template
        view = views.first()
        if self.showing_template:
            view.set_blocks(template_blocks(self._template()))
            self.notify("Showing the config's chat_template (t: back to the messages)")
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
