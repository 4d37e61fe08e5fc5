"""The HTML page of a log in a real Chromium: hostile logs run nothing and load nothing."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from inspector.model.decode import decode_log
from inspector.present.html import one_page
from inspector.sanitize import sanitize
from tests.support import factory
from tests.support.browser import browser_context, dump_dom
from tests.support.hostile_html import HTML_ATTACKS, html_hostile_log

SAMPLES = Path(__file__).parents[2] / "inspector" / "samples"
OPEN_ALL = "document.querySelectorAll('details').forEach(d => { d.open = true; })"


@pytest.fixture(scope="module")
def context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    with browser_context(tmp_path_factory.mktemp("profile")) as context:
        yield context


class Visit:
    """A page opened from a file, with every request, console line and dialog it caused."""

    def __init__(self, context: Any, path: Path) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.reached_network: list[str] = []
        self.console: list[str] = []
        self.dialogs: list[str] = []
        self.page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: self.console.append(message.text))
        self.page.on(
            "dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss())
        )
        # Anything that gets past the page's policy reaches this route; it is recorded, and
        # only the page's own file is let through.
        self.page.route("**/*", self._route)
        self.page.goto(self.url)

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            self.reached_network.append(route.request.url)
            route.abort()


def write_page(tmp_path: Path, log: dict[str, Any] | bytes, name: str = "log.html") -> Path:
    raw = log if isinstance(log, bytes) else json.dumps(log).encode()
    path = tmp_path / name
    path.write_text(one_page(decode_log(raw, "test.json")), encoding="utf-8")
    return path


HOSTILE = {
    "html": json.dumps(html_hostile_log()).encode(),
    "terminal": (factory.FIXTURES / "hostile.json").read_bytes(),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_log_runs_no_script_and_makes_no_request(
    context: Any, tmp_path: Path, name: str
) -> None:
    raw = HOSTILE[name]
    visit = Visit(context, write_page(tmp_path, raw))
    page = visit.page
    assert "PWNED" not in page.title()
    assert page.title() == sanitize(f"Log {json.loads(raw)['id']}")
    assert visit.requests == [visit.url]
    assert visit.reached_network == []
    assert visit.dialogs == []
    # Not even a blocked attempt: the policy had nothing to refuse.
    assert [line for line in visit.console if "Content Security Policy" in line] == []
    assert page.locator("script, img, iframe, svg, link, base, a[href^='javascript']").count() == 0


def test_every_hostile_string_is_visible_text(context: Any, tmp_path: Path) -> None:
    page = Visit(context, write_page(tmp_path, html_hostile_log())).page
    page.evaluate(OPEN_ALL)
    shown = page.inner_text("body")
    for attack in HTML_ATTACKS:
        assert sanitize(attack) in shown, attack
    assert "PWNED" not in page.title()


@pytest.mark.parametrize("sample", sorted(SAMPLES.glob("*.json")), ids=lambda p: p.stem)
def test_every_sample_reads_in_the_browser_and_loads_nothing(
    context: Any, tmp_path: Path, sample: Path
) -> None:
    raw = sample.read_bytes()
    visit = Visit(context, write_page(tmp_path, raw))
    text = visit.page.inner_text("body")
    log = json.loads(raw)
    assert f"Log {log['id']}" in text
    for message in log.get("messages") or []:
        # A tool's answer is shown under the call it answers.
        shown = "← result" if message["role"] == "tool" else message["role"].upper()
        assert shown in text
    assert visit.requests == [visit.url]
    assert visit.console == []


def test_the_policy_stops_markup_that_escaped_escaping(context: Any, tmp_path: Path) -> None:
    # Defence in depth: if a string ever got past the escaping, the page's policy would
    # still refuse to run it or to fetch anything.
    path = write_page(tmp_path, factory.rich_log())
    injected = '<script>document.title="PWNED"</script><img src="https://evil.example/x.png">'
    path.write_text(path.read_text().replace("</body>", f"{injected}</body>"))
    visit = Visit(context, path)
    assert "PWNED" not in visit.page.title()
    assert visit.reached_network == []


def test_chromiums_own_dom_dump_of_a_hostile_page_holds_no_markup_from_the_log(
    tmp_path: Path,
) -> None:
    path = write_page(tmp_path, html_hostile_log())
    dom = dump_dom(path.as_uri(), tmp_path / "profile")
    head = dom[: dom.index("</head>")]
    assert "PWNED" not in head
    for element in ("<script", "<img", "<iframe", "<svg", "<link", "<base"):
        assert element not in dom
    assert "&lt;script&gt;document.title='PWNED-script'&lt;/script&gt;" in dom


def test_a_sample_reads_top_to_bottom_light_dark_and_printed(context: Any, tmp_path: Path) -> None:
    sample = SAMPLES / "weather-parallel-tools.json"
    page = Visit(context, write_page(tmp_path, sample.read_bytes())).page
    text = page.inner_text("body")
    for marker in ["Conversation (8)", "get_current_weather", "← result", "tool_choice"]:
        assert marker in text
    assert text.index("Berlin, DE") < text.index("Lisbon, PT") < text.index("Evaluations")
    light = page.evaluate("getComputedStyle(document.body).backgroundColor")
    page.emulate_media(color_scheme="dark")
    dark = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert light != dark
    # On paper, folded payloads print unfolded.
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = false; })")
    tree = "document.querySelector('.json-tree').getBoundingClientRect().height"
    folded = page.evaluate(tree)
    page.emulate_media(media="print")
    assert page.evaluate(tree) > folded * 10
    shot = page.screenshot(full_page=True)
    assert shot.startswith(b"\x89PNG") and len(shot) > 20_000
