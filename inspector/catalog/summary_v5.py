"""The list row of a record that is not a clean v4 log: a v5 log, a wrapped one, a v4 call.

Such a record is decoded whole with `decode_log` (the one reader of every shape), and its
row is made from the same view the panes read, so the list and the log agree. v4 logs
never come here: their lean `LogSummary` path stays as fast as before.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from inspector.model.document import LogDocument
from inspector.present import words as describe


def document_row(doc: LogDocument, span: tuple[Any, ...], output: str) -> tuple[Any, ...]:
    """The row of a decoded document, in the column order of `catalog.entry.COLUMNS`."""
    log = doc.log
    created = log.created_at
    model = describe.model_config_of(log.config)
    kind = doc.v5.kind if doc.v5 is not None else describe.config_type(log.config)
    label = describe.config_label(log)
    if doc.v5 is not None:
        label = doc.v5.version.path or doc.v5.version.name or label
    error = "; ".join(doc.problems) if doc.problems else log.error
    # A log read only in part says so where the status is, so `t` can pick them out.
    status = "partial" if doc.problems else (log.observability_status or "-")
    return (
        *span,
        log.id,
        created.isoformat() if created else None,
        timestamp(created),
        label,
        model.model if model else None,
        kind,
        status,
        error,
        0,
        log.finish_reason,
        log.prompt_tokens,
        log.output_tokens,
        describe.total_tokens(log),
        describe.total_cost(log),
        log.provider_latency if log.provider_latency is not None else log.duration,
        output,
        log.session_id,
        log.parent_id,
        log.project_id,
        "",
        0,
        len(log.evaluation_results),
    )


def timestamp(moment: datetime | None) -> float | None:
    """Seconds since the epoch for sorting; a time without a zone is taken as UTC."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.timestamp()
