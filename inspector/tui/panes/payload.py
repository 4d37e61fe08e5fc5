"""The Request and Response panes: a provider payload in a JSON explorer, or as raw text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

import msgspec
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.widget import Widget
from textual.widgets import Static

from inspector.bigtext.jsontext import PathKey, jq_path
from inspector.bigtext.jsonvalues import can_skip_raw, iter_matches
from inspector.model.decode import gc_paused
from inspector.model.log import raw_is_absent
from inspector.present.words import format_bytes
from inspector.sanitize import one_line, sanitize
from inspector.tui.clipboard import copy_text
from inspector.tui.panes.base import Empty, Pane, Searchable
from inspector.tui.widgets.json_explorer import JsonExplorer, value_text
from inspector.tui.widgets.text_view import TextView


class PathBar(Static):
    """The jq path of the node under the cursor, with its type and size."""

    DEFAULT_CSS = """
    PathBar { height: 1; padding: 0 1; background: $boost; color: $text-muted; }
    """


class ExplorerSearch:
    """Search over a JSON value for the explorer: keys and scalar values that match."""

    def __init__(self, explorer: JsonExplorer) -> None:
        self.explorer = explorer
        self.paths: list[tuple[PathKey, ...]] = []
        self.index = -1
        #: The value decoded whole while a search is on (the tree decodes as it goes).
        self._value: Any = None

    def search(self, pattern: Any) -> int:
        self.index = -1
        self.paths = []
        if pattern is None:
            self._value = None
        else:
            if can_skip_raw(pattern):
                value = self.explorer.source  # walked raw, skipping what cannot match
            else:
                if self._value is None:
                    with gc_paused():
                        self._value = self.explorer.value
                value = self._value
            for path in iter_matches(value, pattern):
                self.paths.append(path)
                if len(self.paths) >= 10_000:
                    break
        return len(self.paths)

    def goto_match(self, step: int) -> int:
        if not self.paths:
            return -1
        self.index = (
            (self.index + step) % len(self.paths)
            if self.index >= 0
            else (0 if step > 0 else len(self.paths) - 1)
        )
        self.explorer.reveal(self.paths[self.index])
        return self.index

    @property
    def match_count(self) -> int:
        return len(self.paths)


class PayloadPane(Pane):
    """`provider_request` or `provider_response`, decoded only when first shown."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "t",
            "toggle_raw",
            "Raw/tree",
            tooltip="Toggle the JSON tree and the raw text",
            id="payload.toggle-raw",
        ),
        Binding(
            "Y",
            "copy_path",
            "Copy path",
            tooltip="Copy the jq path of the node",
            id="payload.copy-path",
        ),
        Binding(
            "v",
            "view_value",
            "View value",
            tooltip="Show the whole value, wrapped",
            id="payload.view-value",
        ),
        Binding(
            "c",
            "copy_curl",
            "Copy curl",
            tooltip="Copy the request as a curl command",
            id="request.curl",
        ),
    ]

    def __init__(self, doc: Any, field: str, *, id: str | None = None) -> None:
        super().__init__(doc, id=id)
        self.field = field
        self.EMPTY = (
            f"No {field} in this log: it was not captured, or the log was saved with save: false."
        )
        self._search: ExplorerSearch | None = None
        self._path = "."

    def _raw(self) -> msgspec.Raw:
        raw: msgspec.Raw = getattr(self.doc.log, self.field)
        return raw

    def count(self) -> int | None:
        return None

    def make(self) -> Iterable[Widget]:
        raw = self._raw()
        if raw_is_absent(raw):
            yield Empty(self.EMPTY)
            return
        yield PathBar(Content(f"{self.field}  ·  {format_bytes(len(raw))}  ·  t: raw text"))
        explorer = JsonExplorer(raw)
        self._search = ExplorerSearch(explorer)
        yield explorer

    def on_json_explorer_path_changed(self, event: JsonExplorer.PathChanged) -> None:
        self._path = event.path
        kind = type(event.value).__name__
        size = ""
        if isinstance(event.value, dict | list):
            size = f" · {len(event.value):,} {'keys' if isinstance(event.value, dict) else 'items'}"
        elif isinstance(event.value, str):
            size = f" · {len(event.value):,} chars"
        text = f"{one_line(event.path, 200)}  ({kind}{size})  ·  y copy value · Y copy path · t raw"
        if self.field == "provider_request":
            text += " · c curl"
        self.query_one(PathBar).update(Content(text))

    def on_json_explorer_open_value(self, event: JsonExplorer.OpenValue) -> None:
        from inspector.tui.screens.viewer import ValueViewer

        self.app.push_screen(ValueViewer(event.path, event.value))

    def action_view_value(self) -> None:
        explorer = self._explorer()
        current = explorer.current if explorer is not None else None
        if current is None:
            return
        from inspector.tui.screens.viewer import ValueViewer

        self.app.push_screen(ValueViewer(jq_path(current.path), value_text(current.value)))

    def _explorer(self) -> JsonExplorer | None:
        found = self.query(JsonExplorer)
        return found.first() if found else None

    def _text_view(self) -> TextView | None:
        found = self.query(TextView)
        return found.first() if found else None

    def action_toggle_raw(self) -> None:
        explorer = self._explorer()
        if explorer is None:
            return
        text_view = self._text_view()
        if text_view is None:
            text_view = TextView(msgspec.json.format(self._raw(), indent=2), json=True)
            self.mount(text_view)
            explorer.display = False
        else:
            text_view.display = not text_view.display
            explorer.display = not text_view.display
        (text_view if text_view.display else explorer).focus()

    async def action_copy_path(self) -> None:
        await copy_text(self.app, sanitize(self._path), f"the path {one_line(self._path, 80)}")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Only a request can be sent again.
        return action != "copy_curl" or self.field == "provider_request"

    def action_copy_curl(self) -> None:
        from inspector.present.curl import CurlUnavailable, curl_command

        try:
            command = curl_command(msgspec.json.decode(self.doc.raw))
        except CurlUnavailable as error:
            self.notify(error.message, severity="warning", markup=False, timeout=8)
            return
        self.app.copy_to_clipboard(command)
        self.notify("Copied the request as a curl command (the key is $…_API_KEY)", markup=False)

    @property
    def searchable(self) -> Searchable | None:
        text_view = self._text_view()
        if text_view is not None and text_view.display:
            return text_view
        return self._search

    def copy_text(self) -> str | None:
        text_view = self._text_view()
        if text_view is not None and text_view.display:
            return text_view.selected_text()
        explorer = self._explorer()
        current = explorer.current if explorer is not None else None
        return value_text(current.value) if current is not None else None
