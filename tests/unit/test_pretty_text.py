"""`PrettyJson` reads as `msgspec.json.format(raw, indent=2)`; `LineIndex` reads it as bytes."""

from __future__ import annotations

import json
import re
from typing import Any

import msgspec
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from inspector.bigtext import lines, pretty
from inspector.bigtext.lines import LineIndex
from inspector.bigtext.pretty import PrettyJson, in_token, pretty_json
from inspector.model.decode import decode_log
from inspector.tui.widgets.search_bar import compile_query
from tests.support import factory

#: Text with multibyte characters (2, 3 and 4 bytes in UTF-8) but no lone surrogates.
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
SCALARS = st.none() | st.booleans() | st.integers() | TEXT
SCALARS |= st.floats(allow_nan=False, allow_infinity=False)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=6) | st.dictionaries(TEXT, inner, max_size=6)
)


def spellings(value: Any) -> list[bytes]:
    """The same JSON written four ways: minified, escaped, indented, and with CRLF and tabs."""
    return [
        msgspec.json.encode(value),
        json.dumps(value, ensure_ascii=True).encode(),
        json.dumps(value, ensure_ascii=False, indent=1).encode(),
        b"\r\n " + json.dumps(value, ensure_ascii=False, separators=("\r\n,\t", " :\r\n")).encode(),
    ]


@given(VALUES, st.sampled_from([1, 2, 7, 40, 4096]))
@settings(max_examples=300)
def test_pieces_read_as_the_whole_pretty_text(value: Any, chunk: int) -> None:
    for raw in spellings(value):
        text = PrettyJson(raw, chunk=chunk)
        expected = msgspec.json.format(raw, indent=2)
        assert len(text) == len(expected)
        assert text[:] == expected


@given(
    VALUES,
    st.sampled_from([1, 3, 16]),
    st.lists(st.integers(min_value=-5, max_value=400), min_size=2, max_size=2),
    st.sampled_from([b"\n", b" ", b'"', b",\n  ", b"\xc3", b"\xf0\x9f", b"zz", b""]),
)
@example([], 1, [0, -3], b"")  # an end before the text's start: 0, as for bytes
def test_slices_find_rfind_and_count_are_those_of_bytes(
    value: Any, chunk: int, bounds: list[int], sub: bytes
) -> None:
    raw = spellings(value)[2]
    text, expected = PrettyJson(raw, chunk=chunk), msgspec.json.format(raw, indent=2)
    start, end = bounds
    assert text[start:end] == expected[start:end]
    assert text.find(sub, start, end) == expected.find(sub, start, end)
    assert text.find(sub, start) == expected.find(sub, start)
    assert text.rfind(sub, start, end) == expected.rfind(sub, start, end)
    assert text.count(sub, start, end) == expected.count(sub, start, end)
    assert text.count(sub, start) == expected.count(sub, start)


def test_a_big_container_with_a_repeated_key_is_formatted_whole() -> None:
    # A dict drops one of two equal keys: the split would lose a member, so it is not made.
    big = "[" + ",".join(['"é\\u00e9"'] * 50) + "]"
    raw = f'{{"a": {big}, "b": {{"c": {big}, "c": [1]}}, "a": {big}}}'.encode()
    text = PrettyJson(raw, chunk=16)
    assert text[:] == msgspec.json.format(raw, indent=2)


def test_a_big_log_is_split_and_a_small_one_is_whole(monkeypatch: Any) -> None:
    raw = msgspec.json.encode({"messages": [{"role": "user", "content": "x" * 50}] * 200})
    assert pretty_json(raw) == msgspec.json.format(raw, indent=2)
    monkeypatch.setattr(pretty, "WHOLE", 1000)
    monkeypatch.setattr(pretty, "CHUNK", 300)
    split = pretty_json(raw)
    assert isinstance(split, PrettyJson)
    assert len(split._pieces) > 10
    assert split[:] == msgspec.json.format(raw, indent=2)


def test_in_token_queries_cannot_cross_json_punctuation() -> None:
    assert in_token("quokka") and in_token("a.b") and in_token("\\u00e9")
    assert not in_token("a b") and not in_token('"id"') and not in_token("x:") and not in_token("")


@given(
    VALUES,
    st.sampled_from([1, 5, 64]),
    st.sampled_from(["a", "A", "é", "1", "0", "true", "nul", '": "', "\\u", "\\\\", "e+"]),
    st.booleans(),
)
def test_line_index_over_pieces_is_the_line_index_over_bytes(
    value: Any, chunk: int, query: str, regex: bool
) -> None:
    raw = spellings(value)[3]
    expected = msgspec.json.format(raw, indent=2)
    old_step = lines.STEP
    lines.STEP = 5
    try:
        over_pieces, over_bytes = LineIndex(PrettyJson(raw, chunk=chunk)), LineIndex(expected)
        total = over_bytes.total()
        assert over_pieces.total() == total == expected.count(b"\n") + 1
        assert [over_pieces.line(n) for n in range(total)] == expected.decode().split("\n")
        while not (over_pieces.done and over_bytes.done):
            over_pieces.step()
            over_bytes.step()
        assert over_pieces.widest == over_bytes.widest
        try:
            pattern = compile_query(query, regex=regex)
        except re.error:  # `\u` as a regular expression
            return
        assert pattern is not None
        assert list(over_pieces.find(pattern)) == list(over_bytes.find(pattern))
    finally:
        lines.STEP = old_step


@given(
    st.lists(st.sampled_from(["", "ab", "é", "😀x", "a\r", "\t\t", "中文"]), max_size=60),
    st.sampled_from(["\n", "\r\n"]),
    st.integers(min_value=1, max_value=9),
)
def test_sparse_line_starts_give_every_line_and_offset(
    parts: list[str], newline: str, step: int
) -> None:
    text = newline.join(parts).encode()
    old_step = lines.STEP
    lines.STEP = step
    try:
        index = LineIndex(text)
        expected = text.split(b"\n")
        for number, line in enumerate(expected):
            assert index.line_bytes(number) == line
            assert index.start(number) == sum(len(before) + 1 for before in expected[:number])
        for offset in range(len(text)):
            line = text.count(b"\n", 0, offset)
            assert index.line_of(offset) == line
        assert index.known == len(expected)
    finally:
        lines.STEP = old_step


def test_search_skips_pieces_without_a_match_and_finds_the_rest() -> None:
    log = {"a": ["quokka" if n % 97 == 0 else f"item {n}" for n in range(2_000)], "K": "\u212a"}
    raw = msgspec.json.encode(log)
    text = PrettyJson(raw, chunk=512)
    searched = sum(len(piece) for _, piece in text.candidates(re.compile(rb"quokka")))
    assert 0 < searched < len(text) / 2
    pattern = compile_query("quokka", regex=False)
    assert pattern is not None
    expected = list(LineIndex(msgspec.json.format(raw, indent=2)).find(pattern))
    assert list(LineIndex(text).find(pattern)) == expected
    assert len(expected) == 21
    # A case-insensitive `k` as text also matches the Kelvin sign, which bytes do not.
    pattern = compile_query("k", regex=False)
    assert pattern is not None
    found = list(LineIndex(text).find(pattern))
    assert found == list(LineIndex(msgspec.json.format(raw, indent=2)).find(pattern))


@pytest.mark.parametrize("before", [b"", b" \n\t\r\n", b"\xef\xbb\xbf  \n"])
def test_a_log_with_leading_whitespace_decodes_the_same(before: bytes) -> None:
    # `decode_log` looks at the first byte in place (no stripped copy of the log).
    data = json.dumps(factory.shared("chat_tools"), indent=1).encode()
    doc = decode_log(before + data + b"\n", "log.json")
    assert doc.log.id == factory.shared("chat_tools")["id"]
    assert pretty_json(doc.raw) == msgspec.json.format(data, indent=2)


def test_a_match_across_pieces_shorter_than_it_is_found_from_every_start() -> None:
    # One-byte pieces: `,\n  ` spans four of them, so what is carried from piece to piece
    # must be every byte of the pieces before, not the last len(sub) - 1 of each alone.
    raw = msgspec.json.encode([{"a": [None, [None, False, -1, "x"]], "b": {"c": 1}}])
    text, expected = PrettyJson(raw, chunk=1), msgspec.json.format(raw, indent=2)
    for sub in (b",\n  ", b"\n    ", b'": '):
        for start in range(-3, len(expected) + 2):
            assert text.find(sub, start) == expected.find(sub, start), (sub, start)
            assert text.rfind(sub, 0, start) == expected.rfind(sub, 0, start), (sub, start)
