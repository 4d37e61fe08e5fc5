"""Property tests of record splitting: any spacing, any keys, spans are always the exact bytes."""

from __future__ import annotations

import io
import itertools
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.catalog import Source, open_source, shapes, split, values
from inspector.catalog import window as split_window
from inspector.errors import SourceError

SPACE = st.text(alphabet=" \t\r\n", max_size=4)
SCALARS = st.none() | st.booleans() | st.integers() | st.text(max_size=20)
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=12,
)
OBJECTS = st.dictionaries(st.text(max_size=8), VALUES, max_size=5)


def encoded(value: Any, ascii_only: bool) -> bytes:
    return json.dumps(value, ensure_ascii=ascii_only).encode()


def records_of(data: bytes) -> list[bytes]:
    opened = open_source(data)
    assert isinstance(opened, Source), opened
    found = []
    for record in opened.records():
        assert record.data == data[record.offset : record.offset + record.length]
        found.append(record.data)
    return found


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(OBJECTS, min_size=1, max_size=6),
    spaces=st.lists(SPACE, min_size=14, max_size=14),
    ascii_only=st.booleans(),
)
def test_array_items_are_exact(
    items: list[dict[str, Any]], spaces: list[str], ascii_only: bool
) -> None:
    parts = [b"[" + spaces[0].encode()]
    for index, item in enumerate(items):
        if index:
            parts.append(spaces[2 * index].encode() + b"," + spaces[2 * index + 1].encode())
        parts.append(encoded(item, ascii_only))
    parts.append(spaces[-1].encode() + b"]")
    data = b"".join(parts)
    assert [json.loads(found) for found in records_of(data)] == items
    assert records_of(data) == [encoded(item, ascii_only) for item in items]


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(OBJECTS, min_size=1, max_size=5),
    before=st.dictionaries(st.sampled_from(["page", "size", "tötal", 'q"uote', "\\"]), VALUES),
    after=st.dictionaries(st.sampled_from(["x", "recordsx", "Records"]), VALUES),
    escaped_key=st.booleans(),
    space=SPACE,
)
def test_page_records_are_exact(
    items: list[dict[str, Any]],
    before: dict[str, Any],
    after: dict[str, Any],
    escaped_key: bool,
    space: str,
) -> None:
    key = '"\\u0072ecords"' if escaped_key else '"records"'
    members = [
        f"{json.dumps(name)}{space}:{space}{json.dumps(value)}" for name, value in before.items()
    ]
    members.append(
        f"{key}{space}:{space}[{space}{(space + ',').join(json.dumps(i) for i in items)}]"
    )
    members += [f"{json.dumps(name)}:{json.dumps(value)}" for name, value in after.items()]
    data = ("{" + space + ("," + space).join(members) + space + "}").encode()
    assert [json.loads(found) for found in records_of(data)] == items


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(OBJECTS, min_size=2, max_size=6),
    spaces=st.lists(st.text(alphabet=" \t\r\n", max_size=3), min_size=6, max_size=6),
    bom=st.booleans(),
)
def test_json_lines_are_exact(items: list[dict[str, Any]], spaces: list[str], bom: bool) -> None:
    lines = [
        spaces[index % 6].replace("\n", "") + json.dumps(item) for index, item in enumerate(items)
    ]
    data = (b"\xef\xbb\xbf" if bom else b"") + "\n".join(lines).encode() + spaces[-1].encode()
    assert [json.loads(found) for found in records_of(data)] == items


@settings(max_examples=100, deadline=None)
@given(
    items=st.lists(VALUES, min_size=1, max_size=6),
    window=st.integers(min_value=1, max_value=40),
    chunk=st.integers(min_value=1, max_value=40),
    spaces=SPACE,
)
def test_values_found_whatever_the_window(
    items: list[Any], window: int, chunk: int, spaces: str
) -> None:
    """Any value (numbers too, which can end right at a window's edge) in small windows,
    read from a stream in small chunks (so values and spaces straddle every read)."""
    original = values._WINDOW, split_window.CHUNK
    values._WINDOW, split_window.CHUNK = window, chunk
    try:
        data = (
            "[" + spaces + ("," + spaces).join(json.dumps(item) for item in items) + "]"
        ).encode()
        walker = values.Values(split_window.Window(io.BytesIO(data), "test", size=len(data)))
        found = [record.data for record in walker.items(0, 0, "[")]
    finally:
        values._WINDOW, split_window.CHUNK = original
    assert found == [json.dumps(item).encode() for item in items]


def test_a_log_bigger_than_the_window(tmp_path: Any) -> None:
    # Multi-byte characters, so that window edges fall inside them.
    big = "é日x" * 500_000
    logs = [{"id": "data_small"}, {"id": "data_big", "output": big}, {"id": "data_end"}]
    path = tmp_path / "big.json"
    path.write_bytes(json.dumps(logs, ensure_ascii=False).encode())
    source = open_source(path)
    assert isinstance(source, Source)
    assert [json.loads(record.data)["id"] for record in source.records()] == [
        "data_small",
        "data_big",
        "data_end",
    ]


class _Lines:
    lines = 0


@settings(max_examples=100, deadline=None)
@given(
    items=st.lists(OBJECTS, min_size=2, max_size=6),
    spaces=st.lists(st.text(alphabet=" \t\r\n\x0b\x0c", max_size=3), min_size=6, max_size=6),
    bom=st.booleans(),
    cuts=st.lists(st.integers(min_value=0, max_value=400), max_size=4),
)
def test_json_lines_read_by_byte_ranges_are_the_same_records(
    tmp_path_factory: Any,
    items: list[dict[str, Any]],
    spaces: list[str],
    bom: bool,
    cuts: list[int],
) -> None:
    # What a worker reads (the lines starting in its byte range, each at its exact
    # offset) put together over any cuts is what one pass over the file reads.
    lines = [
        spaces[index % 6].replace("\n", "") + json.dumps(item) for index, item in enumerate(items)
    ]
    data = (b"\xef\xbb\xbf" if bom else b"") + "\n".join(lines).encode() + spaces[-1].encode()
    path = tmp_path_factory.mktemp("ranges") / "logs.jsonl"
    path.write_bytes(data)
    source = open_source(path)
    assert isinstance(source, Source)
    whole = [(record.offset, record.length) for record in source.records()]
    edges = sorted({0, len(data), *(cut for cut in cuts if cut < len(data))})
    found = []
    for start, end in itertools.pairwise(edges):
        for record, _ in split.range_records(source.files[0], 0, (start, end), _Lines()):
            assert record.data == data[record.offset : record.offset + record.length]
            found.append((record.offset, record.length))
    assert found == whole


def _walked_and_at_once(
    data: bytes, field: str, *, last: bool = False
) -> tuple[list[Any], list[Any] | None]:
    """The items as `Values.items` walks them (from the first `field`, or the `last`),
    and as `Values.all_items` finds them."""
    found = []
    for way in ("walk", "at once"):
        reader = values.Values(split_window.Window(None, "test", data=data))
        first = reader.records_start(field) if field else reader.opening()
        opening = reader.records_start(field, last=True) if way == "walk" and last else first
        where = f"{field}["
        if way == "walk":
            records: list[Any] | None = list(reader.items(opening, 0, where))
        else:
            records = reader.all_items(opening, field, 0, where)
        spans = None if records is None else [
            (r.offset, r.length, r.location, r.data) for r in records
        ]  # fmt: skip
        found.append(spans)
    walked, at_once = found
    assert walked is not None
    return walked, at_once


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(VALUES, max_size=6),
    field=st.sampled_from(["", "records", "data"]),
    spaces=st.lists(SPACE, min_size=4, max_size=4),
    repeated=st.booleans(),
    other=st.lists(VALUES, max_size=2),
)
def test_one_decode_of_a_small_input_finds_exactly_the_items_the_walk_finds(
    items: list[Any], field: str, spaces: list[str], repeated: bool, other: list[Any]
) -> None:
    # Lists of up to `WHOLE_BYTES` are split by decoding them whole; every item must be
    # the same bytes at the same place as walking them one by one finds. A key given
    # twice: the last one's items, as msgspec (and one decode of a page) reads them.
    a, b, c, d = spaces
    body = f"[{a}" + f"{b},{c}".join(json.dumps(item) for item in items) + f"{d}]"
    if field:
        members = [f'"page"{a}:{b}1', f'"{field}"{c}:{d}{body}']
        if repeated:
            members.append(f'"{field}":{json.dumps(other)}')
        data = ("{" + f",{a}".join(members) + "}").encode()
    else:
        data = body.encode()
    last = bool(field) and repeated
    walked, at_once = _walked_and_at_once(data, field, last=last)
    assert at_once is not None
    if last and at_once != walked:
        # Items byte for byte the same in both arrays may be found in the first one.
        assert [span[2:] for span in at_once] == [span[2:] for span in walked]
        assert all(data[start : start + length] == item for start, length, _, item in at_once)
    else:
        assert at_once == walked
    assert [json.loads(span[3]) for span in walked] == (other if last else items)


def test_a_malformed_item_leaves_the_split_to_the_walk_and_its_errors() -> None:
    data = b'{"records": [{"id": 1}, {"id": 2,}, {"id": 3}]}'
    reader = values.Values(split_window.Window(None, "test", data=data))
    assert reader.all_items(reader.records_start(), "records", 0, "records[") is None
    walked = reader.items(reader.records_start(), 0, "records[")
    assert next(walked).data == b'{"id": 1}'
    with pytest.raises(SourceError, match="malformed"):
        next(walked)


@settings(max_examples=200, deadline=None)
@given(top=OBJECTS, records=VALUES, has_records=st.booleans(), bom=st.booleans())
def test_page_items_tells_a_page_as_is_page_does(
    top: dict[str, Any], records: Any, has_records: bool, bom: bool
) -> None:
    # A small folder file's shape is told by the decode that also gives its items.
    if has_records:
        top = {**top, "records": records}
    data = (b"\xef\xbb\xbf" if bom else b"") + json.dumps(top).encode()
    items = shapes.page_items(data)
    assert (items is not None) == shapes.is_page(data)
    if items is not None:
        assert [json.loads(bytes(item)) for item in items] == records
