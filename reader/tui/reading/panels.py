"""Room for the text beside the side panels: which panels show, and which float over it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widget import Widget

if TYPE_CHECKING:
    from reader.tui.screens.reading import ReadingScreen

#: Fewest columns of text the reading pane keeps when panels open beside it.
MIN_TEXT_COLUMNS = 30
#: Class of a panel that floats over the text instead of taking its columns.
OVERLAY = "-overlay"


class PanelRoom:
    """Keeps the text readable whatever the terminal's width and the panels open.

    Two panels that would leave the text fewer than :data:`MIN_TEXT_COLUMNS`
    columns do not both show: the one just opened (or focused) stays and the other
    closes for now, without changing what is remembered. A lone panel that would
    still squeeze the text floats over it, so the text keeps a readable width.
    """

    def __init__(self, screen: ReadingScreen) -> None:
        self._screen = screen
        #: Panels closed to make room, to show again once there is room.
        self._closed_for_room: list[Widget] = []

    def forget(self, panel: Widget) -> None:
        """The reader opened or closed ``panel`` themselves: it is theirs again."""
        if panel in self._closed_for_room:
            self._closed_for_room.remove(panel)

    def panels(self) -> list[Widget]:
        """The side panels that exist, contents first."""
        screen = self._screen
        found: list[Widget] = [screen.outline]
        panel = screen.highlights_panel()
        if panel is not None:
            found.append(panel)
        return found

    def fit(self, keep: Widget | None = None, *, quiet: bool = False) -> None:
        """Close or float panels until the text has its room (``keep`` is closed last),
        and bring back a panel closed for room once there is room for it again."""
        screen = self._screen
        shown = [panel for panel in self.panels() if panel.display]
        if not screen.size.width:
            return
        if any(not panel.outer_size.width for panel in shown):
            screen.call_after_refresh(self.fit, keep, quiet=quiet)  # not laid out yet
            return
        needed = screen.view.pane_width_for(MIN_TEXT_COLUMNS)
        for panel in list(self._closed_for_room):
            if self._room(shown) - self._expected_width(panel) >= needed:
                self._closed_for_room.remove(panel)
                panel.display = True
                screen.call_after_refresh(self.fit, quiet=True)
                return
        if len(shown) == 2 and self._room(shown) < needed:
            focused = screen.focused
            if keep is None:
                keep = next((p for p in shown if focused is not None
                             and (focused is p or p in focused.ancestors)), shown[0])
            closing = shown[1] if shown[0] is keep else shown[0]
            closing.display = False
            shown.remove(closing)
            self._closed_for_room.append(closing)
            if not quiet:
                screen.notify(f"{_name(closing)} closed to keep the text readable", timeout=3)
        float_over = bool(shown) and self._room(shown) < needed
        for panel in self.panels():
            panel.set_class(float_over and panel.display, OVERLAY)

    def _expected_width(self, panel: Widget) -> int:
        """The width a hidden panel would take on this screen (its CSS width and maximum)."""
        size = self._screen.size
        styles = panel.styles
        width = styles.width.resolve(size, size) if styles.width is not None else 0
        if styles.max_width is not None:
            width = min(width, styles.max_width.resolve(size, size))
        return int(width)

    def _room(self, shown: list[Widget]) -> int:
        return self._screen.size.width - sum(panel.outer_size.width for panel in shown)


def _name(panel: Widget) -> str:
    return "Contents" if panel.id == "outline" else "Highlights"
