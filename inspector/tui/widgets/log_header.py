"""`LogHeader`: the strip above the tabs with the facts of a log that matter first."""

from __future__ import annotations

from textual.app import RenderResult
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from inspector.model.decode import LogDocument
from inspector.model.log import LogResponse
from inspector.present import words as d
from inspector.present.report import notes
from inspector.sanitize import one_line


class LogHeader(Widget):
    """Log id, status, model, created time, latency, tokens, cost, and an error badge."""

    DEFAULT_CSS = """
    LogHeader {
        height: auto;
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
        completed = log.observability_status in ("completed", "complete")
        status_style = "bold $text-success" if completed else "bold $text-warning"
        model = d.model_config_of(log.config)
        label = one_line(d.config_label(log), 48)
        if model is not None and model.provider:
            label += f" ({one_line(model.provider, 20)})"
        first: list[Content | tuple[str, str] | str] = [
            (one_line(log.id, 60), "bold $accent"),
            "  ",
            ("● " + one_line(_status(doc), 30), status_style),
            "  ",
            (label, "bold"),
        ]
        if log.error:
            first += ["  ", (" ERROR ", "bold $text on $error"), " "]
            first.append((one_line(log.error, 200), "$text-error"))
        second: list[Content | tuple[str, str] | str] = []
        for name, value in self._facts(log):
            if second:
                second.append((" · ", "$text-muted"))
            second += [(f"{name} ", "$text-muted"), value]
        third: list[Content | tuple[str, str] | str] = []
        for line in notes(doc):
            third += ["\n", (line, "bold $text-error" if doc.problems else "$text-muted")]
        if self.trail:
            third = ["\n", (f"{self.trail}  (escape goes back)", "$text-accent")]
        return Content.assemble(*first, "\n", *second, *third)

    @staticmethod
    def _facts(log: LogResponse) -> list[tuple[str, str]]:
        latency = log.provider_latency if log.provider_latency is not None else log.duration
        tokens = d.total_tokens(log)
        cost = d.total_cost(log)
        facts = [
            ("created", d.format_time(log.created_at) if log.created_at else ""),
            ("latency", d.format_seconds(latency) if latency is not None else ""),
            ("tokens", d.format_count(tokens) if tokens is not None else ""),
            ("cost", d.format_cost(cost) if cost is not None else ""),
        ]
        return [(name, value) for name, value in facts if value]


def _status(doc: LogDocument) -> str:
    """v4: `observability_status`; v5: the kind and `log_status` (`flow · complete`)."""
    if doc.v5 is None:
        return doc.log.observability_status or "v4"
    return d.join_nonempty([doc.v5.kind, doc.v5.status])
