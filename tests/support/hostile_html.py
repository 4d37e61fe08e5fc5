"""A log that tries to break out of an HTML page from every field the page shows.

Each payload, were it parsed as HTML, would change `document.title` to a `PWNED-…` word,
load something from `evil.example`, or close the element it sits in; the unit tests check
the markup the renderer writes, the browser tests check what Chromium does with it.
"""

from __future__ import annotations

import json
from typing import Any

from tests.support import factory

#: HTML and URL tricks, each a marker a reader must see on the page as typed.
HTML_ATTACKS = [
    "<script>document.title='PWNED-script'</script>",
    "<img src=x onerror=\"document.title='PWNED-img'\">",
    "<a href=\"javascript:document.title='PWNED-js'\">click me</a>",
    "javascript:document.title='PWNED-bare'",
    "</details><script>document.title='PWNED-details'</script>",
    "</style><script>document.title='PWNED-style'</script>",
    "</pre></code></title></textarea><svg onload=\"document.title='PWNED-svg'\">",
    '"><iframe src="https://evil.example/frame"></iframe>',
    '\'><link rel=stylesheet href="https://evil.example/x.css">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/refresh">',
    '<base href="https://evil.example/">',
    "<style>body{background:url(https://evil.example/bg.png)}</style>",
    "&lt;script&gt; stays &amp;lt; as typed",
    "<!-- an unclosed comment",
    "esc\x1b[2J and bidi \u202egnp.exe\u202c",
]

#: Everything at once: what each text field of the hostile log holds.
ALL = " | ".join(HTML_ATTACKS)


def html_hostile_log() -> dict[str, Any]:
    """The rich test log with `ALL` in every string the HTML page shows."""
    log = factory.rich_log()
    log["id"] = "data_<b>x</b>\x1b]0;t\x07"
    for key in ("error", "output", "user", "project", "environment", "session_id"):
        log[key] = ALL
    messages = log["messages"]
    messages[0]["content"] = ALL
    messages[1]["name"] = ALL
    messages[1]["content"][0]["text"] = ALL
    messages[1]["content"].append(
        {"type": "image_url", "image_url": {"url": "https://evil.example/track.png"}}
    )
    messages[1]["content"].append({"type": "image_url", "image_url": {"url": "javascript:x()"}})
    messages[2]["tool_calls"][0]["id"] = ALL
    messages[2]["tool_calls"][0]["function"]["name"] = ALL
    messages[2]["tool_calls"][0]["function"]["arguments"] = json.dumps({ALL: ALL})
    messages[2]["tool_calls"][1]["function"]["arguments"] = ALL
    messages[3]["tool_call_id"] = ALL
    messages[3]["content"] = ALL
    messages[5]["tool_call_id"] = ALL
    log["config"]["name"] = ALL
    log["config"]["tools"][0]["name"] = ALL
    log["config"]["tools"][0]["description"] = ALL
    log["config"]["tools"][0]["parameters"]["properties"] = {ALL: {"type": ALL}}
    log["inputs"] = {ALL: ALL}
    log["metadata"] = {"nested": {ALL: [ALL]}}
    log["feedback"][0]["value"] = ALL
    log["feedback"][1]["type"] = ALL
    log["feedback"][1]["user"] = ALL
    log["evaluation_results"][3]["error"] = ALL
    log["provider_request"] = {ALL: ALL, "messages": [{"content": ALL}]}
    log["provider_response"] = {"choices": [{ALL: ALL}], "usage": {}}
    return log
