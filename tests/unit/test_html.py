"""The HTML page of a log: what it says, and that no string from the log becomes markup."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.model.decode import LogDocument, decode_log
from inspector.present.html import many_page, one_page
from inspector.present.html_build import TREE_NODE_LIMIT, json_tree, tag, text
from inspector.present.html_page import CSP, IndexRow
from inspector.sanitize import sanitize
from tests.support import factory
from tests.support.hostile_html import ALL, HTML_ATTACKS, html_hostile_log

SAMPLES = sorted((Path(__file__).parents[2] / "inspector" / "samples").glob("*.json"))
#: Every element the renderer itself writes; anything else came from a log.
OWN_TAGS = {
    "html", "head", "meta", "title", "style", "body", "section", "nav", "h1", "h2", "h3",
    "table", "thead", "tbody", "tr", "th", "td", "pre", "p", "code", "span", "div", "strong",
    "article", "header", "details", "summary", "a", "footer",
}  # fmt: skip
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Page(HTMLParser):
    """What a browser's parser makes of a page: its elements, attributes and text."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.chunks: list[str] = []
        self.comments: list[str] = []
        self.feed(source)
        self.close()
        self.text = "".join(self.chunks)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data: str) -> None:
        self.chunks.append(data)

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)


def doc_of(log: dict[str, object]) -> LogDocument:
    return decode_log(json.dumps(log).encode(), "test.json")


def test_the_page_of_a_log_with_tools_says_what_the_tui_says() -> None:
    page = Page(one_page(doc_of(factory.rich_log())))
    for expected in [
        "Log data_",
        "gpt-4o (openai, chat)",
        "tool_choice: auto: the model decides whether to call a tool",
        "→ get_weather",
        '"city": "Paris"',
        '"temp_c": 18',
        "⚠ arguments are not valid JSON; shown as received",
        "error: bad arguments",
        "answers call_orphan: no matching call earlier in the log",
        "[image image/png ~3.0 KB]",
        "city: string (required) — City name",
        "Tool results used in the prompt (1)",
        "clock() -> str",
        "Evaluations (",
        "Feedback (",
        "provider_request",
        ".choices[0]",
    ]:
        assert expected in page.text, expected
    assert "A" * 100 not in page.text, "an image's base64 never reaches the page"


def test_a_tool_result_sits_inside_the_call_it_answers() -> None:
    source = one_page(doc_of(factory.rich_log()))
    call = source.index("get_weather</span>")
    assert call < source.index("temp_c") < source.index("get_weather</span>", call + 1)


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_every_sample_renders_with_only_the_renderers_own_elements(path: Path) -> None:
    doc = decode_log(path.read_bytes(), str(path))
    page = Page(one_page(doc))
    assert set(page.tags) <= OWN_TAGS
    assert doc.log.id in page.text
    assert page.tags.count("style") == 1


def test_the_policy_forbids_everything_but_the_inline_stylesheet() -> None:
    source = one_page(doc_of(factory.rich_log()))
    head = source[: source.index("<style>")]
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in head
    assert "default-src 'none'" in CSP
    assert "script-src" not in CSP
    assert "<script" not in source


def test_hostile_strings_stay_text_in_every_field() -> None:
    source = one_page(doc_of(html_hostile_log()))
    page = Page(source)
    assert set(page.tags) <= OWN_TAGS
    assert page.tags.count("style") == 1
    assert page.comments == []
    for name, value in page.attrs:
        assert not name.startswith("on"), name
        if name == "href":
            assert value is not None and value.startswith("#log")
        assert name not in ("src", "srcdoc", "action", "formaction", "style")
    for attack in HTML_ATTACKS:
        assert sanitize(attack) in page.text, attack
    assert "<script" not in source.lower()
    assert sanitize(ALL).count("PWNED-script") <= page.text.count("PWNED-script")


def test_control_bytes_show_as_escapes_and_never_reach_the_page() -> None:
    source = one_page(doc_of(html_hostile_log()))
    assert CONTROL.search(source.replace("\n", "").replace("\t", "")) is None
    assert "esc\\x1b[2J and bidi \\u202egnp.exe\\u202c" in Page(source).text


def test_builder_escapes_attributes_and_children() -> None:
    built = tag("div", '<b x="1">', title='" onmouseover="x()', class_="c")
    assert built == ('<div title="&quot; onmouseover=&quot;x()" class="c">&lt;b x="1"&gt;</div>')
    assert text("a\x1bb") == "a\\x1bb"


def test_a_payload_tree_names_each_node_by_its_jq_path() -> None:
    tree = Page(json_tree(b'{"choices": [{"message": {"content type": "hi"}}]}'))
    assert tree.tags.count("details") == 4  # ., .choices, [0], .message
    titles = [value for name, value in tree.attrs if name == "title"]
    assert '.choices[0].message["content type"]' in titles
    assert ".choices[0]" in tree.text


def test_a_payload_that_is_not_json_or_is_huge_is_shown_as_text() -> None:
    assert "Not valid JSON" in Page(json_tree(b"{oops <script>")).text
    huge = json.dumps(list(range(TREE_NODE_LIMIT + 10))).encode()
    page = Page(json_tree(huge))
    assert "details" not in page.tags
    assert "shown as text" in page.text


def test_deep_nesting_is_cut_short_without_recursion() -> None:
    deep = b"[" * 200 + b"]" * 200
    page = Page(json_tree(deep))
    assert 0 < page.tags.count("details") <= 64


def test_a_page_of_many_links_each_log_from_the_index() -> None:
    docs = [doc_of(factory.minimal_log(id=f"data_{n}")) for n in range(3)]
    rows = [
        IndexRow(f"log-{n}", d.log.id, "", "generic", "completed", "") for n, d in enumerate(docs)
    ]
    rows.append(IndexRow(None, "(line 4)", "", "", "INVALID", "<b>not a log</b>"))
    page = Page(
        "".join(
            many_page(
                "export.jsonl",
                rows,
                [(r.anchor or "", d) for r, d in zip(rows, docs, strict=False)],
            )
        )
    )
    hrefs = [value for name, value in page.attrs if name == "href"]
    ids = [value for name, value in page.attrs if name == "id"]
    assert hrefs == ["#log-0", "#log-1", "#log-2"]
    assert ids == ["log-0", "log-1", "log-2"]
    assert "<b>not a log</b>" in page.text


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=80))
def test_any_message_text_leaves_the_page_structure_alone(content: str) -> None:
    baseline = Page(
        one_page(doc_of(factory.minimal_log(messages=[{"role": "user", "content": "x"}])))
    )
    page = Page(
        one_page(doc_of(factory.minimal_log(messages=[{"role": "user", "content": content}])))
    )
    assert page.tags == baseline.tags
    assert page.comments == []
    # The parser folds CRLF; the page holds the sanitised text verbatim.
    assert sanitize(content).replace("\r", "\n").strip() in page.text


def test_a_call_to_a_tool_that_was_not_offered_is_flagged() -> None:
    log = factory.rich_log()
    log["messages"][2]["tool_calls"][1]["function"]["name"] = "delete_everything"
    text = Page(one_page(doc_of(log))).text
    assert text.count("⚠ not among the offered tools") == 1
    assert text.index("delete_everything") < text.index("⚠ not among the offered tools")
