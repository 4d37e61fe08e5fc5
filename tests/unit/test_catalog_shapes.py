"""Opening sources of many logs: every shape, one-log inputs, bad shapes, exact bytes back."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from inspector.catalog import Catalog, Query, SingleLog, Source, open_source, summary
from inspector.errors import InspectorError, LogDecodeError, SourceError
from inspector.model.decode import LogDocument
from inspector.present import words as describe
from tests.support import exports

COUNT = 25
LOGS = exports.make_logs(COUNT)


def indexed(target: str | Path | bytes, **kwargs: object) -> Catalog:
    """Open `target` as a catalog and index it fully (bounded wait)."""
    catalog = Catalog.open(target if isinstance(target, bytes) else str(target), **kwargs)  # type: ignore[arg-type]
    catalog.start()
    assert catalog.wait(timeout=60), "indexing did not finish within 60 s"
    return catalog


@pytest.fixture
def catalogs() -> Iterator[list[Catalog]]:
    """Catalogs opened by a test, closed after it."""
    opened: list[Catalog] = []
    yield opened
    for catalog in opened:
        catalog.close()


def check_records(catalog: Catalog, data: bytes, locations: list[str]) -> None:
    """Every log is listed in order, with its location, and `raw` gives its exact bytes."""
    assert catalog.progress.error is None
    assert catalog.total == len(locations)
    entries = list(catalog.entries())
    assert [entry.location for entry in entries] == locations
    for entry, log in zip(entries, LOGS, strict=False):
        assert entry.id == log["id"]
        raw = catalog.raw(entry.ordinal)
        assert raw == data[entry.offset : entry.offset + entry.length]
        assert json.loads(raw) == log
        document = catalog.load(entry.ordinal)
        assert document.raw == raw
        assert document.log.id == log["id"]


@pytest.mark.parametrize("indent", [None, 2])
def test_array(tmp_path: Path, catalogs: list[Catalog], indent: int | None) -> None:
    data = exports.array(LOGS, indent=indent)
    path = tmp_path / "export.json"
    path.write_bytes(data)
    catalog = indexed(path)
    catalogs.append(catalog)
    check_records(catalog, data, [f"[{i}]" for i in range(COUNT)])
    assert catalog.load(3).source == f"{path} [3]"


def test_list_page(tmp_path: Path, catalogs: list[Catalog]) -> None:
    data = exports.page(LOGS)
    path = tmp_path / "page.json"
    path.write_bytes(data)
    catalogs.append(catalog := indexed(path))
    check_records(catalog, data, [f"records[{i}]" for i in range(COUNT)])


def test_json_lines_with_blank_lines_and_crlf(tmp_path: Path, catalogs: list[Catalog]) -> None:
    data = exports.jsonl(LOGS, blank_lines=True).replace(b"\n", b"\r\n")
    path = tmp_path / "export.jsonl"
    path.write_bytes(data)
    catalogs.append(catalog := indexed(path))
    # One blank line first, then each record followed by two blank lines.
    check_records(catalog, data, [f"line {2 + 3 * i}" for i in range(COUNT)])


def test_byte_order_mark(tmp_path: Path, catalogs: list[Catalog]) -> None:
    for name, data in (("a.jsonl", exports.jsonl(LOGS)), ("b.json", exports.array(LOGS))):
        path = tmp_path / name
        path.write_bytes(b"\xef\xbb\xbf" + data)
        catalogs.append(catalog := indexed(path))
        assert catalog.total == COUNT
        assert catalog.raw(0) == exports.encode(LOGS[0])


def test_stdin_bytes(catalogs: list[Catalog]) -> None:
    for data in (exports.jsonl(LOGS), exports.array(LOGS), exports.page(LOGS)):
        catalogs.append(catalog := indexed(data))
        assert catalog.label == "stdin"
        assert [entry.id for entry in catalog.entries()] == [log["id"] for log in LOGS]
        assert catalog.load(2).source.startswith("stdin ")


def test_folder_of_every_shape(tmp_path: Path, catalogs: list[Catalog]) -> None:
    folder = tmp_path / "logs"
    exports.write_folder(folder, LOGS[:3])
    (folder / "m-lines.jsonl").write_bytes(exports.jsonl(LOGS[3:5]))
    (folder / "n-array.json").write_bytes(exports.array(LOGS[5:7]))
    (folder / "o-page.json").write_bytes(exports.page(LOGS[7:9]))
    (folder / "p-broken.json").write_bytes(b'{"id": "data_broken", "config": ')
    (folder / "q-empty.json").write_bytes(b"")
    (folder / "notes.txt").write_text("not a log")
    catalogs.append(catalog := indexed(folder))
    entries = list(catalog.entries())
    assert [entry.location for entry in entries] == [
        "log-0000.json",
        "log-0001.json",
        "log-0002.json",
        "m-lines.jsonl line 1",
        "m-lines.jsonl line 2",
        "n-array.json [0]",
        "n-array.json [1]",
        "o-page.json records[0]",
        "o-page.json records[1]",
        "p-broken.json",
        "q-empty.json",
    ]
    assert [entry.id for entry in entries[:9]] == [log["id"] for log in LOGS[:9]]
    for entry in entries[:9]:
        assert json.loads(catalog.raw(entry.ordinal)) == LOGS[entry.ordinal]
    broken, empty = entries[9], entries[10]
    assert broken.invalid and broken.status == "invalid" and broken.id == "data_broken"
    assert "JSON ends early" in (broken.error or "")
    assert empty.invalid and empty.error == "empty input"
    assert catalog.load(0).source == f"{folder}/log-0000.json"
    with pytest.raises(LogDecodeError, match=r"p-broken\.json: JSON ends early"):
        catalog.load(broken.ordinal)


def test_a_folders_files_are_read_in_number_order(tmp_path: Path, catalogs: list[Catalog]) -> None:
    # As the exporter numbers them (`logs/1.jsonl`, `2.jsonl`, … `10.jsonl`), and pages
    # saved as page-1.json … page-10.json: the source order is theirs, not the letters'.
    logs = tmp_path / "files" / "pr_1" / "logs"
    logs.mkdir(parents=True)
    written = iter(exports.make_logs(8))  # Each its own: copies are listed once.
    for number in (100, 11, 10, 2, 1):
        (logs / f"{number}.jsonl").write_bytes(exports.jsonl([next(written)]))
    for name in ("page-10.json", "page-2.json", "page-02.json"):
        (tmp_path / name).write_bytes(exports.page([next(written)]))
    catalogs.append(catalog := indexed(tmp_path))
    assert [entry.location for entry in catalog.entries()] == [
        "files/pr_1/logs/1.jsonl line 1",
        "files/pr_1/logs/2.jsonl line 1",
        "files/pr_1/logs/10.jsonl line 1",
        "files/pr_1/logs/11.jsonl line 1",
        "files/pr_1/logs/100.jsonl line 1",
        "page-02.json records[0]",
        "page-2.json records[0]",
        "page-10.json records[0]",
    ]


def test_broken_records_are_listed_not_fatal(tmp_path: Path, catalogs: list[Catalog]) -> None:
    lines = [exports.encode(log) for log in LOGS[:4]]
    lines.insert(1, b'{"id": "data_bad", "config": {"type": "model", "id": "c"}, "oops" 1}')
    lines.insert(3, json.dumps({"id": "data_wrong", "config": 5}).encode())
    lines.append(b'{"id": "data_cut", "con')
    path = tmp_path / "broken.jsonl"
    path.write_bytes(b"\n".join(lines))
    catalogs.append(catalog := indexed(path))
    entries = list(catalog.entries())
    assert [entry.status for entry in entries] == [
        "completed", "invalid", "completed", "partial", "completed", "completed", "invalid",
    ]  # fmt: skip
    bad, wrong, cut = entries[1], entries[3], entries[6]
    assert bad.id == "data_bad" and bad.error is not None
    assert bad.error.startswith("malformed JSON at column ")
    # A log that breaks the model is listed, and opens, with what could be read.
    assert wrong.id == "data_wrong" and wrong.error is not None
    assert "at $.config" in wrong.error
    assert cut.error is not None and "JSON ends early" in cut.error
    assert catalog.count() == 7
    with pytest.raises(LogDecodeError, match=r"broken.jsonl line 2: malformed JSON"):
        catalog.load(1)


def test_entry_agrees_with_describe_on_the_full_log(
    tmp_path: Path, catalogs: list[Catalog]
) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(LOGS))
    catalogs.append(catalog := indexed(path))
    for entry in catalog.entries():
        log = catalog.load(entry.ordinal).log
        model = describe.model_config_of(log.config)
        assert entry.label == describe.config_label(log)
        assert entry.model == (model.model if model else None)
        assert entry.config_type == describe.config_type(log.config)
        assert entry.total_tokens == describe.total_tokens(log)
        assert entry.cost == describe.total_cost(log)
        assert entry.created_at == log.created_at
        assert entry.latency == (
            log.provider_latency if log.provider_latency is not None else log.duration
        )
        assert entry.output == describe.first_line(log.output)
        assert entry.status == log.observability_status
        assert entry.error == log.error
        assert (entry.session_id, entry.parent_id, entry.project_id) == (
            log.session_id, log.parent_id, log.project_id,
        )  # fmt: skip
        assert entry.feedback_count == len(log.feedback or [])
        assert entry.evaluation_count == len(log.evaluation_results)
    assert catalog.entry(3) is not None
    assert catalog.entry(3).feedback == "rating: good; issue: missing_detail"  # type: ignore[union-attr]
    assert catalog.entry(6).label == "search-tool"  # type: ignore[union-attr]


ONE_LOG = exports.make_log(0)


@pytest.mark.parametrize(
    "data",
    [
        exports.encode(ONE_LOG),
        exports.encode(ONE_LOG, indent=2) + b"\n",
        exports.encode(ONE_LOG) + b"\n\n",
        msgspec.json.format(exports.encode(ONE_LOG), indent=4),
    ],
    ids=["compact", "pretty", "one-line-jsonl", "pretty-4"],
)
def test_one_log_is_said_so(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "one.json"
    path.write_bytes(data)
    for target in (str(path), data):
        opened = open_source(target)
        assert isinstance(opened, LogDocument)
        assert opened.log.id == ONE_LOG["id"]
        with pytest.raises(SingleLog) as caught:
            Catalog.open(target)
        assert caught.value.document.log.id == ONE_LOG["id"]


BAD_SHAPES = {
    "empty-array": (b"[]", "holds no logs: the JSON array is empty"),
    "spaced-empty-array": (b" [ \n ] ", "holds no logs: the JSON array is empty"),
    "numbers": (b"[1, 2, 3]", "got an array of numbers"),
    "strings": (b'["data_x"]', "got an array of strings"),
    "nested": (b"[[{}]]", "got an array of arrays"),
    "page-without-records": (
        b'{"page": 0, "size": 50, "total": 0}',
        "a list page without `records`",
    ),
    "page-empty": (b'{"records": [], "page": 0}', "holds no logs: `records` is empty"),
    "page-of-numbers": (b'{"records": [1], "page": 0}', "`records` is a list of numbers"),
    "records-not-list": (b'{"records": "x"}', "`records` is a string, not a list of logs"),
    "empty": (b"", "empty input"),
    "blank": (b"  \n\n ", "empty input: no JSON found"),
    "number": (b"42", "expected one log (a JSON object), got a number"),
    "html": (b"<html>502</html>", "looks like HTML"),
    "not-a-log": (b'{"id": "data_x"}', "no `config` (v4) and no version object (v5)"),
    "truncated-object": (b'{"records": [{"id": ', "JSON ends early"),
}


@pytest.mark.parametrize("name", sorted(BAD_SHAPES))
def test_bad_shapes_are_one_line_errors(tmp_path: Path, name: str) -> None:
    data, expected = BAD_SHAPES[name]
    path = tmp_path / f"{name}.json"
    path.write_bytes(data)
    for target, label in ((str(path), str(path)), (data, "stdin")):
        with pytest.raises(InspectorError) as caught:
            open_source(target)
        message = str(caught.value)
        assert message.startswith(f"{label}: ")
        assert expected in message
        assert "\n" not in message


def test_bad_folders(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match=r"no \.json or \.jsonl files in this folder"):
        open_source(tmp_path)
    (tmp_path / "readme.txt").write_text("hi")
    with pytest.raises(SourceError, match=r"no \.json or \.jsonl files"):
        open_source(tmp_path)
    with pytest.raises(SourceError, match="no such file"):
        open_source(tmp_path / "missing.json")


@pytest.mark.parametrize(
    ("data", "expected", "listed"),
    [
        (exports.array(LOGS)[:-40], "JSON ends early", COUNT - 1),
        (
            exports.array(LOGS).replace(b'"id": "data_0003', b'"id": data_0003', 1),
            "malformed JSON at line 1",
            3,
        ),
        (
            exports.array(LOGS).replace(b'}, {"id": "data_0001', b'} {"id": "data_0001'),
            "expected ',' or ']'",
            1,
        ),
        (exports.array(LOGS)[:-1], "JSON ends early", COUNT),
    ],
    ids=["truncated", "malformed", "no-comma", "no-bracket"],
)
def test_an_array_broken_part_way_keeps_the_logs_before(
    tmp_path: Path, catalogs: list[Catalog], data: bytes, expected: str, listed: int
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(data)
    catalogs.append(catalog := indexed(path))
    progress = catalog.progress
    assert progress.done and progress.error is not None
    assert progress.error.startswith(f"{path}: ") and expected in progress.error
    assert "\n" not in progress.error
    assert [entry.id for entry in catalog.entries()] == [log["id"] for log in LOGS[:listed]]
    assert catalog.count(Query(text="common")) == sum(1 for i in range(listed) if i % 5 != 4)


def test_source_records_match_catalog_spans(tmp_path: Path) -> None:
    data = exports.page(LOGS)
    path = tmp_path / "page.json"
    path.write_bytes(data)
    source = open_source(path)
    assert isinstance(source, Source)
    for record in source.records():
        assert record.data == data[record.offset : record.offset + record.length]


def test_file_changed_since_indexing(tmp_path: Path, catalogs: list[Catalog]) -> None:
    path = tmp_path / "export.jsonl"
    path.write_bytes(exports.jsonl(LOGS))
    catalogs.append(catalog := indexed(path))
    path.write_bytes(exports.jsonl(LOGS[:2]))
    with pytest.raises(SourceError, match="changed since it was opened"):
        catalog.load(COUNT - 1)


@pytest.mark.parametrize("module", ["inspector.catalog", "inspector.cli.show_many"])
def test_the_catalog_never_imports_textual(module: str) -> None:
    code = f"import sys, {module}; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize(
    "first",
    [b'{"id": "data_cut", "conf', b"not json at all", b"{}", b"42"],
    ids=["cut", "text", "empty-object", "number"],
)
def test_a_bad_first_line_does_not_hide_json_lines(
    tmp_path: Path, catalogs: list[Catalog], first: bytes
) -> None:
    path = tmp_path / "export.json"  # not named .jsonl: the shape comes from the bytes
    path.write_bytes(first + b"\n" + exports.jsonl(LOGS[:3]))
    catalogs.append(catalog := indexed(path))
    entries = list(catalog.entries())
    assert [entry.invalid for entry in entries] == [True, False, False, False]
    assert [entry.id for entry in entries[1:]] == [log["id"] for log in LOGS[:3]]


BROKEN_LOGS = [
    {"config": {"type": "model", "id": "c"}},
    {"config": {"type": "model", "id": "c", "model": 5}},
    {"config": 5},
    {"id": 5},
    {"created_at": "yesterday"},
    {"output_message": {"role": None}},
    {"feedback": [{"id": "a", "value": 1}]},
    {"evaluation_results": None},
    {"observability_status": None},
]


def test_invalid_rows_say_what_opening_the_log_would_say(
    tmp_path: Path, catalogs: list[Catalog]
) -> None:
    logs = [{**exports.make_log(index), **change} for index, change in enumerate(BROKEN_LOGS)]
    path = tmp_path / "broken.jsonl"
    path.write_bytes(exports.jsonl(logs))
    catalogs.append(catalog := indexed(path))
    # Each is a log that breaks the model somewhere: listed as partial, never refused, and
    # the row's error is what the opened log's banner says.
    for entry in catalog.entries():
        assert entry.status == "partial", BROKEN_LOGS[entry.ordinal]
        doc = catalog.load(entry.ordinal)
        assert entry.error == "; ".join(doc.problems)


@given(
    lines=st.lists(
        st.one_of(
            st.text(alphabet=" \t\u3000", max_size=900),  # Blank lines, up to long ones.
            st.text(alphabet="ab é", min_size=1, max_size=1500),
        ),
        min_size=1,
        max_size=6,
    ),
    breaks=st.lists(st.sampled_from(["\n", "\r\n", "\r", "\u2028", "\x0b", "\x85"]), min_size=6),
)
# A first line that starts in the head and ends beyond it; a blank head.
@example(lines=[" " * 1000, "a" * 200], breaks=["\n"] * 6)
@example(lines=[" " * 1100, "é"], breaks=["\r\n"] * 6)
def test_the_rows_first_line_of_a_long_output_is_the_views_first_line(
    lines: list[str], breaks: list[str]
) -> None:
    # The list reads only the head of a long output; it must still find the first line
    # that `describe.first_line` finds, whatever breaks the lines and wherever they fall.
    text = "".join(line + end for line, end in zip(lines, breaks, strict=False))
    assert summary._first_line(text) == describe.first_line(text)
    assert summary._first_line(text.rstrip()) == describe.first_line(text.rstrip())
