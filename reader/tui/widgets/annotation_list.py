"""The entries of the highlights panel, drawn as grouped rows by a Line-API widget.

The list is a Line-API widget: ``set_highlights`` only builds a list of rows,
and a row becomes a Strip when it scrolls into view, so an article with
thousands of highlights costs nothing until it is looked at.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from rich.cells import cell_len
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

from reader.annotations.records import COLORS, Highlight
from reader.document.inert import inert
from reader.tui.widgets.annotation_rows import Row, group_rows

#: The colour bar at the left of every entry.
SWATCH = "▌"
#: Marks the note preview, as the article view marks a highlight with a note.
NOTE_MARKER = "✎ "
#: Between a note and the tags after it.
TAG_GAP = "  "
#: Cells a note keeps beside tags too long to leave it more (the marker and a word's start).
MIN_NOTE_CELLS = 6


def _one_line(text: str) -> str:
    return " ".join(inert(text).split())


class AnnotationList(ScrollView, can_focus=True):
    """The entries of :class:`AnnotationPanel`; group headers are never the cursor.

    Component classes (``annotation-panel--yellow`` … ``--purple`` for the
    swatches) let a theme restyle every part of an entry.
    """

    COMPONENT_CLASSES = {
        "annotation-panel--group",
        "annotation-panel--message",
        "annotation-panel--text",
        "annotation-panel--note",
        "annotation-panel--tag",
        "annotation-panel--cursor",
        "annotation-panel--hover",
        *(f"annotation-panel--{color}" for color in COLORS),
    }

    BINDINGS = [
        Binding("down,j", "cursor_down", "Next", id="annotations.next", show=False),
        Binding("up,k", "cursor_up", "Previous", id="annotations.previous", show=False),
        Binding("home,g", "first", "First", id="annotations.first", show=False),
        Binding("end,G", "last", "Last", id="annotations.last", show=False),
        Binding("pagedown", "page_down", "Page down", id="annotations.page_down", show=False),
        Binding("pageup", "page_up", "Page up", id="annotations.page_up", show=False),
        Binding("enter", "select", "Go to", id="annotations.select",
                tooltip="Show this highlight in the article"),
    ]

    cursor: var[int] = var(-1, init=False)
    """Row of the entry under the cursor, -1 when the list has no entries."""

    class EntrySelected(Message):
        """An entry was chosen with enter or a click (the panel re-posts it)."""

        def __init__(self, entries: AnnotationList, highlight_id: str) -> None:
            super().__init__()
            self.entries = entries
            self.highlight_id = highlight_id

        @property
        def control(self) -> AnnotationList:
            return self.entries

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._rows: list[Row] = []
        self._entry_rows: list[int] = []
        self._row_of: dict[str, int] = {}
        # Attached entries by start offset, for mark_nearest.
        self._starts: list[int] = []
        self._start_rows: list[int] = []
        # Line layout, for the current width: first line of each row, row of each line.
        self._row_top: list[int] = []
        self._line_row: list[int] = []
        self._wrapped: dict[int, list[Text]] = {}
        self._layout_width = 0
        self._hover = -1
        self._strip_cache: LRUCache[tuple[int, int, bool, bool], Strip] = LRUCache(512)

    # ------------------------------------------------------------------- rows
    def set_entries(
        self,
        highlights: Sequence[Highlight],
        *,
        keep: str | None = None,
        same_place: bool = False,
        empty_message: str = "No highlights yet.",
    ) -> None:
        """Show ``highlights``; the cursor stays on ``keep`` if it is still listed,
        otherwise it goes to the entry at the same place in the list (``same_place``)
        or to the first."""
        old_ordinal = self._ordinal(self.cursor) if same_place else 0
        self._rows = group_rows(highlights) or [Row("message", empty_message)]
        self._entry_rows = [n for n, row in enumerate(self._rows) if row.kind == "entry"]
        self._row_of = {self._rows[n].highlight.id: n for n in self._entry_rows}
        attached = sorted(
            (self._rows[n].highlight.start, n)
            for n in self._entry_rows
            if not self._rows[n].highlight.detached
        )
        self._starts = [start for start, _ in attached]
        self._start_rows = [row for _, row in attached]
        self._hover = -1
        self._relayout()
        if keep is not None and keep in self._row_of:
            cursor = self._row_of[keep]
        elif self._entry_rows:
            cursor = self._entry_rows[min(max(old_ordinal, 0), len(self._entry_rows) - 1)]
        else:
            cursor = -1
        self.set_reactive(AnnotationList.cursor, cursor)
        self.scroll_to_cursor()

    @property
    def entry_ids(self) -> list[str]:
        """Ids of the listed entries, top to bottom."""
        return [self._rows[n].highlight.id for n in self._entry_rows]

    @property
    def cursor_id(self) -> str | None:
        highlight = self._highlight_at(self.cursor)
        return highlight.id if highlight else None

    def move_to_id(self, highlight_id: str) -> bool:
        """Put the cursor on ``highlight_id``; False when it is not listed."""
        row = self._row_of.get(highlight_id)
        if row is None:
            return False
        self.cursor = row
        return True

    def row_nearest(self, offset: int) -> int:
        """Row of the attached entry nearest to document ``offset`` (-1 if none)."""
        if not self._starts:
            return -1
        index = bisect_right(self._starts, offset)
        best, best_distance = -1, 0
        for candidate in (index - 1, index):
            if not 0 <= candidate < len(self._starts):
                continue
            row = self._start_rows[candidate]
            highlight = self._rows[row].highlight
            if highlight.start <= offset < highlight.end:
                distance = 0
            else:
                distance = min(abs(offset - highlight.start), abs(offset - highlight.end))
            if best < 0 or distance < best_distance:
                best, best_distance = row, distance
        return best

    def _highlight_at(self, row: int) -> Highlight | None:
        if 0 <= row < len(self._rows):
            return self._rows[row].highlight
        return None

    def _ordinal(self, row: int) -> int:
        """Position of entry ``row`` among the entries (-1 for none)."""
        index = bisect_left(self._entry_rows, row)
        if index < len(self._entry_rows) and self._entry_rows[index] == row:
            return index
        return -1

    # ----------------------------------------------------------------- layout
    def _width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def _row_height(self, row: Row, width: int, index: int) -> int:
        if row.kind == "entry":
            highlight = row.highlight
            return 2 if highlight.has_note or highlight.tags else 1
        if row.kind == "gap":
            return 1
        lines = Text(inert(row.text)).wrap(self.app.console, max(width, 1))
        self._wrapped[index] = list(lines)
        return max(1, len(lines))

    def _relayout(self) -> None:
        """Map rows to lines at the current width (headers and messages wrap)."""
        width = self._width()
        self._layout_width = width
        self._wrapped = {}
        self._strip_cache.clear()
        row_top: list[int] = []
        line_row: list[int] = []
        if width:
            for index, row in enumerate(self._rows):
                row_top.append(len(line_row))
                line_row.extend([index] * self._row_height(row, width, index))
        self._row_top = row_top
        self._line_row = line_row
        self.virtual_size = Size(width, len(line_row))
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        if self._width() != self._layout_width:
            self._relayout()
            self.scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip_cache.clear()

    def _row_span(self, row: int) -> tuple[int, int]:
        """(first line, line count) of ``row``."""
        if not 0 <= row < len(self._row_top):
            return 0, 0
        top = self._row_top[row]
        end = self._row_top[row + 1] if row + 1 < len(self._row_top) else len(self._line_row)
        return top, end - top

    def scroll_to_cursor(self) -> None:
        """Bring the cursor's entry into view, with its group header when it is first."""
        top, height = self._row_span(self.cursor)
        if not height:
            return
        if self.cursor > 0 and self._rows[self.cursor - 1].kind == "group":
            header_top, header_height = self._row_span(self.cursor - 1)
            if header_height + height <= self.scrollable_content_region.height:
                top, height = header_top, header_height + height
        self.scroll_to_region(
            Region(0, top, max(self._layout_width, 1), height),
            animate=False,
            force=True,
            immediate=True,
        )

    # ----------------------------------------------------------------- cursor
    def watch_cursor(self, old: int, new: int) -> None:
        for row in (old, new):
            top, height = self._row_span(row)
            if height:
                self.refresh_lines(top, height)
        self.scroll_to_cursor()

    def _step(self, direction: int) -> None:
        if not self._entry_rows:
            return
        index = self._ordinal(self.cursor)
        last = len(self._entry_rows) - 1
        index = 0 if index < 0 else max(0, min(index + direction, last))
        self.cursor = self._entry_rows[index]

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        if self._entry_rows:
            self.cursor = self._entry_rows[0]

    def action_last(self) -> None:
        if self._entry_rows:
            self.cursor = self._entry_rows[-1]

    def _page(self, direction: int) -> None:
        if not self._entry_rows or not self._line_row:
            return
        top, _ = self._row_span(self.cursor)
        line = max(0, min(top + direction * self.scrollable_content_region.height,
                          len(self._line_row) - 1))
        row = self._line_row[line]
        index = bisect_left(self._entry_rows, row)
        if direction < 0 and (index >= len(self._entry_rows) or self._entry_rows[index] != row):
            index -= 1
        index = max(0, min(index, len(self._entry_rows) - 1))
        self.cursor = self._entry_rows[index]

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_select(self) -> None:
        highlight_id = self.cursor_id
        if highlight_id is not None:
            self.post_message(self.EntrySelected(self, highlight_id))

    # ------------------------------------------------------------------ mouse
    def _row_at(self, event: events.MouseEvent) -> int:
        offset = event.get_content_offset(self)
        if offset is None:
            return -1
        line = offset.y + round(self.scroll_offset.y)
        if 0 <= line < len(self._line_row):
            return self._line_row[line]
        return -1

    def _set_hover(self, row: int) -> None:
        if row == self._hover:
            return
        for old_or_new in (self._hover, row):
            top, height = self._row_span(old_or_new)
            if height:
                self.refresh_lines(top, height)
        self._hover = row

    def on_mouse_move(self, event: events.MouseMove) -> None:
        row = self._row_at(event)
        self._set_hover(row if self._highlight_at(row) else -1)

    def on_leave(self, event: events.Leave) -> None:
        self._set_hover(-1)

    def on_click(self, event: events.Click) -> None:
        row = self._row_at(event)
        if self._highlight_at(row) is None:
            return  # a group header, a gap or below the last entry
        event.stop()
        self.cursor = row
        self.post_message(self.EntrySelected(self, self._rows[row].highlight.id))

    # -------------------------------------------------------------- rendering
    def _style(self, name: str) -> Style:
        """A component's own attributes, with translucent colours blended as Textual
        draws them (so ``$accent 30%`` works over any background)."""
        component = f"annotation-panel--{name}"
        partial = self.get_component_rich_style(component, partial=True)
        full = self.get_component_rich_style(component)
        return partial.without_color + Style.from_color(
            full.color if partial.color is not None else None,
            full.bgcolor if partial.bgcolor is not None else None,
        )

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        line = scroll_y + y
        width = self.size.width
        if not 0 <= line < len(self._line_row):
            return Strip.blank(width, self.rich_style)
        row = self._line_row[line]
        key = (row, line - self._row_top[row], row == self.cursor, row == self._hover)
        strip = self._strip_cache.get(key)
        if strip is None:
            strip = self._render_row_line(*key)
            self._strip_cache[key] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _render_row_line(self, index: int, line: int, cursor: bool, hover: bool) -> Strip:
        row = self._rows[index]
        width = self._layout_width
        base = self.rich_style
        if cursor:
            base += self._style("cursor")
        elif hover:
            base += self._style("hover")
        if row.kind == "entry":
            text = self._entry_line(row.highlight, line)
        elif row.kind == "gap":
            text = Text()
        else:
            wrapped = self._wrapped.get(index)
            text = (wrapped[line].copy() if wrapped and line < len(wrapped)
                    else Text(inert(row.text)))
            text.stylize(self._style("group" if row.kind == "group" else "message"))
        text.truncate(width, overflow="ellipsis", pad=True)
        segments = list(text.render(self.app.console))
        return Strip(segments, width).apply_style(base).simplify()

    def _entry_line(self, highlight: Highlight, line: int) -> Text:
        swatch = self._style(highlight.color)
        if line == 0:
            return Text.assemble(
                (SWATCH, swatch), " ", (_one_line(highlight.text), self._style("text")),
                no_wrap=True, end="",
            )
        text = Text.assemble((SWATCH, swatch), " ", no_wrap=True, end="")
        tags = " ".join(f"#{inert(tag)}" for tag in highlight.tags)
        if highlight.has_note:
            first_line = inert(next(
                (part for part in highlight.note.splitlines() if part.strip()), ""
            ))
            note = Text(NOTE_MARKER + first_line.strip(), self._style("note"), end="")
            if tags:
                # The tags keep their room: a long note is cut short before them.
                room = self._layout_width - text.cell_len - len(TAG_GAP) - cell_len(tags)
                note.truncate(max(room, MIN_NOTE_CELLS), overflow="ellipsis")
            text.append_text(note)
        if tags:
            if highlight.has_note:
                text.append(TAG_GAP)
            text.append(tags, self._style("tag"))
        return text
