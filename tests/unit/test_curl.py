"""Provider requests as curl commands: URL and headers per provider, quoting, no stored key."""

from __future__ import annotations

import copy
import json
import shlex
from pathlib import Path
from typing import Any

import pytest

from inspector.present.curl import CurlUnavailable, curl_command

SAMPLES = Path(__file__).parents[2] / "inspector" / "samples"


def sample(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SAMPLES / f"{name}.json").read_text())
    return data


def words_of(command: str) -> list[str]:
    """The command as the shell would split it (with $VARS left in place)."""
    return shlex.split(command.replace("\\\n", " "))


def body_of(command: str) -> Any:
    words = words_of(command)
    return json.loads(words[words.index("--data-raw") + 1])


@pytest.mark.parametrize(
    ("name", "url", "header"),
    [
        ("ticket-triage-structured", "https://api.openai.com/v1/chat/completions",
         "Authorization: Bearer $OPENAI_API_KEY"),
        ("weather-forced-tool", "https://api.anthropic.com/v1/messages",
         "x-api-key: $ANTHROPIC_API_KEY"),
        ("code-review-deepseek-drift", "https://api.deepseek.com/chat/completions",
         "Authorization: Bearer $DEEPSEEK_API_KEY"),
        ("refund-agent", "https://api.openai.com/v1/chat/completions",
         "Authorization: Bearer $OPENAI_API_KEY"),
    ],
)  # fmt: skip
def test_each_provider_gets_its_url_header_and_the_exact_body(
    name: str, url: str, header: str
) -> None:
    log = sample(name)
    command = curl_command(log)
    words = words_of(command)
    assert words[:2] == ["curl", url]
    assert header in words and "Content-Type: application/json" in words
    assert body_of(command) == log["provider_request"]
    if "anthropic" in url:
        assert "anthropic-version: 2023-06-01" in words


def test_the_key_in_a_stored_request_is_never_replayed() -> None:
    log = sample("ticket-triage-structured")
    log["provider_request"]["api_key"] = "sk-live-SECRET"
    command = curl_command(log)
    assert "SECRET" not in command and "$OPENAI_API_KEY" in command


def test_hostile_text_is_quoted_and_escaped() -> None:
    log = sample("ticket-triage-structured")
    evil = "'; rm -rf ~; echo '$(whoami)` \u009b\u202e"
    log["provider_request"]["messages"][0]["content"] = evil
    command = curl_command(log)
    assert "\u009b" not in command and "\u202e" not in command
    assert body_of(command)["messages"][0]["content"] == evil
    # One argument after --data-raw: nothing escaped the quotes.
    words = words_of(command)
    assert words[-2] == "--data-raw" and len(words) == words.index("--data-raw") + 2


def test_streaming_requests_do_not_buffer() -> None:
    log = sample("code-review-deepseek-drift")
    log["provider_request"]["stream"] = True
    assert "--no-buffer" in words_of(curl_command(log))


def test_azure_uses_placeholders_for_what_the_log_lacks() -> None:
    log = sample("ticket-triage-structured")
    log["config"]["provider"] = "openai_azure"
    command = curl_command(log)
    assert '"$AZURE_OPENAI_ENDPOINT"' in command and "$AZURE_OPENAI_API_KEY" in command
    assert "/openai/deployments/gpt-4o-2024-08-06/chat/completions" in command


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (lambda log: log.pop("provider_request"), "holds no provider_request"),
        (lambda log: log["config"].update(provider="bedrock"), "SigV4"),
        (lambda log: log["config"].update(provider="replicate"), "not known"),
        (lambda log: log["config"].update(type="tool", provider=None), "names no provider"),
    ],
)
def test_says_clearly_when_it_cannot(change: Any, reason: str) -> None:
    log = copy.deepcopy(sample("ticket-triage-structured"))
    change(log)
    with pytest.raises(CurlUnavailable, match=reason):
        curl_command(log)
