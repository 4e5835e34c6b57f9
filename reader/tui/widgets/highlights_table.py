"""The table of every highlight of every article: date, article, section, the quote in its
colour, the note and the tags, one line each; only the lines on screen are made."""

from __future__ import annotations

from datetime import datetime

from rich.style import Style
from rich.text import Text

from reader.annotations.records import COLORS
from reader.annotations.search import HighlightIndex, Hit
from reader.document.inert import inert
from reader.tui.widgets.row_table import Column, RowTable, cells, column_widths

#: Marks a highlight's colour at the start of its quote.
SWATCH = "▌"
#: Marks a note, as the article view and the highlights panel do.
NOTE_MARKER = "✎ "

COLUMNS = [
    Column("Date", 10, keep=2),
    Column("Article", flex=2, minimum=14, keep=4),
    Column("Section", flex=2, minimum=10, keep=1),
    Column("Highlight", flex=6, minimum=24, keep=9),
    Column("Note", flex=3, minimum=12, keep=3),
    Column("Tags", flex=1, minimum=10),
]


def _one_line(text: str) -> str:
    return " ".join(inert(text).split())


def short_date(stamp: str) -> str:
    """The day a highlight was made, in local time (as stored: UTC)."""
    try:
        return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d")
    except ValueError:
        return stamp[:10]


class HighlightsTable(RowTable):
    """The highlights an index found, in its order (newest first)."""

    COMPONENT_CLASSES = RowTable.COMPONENT_CLASSES | {
        "highlights--article", "highlights--section", "highlights--note", "highlights--tag",
        "highlights--detached", *(f"highlights--{color}" for color in COLORS),
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.index: HighlightIndex | None = None
        self.found: list[int] = []

    def show(self, index: HighlightIndex, found: list[int], *, empty: str = "") -> None:
        """Show the highlights at ``found`` positions of ``index``; the cursor goes back
        to the first."""
        if index is not self.index:
            self.redraw()  # other highlights at the same positions
        self.index = index
        self.found = found
        self.set_rows(len(found), self._draw, self._header, cursor=0, empty=empty,
                      key=found.__getitem__)

    @property
    def current(self) -> Hit | None:
        if self.index is None or not 0 <= self.cursor < len(self.found):
            return None
        return self.index.hit(self.found[self.cursor])

    def _part(self, name: str) -> Style:
        return self.get_component_rich_style(f"highlights--{name}", partial=True)

    def _header(self, width: int) -> Text:
        return cells([column.title for column in COLUMNS], COLUMNS, column_widths(COLUMNS, width))

    def _draw(self, row: int, width: int) -> Text:
        assert self.index is not None
        hit = self.index.hit(self.found[row])
        quote = Text.assemble((SWATCH, self._part(hit.color)), " ", _one_line(hit.quote))
        if hit.detached:
            quote.append(" (detached)", self._part("detached"))
        note = Text(NOTE_MARKER + _one_line(hit.note), self._part("note")) if hit.note else ""
        tags = Text(" ".join(f"#{_one_line(tag)}" for tag in hit.tags), self._part("tag"))
        return cells([
            short_date(hit.created),
            Text(_one_line(hit.title), self._part("article")),
            Text(" › ".join(_one_line(part) for part in hit.where), self._part("section")),
            quote, note, tags,
        ], COLUMNS, column_widths(COLUMNS, width))
