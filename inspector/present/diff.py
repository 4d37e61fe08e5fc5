"""What differs between two logs: config, inputs, each message, tool calls, output, usage, payloads.

Works on the logs as stored (decoded JSON, unknown fields kept), so it sees every field
whatever its shape. Free of Textual: `inspector diff` and the TUI's diff screen share it.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import msgspec

from inspector.present.jsondiff import Change, Kind, Op, json_changes, plain, text_diff

#: Top-level fields shown with the config (which version of what ran where).
_CONFIG_FIELDS: Final = ("config_id", "environment", "project_id", "source")
_INPUT_FIELDS: Final = ("inputs", "metadata", "tool_choice")
_USAGE_FIELDS: Final = (
    "observability_status",
    "error",
    "finish_reason",
    "prompt_tokens",
    "output_tokens",
    "tokens",
    "prompt_cost",
    "output_cost",
    "provider_latency",
    "duration",
)
#: Sections in the order they are shown: (key in `LogDiff.sections`, title).
SECTIONS: Final = (
    ("config", "config"),
    ("inputs", "inputs"),
    ("usage", "tokens, cost, latency"),
    ("request", "provider request"),
    ("response", "provider response"),
)


@dataclass(frozen=True, slots=True)
class MessageDiff:
    """One message added, removed or changed (or the output), with its text diff."""

    kind: Kind
    #: Its index in the first and in the second log (None where it is absent).
    old_index: int | None
    new_index: int | None
    role: str
    #: The text, word by word: kept, removed, added.
    text: list[tuple[Op, str]]
    #: Tool calls and other fields of the message that differ.
    fields: list[Change] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """The message's changes as plain JSON."""
        return {
            "kind": self.kind,
            "old_index": self.old_index,
            "new_index": self.new_index,
            "role": self.role,
            "text": [[op, text] for op, text in self.text],
            "fields": [change.as_json() for change in self.fields],
        }


@dataclass(frozen=True, slots=True)
class LogDiff:
    """Everything that differs between two logs, by section."""

    old_name: str
    new_name: str
    sections: dict[str, list[Change]]
    messages: list[MessageDiff]
    output: MessageDiff | None

    @property
    def differs(self) -> bool:
        """True when anything at all differs."""
        return bool(self.messages or self.output or any(self.sections.values()))

    def as_json(self) -> dict[str, Any]:
        """The whole diff as one JSON object (`inspector diff --format json`)."""
        return {
            "old": self.old_name,
            "new": self.new_name,
            "differs": self.differs,
            **{key: [c.as_json() for c in self.sections[key]] for key, _ in SECTIONS},
            "messages": [message.as_json() for message in self.messages],
            "output": None if self.output is None else self.output.as_json(),
        }


def content_text(content: Any) -> str:
    """A message's content as text: parts joined, images as `[image: url]` markers."""
    if content is None:
        return ""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        pieces = []
        for part in content:
            if isinstance(part, dict) and isinstance(part.get("text"), str):
                pieces.append(part["text"])
            elif isinstance(part, dict) and isinstance(part.get("image_url"), dict):
                pieces.append(f"[image: {part['image_url'].get('url', '')}]")
            else:
                pieces.append(msgspec.json.encode(part).decode())
        return "\n".join(pieces)
    return msgspec.json.encode(content).decode()


def _arguments(text: Any) -> Any:
    if not isinstance(text, str):
        return None
    try:
        return msgspec.json.decode(text)
    except msgspec.DecodeError:
        return None


def tool_call_changes(old: Any, new: Any, prefix: Sequence[str | int]) -> list[Change]:
    """The tool calls that differ, arguments compared as JSON where both parse."""
    old_calls = old if isinstance(old, list) else []
    new_calls = new if isinstance(new, list) else []
    found: list[Change] = []
    for index in range(max(len(old_calls), len(new_calls))):
        path = [*prefix, "tool_calls", index]
        if index >= len(new_calls) or index >= len(old_calls):
            found.extend(
                json_changes(old_calls[index : index + 1], new_calls[index : index + 1], path[:-1])
            )
            continue
        a, b = old_calls[index], new_calls[index]
        if not (isinstance(a, dict) and isinstance(b, dict)):
            found.extend(json_changes(a, b, path))
            continue
        a_fn, b_fn = a.get("function") or {}, b.get("function") or {}
        a_args, b_args = _arguments(a_fn.get("arguments")), _arguments(b_fn.get("arguments"))
        if a_args is not None and b_args is not None:
            # Compare parsed arguments: key order and spacing are not differences.
            bare_a = {**a, "function": {**a_fn, "arguments": None}}
            bare_b = {**b, "function": {**b_fn, "arguments": None}}
            found.extend(json_changes(bare_a, bare_b, path))
            found.extend(
                json_changes(a_args, b_args, [*path, "function", "arguments"], suffix=" | fromjson")
            )
        else:
            found.extend(json_changes(a, b, path))
    return found


def _message_diff(
    old: dict[str, Any] | None, new: dict[str, Any] | None, i: int | None, j: int | None
) -> MessageDiff:
    a, b = old or {}, new or {}
    role = str(b.get("role") or a.get("role") or "?")
    old_text, new_text = content_text(a.get("content")), content_text(b.get("content"))
    if new is None:
        calls = json_changes(a.get("tool_calls"), None, ["messages", i or 0, "tool_calls"])
        return MessageDiff("removed", i, None, role, [("-", old_text)] if old_text else [], calls)
    if old is None:
        calls = json_changes(None, b.get("tool_calls"), ["messages", j or 0, "tool_calls"])
        return MessageDiff("added", None, j, role, [("+", new_text)] if new_text else [], calls)
    prefix: list[str | int] = ["messages", j if j is not None else 0]
    rest_a = {k: v for k, v in a.items() if k not in ("content", "tool_calls")}
    rest_b = {k: v for k, v in b.items() if k not in ("content", "tool_calls")}
    fields = json_changes(rest_a, rest_b, prefix)
    fields += tool_call_changes(a.get("tool_calls"), b.get("tool_calls"), prefix)
    return MessageDiff("changed", i, j, role, text_diff(old_text, new_text), fields)


def _as_dict(message: Any) -> dict[str, Any]:
    value = plain(message)
    return value if isinstance(value, dict) else {"content": value}


def message_diffs(old: list[Any], new: list[Any]) -> list[MessageDiff]:
    """Messages aligned like lines in a text diff; a replaced run pairs up as changes.

    Messages may be `msgspec.Raw` (as `decode_top` leaves them): their bytes are the keys
    compared, and only the messages that differ are decoded.
    """
    old_keys = [_key(m) for m in old]
    new_keys = [_key(m) for m in new]
    found: list[MessageDiff] = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        pairs = min(i2 - i1, j2 - j1) if tag == "replace" else 0
        for k in range(pairs):
            before, after = _as_dict(old[i1 + k]), _as_dict(new[j1 + k])
            # Raw messages that differ only in spacing or key order are the same message.
            if before != after:
                found.append(_message_diff(before, after, i1 + k, j1 + k))
        for i in range(i1 + pairs, i2):
            found.append(_message_diff(_as_dict(old[i]), None, i, None))
        for j in range(j1 + pairs, j2):
            found.append(_message_diff(None, _as_dict(new[j]), None, j))
    return found


def _key(message: Any) -> bytes:
    if isinstance(message, msgspec.Raw):
        return bytes(memoryview(message))
    return msgspec.json.encode(message)


_TOP: Final = msgspec.json.Decoder(dict[str, msgspec.Raw])
#: Fields small enough to decode whole up front.
_SMALL: Final = ("output", "output_message", *_INPUT_FIELDS, *_USAGE_FIELDS, *_CONFIG_FIELDS)


def decode_top(raw: bytes) -> dict[str, Any]:
    """A stored log decoded for `diff_logs`: small fields whole, big ones left raw.

    Messages stay a list of raw messages, the config and payloads raw: equal parts are
    then skipped by comparing bytes, which keeps a diff of two 10 MB logs well within
    a second.
    """
    top = _TOP.decode(raw)
    decoded: dict[str, Any] = dict(top)
    for name in _SMALL:
        if name in top:
            decoded[name] = msgspec.json.decode(memoryview(top[name]))
    if isinstance(top.get("messages"), msgspec.Raw):
        messages = plain_list(top["messages"])
        decoded["messages"] = messages
    return decoded


def plain_list(raw: msgspec.Raw) -> list[Any] | None:
    """A raw JSON array as a list of raw items; None when it is not an array."""
    try:
        return msgspec.json.decode(memoryview(raw), type=list[msgspec.Raw])
    except msgspec.ValidationError:
        return None


def _output_diff(old: dict[str, Any], new: dict[str, Any]) -> MessageDiff | None:
    a_message = old.get("output_message") if isinstance(old.get("output_message"), dict) else {}
    b_message = new.get("output_message") if isinstance(new.get("output_message"), dict) else {}
    a_text = old.get("output") if isinstance(old.get("output"), str) else None
    b_text = new.get("output") if isinstance(new.get("output"), str) else None
    a_text = a_text if a_text is not None else content_text((a_message or {}).get("content"))
    b_text = b_text if b_text is not None else content_text((b_message or {}).get("content"))
    calls = tool_call_changes(
        (a_message or {}).get("tool_calls"), (b_message or {}).get("tool_calls"), ["output_message"]
    )
    if a_text == b_text and not calls:
        return None
    return MessageDiff("changed", None, None, "output", text_diff(a_text, b_text), calls)


def _fields(old: dict[str, Any], new: dict[str, Any], names: Sequence[str]) -> list[Change]:
    found: list[Change] = []
    for name in names:
        found.extend(json_changes(old.get(name), new.get(name), [name]))
    return found


def diff_logs(old: dict[str, Any], new: dict[str, Any], old_name: str, new_name: str) -> LogDiff:
    """What differs between two logs (decoded JSON objects, as stored)."""
    old_messages = old.get("messages") if isinstance(old.get("messages"), list) else []
    new_messages = new.get("messages") if isinstance(new.get("messages"), list) else []
    sections = {
        "config": json_changes(old.get("config"), new.get("config"), ["config"])
        + _fields(old, new, _CONFIG_FIELDS),
        "inputs": _fields(old, new, _INPUT_FIELDS),
        "usage": _fields(old, new, _USAGE_FIELDS),
        "request": _fields(old, new, ["provider_request"]),
        "response": _fields(old, new, ["provider_response"]),
    }
    return LogDiff(
        old_name=old_name,
        new_name=new_name,
        sections=sections,
        messages=message_diffs(old_messages or [], new_messages or []),
        output=_output_diff(old, new),
    )
