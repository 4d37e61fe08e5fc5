"""The shape of a source of logs, told from its first bytes; one-line errors for bad shapes."""

from __future__ import annotations

import mmap
import re
from typing import Final, Literal

import msgspec

from inspector.errors import LogDecodeError, SourceError
from inspector.sanitize import one_line

#: `call`: a v4 `/chat` or `/completion` response, each of its `data[]` items a log.
Shape = Literal["jsonl", "array", "page", "object", "call"]

BOM: Final = b"\xef\xbb\xbf"
NON_SPACE: Final = re.compile(rb"[^ \t\r\n]")
#: Lines tried when the first line of a would-be JSON Lines file is not JSON by itself.
_PROBE_LINES: Final = 8
_KINDS: Final = {
    b"[": "an array",
    b"{": "an object",
    b'"': "a string",
    b"t": "a boolean",
    b"f": "a boolean",
}
_PLURALS: Final = {
    "a number": "numbers",
    "a string": "strings",
    "a boolean": "booleans",
    "null": "nulls",
    "an array": "arrays",
}
FOLDER_SUFFIXES: Final = (".json", ".jsonl", ".json.gz", ".jsonl.gz")


class _Object(msgspec.Struct):
    """Any JSON object (every field ignored): checks that bytes hold one object."""


class _PageProbe(msgspec.Struct):
    """The keys that tell a list page from a log."""

    records: msgspec.Raw = msgspec.Raw()
    id: msgspec.Raw = msgspec.Raw()
    page: msgspec.Raw = msgspec.Raw()
    size: msgspec.Raw = msgspec.Raw()
    total: msgspec.Raw = msgspec.Raw()
    data: msgspec.Raw = msgspec.Raw()
    provider_responses: msgspec.Raw = msgspec.Raw()


class _PageItems(msgspec.Struct, gc=False):
    records: list[msgspec.Raw]


_object_decoder: Final = msgspec.json.Decoder(_Object)
_probe_decoder: Final = msgspec.json.Decoder(_PageProbe)
_page_items_decoder: Final = msgspec.json.Decoder(_PageItems)


class SourceFile(msgspec.Struct, frozen=True):
    """One file of a source (or the stdin bytes) and the shape its records come in."""

    #: How the file is named in messages and locations: its path, or `stdin`.
    name: str
    #: The path to read from; None for bytes held in memory.
    path: str | None
    size: int
    shape: Shape


class Record(msgspec.Struct, frozen=True, gc=False):
    """One record of a source: where its bytes are, and the bytes themselves.

    A Struct, not a frozen dataclass: one is made for every log listed, and a Struct
    is made in a seventh of the time (0.1 us against 0.7).
    """

    file: int
    offset: int
    length: int
    #: Where the record is, for messages: `line 12`, `[3]`, `records[3]`, `a.json`.
    location: str
    data: bytes


def detect(buffer: bytes | mmap.mmap, *, lines: bool = False) -> Shape:
    """The shape of a document from its first bytes; `object` is one log or a list page.

    JSON Lines is recognised when there is more than one line and the first line is
    a complete JSON object; when it is not (a broken record, a stray header), a few
    more lines are tried so that one bad line does not hide the shape. `lines` (a
    `.jsonl` name) skips that test. A first `[` means an array; anything else is
    reported as `object`, for `decode_log` to explain.
    """
    first = NON_SPACE.search(buffer, start_of(buffer))
    if first is None:
        return "object"
    newline = buffer.find(b"\n", first.start())
    several = newline >= 0 and NON_SPACE.search(buffer, newline) is not None
    if several and lines:
        return "jsonl"
    if buffer[first.start() : first.start() + 1] == b"[":
        return "array"
    if not several or buffer[first.start() : newline].strip() in (b"{", b"["):
        return "object"
    start = first.start()
    for _ in range(_PROBE_LINES):
        end = buffer.find(b"\n", start)
        line = buffer[start : end if end >= 0 else len(buffer)].strip()
        if line and _is_object(line):
            return "jsonl"
        if end < 0:
            break
        start = end + 1
    return "object"


def _is_object(line: bytes) -> bool:
    try:
        _object_decoder.decode(line)
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return False
    return True


def start_of(buffer: bytes | mmap.mmap) -> int:
    """Where the JSON starts: after a UTF-8 byte order mark, if there is one."""
    return len(BOM) if buffer[: len(BOM)] == BOM else 0


def without_bom(buffer: bytes | mmap.mmap) -> bytes | mmap.mmap | memoryview:
    """`buffer` past a byte order mark (msgspec refuses one), without copying it."""
    return memoryview(buffer)[len(BOM) :] if start_of(buffer) else buffer


def is_page(buffer: bytes | mmap.mmap) -> bool:
    """True when `buffer` is an object whose `records` is an array (a list page)."""
    try:
        records = _probe_decoder.decode(without_bom(buffer)).records
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return False
    with memoryview(records) as view:
        return view[:1].tobytes() == b"["


def page_items(buffer: bytes) -> list[msgspec.Raw] | None:
    """The items of `records` when `buffer` is a list page (as `is_page` says), else None.

    For a file small enough to split in one decode (`Values.all_items`), which can
    then take these items instead of decoding the file a second time.
    """
    try:
        return _page_items_decoder.decode(without_bom(buffer)).records
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return None


def is_call(buffer: bytes | mmap.mmap) -> bool:
    """True when `buffer` is a v4 call response whose `data` holds more than one item."""
    try:
        probe = _probe_decoder.decode(without_bom(buffer))
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return False
    if not len(probe.provider_responses) or not len(probe.data):
        return False
    try:
        items = msgspec.json.decode(probe.data, type=list[msgspec.Raw])
    except msgspec.DecodeError:
        return False
    return len(items) > 1


def kind_at(buffer: bytes | mmap.mmap, position: int) -> str:
    """What kind of JSON value starts at `position`, in words (`a number`)."""
    opener = buffer[position : position + 1]
    if opener in b"-0123456789" and opener:
        return "a number"
    if opener == b"n":
        return "null"
    return _KINDS.get(opener, "not JSON")


def check_first_item(buffer: bytes | mmap.mmap, name: str, *, records: bool = False) -> None:
    """Refuse an empty array, or one whose first item is not an object, before indexing.

    `records` words the messages for the `records` array of a list page.
    """
    shown = one_line(name, 200)
    opening = buffer.find(b"[")
    first = NON_SPACE.search(buffer, opening + 1)
    if first is None:
        return  # Cut off: the indexer words the malformed JSON precisely.
    opener = buffer[first.start() : first.start() + 1]
    if opener == b"]":
        what = "`records` is empty" if records else "the JSON array is empty"
        raise SourceError(f"{shown}: holds no logs: {what}")
    if opener != b"{":
        kinds = _PLURALS.get(kind_at(buffer, first.start()), "values that are not JSON")
        if records:
            raise SourceError(f"{shown}: not a list page of logs: `records` is a list of {kinds}")
        raise SourceError(
            f"{shown}: not a Humanloop log: expected one log (a JSON object) or a list of"
            f" logs, got an array of {kinds}"
        )


def page_or_raise(data: bytes, name: str, error: LogDecodeError) -> Shape:
    """`page` when `data` is a list page of logs; otherwise raise the most helpful error."""
    shown = one_line(name, 200)
    try:
        probe = _probe_decoder.decode(data.removeprefix(BOM))
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        raise error from None
    if len(probe.records):
        records = bytes(probe.records)
        if records[:1] != b"[":
            kind = kind_at(records, 0)
            raise SourceError(f"{shown}: `records` is {kind}, not a list of logs")
        check_first_item(records, name, records=True)
        return "page"
    if not len(probe.id) and (len(probe.page) or len(probe.size) or len(probe.total)):
        raise SourceError(f"{shown}: a list page without `records`: no logs in it")
    raise error
