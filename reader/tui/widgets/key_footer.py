"""The footer of keys: one line, drawn with the first frame, one widget in all.

Textual's Footer composes no keys until one refresh after the screen appears (the
first frame had an empty bottom row), then mounts a widget per key and restyles
each of them, and rebuilds them all whenever the screen reports its bindings.
That came to a tenth of readmark's start-up. This footer draws the same line
(keys, descriptions, the command palette key on the right), takes clicks and
shows each key's tooltip on hover, from a single widget that redraws only when
what it shows has changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

#: Drawn between the keys and the command palette key on the right.
SEPARATOR = "▏"
#: Keys a narrow footer keeps to the last: the way out and the way to every other key.
ESSENTIAL_BINDINGS = frozenset({"app.quit", "app.help", "review.end", "review.close"})


@dataclass(frozen=True, slots=True)
class FooterItem:
    """One key as the footer shows it."""

    key: str
    key_display: str
    description: str
    enabled: bool
    tooltip: str
    essential: bool = False


class KeyFooter(Widget, can_focus=False):
    """The keys of the focused widget, its screen and the app, on one line."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {
        "key-footer--key",
        "key-footer--description",
        "key-footer--hover",
        "key-footer--separator",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._items: tuple[list[FooterItem], FooterItem | None] | None = None
        self._spans: list[tuple[int, int, FooterItem]] = []
        self._hover: FooterItem | None = None

    # ------------------------------------------------------------ what it shows
    def items(self) -> tuple[list[FooterItem], FooterItem | None]:
        """The keys to show on the left, and the command palette key (or None)."""
        if self._items is None:
            self._items = self._collect()
        return self._items

    def _collect(self) -> tuple[list[FooterItem], FooterItem | None]:
        app = self.app
        active = self.screen.active_bindings
        shown: dict[str, FooterItem] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in shown:  # one key per action
                shown[binding.action] = FooterItem(
                    binding.key, app.get_key_display(binding), binding.description,
                    enabled, tooltip or binding.tooltip or binding.description,
                    binding.id in ESSENTIAL_BINDINGS)
        palette = None
        if app.ENABLE_COMMAND_PALETTE and app.COMMAND_PALETTE_BINDING in active:
            _node, binding, enabled, tooltip = active[app.COMMAND_PALETTE_BINDING]
            palette = FooterItem(binding.key, app.get_key_display(binding),
                                 binding.description, enabled,
                                 tooltip or binding.tooltip or binding.description)
        return list(shown.values()), palette

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen: Screen) -> None:
        if not self.is_attached or screen is not self.screen:
            return
        items = self._collect()
        if items != self._items:
            self._items = items
            self.refresh()

    # ------------------------------------------------------------------ drawing
    def render(self) -> Text:
        left, palette = self.items()
        width = self.size.width
        key_style = self.get_component_rich_style("key-footer--key")
        description_style = self.get_component_rich_style("key-footer--description")
        hover_style = self.get_component_rich_style("key-footer--hover", partial=True)
        dim = Style(dim=True)

        def piece(item: FooterItem, lead: str = " ") -> Text:
            text = Text.assemble((f"{lead}{item.key_display} ", key_style),
                                 (f"{item.description} ", description_style))
            if not item.enabled:
                text.stylize(dim)
            if item == self._hover:
                text.stylize(hover_style)
            return text

        tail = Text()
        if palette is not None:
            tail = Text.assemble(
                (SEPARATOR, self.get_component_rich_style("key-footer--separator")),
                piece(palette, lead=""))
        shown = [(item, piece(item)) for item in left]
        # Drop keys from the right until the line fits (the palette key stays), the
        # essential ones last.
        while shown and sum(p.cell_len for _, p in shown) + tail.cell_len > width:
            optional = [i for i, (item, _) in enumerate(shown) if not item.essential]
            shown.pop(optional[-1] if optional else -1)
        line = Text(no_wrap=True, overflow="crop", end="")
        self._spans = []
        for item, text in shown:
            self._spans.append((line.cell_len, line.cell_len + text.cell_len, item))
            line.append_text(text)
        if palette is not None:
            line.append(" " * max(0, width - line.cell_len - tail.cell_len))
            start = line.cell_len + len(SEPARATOR)
            line.append_text(tail)
            self._spans.append((start, line.cell_len, palette))
        return line

    # -------------------------------------------------------------------- mouse
    def _item_at(self, x: int) -> FooterItem | None:
        for start, end, item in self._spans:
            if start <= x < end:
                return item
        return None

    def on_click(self, event: events.Click) -> None:
        item = self._item_at(event.x)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event.x)
        if item != self._hover:
            self._hover = item
            self.tooltip = item.tooltip if item is not None else None
            self.refresh()

    def on_leave(self, event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.tooltip = None
            self.refresh()
