"""The frame of an HTML page of logs: a strict CSP, the inline stylesheet, and the index of many.

The page loads nothing: no script, no font, no image, no frame; the policy forbids all
of it, so even text that slipped past escaping could not run or call out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from inspector.present.html_build import Html, join, tag, text

#: Nothing may load or run; only the inline stylesheet applies. `base-uri` and
#: `form-action` are not covered by `default-src`, so they are closed by name.
CSP: Final = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"

STYLE: Final = """
:root { color-scheme: light dark; --bg: #fdfdfc; --fg: #1d1f21; --muted: #6a6f75;
  --line: #d9dcdf; --card: #f3f4f5; --user: #1f7a3a; --assistant: #8a2c8f; --system: #8a6100;
  --tool: #1f5fa8; --other: #555; --error: #b3261e; --warn: #9a5b00; --key: #1f5fa8;
  --string: #1f7a3a; --number: #8a2c8f; --literal: #8a6100; }
@media (prefers-color-scheme: dark) { :root { --bg: #16181b; --fg: #e4e6e8; --muted: #9aa0a6;
  --line: #33373c; --card: #1f2226; --user: #7fd18f; --assistant: #e39ce6; --system: #e8c35a;
  --tool: #8cb8f0; --other: #bbb; --error: #ff8a80; --warn: #f0b35a; --key: #8cb8f0;
  --string: #7fd18f; --number: #e39ce6; --literal: #e8c35a; } }
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; background: var(--bg); color: var(--fg);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; }
h1 { font-size: 1.4rem; margin: 0 0 .75rem; overflow-wrap: anywhere; }
h2 { font-size: 1.1rem; margin: 1.75rem 0 .5rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1rem; margin: 1rem 0 .4rem; }
pre, code, .json-tree {
  font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
pre { white-space: pre-wrap; overflow-wrap: anywhere; margin: .3rem 0; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; vertical-align: top; padding: .2rem .6rem .2rem 0;
  overflow-wrap: break-word; }
.wide { overflow-x: auto; }
.nowrap { white-space: nowrap; }
th { color: var(--muted); font-weight: normal; white-space: nowrap; width: 1%; }
table.grid th, table.grid td { border-bottom: 1px solid var(--line); }
table.grid th { width: auto; }
.muted { color: var(--muted); }
.error { color: var(--error); font-weight: 600; }
.warning { color: var(--warn); }
.message { border: 1px solid var(--line); border-left: 4px solid var(--other);
  border-radius: 4px; padding: .5rem .75rem; margin: .6rem 0; background: var(--card); }
.message > header { display: flex; gap: .6rem; flex-wrap: wrap; align-items: baseline; }
.role { font-weight: 700; letter-spacing: .04em; text-transform: uppercase; font-size: .8rem; }
.role-user { border-left-color: var(--user); } .role-user .role { color: var(--user); }
.role-assistant { border-left-color: var(--assistant); }
.role-assistant .role { color: var(--assistant); }
.role-system, .role-developer { border-left-color: var(--system); }
.role-system .role, .role-developer .role { color: var(--system); }
.role-tool { border-left-color: var(--tool); } .role-tool .role { color: var(--tool); }
.marker { color: var(--muted); font-style: italic; }
.call { margin: .5rem 0 .2rem; padding-left: .75rem; border-left: 2px solid var(--tool); }
.call-name { color: var(--tool); font-weight: 600; }
.result { margin: .3rem 0 0 1rem; padding-left: .75rem; border-left: 2px dashed var(--tool); }
.thinking { color: var(--muted); }
details { margin: .15rem 0; }
summary { cursor: pointer; }
.json-tree .j-children { margin-left: 1.25rem; border-left: 1px dotted var(--line);
  padding-left: .5rem; }
.j-key { color: var(--key); } .j-string { color: var(--string); overflow-wrap: anywhere; }
.j-number { color: var(--number); } .j-literal, .j-null { color: var(--literal); }
.path { color: var(--muted); font-size: 11px; margin-left: .5rem; }
.j-leaf { white-space: pre-wrap; overflow-wrap: anywhere; }
nav.index li { margin: .15rem 0; }
section.log { margin-bottom: 3rem; }
a { color: var(--key); }
footer { margin-top: 3rem; color: var(--muted); font-size: .85rem; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; background: #fff; color: #000; }
  .message { break-inside: avoid; background: none; }
  section.log + section.log { break-before: page; }
  summary { list-style: none; }
  details::details-content { content-visibility: visible; display: contents; }
  .path, .raw-log { display: none; }
}
"""


@dataclass(frozen=True, slots=True)
class IndexRow:
    """One log in the index of a page of many: where its section is and what it says."""

    anchor: str | None
    log_id: str
    created: str
    label: str
    status: str
    summary: str


def page_start(title: str, generator: str) -> Html:
    """The document up to the opening of `<body>`: CSP first, before anything else."""
    head = join(
        [
            Html('<meta charset="utf-8">'),
            Html(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'),
            Html('<meta name="referrer" content="no-referrer">'),
            Html('<meta name="viewport" content="width=device-width, initial-scale=1">'),
            Html(f'<meta name="generator" content="{text(generator)}">'),
            tag("title", title),
            Html(f"<style>{STYLE}</style>"),
        ]
    )
    return Html(f'<!DOCTYPE html>\n<html lang="en">\n<head>\n{head}\n</head>\n<body>\n')


def page_end(footer: str) -> Html:
    """The footer and the end of the document."""
    return Html(f"{tag('footer', footer)}\n</body>\n</html>\n")


def index(rows: list[IndexRow], heading: str) -> Html:
    """The list of logs at the top of a page of many, each a link to its section."""
    items = []
    for row in rows:
        ident = tag("a", row.log_id, href=f"#{row.anchor}") if row.anchor else text(row.log_id)
        status_class = "error" if row.status in ("ERROR", "INVALID") else None
        items.append(
            tag(
                "tr",
                tag("td", ident),
                tag("td", row.created, class_="muted nowrap"),
                tag("td", row.label),
                tag("td", row.status, class_=status_class),
                tag("td", row.summary),
            )
        )
    header = tag("tr", *(tag("th", name) for name in ("log", "created", "model", "status", "")))
    return tag(
        "nav",
        tag("h1", heading),
        tag("table", tag("thead", header), tag("tbody", join(items)), class_="grid"),
        class_="index",
    )
