"""A log's provider request as a curl command, to replay it against the provider's own API.

The key is always an environment variable placeholder (`$OPENAI_API_KEY`) in double
quotes, so the shell expands it; nothing from the log is ever used as a key, and every
part taken from the log is quoted with `shlex.quote`. When the log does not hold what
a replay needs, `CurlUnavailable` says why in one line.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import quote

import msgspec

from inspector.errors import InspectorError

#: Keys that might carry a credential inside a stored request body; never replayed.
_SECRET_KEYS: Final = frozenset({"api_key", "apikey", "authorization", "x-api-key"})
_UNSAFE_IN_JSON: Final = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class CurlUnavailable(InspectorError):
    """The log holds no request that can be replayed with curl; the message says why."""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where a provider takes a request: URL (shell text), headers (shell text)."""

    url: str
    headers: tuple[str, ...]


def _bearer(variable: str) -> tuple[str, ...]:
    return (f'"Authorization: Bearer ${variable}"',)


def _openai_like(base: str, variable: str, endpoint: str) -> Endpoint:
    path = "completions" if endpoint == "complete" else "chat/completions"
    return Endpoint(shlex.quote(f"{base}/{path}"), _bearer(variable))


def _endpoint(provider: str, endpoint: str, body: dict[str, Any]) -> Endpoint:
    """The URL and headers for a provider, or `CurlUnavailable`."""
    model = body.get("model") if isinstance(body.get("model"), str) else ""
    if provider == "openai":
        return _openai_like("https://api.openai.com/v1", "OPENAI_API_KEY", endpoint)
    if provider == "deepseek":
        return _openai_like("https://api.deepseek.com", "DEEPSEEK_API_KEY", endpoint)
    if provider == "groq":
        return _openai_like("https://api.groq.com/openai/v1", "GROQ_API_KEY", endpoint)
    if provider == "anthropic":
        return Endpoint(
            shlex.quote("https://api.anthropic.com/v1/messages"),
            ('"x-api-key: $ANTHROPIC_API_KEY"', shlex.quote("anthropic-version: 2023-06-01")),
        )
    if provider == "openai_azure":
        # The resource's host and the API version are not in the log: placeholders.
        deployment = quote(model or "DEPLOYMENT", safe="")
        path = "completions" if endpoint == "complete" else "chat/completions"
        rest = f"/openai/deployments/{deployment}/{path}?api-version="
        return Endpoint(
            f'"$AZURE_OPENAI_ENDPOINT"{shlex.quote(rest)}"$AZURE_OPENAI_API_VERSION"',
            ('"api-key: $AZURE_OPENAI_API_KEY"',),
        )
    if provider == "cohere":
        return Endpoint(shlex.quote("https://api.cohere.com/v1/chat"), _bearer("COHERE_API_KEY"))
    if provider == "google" and "contents" in body and model:
        url = (
            "https://generativelanguage.googleapis.com/v1beta/models/"
            f"{quote(model, safe='')}:generateContent"
        )
        return Endpoint(shlex.quote(url), ('"x-goog-api-key: $GEMINI_API_KEY"',))
    reasons = {
        "bedrock": "Bedrock requests are signed with AWS SigV4, which needs the region and "
        "model ARN the log does not hold",
        "mock": "the mock provider has no API",
        "google": "the request is not in Gemini's generateContent shape",
    }
    raise CurlUnavailable(
        f"cannot make a curl command for provider {provider!r}: "
        + reasons.get(provider, "its API is not known to inspector")
    )


def provider_of(log: dict[str, Any]) -> tuple[str | None, str]:
    """The provider and endpoint of a log's model config (`chat` when not given)."""
    for holder in (log.get("config"), log.get("prompt"), log.get("agent")):
        if not isinstance(holder, dict):
            continue
        for config in (holder, holder.get("model_config")):
            if isinstance(config, dict) and isinstance(config.get("provider"), str):
                endpoint = config.get("endpoint")
                return config["provider"], endpoint if isinstance(endpoint, str) else "chat"
    return None, "chat"


def curl_command(log: dict[str, Any]) -> str:
    """The curl command that sends the log's provider request again (multi-line, `\\`).

    Raises `CurlUnavailable` when the log holds no request, names no provider, or the
    provider cannot be called with a plain curl.
    """
    body = log.get("provider_request")
    if not isinstance(body, dict) or not body:
        raise CurlUnavailable("cannot make a curl command: the log holds no provider_request")
    provider, endpoint = provider_of(log)
    if provider is None:
        raise CurlUnavailable(
            "cannot make a curl command: the log's config names no provider"
            " (only model and agent configs do)"
        )
    target = _endpoint(provider, endpoint, body)
    clean = {key: value for key, value in body.items() if key.lower() not in _SECRET_KEYS}
    text = msgspec.json.encode(clean).decode()
    # Same JSON, but no raw C1 controls or bidi marks for the terminal it is printed on.
    text = _UNSAFE_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)
    lines = [f"curl {target.url}"]
    if clean.get("stream") is True:
        lines.append("--no-buffer")
    lines += [f"-H {header}" for header in target.headers]
    lines += [shlex.quote("-H") + " " + shlex.quote("Content-Type: application/json")]
    lines.append(f"--data-raw {shlex.quote(text)}")
    return " \\\n  ".join(lines) + "\n"
