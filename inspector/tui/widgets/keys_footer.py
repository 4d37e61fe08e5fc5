"""`KeysFooter`: Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer


class KeysFooter(Footer):
    """The footer of every screen: the keys that work here, as Textual's `Footer` shows them.

    `Footer` removes and mounts all its keys again each time a screen's bindings are
    refreshed: after every focus change and every `refresh_bindings`, most of which change
    nothing it shows. Each rebuild costs about 10 ms, two of them before a list's first
    frame. This one rebuilds only when a key it shows, or how that key reads, changed.
    """

    def __init__(self) -> None:
        super().__init__()
        #: What the keys shown were built from, when they were last rebuilt.
        self._built: tuple[Any, ...] | None = None

    def _shown_keys(self, screen: Screen[Any]) -> tuple[Any, ...]:
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (binding.key, binding.action, binding.description, binding.group, enabled, tooltip,
             self.app.get_key_display(binding))
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == palette
        )  # fmt: skip

    def bindings_changed(self, screen: Screen[Any]) -> None:
        # The same conditions as `Footer.bindings_changed` for a rebuild.
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            keys = self._shown_keys(screen)
            if keys == self._built:
                return
            self._built = keys
        super().bindings_changed(screen)
