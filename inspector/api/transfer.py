"""Read a response body under a size cap, inflating gzip and deflate ourselves so bombs stop early.

httpx inflates a whole compressed chunk at once (48 KB of gzip became 50 MB in one chunk), so a
byte counter on decoded chunks cannot stop a bomb. Here every call to zlib is given the room left
under the cap as `max_length`, and the body is refused the moment it would exceed the cap.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from typing import Final

import httpx

from inspector.errors import BadResponseError, TooLargeError
from inspector.sanitize import one_line

#: Error bodies are only read for their `detail`; the rest is dropped.
ERROR_BODY_LIMIT: Final = 64 * 1024
SUPPORTED_ENCODINGS: Final = ("gzip", "deflate")


@dataclass(slots=True)
class Progress:
    """What an attempt has received so far, for messages about a body that was cut off."""

    received: int = 0


def format_size(size: int) -> str:
    """`268435456` → `256 MiB`; small sizes in bytes."""
    for unit, scale in (("GiB", 1024**3), ("MiB", 1024**2), ("KiB", 1024)):
        if size >= scale:
            return f"{size / scale:.4g} {unit}"
    return f"{size} bytes"


def content_encoding(headers: httpx.Headers, host: str) -> str | None:
    """The one compression to undo (`gzip` or `deflate`), None for none; refuse anything else."""
    value: str = headers.get("content-encoding", "")
    codings = [c.strip().lower() for c in value.split(",")]
    codings = ["gzip" if c == "x-gzip" else c for c in codings if c and c != "identity"]
    if not codings:
        return None
    if len(codings) == 1 and codings[0] in SUPPORTED_ENCODINGS:
        return codings[0]
    shown = one_line(", ".join(codings), 60)
    raise BadResponseError(
        f"the answer from {host} is compressed as {shown!r}, which inspector cannot read "
        "(it asks for gzip or deflate)"
    )


class _Inflater:
    """Incremental gzip or deflate decompression that never produces more than it is allowed."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        # Servers send "deflate" both with and without the zlib wrapper (RFC 9110 wants the
        # wrapper); try the wrapper first and replay the first bytes raw if it is refused.
        self._zlib = zlib.decompressobj(16 + zlib.MAX_WBITS if coding == "gzip" else zlib.MAX_WBITS)
        self._replay: bytearray | None = bytearray() if coding == "deflate" else None
        self.fed = False

    def feed(self, data: bytes, out: bytearray, limit: int) -> None:
        """Inflate `data` onto `out`; raise `OverflowError` as soon as `out` would pass `limit`."""
        self.fed = self.fed or bool(data)
        if self._replay is not None:
            self._replay += data
            try:
                self._inflate(data, out, limit)
            except zlib.error:
                if out:
                    raise
                self._zlib = zlib.decompressobj(-zlib.MAX_WBITS)
                data, self._replay = bytes(self._replay), None
            else:
                if len(self._replay) >= 2 or out:
                    self._replay = None
                return
        self._inflate(data, out, limit)

    def _inflate(self, data: bytes, out: bytearray, limit: int) -> None:
        while data and not self._zlib.eof:
            # One byte more than the room left: getting it proves the body is too large.
            piece = self._zlib.decompress(data, limit - len(out) + 1)
            out += piece
            if len(out) > limit:
                raise OverflowError
            data = self._zlib.unconsumed_tail

    def finished(self) -> bool:
        """True when the compressed stream ended properly (or nothing was sent)."""
        return self._zlib.eof or not self.fed


async def read_body(
    response: httpx.Response,
    *,
    limit: int,
    host: str,
    progress: Progress,
    cut: bool = False,
) -> bytes:
    """Read the whole body of a streamed response, at most `limit` bytes after decompression.

    Args:
        response: A response opened with `client.stream(...)`; read with `aiter_raw()`.
        limit: The most bytes the (decompressed) body may have.
        host: How to name the server in messages.
        progress: Updated with the raw bytes received so far.
        cut: Return the first `limit` bytes instead of refusing a larger body (error bodies).

    Raises:
        TooLargeError: The body is, or says it is, larger than `limit` (unless `cut`).
        BadResponseError: An unknown compression, or compressed data that is corrupt or ends early.
    """
    declared = response.headers.get("content-length", "").strip()
    if not cut and declared.isdigit() and int(declared) > limit:
        raise TooLargeError(
            f"the answer from {host} is {format_size(int(declared))} (Content-Length), more "
            f"than the {format_size(limit)} limit; raise it with --max-size if you trust it",
            status=response.status_code,
        )
    if response.is_stream_consumed:
        # Already read and decoded by httpx (an `httpx.Response(content=…)` from a
        # MockTransport): only the cap is left to apply.
        content = response.content
        if len(content) > limit and not cut:
            raise TooLargeError(
                f"the answer from {host} is larger than the {format_size(limit)} limit",
                status=response.status_code,
            )
        return content[:limit]
    coding = content_encoding(response.headers, host)
    inflater = _Inflater(coding) if coding else None
    out = bytearray()
    try:
        async for chunk in response.aiter_raw():
            progress.received += len(chunk)
            if inflater is None:
                out += chunk
                if len(out) > limit:
                    raise OverflowError
            else:
                inflater.feed(chunk, out, limit)
                # A stream of empty compressed blocks inflates to nothing but must end too.
                if progress.received > limit:
                    raise OverflowError
    except OverflowError:
        if cut:
            return bytes(out[:limit])
        raise TooLargeError(
            f"the answer from {host} is larger than the {format_size(limit)} limit"
            f"{' once decompressed' if inflater else ''}; stopped reading; raise the limit "
            "with --max-size if you trust it",
            status=response.status_code,
        ) from None
    except zlib.error:
        raise BadResponseError(
            f"the answer from {host} says it is {coding}-compressed but is not valid {coding} data",
            status=response.status_code,
        ) from None
    if inflater is not None and not inflater.finished():
        raise BadResponseError(
            f"the {coding}-compressed answer from {host} ends early: the compressed data is "
            f"incomplete after {progress.received} bytes",
            status=response.status_code,
        )
    return bytes(out)
