"""One line of text over a screen (the library's and the highlights' status lines)."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class InfoLine(Widget, can_focus=False):
    """A line of plain text; changing it repaints the line only.

    A ``Static``'s ``update`` asks for a new layout of the whole screen, which the
    highlights screen would pay at every keystroke for a line that never changes size.
    """

    DEFAULT_CSS = """
    InfoLine {
        height: 1;
        width: 1fr;
    }
    """

    text: reactive[str] = reactive("", layout=False)

    def __init__(self, text: str = "", *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_reactive(InfoLine.text, text)

    def render(self) -> Text:
        return Text(self.text, no_wrap=True, overflow="ellipsis", end="")
