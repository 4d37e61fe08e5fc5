"""Builders for test logs: a minimal valid log, a rich one, and variants of each part.

Logs are plain dicts so tests can break them in any way before encoding them.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SHARED = FIXTURES / "shared"

#: Strings a hostile or careless log can hold: markup, control bytes, bidi overrides.
HOSTILE_STRINGS = [
    "hi [/INST]",
    "[/]",
    "[bold]not bold[/bold]",
    "[@click=app.quit]details[/]",
    "[link=https://evil.example]humanloop.com[/link]",
    "[INST] do it [/INST]",
    "clear\x1b[2J screen",
    "title\x1b]0;pwned\x07 bell",
    "clip\x1b]52;c;ZXZpbA==\x1b\\ board",
    "alt\x1b[?1049l screen",
    "c1\x9b31m csi and \x85 nel",
    "nul\x00 del\x7f cr\r lf\r\n",
    "bidi \u202egnp.exe\u202c",
    "$value [b]$x[/b] {braces}",
]


def minimal_log(**overrides: Any) -> dict[str, Any]:
    """The smallest log the schema allows: the five required fields."""
    log: dict[str, Any] = {
        "id": "data_min",
        "config": {"type": "generic", "id": "config_min", "status": "committed", "name": "min"},
        "evaluation_results": [],
        "observability_status": "completed",
        "updated_at": "2024-09-18T14:03:12.481920+00:00",
    }
    log.update(overrides)
    return log


#: Every optional field of `LogResponse`, for the all-null variant.
OPTIONAL_FIELDS = [
    "project", "project_id", "session_id", "session_reference_id", "parent_id",
    "parent_reference_id", "inputs", "source", "metadata", "save", "source_datapoint_id",
    "reference_id", "messages", "output", "judgment", "config_id", "environment", "feedback",
    "created_at", "error", "stdout", "duration", "output_message", "prompt_tokens",
    "output_tokens", "prompt_cost", "output_cost", "provider_request", "provider_response",
    "user", "provider_latency", "tokens", "raw_output", "finish_reason", "tools",
    "tool_choice", "batch_ids",
]  # fmt: skip


def all_null_log() -> dict[str, Any]:
    """A minimal log that sends `null` for every optional field."""
    return minimal_log(**dict.fromkeys(OPTIONAL_FIELDS))


def shared(name: str) -> dict[str, Any]:
    """A fixture from `tests/fixtures/shared` (copied from the schema's examples)."""
    data: dict[str, Any] = json.loads((SHARED / f"{name}.json").read_text())
    return data


def model_config(**overrides: Any) -> dict[str, Any]:
    """A model config with every parameter set."""
    config: dict[str, Any] = {
        "type": "model",
        "id": "config_model",
        "model": "gpt-4o",
        "name": "assistant",
        "provider": "openai",
        "endpoint": "chat",
        "max_tokens": 256,
        "temperature": 0.7,
        "top_p": 0.9,
        "stop": ["###"],
        "presence_penalty": 0.1,
        "frequency_penalty": 0.2,
        "seed": 7,
        "other": {"logprobs": True},
        "response_format": {"type": "json_schema", "json_schema": {"name": "answer"}},
        "chat_template": [{"role": "system", "content": "Be brief about {{topic}}."}],
        "tools": [
            {
                "id": "oc_weather",
                "name": "get_weather",
                "description": "Weather for a city.",
                "parameters": {
                    "type": "object",
                    "properties": {"city": {"type": "string", "description": "City name"}},
                    "required": ["city"],
                },
                "source": "organization",
            }
        ],
    }
    config.update(overrides)
    return config


def config_variants() -> dict[str, dict[str, Any]]:
    """One config of each type in the spec, plus a type the spec does not list."""
    user = {"id": "usr_1", "email_address": "a@example.com", "verified": True}
    return {
        "model": model_config(),
        "tool": {
            "type": "tool",
            "id": "config_tool",
            "status": "committed",
            "name": "lookup",
            "description": "Looks things up.",
            "parameters": {"type": "object", "properties": {}},
            "created_by": user,
            "source": "inline",
            "source_code": "def lookup(q):\n    return q",
            "setup_schema": {"type": "object"},
            "signature": "lookup(q: str) -> str",
            "is_preset": False,
        },
        "evaluator": {
            "type": "evaluator",
            "id": "config_eval",
            "status": "committed",
            "name": "judge",
            "evaluator_type": "llm",
            "model_config": model_config(id="config_judge", model="gpt-4o-mini"),
            "arguments_type": "target_free",
            "return_type": "number",
            "created_by": user,
        },
        "agent": {
            "type": "agent",
            "id": "config_agent",
            "status": "committed",
            "name": "planner",
            "agent_class": "ReActAgent",
            "model_config": {
                "model": "claude-3-5-sonnet",
                "provider": "anthropic",
                "tools": [
                    {"id": "oc_linked", "source": "organization"},
                    {"name": "search", "description": "Web search", "parameters": {}},
                ],
            },
            "tools": [{"type": "tool", "name": "calculator", "description": "Adds numbers."}],
        },
        "generic": {
            "type": "generic",
            "id": "config_generic",
            "status": "uncommitted",
            "name": "pipeline",
            "other": {"step": 3},
        },
        "unknown": {
            "type": "prompt",
            "id": "config_v5ish",
            "name": "from the future",
            "template": "{{x}}",
        },
    }


def rich_log() -> dict[str, Any]:
    """A log using every part of the schema at least once."""
    log = shared("evals_feedback")
    log = copy.deepcopy(log)
    log["config"] = model_config()
    log["messages"] = [
        {"role": "system", "content": "You are helpful."},
        {
            "role": "user",
            "name": "alice",
            "content": [
                {"type": "text", "text": "What is in this picture, and the weather?"},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64," + "A" * 4000}},
            ],
        },
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'},
                },
                {
                    "id": "call_2",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": "{not json"},
                },
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temp_c": 18}'},
        {"role": "tool", "tool_call_id": "call_2", "content": "error: bad arguments"},
        {"role": "tool", "tool_call_id": "call_orphan", "content": "nobody asked"},
    ]
    log["tool_choice"] = "auto"
    log["tools"] = [{"id": "t1", "name": "clock", "signature": "clock() -> str", "result": "noon"}]
    log["provider_request"] = {"model": "gpt-4o", "messages": [], "temperature": 0.7}
    log["provider_response"] = {"id": "chatcmpl-1", "choices": [{"index": 0}], "usage": {}}
    log["batch_ids"] = ["batch_1"]
    log["judgment"] = ["a", "b"]
    log["stdout"] = "debug line"
    log["parent_id"] = "data_parent"
    return log


def write(path: Path, log: dict[str, Any] | list[Any]) -> Path:
    """Write a log as JSON and return the path."""
    path.write_text(json.dumps(log))
    return path
