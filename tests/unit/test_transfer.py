"""The capped inflater as a unit: byte-at-a-time input, both deflate flavours, bombs, sizes."""

from __future__ import annotations

import gzip
import zlib

import pytest

from inspector.api.transfer import _Inflater, format_size

DATA = b'{"id": "data_x", "output": "' + b"sunny " * 2000 + b'"}'


def _raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush()


@pytest.mark.parametrize(
    ("coding", "packed"),
    [
        ("gzip", gzip.compress(DATA)),
        ("deflate", zlib.compress(DATA)),
        ("deflate", _raw_deflate(DATA)),
    ],
    ids=["gzip", "zlib-deflate", "raw-deflate"],
)
def test_one_byte_at_a_time(coding: str, packed: bytes) -> None:
    inflater = _Inflater(coding)
    out = bytearray()
    for index in range(len(packed)):
        inflater.feed(packed[index : index + 1], out, limit=len(DATA))
    assert bytes(out) == DATA
    assert inflater.finished()


def test_a_bomb_stops_one_byte_past_the_cap() -> None:
    bomb = gzip.compress(b"\0" * 20_000_000)
    inflater = _Inflater("gzip")
    out = bytearray()
    with pytest.raises(OverflowError):
        inflater.feed(bomb, out, limit=100_000)
    # zlib was never asked for more than the room left plus one byte.
    assert len(out) == 100_001


def test_unfinished_stream_is_not_finished() -> None:
    inflater = _Inflater("gzip")
    out = bytearray()
    inflater.feed(gzip.compress(DATA)[:-10], out, limit=10**6)
    assert not inflater.finished()
    assert _Inflater("gzip").finished()  # nothing sent at all: an empty body


def test_garbage_raises_zlib_error() -> None:
    with pytest.raises(zlib.error):
        _Inflater("gzip").feed(b"definitely not gzip", bytearray(), limit=100)
    with pytest.raises(zlib.error):
        _Inflater("deflate").feed(b"\xff\xff\xff\xff not deflate", bytearray(), limit=100)


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 bytes"),
        (100, "100 bytes"),
        (1536, "1.5 KiB"),
        (256 * 1024**2, "256 MiB"),
        (3 * 1024**3, "3 GiB"),
    ],
)
def test_format_size(size: int, shown: str) -> None:
    assert format_size(size) == shown
