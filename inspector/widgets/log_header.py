"""`LogHeader`: the strip above the tabs with the facts of a log that matter first."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from inspector import describe as d
from inspector.decoding import LogDocument
from inspector.sanitize import one_line


class LogHeader(Widget):
    """Log id, status, model, created time, latency, tokens, cost, and an error badge."""

    DEFAULT_CSS = """
    LogHeader {
        height: auto;
        max-height: 3;
        padding: 0 1;
        background: $panel;
        color: $text;
    }
    """

    document: reactive[LogDocument | None] = reactive(None, layout=True)
    #: Shown before the log is known: what is being opened.
    placeholder: reactive[str] = reactive("", layout=True)
    #: Where the user came from (the log `escape` returns to), if anywhere.
    trail: reactive[str] = reactive("", layout=True)

    def render(self) -> RenderResult:
        doc = self.document
        if doc is None:
            return Content.assemble(("inspector", "bold $accent"), "  ", (self.placeholder, "dim"))
        log = doc.log
        status_style = "bold $text-success" if log.observability_status == "completed" else "bold $text-warning"
        parts: list[Content | tuple[str, str] | str] = [
            (one_line(log.id, 60), "bold $accent"),
            "  ",
            ("● " + one_line(log.observability_status, 20), status_style),
            "  ",
            (one_line(d.config_label(log), 48), "bold"),
        ]
        facts = [
            d.format_time(log.created_at) if log.created_at else "",
            d.format_seconds(log.provider_latency if log.provider_latency is not None else log.duration)
            if (log.provider_latency is not None or log.duration is not None)
            else "",
            f"{d.format_count(d.total_tokens(log))} tokens" if d.total_tokens(log) is not None else "",
            d.format_cost(d.total_cost(log)) if d.total_cost(log) is not None else "",
        ]
        for fact in facts:
            if fact:
                parts += ["  ", (fact, "$text-muted")]
        if log.error:
            parts += ["  ", (" ERROR ", "bold $text on $error"), " ", (one_line(log.error, 80), "$text-error")]
        line = Content.assemble(*parts)
        if self.trail:
            line = Content.assemble(line, "\n", (self.trail, "$text-muted"))
        return line
