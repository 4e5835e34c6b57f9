"""The line at the top: title, section, position and time left."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from reader.document.inert import inert

#: Reading speed behind the "minutes left" estimate.
WORDS_PER_MINUTE = 230


def minutes_left(total_words: int, fraction_read: float) -> int:
    """Whole minutes (rounded up, at least 1 while anything is left) to finish."""
    words = max(0.0, total_words * (1.0 - fraction_read))
    if words <= 0:
        return 0
    return max(1, -(-int(words) // WORDS_PER_MINUTE))


class StatusBar(Widget):
    """Shows where the reader is; the screen sets its reactives."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
    }
    """

    title: reactive[str] = reactive("")
    """The article's title."""
    section: reactive[str] = reactive("")
    """Heading of the section being read."""
    percent: reactive[int] = reactive(0)
    """Position in the article, 0-100."""
    minutes: reactive[int] = reactive(0)
    """Estimated minutes left at WORDS_PER_MINUTE."""
    note: reactive[str] = reactive("")
    """Transient state: loading, search results."""

    def render(self) -> Text:
        left = Text(inert(self.title), style="bold")  # an article's escapes stay inert
        if self.section:
            left.append("  ›  ", style="dim")
            left.append(inert(self.section))
        right = Text()
        if self.note:
            right.append(self.note + "   ", style="italic")
        right.append(f"{self.percent:3d}%", style="bold")
        right.append(f"  {self.minutes} min left" if self.minutes else "  done")
        width = self.size.width
        room = max(0, width - right.cell_len - 2)
        left.truncate(room, overflow="ellipsis")
        gap = max(1, width - left.cell_len - right.cell_len - 1)
        return Text.assemble(" ", left, " " * gap, right)
