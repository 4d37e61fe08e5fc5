"""Seeded traces for tests and benchmarks: big v5 flows, deep ones, and v4 logs related by parent.

Nodes are built in a loop and nested by reference, so any size or depth is built without
recursion (`json.dumps` of the result recurses, which is fine to a few hundred levels).
"""

from __future__ import annotations

import random
from typing import Any

from tests.support import exports_v5, factory

#: The id of the node that `nested_flow` gives many children (collapsed at first).
BIG = "log_flow_big"


def _flow(number: int, rng: random.Random) -> dict[str, Any]:
    return {
        "id": f"log_flow{number:07d}",
        "flow": exports_v5.FLOW,
        "output": "It is sunny.",
        "log_status": "complete",
        "evaluator_logs": [],
        "prompt_tokens": rng.randint(1, 50),
        "prompt_cost": 0.00001,
        "provider_latency": round(rng.uniform(0.1, 3.0), 3),
        "created_at": exports_v5.TS,
        "trace_children": [],
    }


def _leaf(number: int, rng: random.Random, parent: str | None = None) -> dict[str, Any]:
    trace = {"trace_parent_id": parent} if parent else {}
    if rng.random() < 0.5:
        return exports_v5.tool_log(rng, number, **trace)
    log = exports_v5.prompt_log(rng, number, **trace)
    # Lighter than the list's prompt logs: a trace of 10,000 stays a few MB.
    log["messages"] = log["messages"][1:]
    return log


def nested_flow(total: int, *, seed: int = 11, max_depth: int = 8) -> dict[str, Any]:
    """A flow log with `total` logs in its trace (root included), seeded.

    The root's first child (`BIG`) has a tenth of the logs as its children; the rest
    hang under random flows at most `max_depth` levels down.
    """
    rng = random.Random(seed)
    root = _flow(0, rng)
    big = _flow(1, rng)
    big["id"] = BIG
    big["trace_parent_id"] = root["id"]
    root["trace_children"].append(big)
    flows: list[tuple[dict[str, Any], int]] = [(root, 0)]
    count = 2
    for _ in range(max(0, total // 10 - 1)):
        big["trace_children"].append(_leaf(count, rng, BIG))
        count += 1
    while count < total:
        parent, depth = rng.choice(flows)
        if depth + 1 < max_depth and rng.random() < 0.25:
            child = _flow(count, rng)
            flows.append((child, depth + 1))
        else:
            child = _leaf(count, rng)
        child["trace_parent_id"] = parent["id"]
        parent["trace_children"].append(child)
        count += 1
    return root


def deep_flow(depth: int, *, seed: int = 5) -> dict[str, Any]:
    """A chain of `depth` nested flows (`depth + 1` levels with the leaves), two leaves each."""
    rng = random.Random(seed)
    root = node = _flow(0, rng)
    count = 1
    for _ in range(depth):
        child = _flow(count, rng)
        child["trace_parent_id"] = node["id"]
        leaves = [_leaf(count + 1, rng, node["id"]), _leaf(count + 2, rng, node["id"])]
        node["trace_children"] = [leaves[0], child, leaves[1]]
        node, count = child, count + 3
    node["trace_children"] = [_leaf(count, rng, node["id"])]
    return root


def v4_session(prefix: str = "s1", *, children: int = 3) -> list[dict[str, Any]]:
    """v4 logs of one session: a root, `children` children, a grandchild under the first."""
    session = f"sess_{prefix}"

    def log(name: str, parent: str | None, **extra: Any) -> dict[str, Any]:
        config = {"type": "model", "id": f"config_{name}", "name": name, "model": "gpt-4o"}
        return factory.minimal_log(
            id=f"data_{prefix}_{name}",
            config=config,
            session_id=session,
            parent_id=parent,
            output=f"output of {name}",
            **extra,
        )

    root = log("root", None)
    kids = [log(f"child{i}", root["id"]) for i in range(children)]
    grandchild = log("grandchild", kids[0]["id"], error="the tool timed out")
    return [root, *kids, grandchild]
