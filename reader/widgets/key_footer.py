"""The footer of keys, there in the first frame and rebuilt only when its keys change.

Textual's Footer composes no keys until the screen first reports its bindings,
and then rebuilds every key after the next refresh: the first screen shows an
empty bottom row for a frame (about 40 ms), and every later report of
bindings, even one that changes nothing shown, mounts all the keys anew.
"""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Footer


class KeyFooter(Footer):
    """Textual's Footer (same look, clicks and tooltips), composed at once."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._composed_for: Hashable | None = None

    def compose(self) -> ComposeResult:
        # The screen's and the app's bindings are known from the start; the
        # focused widget's come with the first report, which recomposes if needed.
        self._bindings_ready = True
        self._composed_for = self.shown_keys()
        yield from super().compose()

    def shown_keys(self) -> Hashable:
        """What the footer would show now: keys, labels, whether enabled, tooltips."""
        palette = self.app.COMMAND_PALETTE_BINDING
        return tuple(
            (key, binding.description, binding.action, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == palette
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and self.shown_keys() == self._composed_for:
            return
        super().bindings_changed(screen)
