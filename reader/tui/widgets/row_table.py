"""A long list of one-line rows under a fixed header line, drawn by a Line-API widget.

The library (a thousand articles) and the highlights screen (a hundred thousand
highlights) both list their rows here: the owner says how many rows there are and
how to draw one (``render_row``), and only the rows on screen are ever drawn, so
a new filter costs the same whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.strip import Strip

#: Draws row ``index`` at ``width`` cells (the owner's rows, in the order shown).
RenderRow = Callable[[int, int], Text]
#: Draws the header at ``width`` cells.
RenderHeader = Callable[[int], Text]
#: What row ``index`` shows, for the drawn lines kept from one set of rows to the next.
RowKey = Callable[[int], Hashable]


class RowTable(ScrollView, can_focus=True):
    """Rows with a cursor; ``enter`` or a click posts :class:`RowTable.Chosen`.

    Component classes: ``row-table--header``, ``row-table--cursor`` (also used,
    dimmed by the style sheet, while the table does not have the focus) and
    ``row-table--hover``.
    """

    COMPONENT_CLASSES = {"row-table--header", "row-table--cursor", "row-table--hover",
                         "row-table--empty"}

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next", id="rows.next", show=False),
        Binding("up,k", "cursor_up", "Previous", id="rows.previous", show=False),
        Binding("home,g", "first", "First", id="rows.first", show=False),
        Binding("end,G", "last", "Last", id="rows.last", show=False),
        Binding("pagedown,space", "page_down", "Page down", id="rows.page_down", show=False),
        Binding("pageup,b", "page_up", "Page up", id="rows.page_up", show=False),
        Binding("enter", "choose", "Open", id="rows.open", tooltip="Open the row under the cursor"),
    ]

    cursor: var[int] = var(0, init=False)
    """The row under the cursor (0 when there are none)."""

    class Chosen(Message):
        """A row was chosen with enter or a click."""

        def __init__(self, table: RowTable, index: int) -> None:
            super().__init__()
            self.table = table
            self.index = index

        @property
        def control(self) -> RowTable:
            return self.table

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._count = 0
        self._render_row: RenderRow = lambda index, width: Text()
        self._render_header: RenderHeader = lambda width: Text()
        self._empty = ""
        self._hover = -1
        self._key: RowKey | None = None
        self._cache: LRUCache[tuple[Hashable, int, bool, bool], Strip] = LRUCache(512)

    # ------------------------------------------------------------------ rows
    def set_rows(
        self,
        count: int,
        render_row: RenderRow,
        render_header: RenderHeader,
        *,
        cursor: int | None = None,
        empty: str = "",
        key: RowKey | None = None,
    ) -> None:
        """Show ``count`` rows drawn by ``render_row``; the cursor goes to ``cursor``
        (kept where it was, within the new count, when None). ``empty`` is said when
        there are no rows. With ``key`` (what a row shows, e.g. the position of a
        highlight), lines drawn before for the same key are used again, so a filter
        that keeps the top rows draws only the new ones."""
        self._count = max(0, count)
        self._render_row = render_row
        self._render_header = render_header
        self._empty = empty
        self._hover = -1
        if key is None or self._key is None:
            self._cache.clear()
        self._key = key
        size = Size(self._width(), self._count + 1)
        if size != self.virtual_size:
            self.virtual_size = size
        wanted = self.cursor if cursor is None else cursor
        self.set_reactive(RowTable.cursor, max(0, min(wanted, self._count - 1)))
        self.scroll_to_cursor()
        self.refresh()

    @property
    def row_count(self) -> int:
        return self._count

    def redraw(self) -> None:
        """Draw every row again (what they show changed, not how many there are)."""
        self._cache.clear()
        self.refresh()

    def _width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self._width(), self._count + 1)
        self._cache.clear()
        self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._cache.clear()

    def on_focus(self) -> None:
        self.redraw()

    def on_blur(self) -> None:
        self.redraw()

    # ---------------------------------------------------------------- cursor
    def scroll_to_cursor(self) -> None:
        if self._count:
            # Line 0 is the header, drawn over the first line of the scrolled content.
            self.scroll_to_region(Region(0, self.cursor, 1, 2), animate=False, force=True,
                                  immediate=True)

    def watch_cursor(self, old: int, new: int) -> None:
        self._refresh_row(old)
        self._refresh_row(new)
        self.scroll_to_cursor()

    def _refresh_row(self, index: int) -> None:
        self.refresh_lines(index + 1 - round(self.scroll_offset.y), 1)

    def _move(self, to: int) -> None:
        if self._count:
            self.cursor = max(0, min(to, self._count - 1))

    def action_cursor_down(self) -> None:
        self._move(self.cursor + 1)

    def action_cursor_up(self) -> None:
        self._move(self.cursor - 1)

    def action_first(self) -> None:
        self._move(0)

    def action_last(self) -> None:
        self._move(self._count - 1)

    def _page(self) -> int:
        return max(1, self.scrollable_content_region.height - 2)

    def action_page_down(self) -> None:
        self._move(self.cursor + self._page())

    def action_page_up(self) -> None:
        self._move(self.cursor - self._page())

    def action_choose(self) -> None:
        if self._count:
            self.post_message(self.Chosen(self, self.cursor))

    # ----------------------------------------------------------------- mouse
    def _row_at(self, event: events.MouseEvent) -> int:
        offset = event.get_content_offset(self)
        if offset is None or offset.y == 0:
            return -1
        row = offset.y - 1 + round(self.scroll_offset.y)
        return row if 0 <= row < self._count else -1

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        if row != self._hover:
            old, self._hover = self._hover, row
            self._refresh_row(old)
            self._refresh_row(row)

    def on_leave(self, event: events.Leave) -> None:
        old, self._hover = self._hover, -1
        self._refresh_row(old)

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if row < 0:
            return
        event.stop()
        self.cursor = row
        if event.chain >= 2 or self.has_focus:
            self.post_message(self.Chosen(self, row))
        self.focus()

    # ------------------------------------------------------------- rendering
    def _style(self, name: str) -> Style:
        component = f"row-table--{name}"
        partial = self.get_component_rich_style(component, partial=True)
        full = self.get_component_rich_style(component)
        return partial.without_color + Style.from_color(
            full.color if partial.color is not None else None,
            full.bgcolor if partial.bgcolor is not None else None,
        )

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        scroll_y = self.scroll_offset.y
        if y == 0:
            text = self._render_header(width)
            return self._strip(text, width, self._style("header"))
        row = scroll_y + y - 1
        if self._count == 0:
            if y == 2 and self._empty:
                return self._strip(Text("  " + self._empty), width, self._style("empty"))
            return Strip.blank(width, self.rich_style)
        if not 0 <= row < self._count:
            return Strip.blank(width, self.rich_style)
        key = (row if self._key is None else self._key(row), width, row == self.cursor,
               row == self._hover)
        strip = self._cache.get(key)
        if strip is None:
            style = Style()
            if row == self.cursor:
                style = self._style("cursor")
            elif row == self._hover:
                style = self._style("hover")
            strip = self._strip(self._render_row(row, width), width, style)
            self._cache[key] = strip
        return strip

    def _strip(self, text: Text, width: int, style: Style) -> Strip:
        text = text.copy()
        text.no_wrap = True
        text.end = ""
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(segments, width).apply_style(self.rich_style + style).simplify()


# --------------------------------------------------------------------- columns
class Column:
    """A column of a :class:`RowTable`: a fixed width, or a share of what is left.

    ``keep`` ranks the columns for a narrow table: the lowest are dropped first
    (the rightmost first among equals).
    """

    __slots__ = ("align", "flex", "keep", "minimum", "title", "width")

    def __init__(self, title: str, width: int = 0, *, flex: int = 0, minimum: int = 8,
                 align: str = "left", keep: int = 0) -> None:
        self.title = title
        self.width = width
        self.flex = flex
        self.minimum = minimum
        self.align = align
        self.keep = keep


def column_widths(columns: list[Column], width: int, gap: int = 2) -> list[int]:
    """Each column's width at ``width`` cells (one cell of margin on the left).

    Fixed columns get their width and flexible ones their minimum; what is left is
    shared by the flexible ones by their ``flex``. When even that does not fit,
    columns are dropped (width 0), lowest ``keep`` first, until it does.
    """
    kept = list(range(len(columns)))
    dropping = sorted(kept, key=lambda i: (columns[i].keep, -i))
    while kept:
        spare = width - 1 - gap * (len(kept) - 1) - sum(
            columns[i].width if not columns[i].flex else columns[i].minimum for i in kept)
        if spare >= 0 or len(kept) == 1:
            break
        kept.remove(dropping.pop(0))
    widths = [0] * len(columns)
    flexible = [i for i in kept if columns[i].flex]
    total = sum(columns[i].flex for i in flexible)
    for i in kept:
        column = columns[i]
        widths[i] = column.width if not column.flex else column.minimum
    spare = max(0, spare)
    given = 0
    for n, i in enumerate(flexible):
        extra = spare - given if n == len(flexible) - 1 else spare * columns[i].flex // total
        widths[i] += extra
        given += extra
    if len(kept) == 1 and widths[kept[0]] > width - 1:
        widths[kept[0]] = max(1, width - 1)
    return widths


def cells(parts: list[Text | str], columns: list[Column], widths: list[int],
          gap: int = 2) -> Text:
    """One line of cells, each cut or padded to its column's width."""
    line = Text(" ", no_wrap=True, end="")
    first = True
    for part, column, width in zip(parts, columns, widths):
        if not width:
            continue
        if not first:
            line.append(" " * gap)
        first = False
        text = part.copy() if isinstance(part, Text) else Text(part)
        text.no_wrap = True
        text.end = ""
        text.truncate(width, overflow="ellipsis")
        if text.cell_len < width:
            pad = " " * (width - text.cell_len)
            text = Text.assemble(pad, text) if column.align == "right" else text + pad
        line.append_text(text)
    return line
