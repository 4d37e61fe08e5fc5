"""Deterministic generator of realistic Humanloop v4 log exports (JSON Lines or a JSON array)."""

from __future__ import annotations

import random
import string
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import msgspec

MODELS = [
    ("gpt-4o", "openai"),
    ("gpt-4o-mini", "openai"),
    ("claude-3-5-sonnet-20240620", "anthropic"),
    ("gpt-3.5-turbo", "openai"),
    ("llama-3.1-70b-versatile", "groq"),
    ("command-r-plus", "cohere"),
]
CONFIG_NAMES = ["support-answerer", "summarizer", "router", "sql-writer", "triage", "translator"]
FEEDBACK = [("rating", "good"), ("rating", "bad"), ("issue", "missing_detail"), ("issue", "tone")]
ERRORS = [
    "Rate limit exceeded: 429 Too Many Requests",
    "This model's maximum context length is 128000 tokens.",
    "Upstream timeout after 60 s",
]
_ID_CHARS = string.ascii_letters + string.digits
_BASE_TIME = datetime(2024, 9, 20, 12, 0, 0, tzinfo=UTC)


class _Text:
    """Pseudo-English from a fixed vocabulary with a Zipf-like word frequency."""

    def __init__(self, rng: random.Random) -> None:
        syllables = ["ka", "lo", "mi", "ren", "sa", "tor", "vel", "qu", "an", "is", "ex", "dor"]
        words = {
            "".join(rng.choice(syllables) for _ in range(rng.randint(1, 4))) for _ in range(6000)
        }
        self.words = sorted(words)
        self.weights = [1.0 / (rank + 1) for rank in range(len(self.words))]
        self.cum = [0.0]
        for weight in self.weights:
            self.cum.append(self.cum[-1] + weight)
        self.cum.pop(0)
        self.paragraphs = [self._paragraph(rng) for _ in range(4000)]

    def _paragraph(self, rng: random.Random) -> str:
        words = rng.choices(self.words, cum_weights=self.cum, k=rng.randint(8, 60))
        words[0] = words[0].capitalize()
        return " ".join(words) + "."

    def text(self, rng: random.Random, mean_paragraphs: float) -> str:
        count = max(1, min(400, int(rng.lognormvariate(0, 1.0) * mean_paragraphs)))
        parts = rng.sample(self.paragraphs, min(count, len(self.paragraphs)))
        # A unique token per text keeps the full-text index honest (not all text repeats).
        parts.append(f"ref-{rng.randrange(10**9):09d}")
        return "\n\n".join(parts)


def _id(rng: random.Random, prefix: str, length: int = 22) -> str:
    return prefix + "".join(rng.choices(_ID_CHARS, k=length))


def _stamp(moment: datetime) -> str:
    return moment.isoformat()


def iter_logs(count: int, seed: int = 6) -> Iterator[dict[str, Any]]:
    """Yield `count` realistic logs as dicts, the same for the same seed."""
    rng = random.Random(seed)
    text = _Text(rng)
    configs = []
    for index, name in enumerate(CONFIG_NAMES * 3):
        model, provider = MODELS[index % len(MODELS)]
        configs.append(
            {
                "type": "model",
                "id": _id(rng, "config_"),
                "model": model,
                "name": f"{name}-v{index // len(CONFIG_NAMES) + 1}",
                "provider": provider,
                "endpoint": "chat",
                "max_tokens": 1024,
                "temperature": 0.3,
                "chat_template": [{"role": "system", "content": text.text(rng, 0.5)}],
            }
        )
    systems = [text.text(rng, 1.0) for _ in range(20)]
    projects = [_id(rng, "pr_") for _ in range(3)]
    session: list[str] = []
    session_id = None
    for index in range(count):
        log_id = _id(rng, "data_")
        moment = _BASE_TIME - timedelta(seconds=index * 25 + rng.uniform(0, 60))
        config = rng.choice(configs)
        if rng.random() < 0.02:
            config = {"type": "tool", "id": "config_tool", "status": "committed", "name": "search"}
        log: dict[str, Any] = {
            "id": log_id,
            "project_id": rng.choice(projects),
            "config": config,
            "evaluation_results": [],
            "observability_status": rng.choices(
                ["completed", "pending", "running", "failed"], [90, 4, 3, 3]
            )[0],
            "created_at": _stamp(moment),
            "updated_at": _stamp(moment + timedelta(seconds=5)),
            "inputs": {"question": text.text(rng, 0.3)[:200]},
            "metadata": {"customer": _id(rng, "cus_", 8), "attempt": rng.randint(1, 3)},
        }
        # Sessions: a third of the logs come in chains of 2-6 steps linked by parent_id.
        if session and rng.random() < 0.8:
            log["session_id"] = session_id
            log["parent_id"] = session[-1]
            session.append(log_id)
            if len(session) >= rng.randint(2, 6):
                session = []
        elif rng.random() < 0.12:
            session_id = _id(rng, "sesh_")
            session = [log_id]
            log["session_id"] = session_id
        messages: list[dict[str, Any]] = [{"role": "system", "content": rng.choice(systems)}]
        for _ in range(rng.choice([1, 1, 1, 2, 3, 5])):
            # One log in 500 carries a long pasted document (tens to hundreds of KB).
            mean = 150.0 if rng.random() < 0.002 else 0.8
            messages.append({"role": "user", "content": text.text(rng, mean)})
            if rng.random() < 0.15:
                call_id = _id(rng, "call_", 12)
                messages.append(
                    {
                        "role": "assistant",
                        "content": None,
                        "tool_calls": [
                            {
                                "id": call_id,
                                "type": "function",
                                "function": {"name": "lookup", "arguments": '{"q": "kalo"}'},
                            }
                        ],
                    }
                )
                messages.append(
                    {"role": "tool", "tool_call_id": call_id, "content": text.text(rng, 0.5)}
                )
            messages.append({"role": "assistant", "content": text.text(rng, 0.6)})
        messages.pop()
        log["messages"] = messages
        prompt_chars = sum(len(m.get("content") or "") for m in messages)
        prompt_tokens = prompt_chars // 4
        if rng.random() < 0.03:
            log["error"] = rng.choice(ERRORS)
            log["observability_status"] = "failed"
        else:
            output = text.text(rng, 1.2)
            finish = rng.choices(["stop", "length", "tool_calls"], [85, 10, 5])[0]
            output_tokens = len(output) // 4
            log.update(
                output=output,
                output_message={"role": "assistant", "content": output},
                finish_reason=finish,
                prompt_tokens=prompt_tokens,
                output_tokens=output_tokens,
                tokens=prompt_tokens + output_tokens,
                prompt_cost=round(prompt_tokens * 2.5e-6, 8),
                output_cost=round(output_tokens * 1e-5, 8),
                provider_latency=round(rng.lognormvariate(0, 0.6), 3),
                provider_request={
                    "model": config.get("model", "tool"),
                    "temperature": 0.3,
                    "messages": [{"role": "system", "content": messages[0]["content"][:400]}],
                },
                provider_response={
                    "id": _id(rng, "chatcmpl-", 16),
                    "object": "chat.completion",
                    "choices": [{"index": 0, "finish_reason": finish}],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": output_tokens,
                        "total_tokens": prompt_tokens + output_tokens,
                    },
                },
            )
        # The whole call takes a little longer than the provider's part of it.
        latency = log.get("provider_latency", 0.0)
        log["duration"] = round(latency + rng.lognormvariate(-2.5, 0.5), 3)
        if rng.random() < 0.1:
            log["feedback"] = [
                {"id": _id(rng, "ann_"), "type": kind, "value": value, "data_id": log_id}
                for kind, value in rng.sample(FEEDBACK, rng.randint(1, 2))
            ]
        if rng.random() < 0.2:
            log["evaluation_results"] = [
                {
                    "id": _id(rng, "evr_"),
                    "evaluator_id": _id(rng, "evfn_"),
                    "evaluator_version_id": _id(rng, "evv_"),
                    "log_id": log_id,
                    "value": rng.choice([True, False, 3, 4]),
                    "updated_at": _stamp(moment),
                    "created_at": _stamp(moment),
                }
                for _ in range(rng.randint(1, 3))
            ]
        yield log


def write_jsonl(path: Path, count: int, seed: int = 6) -> Path:
    """Write `count` logs as JSON Lines to `path` (skipped when it already exists)."""
    if path.exists():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    encoder = msgspec.json.Encoder()
    with partial.open("wb") as out:
        for log in iter_logs(count, seed):
            out.write(encoder.encode(log))
            out.write(b"\n")
    partial.rename(path)
    return path


def write_array(path: Path, source: Path) -> Path:
    """Write the logs of the JSON Lines file `source` as one JSON array (skipped if present)."""
    if path.exists():
        return path
    partial = path.with_suffix(".partial")
    with source.open("rb") as lines, partial.open("wb") as out:
        out.write(b"[\n")
        first = True
        for line in lines:
            if not line.strip():
                continue
            if not first:
                out.write(b",\n")
            out.write(line.rstrip(b"\n"))
            first = False
        out.write(b"\n]\n")
    partial.rename(path)
    return path
