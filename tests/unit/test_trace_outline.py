"""The outline of a trace: v5 trees, v4 trees linked by parent_id and session, related logs."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import msgspec

from inspector.catalog import Catalog
from inspector.model.decode import decode_log
from inspector.open.related import related_entries
from inspector.present.outline import Facts, Outline, initial_open, link, v4_outline, v5_outline
from inspector.present.trace import totals, trace_nodes
from tests.support import traces


@dataclass(frozen=True)
class Log:
    id: str | None
    parent_id: str | None = None
    session_id: str | None = None


def facts(log: Log) -> Facts:
    return Facts(log.id or "", "model", log.id or "", "", None, None, None, "")


def shape(outline: Outline[Log]) -> dict[str, list[str]]:
    """Each node's id with its children's ids; the roots under `""`."""
    ids = [item.id or "" for item in outline.items]
    found = {ids[node]: [ids[c] for c in outline.children[node]] for node in range(len(ids))}
    found[""] = [ids[root] for root in outline.roots]
    return found


def assert_forest(outline: Outline[Log]) -> None:
    """Every node is reached once from the roots, at the depth of its parent plus one."""
    order = outline.preorder()
    assert sorted(order) == list(range(len(outline)))
    for node in order:
        up = outline.parent[node]
        assert outline.depth[node] == (0 if up < 0 else outline.depth[up] + 1)


def test_v4_logs_hang_under_their_parents_and_the_current_one_is_marked() -> None:
    logs = [Log("c", "a", "s"), Log("a", None, "s"), Log("b", "a", "s"), Log("d", "c", "s")]
    outline = v4_outline(logs, facts, "d")
    assert shape(outline) == {"": ["a"], "a": ["c", "b"], "b": [], "c": ["d"], "d": []}
    assert outline.items[outline.current].id == "d"
    assert outline.ancestors(outline.current) == [0, 1]
    assert_forest(outline)


def test_a_missing_parent_makes_a_root_and_a_session_may_have_several() -> None:
    logs = [Log("a", "gone", "s"), Log("b", None, "s"), Log("c", "b", "s")]
    outline = v4_outline(logs, facts, "a")
    assert shape(outline)[""] == ["a", "b"]
    assert outline.totals().nodes == 3


def test_a_log_listed_twice_is_one_node_and_logs_without_ids_are_left_out() -> None:
    logs = [Log("a"), Log("b", "a"), Log("a", "b"), Log(None, "a"), Log("b", "a")]
    outline = v4_outline(logs, facts, "b")
    assert [item.id for item in outline.items] == ["a", "b"]
    assert shape(outline) == {"": ["a"], "a": ["b"], "b": []}


def test_parent_cycles_are_cut_and_every_log_still_shows_once() -> None:
    logs = [
        Log("self", "self"),
        Log("x", "y"),
        Log("y", "z"),
        Log("z", "x"),
        Log("tail", "z"),
        Log("p", "q"),
        Log("q", "p"),
    ]
    outline = v4_outline(logs, facts, "tail")
    assert_forest(outline)
    assert len(outline.roots) == 3
    assert "self" in shape(outline)[""]


def test_a_chain_far_deeper_than_the_recursion_limit_is_linked_without_recursion() -> None:
    count = 50_000
    outline = link(list(range(count)), lambda i: facts(Log(str(i))), [i - 1 for i in range(count)])
    assert outline.depth[-1] == count - 1
    assert len(outline.preorder()) == count
    assert len(outline.ancestors(count - 1)) == count - 1
    # A cycle of the same length is cut once.
    looped = link(list(range(count)), lambda i: facts(Log(str(i))), [i - 1 for i in range(count)])
    looped.parent[0] = count - 1
    cut = link(looped.items, looped.describe, looped.parent)
    assert len(cut.roots) == 1 and len(cut.preorder()) == count


def test_a_v5_trace_outline_agrees_with_the_flat_walk_and_its_totals() -> None:
    root = decode_log(json.dumps(traces.nested_flow(600)).encode(), "x").v5
    assert root is not None
    outline = v5_outline(root)
    flat = list(trace_nodes(root))
    assert [outline.items[n].log.id for n in outline.preorder()] == [n.log.id for n in flat]
    assert outline.totals() == totals(flat)
    assert outline.current == 0 and outline.index_of(traces.BIG) == 1
    assert outline.facts(1).name == "weather/assistant"


def test_a_50_level_trace_has_51_levels_below_its_root() -> None:
    root = decode_log(json.dumps(traces.deep_flow(50)).encode(), "x").v5
    assert root is not None
    outline = v5_outline(root)
    assert max(outline.depth) == 51
    deepest = outline.depth.index(51)
    assert outline.items[deepest].path == (1,) * 50 + (0,)


def test_the_first_levels_open_within_the_budget_and_the_current_log_is_shown() -> None:
    root = decode_log(json.dumps(traces.nested_flow(2000)).encode(), "x").v5
    assert root is not None
    outline = v5_outline(root)
    opened = initial_open(outline, 200)
    assert 0 in opened and 1 not in opened  # The big node's 199 children wait.
    logs = [Log("a"), *(Log(f"b{i}", "a") for i in range(300)), Log("c", "b7")]
    deep = v4_outline(logs, facts, "c")
    assert initial_open(deep, 200) == {0, 8}


def _catalog(tmp_path: Path, logs: list[dict[str, object]]) -> Catalog:
    path = tmp_path / "logs.jsonl"
    path.write_bytes(b"".join(msgspec.json.encode(log) + b"\n" for log in logs))
    catalog = Catalog.open(path)
    catalog.start()
    assert catalog.wait(timeout=60)
    return catalog


def test_related_logs_are_the_tree_of_the_top_ancestor_and_the_session(tmp_path: Path) -> None:
    first, second = traces.v4_session("a"), traces.v4_session("b", children=2)
    stray = {**first[1], "id": "data_stray", "session_id": None, "parent_id": "data_a_child0"}
    loop = [
        {**first[0], "id": "data_x", "session_id": None, "parent_id": "data_y"},
        {**first[0], "id": "data_y", "session_id": None, "parent_id": "data_x"},
    ]
    catalog = _catalog(tmp_path, [*first, *second, stray, *loop])
    try:
        ids = [entry.id for entry in related_entries(catalog, "data_a_grandchild")]
        assert ids == [log["id"] for log in first] + ["data_stray"]
        assert {entry.id for entry in related_entries(catalog, "data_b_root")} == {
            log["id"] for log in second
        }
        assert [entry.id for entry in related_entries(catalog, "data_x")] == ["data_x", "data_y"]
        assert related_entries(catalog, "data_unknown") == []
    finally:
        catalog.close()
