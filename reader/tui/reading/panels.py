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

    def panels(self) -> list[Widget]:
        """The side panels that exist, contents first."""
        screen = self._screen
        found: list[Widget] = [screen.outline]
        panel = screen.highlights_panel()
        if panel is not None:
            found.append(panel)
        return found

    def fit(self, keep: Widget | None = None) -> None:
        """Close or float panels until the text has its room (``keep`` is closed last)."""
        screen = self._screen
        shown = [panel for panel in self.panels() if panel.display]
        if not shown or not screen.size.width:
            return
        if any(not panel.outer_size.width for panel in shown):
            screen.call_after_refresh(self.fit, keep)  # not laid out yet
            return
        needed = screen.view.pane_width_for(MIN_TEXT_COLUMNS)
        if len(shown) == 2 and self._room(shown) < needed:
            focused = screen.focused
            if keep is None:
                keep = next((p for p in shown if focused is not None
                             and (focused is p or p in focused.ancestors)), shown[0])
            closing = shown[1] if shown[0] is keep else shown[0]
            closing.display = False
            shown.remove(closing)
            screen.notify(f"{_name(closing)} closed to keep the text readable", timeout=3)
        float_over = self._room(shown) < needed
        for panel in self.panels():
            panel.set_class(float_over and panel.display, OVERLAY)

    def _room(self, shown: list[Widget]) -> int:
        return self._screen.size.width - sum(panel.outer_size.width for panel in shown)


def _name(panel: Widget) -> str:
    return "Contents" if panel.id == "outline" else "Highlights"
