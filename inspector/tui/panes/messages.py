"""The Messages pane: the conversation, tool results under their calls, the template."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType

from inspector.model.bridge import CallView
from inspector.model.log import ChatMessage
from inspector.present import words as d
from inspector.sanitize import one_line, sanitize
from inspector.tui.panes.base import BlocksPane
from inspector.tui.panes.messages_content import (
    filled_template,
    message_blocks,
    template_blocks,
)
from inspector.tui.view_state import view_state
from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block, Part


class MessagesPane(BlocksPane):
    """The conversation: messages then the output, tool results under their calls."""

    EMPTY = "No messages and no output in this log."

    BINDINGS: ClassVar[list[BindingType]] = [
        # `t` steps messages → template filled from inputs → raw template → messages; the
        # footer names the next step.
        Binding(
            "t",
            "template(1)",
            "Template",
            tooltip="The config's chat_template, filled",
            id="messages.template",
        ),
        Binding(
            "t",
            "template(2)",
            "Raw template",
            tooltip="The template as written",
            id="messages.raw-template",
        ),
        Binding(
            "t",
            "template(0)",
            "Messages",
            tooltip="Back to the messages",
            id="messages.back-to-messages",
        ),
        Binding(
            "colon",
            "jump",
            "Go to message",
            tooltip="Go to message N (messages[N])",
            id="messages.jump",
        ),
        Binding(
            "m",
            "markdown",
            "Markdown",
            tooltip="Render the message as Markdown",
            id="messages.markdown",
        ),
    ]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        #: 0 the messages, 1 the template filled from inputs, 2 the raw template.
        self.mode = 0

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
        extra += len(log.more) if isinstance(log, CallView) else 0  # A call's generations.
        return len(log.messages or []) + (log.output_message is not None) + extra

    def expand_all_default(self) -> bool:
        return view_state(self).expand_messages

    def on_block_view_expand_all_changed(self, event: BlockView.ExpandAllChanged) -> None:
        view_state(self).expand_messages = event.expand

    def _template(self) -> list[ChatMessage]:
        model = d.model_config_of(self.doc.log.config)
        return model.chat_template or [] if model is not None else []

    def _filled(self) -> tuple[list[ChatMessage], bool]:
        """The template filled from the log's inputs, and whether anything was filled."""
        template = self._template()
        filled = filled_template(template, self.doc.log.inputs or {})
        return filled, filled != template

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "template" and parameters:
            if not self._template():
                return False  # no template: the key is not offered
            wanted = int(str(parameters[0]))
            # Without variables to fill, the raw step is the same picture: skip it.
            after = (self.mode + 1) % 3
            if after == 2 and self._template() and not self._filled()[1]:
                after = 0
            return wanted == after
        return True

    @property
    def showing_template(self) -> bool:
        """True while the template is shown instead of the messages."""
        return self.mode != 0

    def action_template(self, mode: int) -> None:
        views = self.query(BlockView)
        if not views:
            return
        if not self._template():
            self.notify("This log's config has no chat_template.")
            return
        self.mode = mode
        view = views.first()
        if mode == 0:
            view.set_blocks(self.blocks())
        else:
            filled, changed = self._filled()
            shown = filled if mode == 1 else self._template()
            view.set_blocks(template_blocks(shown, filled=mode == 1, changed=changed))
        self.refresh_bindings()

    def action_jump(self) -> None:
        from inspector.tui.screens.open_target import PromptScreen

        def chosen(typed: str | None) -> None:
            views = self.query(BlockView)
            if not typed or not views:
                return
            view = views.first()
            keys = [block.key for block in view.blocks]
            number = typed.strip().lstrip("#")
            for key in (f"messages[{number}]", f"chat_template[{number}]", number):
                if key in keys:
                    view.select(keys.index(key), top=True)
                    return
            self.notify(f"No message {one_line(typed, 20)} here")

        self.app.push_screen(PromptScreen("Go to message", "a number, as in messages[N]"), chosen)

    def action_markdown(self) -> None:
        views = self.query(BlockView)
        block = views.first().current_block if views else None
        if block is None:
            return
        from inspector.tui.screens.viewer import ValueViewer

        text = "\n\n".join(part.text for part in block.parts if part.style == "body")
        self.app.push_screen(ValueViewer(block.header_text.strip(), text, markdown=True))
