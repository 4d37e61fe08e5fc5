"""`HelpScreen`: every key of the inspector on one page (`?` or F1)."""

from __future__ import annotations

from typing import ClassVar, Final

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Footer

from inspector.tui.widgets.block_view import BlockView
from inspector.tui.widgets.blocks import Block

#: (section, [(keys, what they do)]).
KEYS: Final = [
    (
        "Everywhere",
        [
            (
                "1 … 8",
                "the panes: Overview, Messages, Tools, Request, … Raw",
            ),
            ("tab / shift+tab", "move focus"),
            ("/", "search the current pane (ctrl+r in the prompt: regular expressions)"),
            ("n / N", "next / previous match"),
            ("y", "copy the selected value, message or line"),
            ("x", "copy the whole log as a Markdown transcript"),
            ("r", "reload the log"),
            ("o", "open another log: a file, a folder, an export or a log id"),
            ("p", "open the parent log (parent_id)"),
            ("escape / backspace", "back to the previous log or the list"),
            ("] / [", "next / previous log of the list it was opened from"),
            ("ctrl+p", "command palette: every action by name"),
            ("? / f1", "this help"),
            ("q", "quit"),
        ],
    ),
    (
        "Messages, Overview, Tools",
        [
            ("j / k, down / up", "next / previous block (long blocks scroll first)"),
            ("enter / space / click", "expand or collapse a long block"),
            ("e", "expand or collapse every block (remembered for the next log)"),
            ("t", "Messages: show the config's chat_template instead of the messages"),
            ("m", "Messages: render the message as Markdown"),
            ("g / G, home / end", "first / last block"),
        ],
    ),
    (
        "Request and Response (JSON explorer)",
        [
            ("enter / l / h", "expand / collapse; enter on a string shows all of it"),
            ("E", "expand everything under the node"),
            ("y / Y", "copy the value / its jq path"),
            ("v", "show the whole value, wrapped (E there opens it in $EDITOR)"),
            ("t", "switch between the tree and the raw text"),
        ],
    ),
    (
        "Evaluations and Feedback",
        [
            ("up / down", "choose a row; its details show below"),
            ("enter", "Evaluations: open the evaluator's own log"),
        ],
    ),
    (
        "List of logs (a file or folder of many logs, or --project)",
        [
            ("enter / click", "open the log; ] and [ in it step to the next and previous"),
            ("/", "filter by words in ids, outputs, messages and errors (escape clears)"),
            ("e", "errors only, or all"),
            ("m / t / f", "only one model / status / feedback type"),
            ("g", "only the selected log's session, or all"),
            ("c", "clear every filter"),
            ("s / S, click a header", "sort by a column / reverse the order"),
        ],
    ),
]


class HelpScreen(ModalScreen[None]):
    """The keys, grouped by where they work."""

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical {
        width: 100; max-width: 95%; height: 90%;
        border: round $accent; background: $surface;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close")
    ]

    def compose(self) -> ComposeResult:
        blocks = []
        for section, keys in KEYS:
            blocks.append(
                Block(section, [(section, "heading")], collapsible=False, gap_before=1, gap_after=0)
            )
            for key, text in keys:
                blocks.append(
                    Block(
                        f"{section}.{key}",
                        [(f"{key:<24}", "call"), (text, "value")],
                        collapsible=False,
                        gap_after=0,
                    )
                )
        with Vertical() as frame:
            frame.border_title = "inspector keys"
            yield BlockView(blocks)
        yield Footer()
