"""`Source.read_spans`: many records of a file read at one opening, exactly as `read` reads each."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.catalog import Source
from inspector.catalog.shapes import SourceFile
from inspector.errors import SourceError

#: Long enough that spans far apart are read as separate blocks (gaps over 64 KB).
DATA = bytes(range(256)) * 1200


def _source(path: Path) -> Source:
    return Source(path.name, [SourceFile(path.name, str(path), path.stat().st_size, "jsonl")])


@pytest.fixture(scope="module", params=["plain", "gzip"])
def source(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Source:
    folder = tmp_path_factory.mktemp("reads")
    path = folder / "logs.jsonl"
    path.write_bytes(DATA if request.param == "plain" else gzip.compress(DATA))
    return _source(path)


spans = st.lists(
    st.tuples(st.integers(0, len(DATA) - 1), st.integers(0, 5000)).map(
        lambda span: (span[0], min(span[1], len(DATA) - span[0]))
    ),
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(spans)
def test_each_span_reads_as_read_reads_it(source: Source, spans: list[tuple[int, int]]) -> None:
    """In any order, repeated, overlapping, side by side or far apart."""
    assert source.read_spans(0, spans) == [DATA[start : start + size] for start, size in spans]
    assert source.read_spans(0, spans) == [source.read(0, *span) for span in spans]


def test_bytes_in_memory_are_sliced() -> None:
    piped = Source("stdin", [SourceFile("stdin", None, len(DATA), "jsonl")], DATA)
    assert piped.read_spans(0, [(10, 5), (0, 3)]) == [DATA[10:15], DATA[0:3]]


def test_a_file_cut_since_it_was_listed_says_so(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl"
    path.write_bytes(DATA)
    source = _source(path)
    os.truncate(path, 1000)
    with pytest.raises(SourceError, match="changed since it was opened"):
        source.read_spans(0, [(0, 10), (900, 200)])


def test_a_file_gone_since_it_was_listed_says_it_cannot_be_read(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl"
    path.write_bytes(DATA)
    source = _source(path)
    path.unlink()
    with pytest.raises(SourceError, match="cannot read"):
        source.read_spans(0, [(0, 10), (20, 10)])
