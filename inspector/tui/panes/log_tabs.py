"""`LogTabs`: the nine panes of one log under their tabs, in the order of the number keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import TabbedContent, TabPane

from inspector.model.decode import LogDocument

if TYPE_CHECKING:
    from inspector.tui.panes.base import Pane

#: (pane id, tab title) in the order of the number keys.
PANES: Final = [
    ("overview", "Overview"),
    ("messages", "Messages"),
    ("tools", "Tools"),
    ("request", "Request"),
    ("response", "Response"),
    ("evaluations", "Evaluations"),
    ("feedback", "Feedback"),
    ("raw", "Raw"),
    ("trace", "Trace"),
]


def make_pane(pane_id: str, doc: LogDocument) -> Pane:
    """The pane widget for one tab."""
    # Imported here, after the header is painted (first paint): DataTable and Tree take a
    # while to import, and the panes' content modules are needed only once tabs are built.
    from inspector.tui.panes.evaluations import EvaluationsPane
    from inspector.tui.panes.feedback import FeedbackPane
    from inspector.tui.panes.messages import MessagesPane
    from inspector.tui.panes.overview import OverviewPane
    from inspector.tui.panes.payload import PayloadPane
    from inspector.tui.panes.raw import RawPane
    from inspector.tui.panes.tools import ToolsPane
    from inspector.tui.panes.trace import TracePane

    if pane_id == "overview":
        return OverviewPane(doc, id="pane-overview")
    if pane_id == "messages":
        return MessagesPane(doc, id="pane-messages")
    if pane_id == "tools":
        return ToolsPane(doc, id="pane-tools")
    if pane_id == "request":
        return PayloadPane(doc, "provider_request", id="pane-request")
    if pane_id == "response":
        return PayloadPane(doc, "provider_response", id="pane-response")
    if pane_id == "evaluations":
        return EvaluationsPane(doc, id="pane-evaluations")
    if pane_id == "feedback":
        return FeedbackPane(doc, id="pane-feedback")
    if pane_id == "trace":
        return TracePane(doc, id="pane-trace")
    return RawPane(doc, id="pane-raw")


class PaneTabs(TabbedContent):
    """The tabs of the panes: shown by number keys, clicks and `active`, never by focus.

    Textual's tabs show the pane that a widget is focused in. Here focus follows the
    pane shown, never the other way: a pane gives focus to its content once built, and
    with keys typed faster than panes are built, that focus can arrive after a later
    key has switched away; the tabs would then go back to the pane left. Focus that
    lands in a hidden pane goes to the shown pane's content instead.
    """

    def _on_tab_pane_focused(self, event: TabPane.Focused) -> None:
        event.prevent_default()  # Textual's handler would make that pane the active one.
        event.stop()
        if event.tab_pane.id == self.active:
            return
        from inspector.tui.panes.base import Pane  # with the tabs, after first paint

        shown = self.active_pane
        pane = next(shown.query(Pane).results(), None) if shown is not None else None
        if pane is not None:
            pane.focus_content()


class LogTabs(Vertical):
    """The tabs of one log; each pane builds its content when first shown."""

    def __init__(self, doc: LogDocument, initial: str) -> None:
        super().__init__()
        self.doc = doc
        self.initial = initial

    def compose(self) -> ComposeResult:
        with PaneTabs(initial=f"tab-{self.initial}"):
            for pane_id, title in PANES:
                pane = make_pane(pane_id, self.doc)
                count = pane.count()
                label = f"{title} ({count})" if count is not None else title
                with TabPane(Content(label), id=f"tab-{pane_id}"):
                    yield pane
