"""Target 3: `decode_log` against `json.loads` and the official SDK's pydantic `LogResponse`.

All three decode the same bytes in this process, one after the other in each repetition.
`decode_log` keeps `provider_request` and `provider_response` as raw bytes (they are
decoded when their pane opens), so a fourth column decodes them too, for a like-for-like
number.
"""

from __future__ import annotations

import gc
import json
import time
from collections.abc import Callable
from typing import Any

import msgspec

from benchmarks.generate import Input
from inspector.model.decode import decode_log
from inspector.model.log import raw_is_absent


def sdk_decoder() -> Callable[[bytes], Any] | None:
    """`LogResponse.model_validate_json` of humanloop 0.7.35, or None when not installed."""
    try:
        from humanloop.pydantic.log_response import (  # type: ignore[import-untyped,import-not-found,unused-ignore]
            LogResponse,
        )
    except ImportError:
        return None
    validate: Callable[[bytes], Any] = LogResponse.model_validate_json
    return validate


def decode_all(data: bytes) -> Any:
    """`decode_log` and then both provider payloads, as the Request/Response panes do."""
    doc = decode_log(data)
    for raw in (doc.log.provider_request, doc.log.provider_response):
        if not raw_is_absent(raw):
            msgspec.json.decode(raw)
    return doc


def decoders() -> dict[str, Callable[[bytes], Any] | None]:
    """The decoders compared, by column name (None: not installed)."""
    return {
        "decode_log": decode_log,
        "decode_log + payloads": decode_all,
        "json.loads": json.loads,
        "SDK pydantic": sdk_decoder(),
    }


def _time(decode: Callable[[bytes], Any], data: bytes) -> float:
    gc.collect()
    start = time.perf_counter()
    result = decode(data)
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def run(items: list[Input], repeat: int) -> dict[str, dict[str, list[float]]]:
    """{log name: {decoder: [seconds, ...]}}; a decoder not installed gets no times."""
    found = decoders()
    results: dict[str, dict[str, list[float]]] = {}
    for item in items:
        data = item.path.read_bytes()
        times: dict[str, list[float]] = {name: [] for name in found}
        for decode in found.values():
            if decode is not None:  # warm up: imports, caches
                decode(data)
        for _ in range(repeat):
            for name, decode in found.items():
                if decode is not None:
                    times[name].append(_time(decode, data))
        results[item.spec.name] = times
    return results
