"""Token counts only the provider reports (cached, reasoning), read from `provider_response`.

The log itself has prompt and output tokens; the provider's own `usage` often says more.
Only the `usage` object is decoded (msgspec skips the rest of a payload of megabytes
without building it), and a payload of another shape simply yields nothing.
"""

from __future__ import annotations

from typing import Any, Final

import msgspec

from inspector.model.log import raw_is_absent


class _WithUsage(msgspec.Struct):
    usage: Any = None


_decoder: Final = msgspec.json.Decoder(_WithUsage)

#: (words, path inside `usage`), for OpenAI, Anthropic and DeepSeek answers.
DETAILS: Final = [
    ("cached tokens", ("prompt_tokens_details", "cached_tokens")),
    ("cached tokens", ("prompt_cache_hit_tokens",)),
    ("cache read tokens", ("cache_read_input_tokens",)),
    ("cache write tokens", ("cache_creation_input_tokens",)),
    ("reasoning tokens", ("completion_tokens_details", "reasoning_tokens")),
    ("audio input tokens", ("prompt_tokens_details", "audio_tokens")),
    ("audio output tokens", ("completion_tokens_details", "audio_tokens")),
]


def provider_token_details(raw: msgspec.Raw) -> list[tuple[str, int]]:
    """`(words, count)` for each detail the provider's `usage` reports, in a fixed order."""
    if raw_is_absent(raw):
        return []
    try:
        usage = _decoder.decode(raw).usage
    except (msgspec.DecodeError, UnicodeDecodeError, RecursionError):
        return []
    found: dict[str, int] = {}
    for words, path in DETAILS:
        value: Any = usage
        for key in path:
            value = value.get(key) if isinstance(value, dict) else None
        is_count = isinstance(value, int) and not isinstance(value, bool)
        # Audio counts of zero are noise on a text log; cache and reasoning counts of
        # zero are worth seeing (the cache was not hit). DeepSeek names one count twice.
        if is_count and (value or not words.startswith("audio")):
            found.setdefault(words, value)
    return list(found.items())
