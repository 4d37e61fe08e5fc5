"""Generated exports of many logs in every shape, for the catalog and `show` tests.

Logs are plain dicts, deterministic by index, with known ids, models, statuses, errors,
feedback, sessions and parent links, so that tests can state exactly what to expect.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from inspector.catalog import Catalog

MODELS = ["gpt-4o", "gpt-4o-mini", "claude-3-5-sonnet-20240620"]
BASE = datetime(2024, 9, 20, 12, 0, tzinfo=UTC)
#: Words placed in known logs, to test text search.
WORDS = ["refund", "invoice", "shipping", "crème", "日本語"]


def log_id(index: int) -> str:
    """The id of the log made by `make_log(index)`."""
    return f"data_{index:04d}q{index * 7919 % 1000:03d}"


def make_log(index: int) -> dict[str, Any]:
    """A log whose every listed field follows from `index`.

    - index % 7 == 6: a tool config (label `search-tool`, no model); else MODELS[index % 3].
    - index % 5 == 4: an error (no output, status `failed`).
    - index % 3 == 0: feedback `rating: good`; index % 6 == 3 also `issue: missing_detail`.
    - index % 4 == 0: one evaluation result.
    - indexes 0, 1, 2 form session `sesh_a` (1's parent is 0, 2's parent is 1).
    - index % 11 == 10: no created_at; otherwise BASE minus index minutes, shuffled a
      little so that created order differs from source order.
    - output mentions WORDS[index % 5] and the word `common`.
    """
    ident = log_id(index)
    if index % 7 == 6:
        config: dict[str, Any] = {
            "type": "tool",
            "id": "config_tool",
            "status": "committed",
            "name": "search-tool",
        }
    else:
        config = {"type": "model", "id": f"config_{index % 3}", "model": MODELS[index % 3]}
    word = WORDS[index % len(WORDS)]
    log: dict[str, Any] = {
        "id": ident,
        "config": config,
        "evaluation_results": [],
        "observability_status": "completed",
        "updated_at": "2024-09-20T12:00:00+00:00",
        "project_id": "pr_test",
        "messages": [
            {"role": "system", "content": "You are helpful."},
            {
                "role": "user",
                "content": [{"type": "text", "text": f"question {index} about {word}"}],
            },
        ],
        "prompt_tokens": 10 + index,
        "output_tokens": index % 9,
        "prompt_cost": round(0.001 * (index % 13), 6),
        "output_cost": 0.0005,
        "provider_latency": None if index % 8 == 7 else round(0.1 * (index % 17), 3),
        "duration": 2.5,
    }
    if index % 11 != 10:
        shuffle = (index * 37) % 5
        moment = BASE - timedelta(minutes=index * 3 + shuffle)
        log["created_at"] = moment.isoformat()
    if index % 5 == 4:
        log["error"] = f"Rate limit exceeded ({index})\nretry later"
        log["observability_status"] = "failed"
    else:
        log["output"] = f"Answer {index}: common {word}\nsecond line"
        log["output_message"] = {"role": "assistant", "content": log["output"]}
        log["finish_reason"] = "stop"
    if index % 3 == 0:
        log["feedback"] = [{"id": f"ann_{index}", "type": "rating", "value": "good"}]
        if index % 6 == 3:
            log["feedback"].append(
                {"id": f"ann_{index}b", "type": "issue", "value": ["missing_detail"]}
            )
    if index % 4 == 0:
        log["evaluation_results"] = [
            {
                "id": f"evr_{index}",
                "evaluator_id": "evfn_x",
                "evaluator_version_id": "evv_x",
                "log_id": ident,
                "updated_at": "2024-09-20T12:00:00+00:00",
                "created_at": "2024-09-20T12:00:00+00:00",
                "value": True,
            }
        ]
    if index < 3:
        log["session_id"] = "sesh_a"
        if index:
            log["parent_id"] = log_id(index - 1)
    return log


def make_logs(count: int) -> list[dict[str, Any]]:
    """`make_log(0)` to `make_log(count - 1)`."""
    return [make_log(index) for index in range(count)]


def encode(log: Any, *, indent: int | None = None) -> bytes:
    """One value as JSON bytes; non-ASCII kept as UTF-8, as exports do."""
    return json.dumps(log, indent=indent, ensure_ascii=False).encode()


def jsonl(logs: list[Any], *, blank_lines: bool = False) -> bytes:
    """JSON Lines; with `blank_lines`, empty and whitespace-only lines between records."""
    lines = [encode(log) for log in logs]
    if blank_lines:
        spaced: list[bytes] = [b""]
        for line in lines:
            spaced.extend([line, b"   ", b""])
        lines = spaced
    return b"\n".join(lines) + b"\n"


def array(logs: list[Any], *, indent: int | None = None) -> bytes:
    """A JSON array of the logs (pretty-printed with `indent`)."""
    return encode(logs, indent=indent)


def page(logs: list[Any]) -> bytes:
    """A `GET /logs` list page holding the logs, with `records` not the first key."""
    return encode(
        {"page": 0, "size": len(logs), "total": len(logs) + 10, "records": logs}, indent=1
    )


def write_folder(folder: Path, logs: list[Any]) -> list[str]:
    """One `.json` file per log (named so that sorted order is log order); their names."""
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for index, log in enumerate(logs):
        name = f"log-{index:04d}.json"
        (folder / name).write_bytes(encode(log, indent=2))
        names.append(name)
    return names


@contextmanager
def listed(folder: Path, count: int) -> Iterator[Catalog]:
    """A catalog of `count` generated logs in a JSON Lines file in `folder`, every row
    listed and indexed (not its text), closed after the block."""
    path = folder / "export.jsonl"
    path.write_bytes(jsonl(make_logs(count)))
    with Catalog.open(path) as catalog:
        catalog.start(text=False)
        assert catalog.wait(timeout=60)
        yield catalog
