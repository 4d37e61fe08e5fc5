"""`inspector show --format html` as a user runs it, and the page file the TUI writes."""

from __future__ import annotations

import json
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

from inspector.model.decode import decode_log
from inspector.present.html import page_file_name, save_page
from tests.support import factory
from tests.support.hostile_html import html_hostile_log

EXPORT = factory.FIXTURES / "export.jsonl"


def show(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "inspector", "show", *args],
        input=stdin,
        capture_output=True,
        timeout=120,
    )


class Links(HTMLParser):
    def __init__(self, source: str) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: list[str] = []
        self.feed(source)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "a" and found.get("href"):
            self.hrefs.append(found["href"] or "")
        if found.get("id"):
            self.ids.append(found["id"] or "")


def test_one_log_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    path = factory.write(tmp_path / "log.json", factory.rich_log())
    printed = show(str(path), "--format", "html")
    assert printed.returncode == 0, printed.stderr
    page = printed.stdout.decode()
    assert page.startswith("<!DOCTYPE html>") and "Conversation (" in page
    target = tmp_path / "out.html"
    written = show(str(path), "--format", "html", "-o", str(target))
    assert written.returncode == 0 and written.stdout == b""
    assert target.read_text() == page


def test_a_hostile_log_from_stdin_stays_text() -> None:
    printed = show("-", "--format", "html", stdin=json.dumps(html_hostile_log()).encode())
    assert printed.returncode == 0, printed.stderr
    assert b"<script" not in printed.stdout.lower()


def test_many_logs_get_an_index_linking_each_section() -> None:
    printed = show(str(EXPORT), "--format", "html")
    assert printed.returncode == 0, printed.stderr
    links = Links(printed.stdout.decode())
    sections = [anchor for anchor in links.ids if anchor.startswith("log-")]
    assert len(sections) >= 30
    assert links.hrefs == [f"#{anchor}" for anchor in sections]


def test_the_list_filters_choose_the_logs_of_the_page() -> None:
    everything = Links(show(str(EXPORT), "--format", "html").stdout.decode())
    printed = show(str(EXPORT), "--format", "html", "--errors")
    assert printed.returncode == 0, printed.stderr
    page = printed.stdout.decode()
    assert page.startswith("<!DOCTYPE html>")
    sections = [anchor for anchor in Links(page).ids if anchor.startswith("log-")]
    errors = show(str(EXPORT), "--errors").stdout.decode().splitlines()
    assert (
        0
        < len(sections)
        == len(errors)
        < len([anchor for anchor in everything.ids if anchor.startswith("log-")])
    )
    assert all(line.split()[0] in page for line in errors)


def test_one_of_many_by_id() -> None:
    printed = show(str(EXPORT), "--format", "html", "--id", "data_0000q000")
    assert printed.returncode == 0, printed.stderr
    assert Links(printed.stdout.decode()).ids == ["log"]


def test_the_page_file_is_named_after_the_log_and_safe(tmp_path: Path) -> None:
    assert page_file_name("data_abc") == "inspector-data_abc.html"
    assert page_file_name("../../etc/passwd\x1b") == "inspector-______etc_passwd_.html"
    doc = decode_log(json.dumps(factory.rich_log()).encode())
    path = save_page(doc, tmp_path)
    assert path.parent == tmp_path and path.read_text().startswith("<!DOCTYPE html>")
