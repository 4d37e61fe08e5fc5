"""`StatsBar`: totals over the rows a list shows, and (toggled) the same by model."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from inspector.catalog.stats import Stats, text_lines
from inspector.present import words as d


def summary(stats: Stats) -> str:
    """The totals on one line (model names do not appear, so nothing to sanitise)."""
    t = stats.totals
    tokens = f"{d.format_count(t.prompt_tokens)} in / {d.format_count(t.output_tokens)} out"
    return (
        f"Σ {d.plural(t.count, 'log')} · {d.plural(t.errors, 'error')} ({t.error_rate:.1%}) · "
        f"{tokens} · "
        f"{d.format_cost(t.cost)} · p50 {d.format_seconds(t.p50)} · "
        f"p95 {d.format_seconds(t.p95)} · max {d.format_seconds(t.max)}"
    )


#: The list's compare keys, named where they act (the footer keeps to the filters).
_KEYS = "   b: by model · w: export"


class StatsBar(Static):
    """One line of totals; with the breakdown on, a table by model below it."""

    DEFAULT_CSS = """
    StatsBar { height: auto; max-height: 12; padding: 0 1; background: $panel;
               color: $text-muted; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.stats: Stats | None = None
        self.note = ""
        self.breakdown = False

    def show(self, stats: Stats | None, note: str = "") -> None:
        """Show new totals (None: nothing yet); `note` says what they cover."""
        self.stats = stats
        self.note = note
        self._draw()

    def toggle_breakdown(self) -> bool:
        """Show or hide the table by model; returns whether it is now shown."""
        self.breakdown = not self.breakdown
        self._draw()
        return self.breakdown

    def _draw(self) -> None:
        if self.stats is None:
            self.update(Text("Σ totals: counting…"))
            return
        line = summary(self.stats) + (f" · {self.note}" if self.note else "")
        if not self.breakdown:
            self.update(Text(line + _KEYS))
            return
        # text_lines sanitises the model names.
        table = text_lines(self.stats)[6:]
        self.update(Text("\n".join([line, *table])))
