"""Safe HTML from untrusted text: one escaping rule, a tag builder, and JSON as a folding tree.

Every string that is not already `Html` is sanitised (control bytes and bidi marks become
visible escapes, as on the terminal) and then HTML-escaped, quotes included. Tag and
attribute names come only from this program, never from a log.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, Final

import msgspec

from inspector.bigtext.jsontext import PathKey, jq_path
from inspector.present.words import image_marker
from inspector.sanitize import sanitize

#: Above this many nodes a payload is shown as pretty text instead of a tree of `<details>`.
TREE_NODE_LIMIT: Final = 20_000
#: Levels of a tree open when the page loads (the rest unfold with a click).
OPEN_DEPTH: Final = 2
#: A `data:` URL longer than this is shown as a marker (`[image image/png ~290 KB]`).
DATA_URL_LIMIT: Final = 200
#: Deeper than this, a value is shown as compact JSON text (no recursion on hostile nesting).
MAX_DEPTH: Final = 64


class Note(str):
    """A value a JSON tree shows as a remark, not as JSON (a part shown elsewhere)."""

    __slots__ = ()


class Html(str):
    """Text that is already HTML; any other `str` handed to the builder gets escaped."""

    __slots__ = ()


def text(value: object, *, quote: bool = False) -> Html:
    """Untrusted text as HTML: sanitised, then escaped (`<`, `>`, `&`; quotes when `quote`).

    Quotes only matter inside an attribute value; leaving them alone in text keeps pages
    of JSON a third smaller.
    """
    return Html(html.escape(sanitize(str(value)), quote=quote))


def join(parts: Iterable[str | None]) -> Html:
    """Concatenate, escaping every part that is not already `Html`; None is skipped."""
    return Html("".join(p if isinstance(p, Html) else text(p) for p in parts if p is not None))


def tag(element: str, /, *children: str | None, **attrs: str | bool | None) -> Html:
    """`<name attrs>children</name>`: `class_="x"` sets `class`; True gives a bare attribute."""
    spelled = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        attr = key.rstrip("_").replace("_", "-")
        spelled.append(f" {attr}" if value is True else f' {attr}="{text(value, quote=True)}"')
    return Html(f"<{element}{''.join(spelled)}>{join(children)}</{element}>")


def facts_table(facts: Iterable[tuple[str, str]]) -> Html:
    rows = [
        tag("tr", tag("th", label), tag("td", tag("pre", value) if "\n" in value else value))
        for label, value in facts
    ]
    return tag("table", join(rows), class_="facts")


def heading(title: str, count: int | None = None) -> Html:
    return tag("h2", title if count is None else f"{title} ({count})")


def header_row(*names: str) -> Html:
    return tag("tr", *(tag("th", name) for name in names))


def grid(rows: list[Html]) -> Html:
    """A table with a line under each row, scrolling sideways rather than overflowing."""
    return tag("div", tag("table", join(rows), class_="grid"), class_="wide")


def muted(sentence: str) -> Html:
    return tag("p", sentence, class_="muted")


def _count_nodes(value: Any, limit: int) -> int:
    """Nodes in a decoded JSON value, counting stops once past `limit`."""
    count, stack = 0, [value]
    while stack and count <= limit:
        item = stack.pop()
        count += 1
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return count


def _scalar(value: Any) -> Html:
    if isinstance(value, Note):
        return tag("span", value, class_="marker")
    if isinstance(value, str) and value.startswith("data:") and len(value) > DATA_URL_LIMIT:
        # Base64 images are megabytes of noise on a page; say what they are instead.
        return tag("span", image_marker(value), class_="marker")
    kind = (
        "null" if value is None
        else "literal" if isinstance(value, bool)
        else "number" if isinstance(value, int | float)
        else "string"
    )  # fmt: skip
    return tag("span", msgspec.json.encode(value).decode(), class_=f"j-{kind}")


def _key_html(key: PathKey | None) -> Html:
    if key is None:
        return Html("")
    shown = f"[{key}]" if isinstance(key, int) else msgspec.json.encode(key).decode()
    return Html(tag("span", shown, class_="j-key") + ": ")


def _node(key: PathKey | None, value: Any, path: list[PathKey], depth: int) -> Html:
    where = jq_path(path)
    if not isinstance(value, dict | list) or not value:
        shown = (
            _scalar(value)
            if not isinstance(value, dict | list)
            else ("{}" if isinstance(value, dict) else "[]")
        )
        return tag("div", _key_html(key), shown, class_="j-leaf", title=where)
    if depth >= MAX_DEPTH:
        compact = msgspec.json.encode(value).decode()
        return tag("div", _key_html(key), tag("span", compact, class_="j-string"), title=where)
    if isinstance(value, dict):
        size, items = f"{len(value)} keys", list(value.items())
    else:
        size, items = f"{len(value)} items", list(enumerate(value))
    summary = tag(
        "summary",
        _key_html(key),
        tag("span", "{…}" if isinstance(value, dict) else "[…]", class_="j-punct"),
        " ",
        tag("span", size, class_="muted"),
        " ",
        tag("code", where, class_="path"),
    )
    children = join(_node(k, v, [*path, k], depth + 1) for k, v in items)
    return tag(
        "details", summary, tag("div", children, class_="j-children"), open=depth < OPEN_DEPTH
    )


def _plain(note: Any) -> str:
    return str.__str__(note)  # a plain `str` for msgspec, which refuses subclasses


def json_tree(raw: bytes, notes: dict[str, Note] | None = None) -> Html:
    """A JSON document as nested `<details>` with the jq path of every node.

    Text that is not JSON is shown as it is; a payload of more than `TREE_NODE_LIMIT`
    nodes is shown as text, which a browser lays out far faster. `notes`
    stand in for top-level members shown elsewhere on the page.
    """
    try:
        value = msgspec.json.decode(raw)
        if notes and isinstance(value, dict):
            value.update((key, note) for key, note in notes.items() if key in value)
            raw = msgspec.json.encode(value, enc_hook=_plain)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError):
        shown = raw.decode("utf-8", "replace")
        return join(
            [tag("p", "Not valid JSON; shown as received.", class_="warning"), tag("pre", shown)]
        )
    if _count_nodes(value, TREE_NODE_LIMIT) > TREE_NODE_LIMIT:
        # Indenting a payload of logprobs makes it four times longer and no easier to read.
        note = f"More than {TREE_NODE_LIMIT:,} values: shown as text, as received."
        shown = raw.decode("utf-8", "replace")
        return join([tag("p", note, class_="muted"), tag("pre", shown, class_="json")])
    return tag("div", _node(None, value, [], 0), class_="json-tree")
