"""Deterministic benchmark logs: seeded, shaped like real agent chats, at fixed sizes.

Each log is a v4 `LogResponse` that both `decode_log` and the official SDK's pydantic
`LogResponse` accept: a model config with tools, a long conversation with tool calls and
their results (and base64 images in the biggest log), the provider request (which repeats
the messages, as OpenAI requests do) and a provider response carrying token logprobs,
which is what makes real responses reach megabytes. Strings the suite looks for on screen
are planted at known places (see `Markers`).
"""

from __future__ import annotations

import base64
import json
import os
import random
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

#: Bump when the shape of the generated logs changes, so cached files are rebuilt.
VERSION: Final = 9
#: Where generated inputs are kept; `INSPECTOR_BENCH_DATA` moves them (the smoke test: a temp dir).
DATA: Final = Path(os.environ.get("INSPECTOR_BENCH_DATA") or Path(__file__).parent / ".data")


@dataclass(frozen=True)
class Spec:
    """One benchmark log: its name, target size and shape."""

    name: str
    #: Target size of the file in bytes (the provider response is sized to reach it).
    size: int
    messages: int
    #: Base64 images (data URLs) in user messages, and the size of each in bytes.
    images: int = 0
    image_bytes: int = 0
    #: Minimum size of the provider response in bytes.
    min_response: int = 1_000
    #: How many of the tools in `TOOLS` the config offers.
    tools: int = 8
    #: Scales the length of message texts and of the answer.
    scale: float = 1.0


SPECS: Final = {
    "10kb": Spec("10kb", 10_000, 5, tools=2, scale=0.25),
    "1mb": Spec("1mb", 1_000_000, 300),
    "10mb": Spec("10mb", 10_000_000, 3_000, min_response=5_000_000, scale=0.85),
    "50mb": Spec("50mb", 50_000_000, 12_000, images=6, image_bytes=750_000),
    # Small inputs for `--quick`.
    "200kb": Spec("200kb", 200_000, 60),
}


class Markers:
    """Text planted in every log, so a benchmark can tell when a pane shows its content."""

    FIRST = "BENCH-FIRST-MESSAGE"
    LAST = "BENCH-LAST-MESSAGE"
    #: An unknown field at the very end of the JSON: the last line of the Raw pane.
    END_KEY = "bench_end_of_log"
    END = "BENCH-END-OF-LOG"
    #: A word planted in a few messages spread through the conversation.
    NEEDLE = "quokka"
    TOOL = "lookup_order"
    EVALUATOR = "bench-helpfulness"
    FEEDBACK = "bench-reviewer"


_PROSE: Final = (
    "the order refund customer account shipping address invoice payment card charge "
    "delivery parcel tracking status warehouse return label policy days week month "
    "please thanks check looks like we can you should would could might will issue "
    "ticket agent escalate summary details note update system error timeout retry "
    "database query index cache memory latency request response token model prompt "
    "context window function tool call result argument schema json field value list "
    "python code test build deploy release version branch merge review comment line "
    "file path folder config setting option default value number string boolean null"
)
WORDS: Final = _PROSE.split()

TOOLS: Final = [
    ("lookup_order", "Find an order by its number and return its status and items."),
    ("refund_order", "Refund part or all of an order to the original payment method."),
    ("search_kb", "Search the help-center articles for a query."),
    ("get_customer", "Fetch a customer's profile and recent orders."),
    ("create_ticket", "Open a ticket for the human support team."),
    ("send_email", "Send an email to the customer from the support address."),
    ("track_parcel", "Ask the carrier where a parcel is now."),
    ("update_address", "Change the delivery address of an order not yet shipped."),
]


def _size(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(6, 18))
    return " ".join(words).capitalize() + "."


def _paragraphs(rng: random.Random, size: int) -> str:
    """Prose of about `size` characters in paragraphs, sometimes with a list or code."""
    out: list[str] = []
    length = 0
    while length < size:
        kind = rng.random()
        if kind < 0.1:
            block = "\n".join(f"- {_sentence(rng)}" for _ in range(rng.randint(2, 6)))
        elif kind < 0.15:
            lines = [f"    {rng.choice(WORDS)} = {rng.randint(0, 9999)}" for _ in range(8)]
            block = "```python\n" + "\n".join(lines) + "\n```"
        else:
            block = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
        out.append(block)
        length += len(block) + 2
    return "\n\n".join(out)


def _message_size(rng: random.Random) -> int:
    """Most messages are short; a few are pasted documents."""
    if rng.random() < 0.02:
        return rng.randint(8_000, 20_000)
    return int(rng.lognormvariate(6.0, 0.8))


def _image(rng: random.Random, size: int) -> str:
    raw = rng.randbytes(size * 3 // 4)
    return "data:image/png;base64," + base64.b64encode(raw).decode()


def _conversation(spec: Spec, rng: random.Random) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = [
        {
            "role": "system",
            "content": f"{Markers.FIRST} You are the support agent of Acme. "
            + _paragraphs(rng, int(600 * spec.scale)),
        }
    ]
    image_every = max(1, spec.messages // (spec.images + 1)) if spec.images else 0
    needle_every = max(1, spec.messages // 12)
    call = 0
    while len(messages) < spec.messages - 1:
        index = len(messages)
        text = _paragraphs(rng, int(_message_size(rng) * spec.scale))
        if index % needle_every == 0:
            text += f" The {Markers.NEEDLE} checked the order."
        if image_every and index // image_every <= spec.images and index % image_every == 0:
            messages.append(
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": text},
                        {
                            "type": "image_url",
                            "image_url": {"url": _image(rng, spec.image_bytes), "detail": "auto"},
                        },
                    ],
                }
            )
            continue
        role = "user" if index % 2 else "assistant"
        if role == "assistant" and rng.random() < 0.25 and len(messages) < spec.messages - 3:
            name, _ = rng.choice(TOOLS[: spec.tools])
            call_id = f"call_{call:06d}{rng.randrange(16**8):08x}"
            call += 1
            arguments = {"order_id": f"A-{rng.randint(10000, 99999)}", "note": _sentence(rng)}
            messages.append(
                {
                    "role": "assistant",
                    "content": None,
                    "tool_calls": [
                        {
                            "id": call_id,
                            "type": "function",
                            "function": {"name": name, "arguments": json.dumps(arguments)},
                        }
                    ],
                }
            )
            result = {
                "ok": True,
                "items": [
                    {"sku": f"SKU-{rng.randint(1000, 9999)}", "note": _sentence(rng)}
                    for _ in range(rng.randint(1, 12))
                ],
            }
            messages.append(
                {
                    "role": "tool",
                    "name": name,
                    "tool_call_id": call_id,
                    "content": json.dumps(result),
                }
            )
            continue
        messages.append({"role": role, "content": text})
    messages.append({"role": "user", "content": f"{Markers.LAST} {_paragraphs(rng, 200)}"})
    return messages


def _logprobs(rng: random.Random, size: int) -> list[dict[str, Any]]:
    """OpenAI `logprobs.content` entries adding up to about `size` bytes of JSON."""
    entries: list[dict[str, Any]] = []
    total = 0
    # The needle is a token at about a third and two thirds of the way through.
    needles = {size // 3, 2 * size // 3}
    while total < size:
        word = rng.choice(WORDS)
        if needles and total >= min(needles):
            needles.remove(min(needles))
            word = Markers.NEEDLE
        top = [
            {
                "token": f" {alt}",
                "logprob": round(-rng.random() * 8, 6),
                "bytes": list(f" {alt}".encode()),
            }
            for alt in rng.choices(WORDS, k=3)
        ]
        entry = {
            "token": f" {word}",
            "logprob": round(-rng.random(), 6),
            "bytes": list(f" {word}".encode()),
            "top_logprobs": top,
        }
        entries.append(entry)
        total += _size(entry) + 1
    return entries


def build_log(spec: Spec) -> dict[str, Any]:
    """The log of `spec`, the same on every run."""
    rng = random.Random(f"inspector-bench-{spec.name}-{VERSION}")
    log_id = "data_" + "".join(
        rng.choices("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz0123456789", k=21)
    )
    tools = [
        {
            "id": f"oc_{i:021d}",
            "name": name,
            "description": description,
            "parameters": {
                "type": "object",
                "properties": {
                    "order_id": {"type": "string", "description": "The order number, A-12345."},
                    "note": {"type": "string"},
                },
                "required": ["order_id"],
            },
            "source": "organization",
        }
        for i, (name, description) in enumerate(TOOLS[: spec.tools])
    ]
    config = {
        "type": "model",
        "id": "config_bench000000000000",
        "model": "gpt-4o-2024-08-06",
        "name": "support-agent-bench",
        "provider": "openai",
        "endpoint": "chat",
        "max_tokens": 4096,
        "temperature": 0.2,
        "top_p": 1,
        "presence_penalty": 0,
        "frequency_penalty": 0,
        "other": {"parallel_tool_calls": True},
        "tools": tools,
    }
    messages = _conversation(spec, rng)
    answer = f"The {Markers.NEEDLE} found it. " + _paragraphs(rng, int(2_000 * spec.scale))
    request = {
        "model": config["model"],
        "temperature": 0.2,
        "max_tokens": 4096,
        "logprobs": True,
        "top_logprobs": 3,
        "tools": [
            {
                "type": "function",
                "function": {k: t[k] for k in ("name", "description", "parameters")},
            }
            for t in tools
        ],
        "messages": messages,
    }
    created = "2024-10-29T09:15:10.165902+00:00"
    log: dict[str, Any] = {
        "id": log_id,
        "config": config,
        "evaluation_results": [
            {
                "id": f"evr_bench{i:016d}",
                "evaluator_id": f"evfn_bench{i:015d}",
                "evaluator_version_id": f"evv_bench{i:016d}",
                "log_id": log_id,
                "value": [True, 4, "good"][i],
                "updated_at": created,
                "created_at": created,
            }
            for i in range(3)
        ],
        "observability_status": "completed",
        "updated_at": "2024-10-29T09:15:12.000000+00:00",
        "project": "support-bot",
        "project_id": "pr_bench0000000000000000",
        "session_id": "sesh_bench00000000000000",
        "inputs": {"customer": "c-48213", "channel": "chat"},
        "source": "sdk",
        "metadata": {"app_version": "4.1.0", "bench": spec.name},
        "save": True,
        "messages": messages,
        "output": answer,
        "environment": "production",
        "feedback": [
            {
                "id": f"ann_bench{i:016d}",
                "type": "rating",
                "value": "good" if i % 2 else "bad",
                "data_id": log_id,
                "user": Markers.FEEDBACK,
                "created_at": created,
            }
            for i in range(5)
        ],
        "created_at": created,
        "duration": 41.5,
        "output_message": {"role": "assistant", "content": answer},
        "prompt_tokens": 120_000,
        "output_tokens": 900,
        "prompt_cost": 0.3,
        "output_cost": 0.009,
        "provider_request": request,
        "provider_response": None,
        "user": "agent@example.com",
        "provider_latency": 40.9,
        "tokens": 120_900,
        "finish_reason": "stop",
        "tool_choice": "auto",
        Markers.END_KEY: Markers.END,
    }
    used = _size(log)
    response_size = max(spec.min_response, spec.size - used)
    log["provider_response"] = {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1730193310,
        "model": config["model"],
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": answer, "refusal": None},
                "logprobs": {
                    "content": _logprobs(rng, max(600, response_size - 3_000)),
                    "refusal": None,
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 120_000, "completion_tokens": 900, "total_tokens": 120_900},
        "system_fingerprint": "fp_bench",
    }
    # The unknown field goes last, so the Raw pane's last lines show it.
    log[Markers.END_KEY] = log.pop(Markers.END_KEY)
    return log


@dataclass(frozen=True)
class Input:
    """A generated log on disk."""

    spec: Spec
    path: Path
    log_id: str
    size: int


def ensure(name: str, data: Path = DATA) -> Input:
    """The log `name` in `data`, generated the first time (or when the generator changed)."""
    spec = SPECS[name]
    data.mkdir(parents=True, exist_ok=True)
    path = data / f"log-{name}.json"
    stamp = data / f"log-{name}.v{VERSION}.id"
    if not (path.exists() and stamp.exists()):
        log = build_log(spec)
        path.write_bytes(json.dumps(log, ensure_ascii=False, separators=(",", ":")).encode())
        stamp.write_text(log["id"])
    return Input(spec, path, stamp.read_text(), path.stat().st_size)


if __name__ == "__main__":
    for key in SPECS:
        item = ensure(key)
        print(f"{item.path}  {item.size:,} bytes  {item.log_id}")
