"""List rows of v5 logs: the lean summary agrees with the whole log; names from `file.json`."""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.catalog import Catalog
from inspector.catalog.shapes import Record
from inspector.catalog.source import Source, open_source
from inspector.catalog.summary import _other_row, summarize
from inspector.catalog.summary_v5 import iso_text, lean_v5
from inspector.cli.show_many import entries, find_log
from inspector.model.decode import trace_child
from tests.support import exports_v5

REAL = Path(__file__).parents[1] / "support" / "fixtures" / "real"


def _variants() -> list[dict[str, Any]]:
    rng = random.Random(3)
    flow = exports_v5.flow_log(rng, 1)
    agent = exports_v5.agent_log(rng, 2)
    prompt = exports_v5.prompt_log(rng, 3)
    tool = exports_v5.tool_log(rng, 7)
    judge = exports_v5.judgment(rng, "log_x", 4)
    nameless_tool = {**tool, "tool": {"id": "tl_1", "function": {"name": "lookup"}}}
    bare_tool = {**tool, "tool": {"id": "tl_2"}}
    bare_prompt = {**prompt, "prompt": {"id": "pr_2"}}
    naive = {**prompt, "start_time": "2025-01-01T00:00:00", "end_time": "2025-01-01T00:00:02Z"}
    no_times = {key: value for key, value in prompt.items() if not key.endswith("_time")}
    old_flow = {**flow, "log_status": None, "trace_status": "incomplete", "error": "boom"}
    return [flow, agent, prompt, tool, judge, nameless_tool, bare_tool, bare_prompt, naive] + [
        no_times,
        old_flow,
        {**prompt, "prompt_cost": None, "output_tokens": None},
    ]


def _both(data: bytes, path: str | None = None) -> tuple[Any, Any]:
    record = Record(0, 0, len(data), "line 1", data)
    span = (0, 0, 0, len(data), "line 1")
    return summarize(record, 0, path)[0], _other_row(record, span, None, path)


@pytest.mark.parametrize("index", range(12))
def test_the_lean_row_of_a_v5_log_is_the_row_of_the_whole_log(index: int) -> None:
    data = json.dumps(_variants()[index]).encode()
    assert lean_v5(data) is not None
    lean, whole = _both(data)
    assert lean == whole


@pytest.mark.parametrize("name", sorted(p.name for p in REAL.glob("*.json")))
def test_every_real_payload_gets_the_same_row_either_way(name: str) -> None:
    data = (REAL / name).read_bytes()
    if b'"config"' in data:
        return  # v4: its own lean path.
    lean, whole = _both(data)
    assert lean == whole


def test_wrappers_and_call_responses_are_read_whole() -> None:
    call = (REAL / "hl-docs-v5-examples-prompt_call_response.json").read_bytes()
    session = (REAL / "hl-docs-v5-examples-session_event_response.json").read_bytes()
    page = (REAL / "hl-docs-v5-overrides-logs-list-page.json").read_bytes()
    assert lean_v5(call) is None and lean_v5(session) is None and lean_v5(page) is None


def _nameless_export(tmp_path: Path) -> Path:
    """An export whose logs' version objects (in traces too) carry only their ids."""
    base = exports_v5.make_export(tmp_path, flows=3)
    for lines in base.glob("files/*/**/logs/*.jsonl"):
        records = [json.loads(line) for line in lines.read_text().splitlines()]
        for record in records:
            stack = [record.get("log", record)]
            while stack:  # The logs nested in its trace too.
                log = stack.pop()
                stack += log.get("trace_children") or []
                for kind in ("prompt", "tool", "flow", "evaluator", "agent"):
                    if kind in log:
                        log[kind] = {"id": log[kind]["id"]}
        lines.write_text("".join(json.dumps(record) + "\n" for record in records))
    return base


def test_names_come_from_file_json_in_an_exporter_folder(tmp_path: Path) -> None:
    _nameless_export(tmp_path)
    with Catalog.open(tmp_path) as catalog:
        catalog.start()
        catalog.wait()
        rows = {entry.id: entry for entry in catalog.entries()}
        labels = {entry.config_type: entry.label for entry in rows.values()}
        ordinal = catalog.ordinal_of("log_flow0000001")
        assert ordinal is not None
        doc = catalog.load(ordinal)
    assert labels == {
        "flow": "weather/assistant",
        "prompt": "weather/answer",
        "tool": "weather/get_weather",
        "evaluator": "checks/correct",
        "agent": "support/agent",
    }
    # An evaluation record's log is named by the File the evaluation belongs to.
    evaluated = [entry for entry in rows.values() if "evaluations/" in entry.location]
    assert evaluated and {entry.label for entry in evaluated} == {"weather/answer"}
    assert doc.v5 is not None and doc.v5.version.path == "weather/assistant"
    assert doc.log.project == "weather/assistant"
    # The logs of its trace are named from their own File's file.json.
    children = doc.v5.trace_children or []
    assert [child.version.path for child in children] == ["weather/answer", "weather/get_weather"]


def test_a_trace_child_opened_on_its_own_keeps_its_file_json_name(tmp_path: Path) -> None:
    # The Trace pane opens a node as a full log, decoded again from its own bytes,
    # which do not hold the name its File's file.json gave it.
    _nameless_export(tmp_path)
    with Catalog.open(tmp_path) as catalog:
        catalog.start()
        catalog.wait()
        ordinal = catalog.ordinal_of("log_flow0000001")
        assert ordinal is not None
        doc = catalog.load(ordinal)
    child = trace_child(doc, (0,))
    assert child.v5 is not None and child.v5.version.path == "weather/answer"
    assert child.log.project == "weather/answer"
    assert trace_child(doc, (1,)).log.project == "weather/get_weather"


def test_show_names_logs_from_file_json(tmp_path: Path) -> None:
    _nameless_export(tmp_path)
    source = open_source(tmp_path)
    assert isinstance(source, Source)
    labels = {entry.label for entry in entries(source)}
    assert "weather/answer" in labels and "pr_Weather0001" not in labels
    doc = find_log(source, "log_prompt0000002")
    assert doc.v5 is not None and doc.v5.version.name == "answer"


def test_a_log_file_outside_an_export_keeps_its_own_label(tmp_path: Path) -> None:
    log = _variants()[7]  # A prompt whose version has only an id.
    path = tmp_path / "logs" / "1.jsonl"
    path.parent.mkdir()
    path.write_text(json.dumps(log) + "\n" + json.dumps(log) + "\n")
    (tmp_path / "file.json").write_text("[1, 2]")  # Not a File record.
    row = summarize(Record(0, 0, 1, "line 1", json.dumps(log).encode()), 0, str(path))[0]
    assert row[8] == ""  # No model, no name: as the whole log's view says.


def test_a_log_in_two_places_is_one_row(tmp_path: Path) -> None:
    exports_v5.make_export(tmp_path, flows=8, evaluated_in_file=True)
    with Catalog.open(tmp_path) as catalog:
        catalog.start()
        catalog.wait()
        listed = list(catalog.entries())
        stats = catalog.stats()
        total, count = catalog.total, catalog.count()
        ordinal = catalog.ordinal_of("log_prompt0900001")
        assert ordinal is not None
        evaluated = catalog.load(ordinal)
    ids = [entry.id for entry in listed]
    assert len(ids) == len(set(ids))
    # 8 flows, 1 agent, 8 prompts, 8 tools, 8 judgments, 2 evaluated prompts (once each).
    assert len(ids) == total == count == stats.totals.count == 8 + 1 + 8 + 8 + 8 + 2
    # The log's own record (in the Prompt's logs/) wins over the evaluation record.
    row = next(entry for entry in listed if entry.id == "log_prompt0900001")
    assert "/pr_Weather0001/logs/" in row.location and "evaluations" not in row.location
    assert evaluated.note is None and evaluated.v5 is not None
    # A prompt nested in a flow's trace is its own file's row, and stays in the trace.
    assert ids.count("log_prompt0000003") == 1
    source = open_source(tmp_path)
    assert isinstance(source, Source)
    shown = [entry.id for entry in entries(source)]
    assert sorted(shown, key=str) == sorted(ids, key=str)


def test_show_id_takes_the_logs_own_record_and_notes_no_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    exports_v5.make_export(tmp_path, flows=3, evaluated_in_file=True)
    source = open_source(tmp_path)
    assert isinstance(source, Source)
    # The flow's file (fl_…) comes before the prompt's: its nested copy loses.
    doc = find_log(source, "log_prompt0000001")
    assert "/pr_Weather0001/logs/" in doc.source and "trace_children" not in doc.source
    evaluated = find_log(source, "log_prompt0900000")
    assert "evaluations" not in evaluated.source
    assert capsys.readouterr().err == ""
    # The nested copy stays reachable from its trace.
    flow = find_log(source, "log_flow0000001")
    assert flow.v5 is not None and flow.v5.trace_children
    assert flow.v5.trace_children[0].id == "log_prompt0000001"


def test_show_lists_a_repeated_log_once_in_a_file_too(tmp_path: Path) -> None:
    line = json.dumps(exports_v5.prompt_log(random.Random(1), 5))
    path = tmp_path / "twice.jsonl"
    path.write_text(line + "\n" + line + "\n" + "not json\n" + "also not\n")
    source = open_source(path)
    assert isinstance(source, Source)
    listed = list(entries(source))
    # The log once; the two unreadable lines (no id) each keep their line.
    assert [entry.id for entry in listed] == ["log_prompt0000005", None, None]


def test_an_evaluation_record_gets_the_same_row_either_way(tmp_path: Path) -> None:
    base = exports_v5.make_export(tmp_path, flows=4)
    lines = next(base.glob("files/*/evaluations/*/logs/1.jsonl")).read_bytes().splitlines()
    record = json.loads(lines[0])
    judged = {**record, "log": {**record["log"], "evaluator_logs": []}}
    no_verdicts = {**record, "evaluator_logs": None}
    for value in (record, judged, no_verdicts):
        data = json.dumps(value).encode()
        assert lean_v5(data) is not None
        lean, whole = _both(data)
        assert lean == whole
    session = (REAL / "hl-docs-v5-examples-session_event_response.json").read_bytes()
    assert lean_v5(session) is None


@given(
    moment=st.datetimes(
        timezones=st.one_of(
            st.none(),
            st.just(UTC),
            st.timedeltas(-timedelta(hours=23), timedelta(hours=23)).map(
                lambda offset: timezone(timedelta(minutes=offset // timedelta(minutes=1)))
            ),
        )
    )
)
def test_a_rows_time_reads_back_as_the_same_moment(moment: datetime) -> None:
    # Rows keep `created_at` as text; `Entry.from_row` reads it with `fromisoformat`.
    text = iso_text(moment)
    assert text is not None
    back = datetime.fromisoformat(text)
    assert back == moment and back.utcoffset() == moment.utcoffset()
    assert back.isoformat() == moment.isoformat()
    assert iso_text(None) is None
