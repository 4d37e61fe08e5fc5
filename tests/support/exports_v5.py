"""Seeded v5 logs and a folder laid out as Humanloop's exporter writes it (spec §9).

`make_export` writes `exports/<ts>/files/<file_id>/{file.json, deployments.json, versions/…,
logs/N.jsonl, evaluations/<evr_id>/{evaluation.json, stats.json, runs/…, logs/N.jsonl}, .done}`
with `json.dumps` defaults (ASCII escapes, no trailing newline on the JSON files), flows
whose trace nests a prompt (with a tool call) and a tool, agents with tool children,
evaluator judgments, and evaluation records. Child logs also appear in their own file's
`logs/`, as the exporter repeats them.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

TS = "2025-08-14T10:00:00Z"


def version(kind: str, file_id: str, path: str, **extra: Any) -> dict[str, Any]:
    """A version object of `kind` (also the content of `file.json`)."""
    prefix = {"prompt": "prv", "tool": "tlv", "flow": "flv", "evaluator": "evv", "agent": "agv"}
    return {
        "id": file_id,
        "path": path,
        "name": path.rsplit("/", 1)[-1],
        "version_id": f"{prefix[kind]}_{file_id[3:]}1",
        "type": kind,
        "created_at": TS,
        "updated_at": TS,
        **extra,
    }


PROMPT = version(
    "prompt",
    "pr_Weather0001",
    "weather/answer",
    model="gpt-4o",
    provider="openai",
    endpoint="chat",
    temperature=0.2,
    template=[{"role": "system", "content": "You answer weather questions."}],
    tools=[
        {
            "name": "get_weather",
            "description": "Current weather for a city",
            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
        }
    ],
)
TOOL = version(
    "tool",
    "tl_Weather0001",
    "weather/get_weather",
    function={"name": "get_weather", "description": "Current weather for a city"},
)
FLOW = version("flow", "fl_Weather0001", "weather/assistant", attributes={"prompt": "answer"})
JUDGE = version(
    "evaluator",
    "ev_Correct0001",
    "checks/correct",
    spec={"evaluator_type": "llm", "arguments_type": "target_free", "return_type": "boolean"},
)
AGENT = version(
    "agent",
    "ag_Support0001",
    "support/agent",
    model="claude-3-7-sonnet",
    provider="anthropic",
    max_iterations=5,
    tools=[{"type": "inline", "json_schema": {"name": "lookup_order", "description": "Find"}}],
)


def _times(rng: random.Random, second: int, seconds: float) -> dict[str, str]:
    start = f"2025-08-14T10:{(second // 60) % 60:02d}:{second % 60:02d}.000000Z"
    end_second = second + int(seconds)
    end = f"2025-08-14T10:{(end_second // 60) % 60:02d}:{end_second % 60:02d}.500000Z"
    return {"start_time": start, "end_time": end, "created_at": start}


def judgment(rng: random.Random, parent_id: str, number: int) -> dict[str, Any]:
    """An evaluator log judging `parent_id`."""
    return {
        "id": f"log_judge{number:07d}",
        "evaluator": JUDGE,
        "judgment": rng.random() > 0.3,
        "parent_id": parent_id,
        "evaluator_logs": [],
        "created_at": TS,
    }


def prompt_log(rng: random.Random, number: int, **trace: Any) -> dict[str, Any]:
    """A Prompt log whose output asks for the weather tool."""
    city = rng.choice(["Paris", "Lagos", "Lima", "Oslo", "Pune"])
    return {
        "id": f"log_prompt{number:07d}",
        "prompt": PROMPT,
        "messages": [
            {"role": "system", "content": "You answer weather questions."},
            {"role": "user", "content": f"Weather in {city}? caf\u00e9 \u2603"},
        ],
        "output_message": {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": f"call_{number}",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": json.dumps({"city": city})},
                }
            ],
        },
        "tool_choice": "auto",
        "prompt_tokens": rng.randint(50, 400),
        "output_tokens": rng.randint(5, 80),
        "reasoning_tokens": rng.choice([None, 0, 32]),
        "prompt_cost": 0.0001,
        "output_cost": 0.0002,
        "finish_reason": "tool_calls",
        "provider_latency": 0.8,
        "inputs": {"city": city},
        "evaluator_logs": [],
        "trace_children": [],
        **_times(rng, number, 1),
        **trace,
    }


def tool_log(rng: random.Random, number: int, **trace: Any) -> dict[str, Any]:
    """A Tool log; one in seven failed."""
    failed = number % 7 == 0
    return {
        "id": f"log_tool{number:07d}",
        "tool": TOOL,
        "inputs": {"city": "Paris"},
        "output": None if failed else '{"temp_c": 21}',
        "error": "timeout calling weather API" if failed else None,
        "evaluator_logs": [],
        **_times(rng, number + 1, 0),
        **trace,
    }


def flow_log(rng: random.Random, number: int) -> dict[str, Any]:
    """A Flow log (trace root): prompt → tool, judged by an evaluator."""
    flow_id = f"log_flow{number:07d}"
    trace = {"trace_id": flow_id, "trace_parent_id": flow_id, "trace_flow_id": FLOW["id"]}
    return {
        "id": flow_id,
        "flow": FLOW,
        "inputs": {"question": "weather?"},
        "output": "It is sunny.",
        "log_status": "complete",
        "trace_id": flow_id,
        "trace_children": [prompt_log(rng, number, **trace), tool_log(rng, number, **trace)],
        "evaluator_logs": [judgment(rng, flow_id, number)],
        "batches": [],
        **_times(rng, number, 2),
    }


def agent_log(rng: random.Random, number: int) -> dict[str, Any]:
    """An Agent log with two tool calls as children."""
    agent_id = f"log_agent{number:07d}"
    trace = {"trace_id": agent_id, "trace_parent_id": agent_id}
    return {
        "id": agent_id,
        "agent": AGENT,
        "messages": [{"role": "user", "content": "Where is order 42?"}],
        "output_message": {"role": "assistant", "content": "It ships tomorrow."},
        "prompt_tokens": 120,
        "output_tokens": 30,
        "reasoning_tokens": 64,
        "log_status": "complete",
        "trace_children": [
            tool_log(rng, number * 10 + 1, **trace),
            tool_log(rng, number * 10 + 2, **trace),
        ],
        "evaluator_logs": [],
        **_times(rng, number, 3),
    }


def deep_trace(width: int, depth: int) -> dict[str, Any]:
    """A flow whose trace has `width` children per node, `depth` levels deep."""
    rng = random.Random(7)
    counter = iter(range(10**9))

    def node(level: int) -> dict[str, Any]:
        log = flow_log(rng, next(counter)) if level < depth else tool_log(rng, next(counter))
        if level < depth:
            log["trace_children"] = [node(level + 1) for _ in range(width)]
        return log

    return node(0)


def _write(path: Path, value: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(value))


def _write_lines(folder: Path, records: list[dict[str, Any]], per_file: int = 1000) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    first = per_file + 1  # The exporter's off-by-one: 1.jsonl holds one more.
    chunks = [records[:first]] + [
        records[i : i + per_file] for i in range(first, len(records), per_file)
    ]
    for number, chunk in enumerate(chunks, 1):
        if chunk:
            text = "".join(json.dumps(record) + "\n" for record in chunk)
            (folder / f"{number}.jsonl").write_text(text)


def make_export(
    root: Path, flows: int = 20, *, seed: int = 1, evaluated_in_file: bool = False
) -> Path:
    """Write an exporter-shaped folder under `root`; returns `root/exports/<ts>`.

    `evaluated_in_file`: the logs of the evaluation records are also lines of the
    Prompt's own `logs/`, as in a real export (the same log in two records).
    """
    rng = random.Random(seed)
    base = root / "exports" / "20250814-100000"
    (base / "export.log").parent.mkdir(parents=True, exist_ok=True)
    (base / "export.log").write_text("2025-08-14 10:00:00 | INFO | export started\n")
    flow_logs = [flow_log(rng, n) for n in range(flows)]
    agent_logs = [agent_log(rng, n) for n in range(max(1, flows // 5))]
    children = [child for flow in flow_logs for child in flow["trace_children"]]
    by_file: dict[str, list[dict[str, Any]]] = {
        FLOW["id"]: flow_logs,
        AGENT["id"]: agent_logs,
        PROMPT["id"]: [c for c in children if "prompt" in c],
        TOOL["id"]: [c for c in children if "tool" in c],
        JUDGE["id"]: [j for flow in flow_logs for j in flow["evaluator_logs"]],
    }
    for file in (FLOW, AGENT, PROMPT, TOOL, JUDGE):
        folder = base / "files" / str(file["id"])
        _write(folder / "file.json", file)
        _write(folder / "versions" / str(file["version_id"]), file)
        deployment = {"version_id": file["version_id"], "environment_name": "production"}
        _write(folder / "deployments.json", [deployment])
        _write_lines(folder / "logs", by_file[str(file["id"])])
        (folder / ".done").write_text("Export completed successfully.\n")
    evaluation = base / "files" / str(PROMPT["id"]) / "evaluations" / "evr_Eval0001"
    _write(evaluation / "evaluation.json", {"id": "evr_Eval0001", "name": "nightly"})
    _write(evaluation / "stats.json", {"run_stats": [], "status": "completed"})
    _write(evaluation / "runs" / "run_Run0001", {"id": "run_Run0001", "status": "completed"})
    records = []
    for number in range(max(1, flows // 4)):
        log = prompt_log(rng, 900_000 + number)
        verdict = judgment(rng, log["id"], 900_000 + number)
        datapoint = {"id": f"dp_{number:05d}", "inputs": {"city": "Paris"}}
        records.append(
            {
                "run_id": "run_Run0001",
                "datapoint": datapoint,
                "log": log,
                "evaluator_logs": [verdict],
            }
        )
    _write_lines(evaluation / "logs", records)
    if evaluated_in_file:
        prompt_lines = base / "files" / str(PROMPT["id"]) / "logs" / "1.jsonl"
        with prompt_lines.open("a") as stream:
            stream.writelines(json.dumps(record["log"]) + "\n" for record in records)
    return base
