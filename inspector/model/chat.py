"""Messages of a log: content parts, tool calls and `tool_choice`, and who made a config.

Part of the model of a Humanloop v4 log (see `inspector.model.log`).
"""

from __future__ import annotations

from typing import Any

from msgspec import Struct


class UserResponse(Struct, kw_only=True):
    """A Humanloop user, e.g. the creator of a config."""

    id: str
    email_address: str
    verified: bool
    full_name: str | None = None


class ResponseFormat(Struct, kw_only=True):
    """The structured-output setting of a model config."""

    type: str
    json_schema: dict[str, Any] | None = None


class ImageUrl(Struct, kw_only=True):
    """The image of an `image_url` content part: a URL or a base64 `data:` URL."""

    url: str
    detail: str | None = None


class ContentPart(Struct, kw_only=True):
    """One part of a multi-part message: `text`, `image_url`, or a type the spec lacks.

    The spec's `TextChatContent` and `ImageChatContent` are one Struct here so that a
    part of an unknown type (audio, file, …) is kept with its type name instead of
    making the whole log unreadable. The required field of each known type is checked.
    """

    type: str
    text: str | None = None
    image_url: ImageUrl | None = None

    def __post_init__(self) -> None:
        if self.type == "text" and self.text is None:
            raise ValueError("Object missing required field `text`")
        if self.type == "image_url" and self.image_url is None:
            raise ValueError("Object missing required field `image_url`")


class FunctionTool(Struct, kw_only=True):
    """A function called by the model; `arguments` is a JSON-encoded string."""

    name: str
    arguments: str | None = None


class ToolCall(Struct, kw_only=True):
    """A tool call requested by the assistant."""

    id: str
    type: str
    function: FunctionTool


class ThinkingPart(Struct, kw_only=True):
    """A reasoning block (`thinking` or `redacted_thinking`), a late-v4 extra."""

    type: str
    thinking: str | None = None
    signature: str | None = None
    data: str | None = None


class ChatMessage(Struct, kw_only=True):
    """`ChatMessageWithToolCall`: a message sent to or returned by the provider."""

    role: str
    content: str | list[ContentPart] | None = None
    name: str | None = None
    tool_call_id: str | None = None
    tool_calls: list[ToolCall] | None = None
    tool_call: FunctionTool | None = None
    thinking: list[ThinkingPart] | None = None


class FunctionToolChoice(Struct, kw_only=True):
    """The function named by a forced `tool_choice`."""

    name: str


class ToolChoice(Struct, kw_only=True):
    """The object form of `tool_choice`: force the model to call one function."""

    type: str
    function: FunctionToolChoice
