"""The library's table: one line per article (title, author or site, progress, time left,
highlights, notes, cards due, last opened)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone

from rich.style import Style
from rich.text import Text

from reader.document.inert import inert
from reader.review.library import LibraryRow
from reader.tui.widgets.row_table import Column, RowTable, cells, column_widths
from reader.tui.widgets.status_bar import minutes_left

#: Cells of the progress bar (the percentage follows it).
BAR_CELLS = 8

COLUMNS = [
    Column("Title", flex=2, minimum=16, keep=9),
    Column("", 8, keep=8),
    Column("Author or site", flex=1, minimum=10, keep=1),
    Column("Progress", BAR_CELLS + 5, keep=6),
    Column("Left", 6, align="right", keep=2),
    Column("Hl", 4, align="right", keep=4),
    Column("Notes", 5, align="right", keep=3),
    Column("Due", 3, align="right", keep=5),
    Column("Opened", 10, keep=2),
]
#: Where the marks (missing, archived, web) are in :data:`COLUMNS`.
MARK = 1


def mark_of(row: LibraryRow) -> str:
    """The row's mark: what asks for something (a missing file) comes first."""
    if row.missing:
        return "missing"
    return "archived" if row.archived else "web" if row.web else ""


def columns_for(rows: Sequence[LibraryRow]) -> list[Column]:
    """The columns for ``rows``: the untitled mark column only as wide as the widest
    mark among them, and left out (its cells go to the title) when no row has one."""
    widest = max((len(mark_of(row)) for row in rows), default=0)
    if not widest:
        return [column for n, column in enumerate(COLUMNS) if n != MARK]
    columns = list(COLUMNS)
    columns[MARK] = Column("", widest, keep=COLUMNS[MARK].keep)
    return columns


def one_line(text: str) -> str:
    return " ".join(inert(text).split())


def opened_when(moment: datetime | None, now: datetime) -> str:
    """When an article was last opened, said shortly: today, yesterday, 3 days ago, 12 Mar."""
    if moment is None:
        return "never"
    local, today = moment.astimezone(), now.astimezone().date()
    days = (today - local.date()).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 7:
        return f"{days} days ago"
    if local.year == today.year:
        return f"{local.day} {local:%b}"
    return f"{local:%b} {local.year}"


def time_left(row: LibraryRow) -> str:
    """Minutes left to read it ("done" at the end; "" when its length is not known)."""
    if not row.words:
        return ""
    fraction = (row.percent or 0) / 100
    minutes = minutes_left(row.words, fraction)
    if minutes == 0:
        return "done"
    return f"{minutes} min" if minutes < 100 else f"{minutes // 60} h"


class LibraryTable(RowTable):
    """The articles of the library, as :class:`LibraryRow` rows in the order shown."""

    COMPONENT_CLASSES = RowTable.COMPONENT_CLASSES | {
        "library--bar", "library--bar-empty", "library--mark", "library--missing",
        "library--dim", "library--due",
    }

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: list[LibraryRow] = []
        self.columns: list[Column] = columns_for([])
        self.now = datetime.now(timezone.utc)

    def show(self, rows: Sequence[LibraryRow], *, now: datetime, keep: str | None = None,
             empty: str = "") -> None:
        """Show ``rows``; the cursor stays on article ``keep`` when it is among them."""
        self.rows = list(rows)
        self.columns = columns_for(self.rows)
        self.now = now
        cursor = None
        if keep is not None:
            cursor = next((n for n, row in enumerate(self.rows) if row.article_id == keep), None)
        self.set_rows(len(self.rows), self._draw, self._header, cursor=cursor, empty=empty)

    @property
    def current(self) -> LibraryRow | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    def _part(self, name: str) -> Style:
        return self.get_component_rich_style(f"library--{name}", partial=True)

    def _header(self, width: int) -> Text:
        widths = column_widths(self.columns, width)
        return cells([column.title for column in self.columns], self.columns, widths)

    def _draw(self, index: int, width: int) -> Text:
        row = self.rows[index]
        widths = column_widths(self.columns, width)
        title = Text(one_line(row.title))
        mark = Text(mark_of(row), self._part("missing" if row.missing else "mark"))
        byline = Text(one_line(row.byline), self._part("dim"))
        if row.percent is None:
            progress = Text("░" * BAR_CELLS, self._part("bar-empty"))
            progress.append("   —", self._part("dim"))
        else:
            filled = round(row.percent * BAR_CELLS / 100)
            progress = Text.assemble(("█" * filled, self._part("bar")),
                                     ("░" * (BAR_CELLS - filled), self._part("bar-empty")),
                                     f" {row.percent:3d}%")
        due = Text(str(row.due), self._part("due")) if row.due else Text("·", self._part("dim"))
        parts: list[Text | str] = [
            title, mark, byline, progress, time_left(row),
            str(row.highlights) if row.highlights else "·",
            str(row.notes) if row.notes else "·", due,
            Text(opened_when(row.last_opened, self.now), self._part("dim")),
        ]
        if len(self.columns) < len(COLUMNS):
            del parts[MARK]
        return cells(parts, self.columns, widths)
