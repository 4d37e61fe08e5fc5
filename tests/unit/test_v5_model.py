"""Every published Humanloop payload decodes; v5 logs, wrappers and broken logs degrade."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.errors import LogDecodeError
from inspector.model.decode import decode_log, nested_log, trace_child
from inspector.present.trace import totals, trace_nodes
from tests.support import exports_v5, factory

REAL = Path(__file__).parents[1] / "support" / "fixtures" / "real"
#: file: (version, kind of v5 log or None, id, fully readable)
EXPECTED: dict[str, tuple[str, str | None, str, bool]] = {
    "hl-docs-site-v4-api-logs-list-example-record0.json": ("v4", None, "id", True),
    "hl-docs-v4-overrides-chat-deployed-data0.json": (
        "v4",
        None,
        "data_lwWadasRw0vT4XDarZuNQ",
        True,
    ),
    "hl-docs-v4-overrides-chat-response.json": ("v4", None, "data_fIfEb1SoKZooqeFbi9IFs", True),
    "hl-docs-v4-overrides-completion-response.json": (
        "v4",
        None,
        "data_hdsujCtCep4W5L7XwYpnn",
        True,
    ),
    "hl-docs-v5-examples-create_flow_log_response.json": (
        "v4",
        None,
        "medqa_experiment_0001",
        False,
    ),
    "hl-docs-v5-examples-flow_log_response.json": ("v5", "flow", "medqa_experiment_0001", True),
    "hl-docs-v5-examples-prompt_call_response.json": (
        "v5",
        "prompt",
        "data_fIfEb1SoKZooqeFbi9IFs",
        True,
    ),
    "hl-docs-v5-examples-prompt_log_object.json": ("v5", "prompt", "log_123efg", True),
    "hl-docs-v5-examples-prompt_log_response.json": (
        "v4",
        None,
        "data_fIfEb1SoKZooqeFbi9IFs",
        False,
    ),
    "hl-docs-v5-examples-session_event_response.json": ("v5", "prompt", "log_123efg", True),
    "hl-docs-v5-examples-tool_log_response.json": ("v4", None, "data_abc123", False),
}


def test_every_real_payload_is_listed_here() -> None:
    found = {p.name for p in REAL.glob("*.json")}
    assert found == {*EXPECTED, "hl-docs-v5-overrides-logs-list-page.json"}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_real_payload_decodes(name: str) -> None:
    version, kind, log_id, clean = EXPECTED[name]
    data = (REAL / name).read_bytes()
    doc = decode_log(data, name)
    assert (doc.version, doc.log.id, not doc.problems) == (version, log_id, clean)
    assert doc.raw == data
    if kind is not None:
        assert doc.v5 is not None and doc.v5.kind == kind


def test_the_v4_record_without_feedback_value_reads_whole() -> None:
    doc = decode_log((REAL / "hl-docs-site-v4-api-logs-list-example-record0.json").read_bytes())
    assert doc.log.feedback is not None and doc.log.feedback[0].value is None
    assert doc.problems == ()


def test_v5_prompt_log_maps_onto_the_one_view() -> None:
    doc = decode_log(json.dumps(exports_v5.prompt_log(random.Random(1), 3)).encode())
    assert doc.v5 is not None and doc.v5.reasoning_tokens in (None, 0, 32)
    log = doc.log
    assert log.config.name == "weather/answer" and log.config_id == "prv_Weather00011"
    assert log.output_message is not None and log.output_message.tool_calls
    assert log.tool_choice == "auto"
    assert log.duration == pytest.approx(1.5)


def test_flow_trace_nodes_totals_and_children() -> None:
    flow = exports_v5.flow_log(random.Random(1), 7)
    doc = decode_log(json.dumps(flow).encode(), "flow.json")
    assert doc.v5 is not None
    nodes = list(trace_nodes(doc.v5))
    assert [(n.log.kind, n.path) for n in nodes] == [("flow", ()), ("prompt", (0,)), ("tool", (1,))]
    sums = totals(nodes)
    assert sums.nodes == 3 and sums.errors == 1  # tool 7 fails (one in seven)
    child = trace_child(doc, (0,))
    assert child.log.id == "log_prompt0000007" and child.log.parent_id == flow["id"]
    judged = nested_log(doc, 0, "evaluator_log")
    assert judged.v5 is not None and judged.v5.kind == "evaluator"
    assert doc.log.evaluation_results[0].value == flow["evaluator_logs"][0]["judgment"]


def test_deep_trace_walks_without_recursion() -> None:
    root = decode_log(json.dumps(exports_v5.deep_trace(3, 4)).encode()).v5
    assert root is not None
    assert len(list(trace_nodes(root))) == sum(3**level for level in range(5))


def test_evaluation_record_unwraps_its_log_and_judgments() -> None:
    rng = random.Random(2)
    log = exports_v5.prompt_log(rng, 1)
    record = {"run_id": "run_1", "datapoint": {"id": "dp_1"}, "log": log,
              "evaluator_logs": [exports_v5.judgment(rng, log["id"], 1)]}  # fmt: skip
    doc = decode_log(json.dumps(record).encode())
    assert doc.log.id == log["id"] and doc.note is not None and "run_1" in doc.note
    assert len(doc.log.evaluation_results) == 1
    assert nested_log(doc, 0, "evaluator_log").log.id == "log_judge0000001"


def test_a_log_that_breaks_the_model_degrades_with_its_json_path() -> None:
    log: dict[str, Any] = factory.rich_log()
    log["messages"][1]["role"] = 5
    doc = decode_log(json.dumps(log).encode(), "broken.json")
    assert doc.problems and "$.messages[1].role" in doc.problems[0]
    assert doc.log.messages is not None and len(doc.log.messages) == len(log["messages"]) - 1
    assert doc.log.id == log["id"]


def test_a_v4_log_without_config_degrades() -> None:
    log: dict[str, Any] = factory.rich_log()
    del log["config"]
    doc = decode_log(json.dumps(log).encode())
    assert any("config" in problem for problem in doc.problems)
    assert doc.log.output == log["output"]


def test_a_v5_log_with_a_wrong_type_degrades() -> None:
    log = exports_v5.prompt_log(random.Random(1), 1)
    log["prompt_tokens"] = "many"
    doc = decode_log(json.dumps(log).encode())
    assert doc.v5 is not None and doc.v5.prompt_tokens is None
    assert "$.prompt_tokens" in doc.problems[0]


@pytest.mark.parametrize(
    ("value", "source", "words"),
    [
        (exports_v5.PROMPT, "files/pr_1/file.json", "a Prompt file (file.json), not a log"),
        (exports_v5.FLOW, "files/fl_1/versions/flv_1", "a Flow version (versions/…), not a log"),
        ({"id": "evr_1", "name": "n"}, "evaluation.json", "an Evaluation (evaluation.json)"),
        ({"hello": 1}, "x.json", "not a Humanloop log"),
    ],
)
def test_an_object_that_is_not_a_log_says_what_it_is(value: Any, source: str, words: str) -> None:
    with pytest.raises(LogDecodeError) as caught:
        decode_log(json.dumps(value).encode(), source)
    assert words in str(caught.value)


def test_input_that_is_not_an_object_fails_as_before() -> None:
    with pytest.raises(LogDecodeError, match="expected one log"):
        decode_log(b"[1, 2]")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)
V5_KEYS = sorted(
    {*exports_v5.prompt_log(random.Random(1), 1), *exports_v5.flow_log(random.Random(1), 1)}
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(st.sampled_from([*V5_KEYS, "agent", "log", "children", "run_id"]), JSON_VALUES)
)
def test_arbitrary_v5_field_values_degrade_or_raise_only_our_error(
    overrides: dict[str, Any],
) -> None:
    log = {**exports_v5.flow_log(random.Random(1), 1), **overrides}
    try:
        doc = decode_log(json.dumps(log).encode(), "fuzz")
    except LogDecodeError as error:
        assert "\n" not in error.message
    else:
        assert all("\n" not in problem for problem in doc.problems)
