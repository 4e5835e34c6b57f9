"""The reading view: one Line-API widget that draws a laid-out Document.

Only the lines on screen are turned into Strips, and those are cached, so the
cost of a keypress does not grow with the article. Everything the view marks
(the sentence cursor, search matches) is a span of document offsets, mapped to
screen lines through the Layout.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Offset, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.annotations.records import Highlight
from reader.document.cells import offset_at_column
from reader.document.layout import (
    LIST_INDENT,
    QUOTE_BAR,
    Layout,
    block_prefix_width,
    layout_document,
)
from reader.document.model import Block, BlockKind, Document
from reader.document.search import Matches
from reader.document.words import (
    next_word_end,
    next_word_start,
    previous_word_end,
    previous_word_start,
)

#: Articles up to this many characters are re-wrapped on the event loop.
SYNC_LAYOUT_LIMIT = 400_000
MIN_READING_WIDTH = 30
MAX_READING_WIDTH = 200
#: Drawn after the text where a highlight with a note ends.
NOTE_MARKER = "✎"
#: Drawn in the left margin beside the cursor's sentence.
CURSOR_BAR = "▎"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")

_EMPTY_DOCUMENT = Document(title="", source="", text="", blocks=[])


class ArticleView(ScrollView, can_focus=True):
    """Shows an article, wrapped to a reading width, with a sentence cursor."""

    COMPONENT_CLASSES = {
        "article-view--heading-1",
        "article-view--heading-2",
        "article-view--heading",
        "article-view--bold",
        "article-view--italic",
        "article-view--code",
        "article-view--code-block",
        "article-view--link",
        "article-view--strike",
        "article-view--footnote",
        "article-view--quote",
        "article-view--marker",
        "article-view--rule",
        "article-view--table-header",
        "article-view--cursor",
        "article-view--cursor-bar",
        "article-view--selection",
        "article-view--note-marker",
        "article-view--highlight-yellow",
        "article-view--highlight-green",
        "article-view--highlight-blue",
        "article-view--highlight-pink",
        "article-view--highlight-purple",
        "article-view--highlight-overlap",
        "article-view--search-match",
        "article-view--search-current",
    }

    BINDINGS = [
        Binding("j,down", "cursor_next", "Next sentence", id="cursor.next", show=False),
        Binding("k,up", "cursor_previous", "Previous sentence", id="cursor.previous", show=False),
        Binding("right_curly_bracket", "paragraph_next", "Next paragraph",
                id="paragraph.next", show=False),
        Binding("left_curly_bracket", "paragraph_previous", "Previous paragraph",
                id="paragraph.previous", show=False),
        Binding("right_square_bracket", "section_next", "Next section", id="section.next",
                show=False, tooltip="Move the cursor to the next section's first sentence"),
        Binding("left_square_bracket", "section_previous", "Prev section",
                id="section.previous", show=False,
                tooltip="Move the cursor to the previous section"),
        Binding("space,pagedown", "page_down", "Page down", id="page.down", show=False),
        Binding("b,pageup", "page_up", "Page up", id="page.up", show=False),
        Binding("g,home", "go_start", "Start", id="go.start", show=False),
        Binding("G,end", "go_end", "End", id="go.end", show=False),
        Binding("n", "search_next", "Next match", id="search.next", show=False),
        Binding("N", "search_previous", "Previous match", id="search.previous", show=False),
        Binding("plus,equals_sign", "wider", "Wider", id="width.wider", show=False,
                tooltip="Widen the reading column by 4 columns"),
        Binding("minus", "narrower", "Narrower", id="width.narrower", show=False,
                tooltip="Narrow the reading column by 4 columns"),
        Binding("o", "open_link", "Open link", id="link.open", show=False,
                tooltip="Open the first link in the current sentence"),
        Binding("v", "select", "Select", id="selection.start", show=False,
                tooltip="Start a selection at the cursor; j/k, {/} extend it, h highlights it"),
        Binding("escape", "cancel_selection", "Cancel selection", id="selection.cancel"),
        Binding("right", "selection_end(1)", "End +word", id="selection.end_right",
                tooltip="Move the selection's end one word right"),
        Binding("left", "selection_end(-1)", "End -word", id="selection.end_left",
                tooltip="Move the selection's end one word left"),
        Binding("shift+right", "selection_start(1)", "Start +word", id="selection.start_right",
                tooltip="Move the selection's start one word right"),
        Binding("shift+left", "selection_start(-1)", "Start -word", id="selection.start_left",
                tooltip="Move the selection's start one word left"),
    ]

    reading_width: var[int] = var(80)
    """Columns of the reading column; the view centres it."""

    cursor_index: var[int] = var(-1, init=False)
    """Index of the current sentence in the document, -1 when there is none."""

    class CursorMoved(Message):
        """The current sentence changed (by keys, scrolling or a new document)."""

        def __init__(self, view: ArticleView, offset: int) -> None:
            super().__init__()
            self.view = view
            self.offset = offset

        @property
        def control(self) -> ArticleView:
            return self.view

    class SearchChanged(Message):
        """The matches or the current match changed."""

        def __init__(self, view: ArticleView, current: int, total: int) -> None:
            super().__init__()
            self.view = view
            self.current = current
            self.total = total

        @property
        def control(self) -> ArticleView:
            return self.view

    def __init__(
        self,
        document: Document | None = None,
        *,
        reading_width: int = 80,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.document = document or _EMPTY_DOCUMENT
        self.layout_: Layout = Layout(width=0)
        self.set_reactive(ArticleView.reading_width, _clamp_width(reading_width))
        self._strip_cache: LRUCache[int, Strip] = LRUCache(1024)
        self.matches = Matches()
        self._pending_offset = 0
        self._highlights: list[Highlight] = []
        self._highlight_starts: list[int] = []
        self._longest_highlight = 0
        self._noted_ends: list[int] = []
        self._selection_anchor: tuple[int, int] | None = None
        self._selection: tuple[int, int] | None = None
        self._mouse_selection: tuple[int, int] | None = None

    # ----------------------------------------------------------------- document
    def set_document(self, document: Document, cursor_offset: int = 0) -> None:
        """Show ``document`` with the cursor on the sentence at ``cursor_offset``."""
        self.document = document
        self._pending_offset = cursor_offset
        self.layout_ = Layout(width=0)
        self._relayout(keep_offset=cursor_offset, top_row=None)

    def replace_document(self, document: Document, offset: int, layout: Layout | None) -> None:
        """Swap in a fuller version of the same article, keeping the reader's place.

        ``offset`` is where the cursor's sentence is in the new document; it
        stays on the same screen row. ``layout`` is used when it fits the width.
        """
        top_row = self._cursor_line() - round(self.scroll_offset.y)
        self.document = document
        self._pending_offset = offset
        if layout is not None and layout.width == self._text_width():
            self._install_layout(layout, offset, top_row)
        else:
            self._relayout(keep_offset=offset, top_row=top_row)
        if self.matches.query:
            self.search(self.matches.query, move=False)

    def text_width(self) -> int:
        """Columns the text is wrapped to now (the reading width, or less on a narrow screen)."""
        return self._text_width()

    @property
    def cursor_offset(self) -> int:
        """Start offset of the current sentence (0 when there is none)."""
        if self.cursor_index < 0 or self.cursor_index >= self.document.sentence_count:
            return self._pending_offset
        return self.document.sentence_starts[self.cursor_index]

    @property
    def cursor_span(self) -> tuple[int, int] | None:
        if 0 <= self.cursor_index < self.document.sentence_count:
            return self.document.sentence_span(self.cursor_index)
        return None

    # ------------------------------------------------------------------- layout
    def _content_width(self) -> int:
        return self.scrollable_content_region.width or self.size.width

    def _text_width(self) -> int:
        # Keep a column of margin on the left and room for the note marker on the right.
        available = self._content_width() - 1 - len(NOTE_MARKER) - 1
        return max(MIN_READING_WIDTH - 10, min(self.reading_width, max(available, 1)))

    def _relayout(self, *, keep_offset: int, top_row: int | None) -> None:
        width = self._text_width()
        if not self.size.width:
            return  # laid out on the first resize
        if len(self.document.text) <= SYNC_LAYOUT_LIMIT:
            self._install_layout(layout_document(self.document, width), keep_offset, top_row)
        else:
            self._layout_in_thread(self.document, width, keep_offset, top_row)

    @work(thread=True, exclusive=True, group="layout")
    def _layout_in_thread(
        self, document: Document, width: int, keep_offset: int, top_row: int | None
    ) -> None:
        layout = layout_document(document, width)
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._install_layout_if_current, document, layout,
                                      keep_offset, top_row)

    def _install_layout_if_current(
        self, document: Document, layout: Layout, keep_offset: int, top_row: int | None
    ) -> None:
        if document is self.document and layout.width == self._text_width():
            self._install_layout(layout, keep_offset, top_row)

    def _install_layout(self, layout: Layout, keep_offset: int, top_row: int | None) -> None:
        self.layout_ = layout
        self._strip_cache.clear()
        self.virtual_size = Size(layout.width, len(layout))
        index = self.document.sentence_index_at(keep_offset)
        self.set_reactive(ArticleView.cursor_index, index)
        line = self._cursor_line()
        if top_row is None:
            top_row = min(3, self.size.height // 4) if line > 3 else line
        top_row = max(0, min(top_row, self._height() - 1))
        self._scroll_y_to(max(0, line - top_row))
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor_offset))

    def on_resize(self, event: events.Resize) -> None:
        if self.layout_.width != self._text_width() or not len(self.layout_):
            top_row = None
            if len(self.layout_):
                top_row = self._cursor_line() - round(self.scroll_offset.y)
            self._relayout(keep_offset=self.cursor_offset, top_row=top_row)
        else:
            self.virtual_size = Size(self.layout_.width, len(self.layout_))
            self._strip_cache.clear()

    def watch_reading_width(self) -> None:
        if self.is_mounted and self.size.width:
            top_row = self._cursor_line() - round(self.scroll_offset.y)
            self._relayout(keep_offset=self.cursor_offset, top_row=top_row)

    def validate_reading_width(self, width: int) -> int:
        return _clamp_width(width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip_cache.clear()
        _combine.cache_clear()

    # --------------------------------------------------------------- rendering
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self.layout_):
            return Strip.blank(width, self.rich_style)
        strip = self._strip_cache.get(index)
        if strip is None:
            strip = self._render_strip(index)
            self._strip_cache[index] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_offsets(
            scroll_x, index
        )

    def _style(self, name: str) -> Style:
        """A component's own style, with its colours blended as Textual draws them.

        The partial style says which attributes the component sets; the full style
        has translucent colours (``$primary 25%``) already blended over the background.
        """
        component = f"article-view--{name}"
        partial = self.get_component_rich_style(component, partial=True)
        full = self.get_component_rich_style(component)
        return partial.without_color + Style.from_color(
            full.color if partial.color is not None else None,
            full.bgcolor if partial.bgcolor is not None else None,
        )

    def _render_strip(self, index: int) -> Strip:
        layout = self.layout_
        base = self.rich_style
        margin = max(0, (self._content_width() - layout.width) // 2)
        block_index = layout.blocks[index]
        if block_index < 0:
            return Strip([Segment(" " * margin, base)] if margin else [], margin)
        block = self.document.blocks[block_index]
        start, end = layout.starts[index], layout.ends[index]
        segments = self._margin_segments(margin, start, end, base)
        block_style = self._block_style(block)
        segments.extend(self._prefix_segments(block, bool(layout.first[index]), base))
        if block.kind is BlockKind.RULE:
            segments.append(Segment("─" * (layout.width - block_prefix_width(block)),
                                    base + self._style("rule")))
        else:
            segments.extend(self._text_segments(block, start, end, base + block_style))
            if self._note_ends_on(start, end):
                segments.append(Segment(" " + NOTE_MARKER, base + self._style("note-marker")))
        return Strip(segments)

    def _margin_segments(self, margin: int, start: int, end: int, base: Style) -> list[Segment]:
        """Blank margin, with a bar beside the lines of the cursor's sentence."""
        if not margin:
            return []
        cursor = self.cursor_span
        if margin >= 2 and cursor is not None and cursor[0] <= end and cursor[1] > start:
            return [Segment(" " * (margin - 2), base),
                    Segment(CURSOR_BAR, base + self._style("cursor-bar")),
                    Segment(" ", base)]
        return [Segment(" " * margin, base)]

    def _block_style(self, block: Block) -> Style:
        kind = block.kind
        if kind is BlockKind.HEADING:
            return self._style(f"heading-{block.level}" if block.level <= 2 else "heading")
        if kind is BlockKind.CODE or kind is BlockKind.HTML:
            return self._style("code-block")
        if kind is BlockKind.FOOTNOTE:
            return self._style("footnote")
        if block.quote:
            return self._style("quote")
        return Style()

    def _prefix_segments(self, block: Block, first_line: bool, base: Style) -> list[Segment]:
        segments: list[Segment] = []
        if block.quote:
            segments.append(Segment(QUOTE_BAR * block.quote, base + self._style("quote")))
        if block.depth:
            room = LIST_INDENT * block.depth + (1 if len(block.marker) > 2 else 0)
            if first_line and block.marker:
                segments.append(Segment(" " * (room - len(block.marker) - 1), base))
                segments.append(Segment(block.marker + " ", base + self._style("marker")))
            else:
                segments.append(Segment(" " * room, base))
        elif block.kind is BlockKind.FOOTNOTE:
            room = max(len(block.marker) + 1, 4)
            label = block.marker if first_line else ""
            segments.append(Segment(label.ljust(room), base + self._style("marker")))
        if block.kind is BlockKind.CODE or block.kind is BlockKind.HTML:
            segments.append(Segment("  ", base + self._style("code-block")))
        return segments

    def _text_segments(self, block: Block, start: int, end: int, style: Style) -> list[Segment]:
        text = self.document.text
        # Every place where the set of marks changes inside [start, end). Later marks
        # draw over earlier ones: inline styles, cursor, highlights, selection, search.
        marks: list[tuple[int, int, str]] = [
            (span.start, span.end, _SPAN_COMPONENT.get(span.style, "bold"))
            for span in block.spans
            if span.start < end and span.end > start
        ]
        cursor = self.cursor_span
        if cursor is not None and cursor[0] < end and cursor[1] > start:
            marks.append((cursor[0], cursor[1], "cursor"))
        marks.extend(self._highlight_marks(start, end))
        selection = self.selection_span
        if selection is not None and selection[0] < end and selection[1] > start:
            marks.append((selection[0], selection[1], "selection"))
        marks.extend(self._match_marks(start, end))
        if not marks:
            return [Segment(_clean(text[start:end]), style)] if end > start else []
        points = {start, end}
        for mark_start, mark_end, _ in marks:
            if start < mark_start < end:
                points.add(mark_start)
            if start < mark_end < end:
                points.add(mark_end)
        ordered = sorted(points)
        segments: list[Segment] = []
        for left, right in pairwise(ordered):
            names = tuple(name for s, e, name in marks if s <= left and e >= right)
            if sum(name.startswith("highlight-") for name in names) > 1:
                names += ("highlight-overlap",)
            piece_style = style + _combine(self, names) if names else style
            segments.append(Segment(_clean(text[left:right]), piece_style))
        return segments

    def _highlight_marks(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Highlights over [start, end), found by bisection on their starts."""
        if not self._highlight_starts:
            return []
        first = bisect_left(self._highlight_starts, start - self._longest_highlight)
        marks = []
        for index in range(first, len(self._highlight_starts)):
            highlight = self._highlights[index]
            if highlight.start >= end:
                break
            if highlight.end > start:
                marks.append((highlight.start, highlight.end, f"highlight-{highlight.color}"))
        return marks

    def _note_ends_on(self, start: int, end: int) -> bool:
        if not self._noted_ends:
            return False
        index = bisect_right(self._noted_ends, start)
        return index < len(self._noted_ends) and self._noted_ends[index] <= end

    def _match_marks(self, start: int, end: int) -> list[tuple[int, int, str]]:
        matches = self.matches
        return [
            (*matches.span(index),
             "search-current" if index == matches.current else "search-match")
            for index in matches.overlapping(start, end)
        ]

    # ------------------------------------------------------------------ cursor
    def _cursor_line(self) -> int:
        return self.layout_.line_at(self.cursor_offset) if len(self.layout_) else 0

    def _refresh_span_lines(self, span: tuple[int, int] | None) -> None:
        if span is None or not len(self.layout_):
            return
        lines = self.layout_.lines_for(*span)
        for line in lines:
            self._strip_cache.discard(line)
        self.refresh_lines(lines.start, len(lines))

    def watch_cursor_index(self, old: int, new: int) -> None:
        if self.selecting:
            self._extend_selection_to_cursor()
        document = self.document
        if 0 <= old < document.sentence_count:
            self._refresh_span_lines(document.sentence_span(old))
        if 0 <= new < document.sentence_count:
            self._refresh_span_lines(document.sentence_span(new))
        self.post_message(self.CursorMoved(self, self.cursor_offset))

    def move_cursor_to_offset(self, offset: int, *, top: bool = False) -> None:
        """Put the cursor on the sentence at ``offset`` and bring it into view."""
        if not self.document.sentence_count:
            return
        self.cursor_index = self.document.sentence_index_at(offset)
        self._scroll_to_cursor(top=top)

    def _height(self) -> int:
        return self.scrollable_content_region.height or self.size.height

    def _scroll_y_to(self, y: int) -> None:
        # force: right after a new layout Textual has not yet decided the view can scroll.
        self.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)

    def _scroll_to_cursor(self, *, top: bool = False) -> None:
        span = self.cursor_span
        if span is None or not len(self.layout_):
            return
        lines = self.layout_.lines_for(*span)
        height = self._height()
        scroll_y = round(self.scroll_offset.y)
        if top:
            self._scroll_y_to(max(0, lines.start - 2))
        elif lines.start < scroll_y:
            self._scroll_y_to(lines.start)
        elif lines.stop > scroll_y + height:
            target = min(lines.start, lines.stop - height)
            self._scroll_y_to(max(0, target))

    def _sentence_in_view(self, *, last: bool = False) -> int:
        """First (or last) sentence whose start is on screen."""
        layout = self.layout_
        height = self._height()
        top = round(self.scroll_offset.y)
        bottom = min(len(layout), top + height) - 1
        if last:
            for line in range(bottom, top - 1, -1):
                if layout.blocks[line] >= 0:
                    index = self.document.sentence_index_at(layout.ends[line] - 1)
                    if layout.line_at(self.document.sentence_starts[index]) >= top:
                        return index
            return self.cursor_index
        for line in range(top, bottom + 1):
            if layout.blocks[line] >= 0:
                index = self.document.first_sentence_from(layout.starts[line])
                if layout.line_at(self.document.sentence_starts[index]) >= top:
                    return index
        return self.cursor_index

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        span = self.cursor_span
        if span is None or not len(self.layout_):
            return
        height = self._height()
        top = round(new_value)
        line = self.layout_.line_at(span[0])
        if line < top or line >= top + height:
            self.cursor_index = self._sentence_in_view(last=line >= top + height)

    # ------------------------------------------------------------------ actions
    def _step(self, delta: int) -> None:
        if not self.document.sentence_count:
            return
        self.cursor_index = max(0, min(self.document.sentence_count - 1,
                                       self.cursor_index + delta))
        self._scroll_to_cursor()

    def action_cursor_next(self) -> None:
        self._step(1)

    def action_cursor_previous(self) -> None:
        self._step(-1)

    def action_paragraph_next(self) -> None:
        document = self.document
        block_index = document.block_index_at(self.cursor_offset)
        if block_index + 1 < len(document.blocks):
            nxt = document.first_sentence_from(document.blocks[block_index + 1].start)
            if nxt > self.cursor_index:
                self.cursor_index = nxt
        else:
            self.cursor_index = max(0, document.sentence_count - 1)
        self._scroll_to_cursor()

    def action_paragraph_previous(self) -> None:
        document = self.document
        if not document.sentence_count:
            return
        block_index = document.block_index_at(self.cursor_offset)
        own_first = document.first_sentence_from(document.blocks[block_index].start)
        if own_first < self.cursor_index:
            self.cursor_index = own_first
        elif block_index > 0:
            previous = document.block_index_at(document.blocks[block_index].start - 1)
            self.cursor_index = document.first_sentence_from(document.blocks[previous].start)
        self._scroll_to_cursor()

    def action_section_next(self) -> None:
        offset = self.cursor_offset
        for section in self.document.sections:
            if section.start > offset:
                self.move_cursor_to_offset(section.start, top=True)
                return

    def action_section_previous(self) -> None:
        offset = self.cursor_offset
        for section in reversed(self.document.sections):
            if section.start < offset:
                self.move_cursor_to_offset(section.start, top=True)
                return
        if self.document.sentence_count:
            self.move_cursor_to_offset(0, top=True)

    def go_to_section(self, index: int) -> None:
        """Jump to section ``index`` (its heading at the top of the view)."""
        if 0 <= index < len(self.document.sections):
            self.move_cursor_to_offset(self.document.sections[index].start, top=True)
            self.focus()

    def _page(self, direction: int) -> None:
        height = self._height()
        target = round(self.scroll_offset.y) + direction * max(1, height - 1)
        target = max(0, min(target, max(0, len(self.layout_) - height)))
        if target == round(self.scroll_offset.y):
            self._step(direction * self.document.sentence_count)
            return
        self._scroll_y_to(target)
        if self.document.sentence_count:
            self.cursor_index = self._sentence_in_view()

    def action_page_down(self) -> None:
        self._page(1)

    def action_page_up(self) -> None:
        self._page(-1)

    def action_go_start(self) -> None:
        if self.document.sentence_count:
            self.cursor_index = 0
        self._scroll_y_to(0)

    def action_go_end(self) -> None:
        if self.document.sentence_count:
            self.cursor_index = self.document.sentence_count - 1
        self._scroll_y_to(len(self.layout_) - self._height())

    def action_wider(self) -> None:
        self.reading_width += 4
        self.notify(f"Reading width {self.reading_width} columns", timeout=1.5)

    def action_narrower(self) -> None:
        self.reading_width -= 4
        self.notify(f"Reading width {self.reading_width} columns", timeout=1.5)

    def action_open_link(self) -> None:
        span = self.cursor_span
        if span is None:
            return
        for href in self._links_in(*span):
            self.app.open_url(href)
            self.notify(f"Opening {href}", timeout=2)
            return
        self.notify("No link in this sentence", severity="warning", timeout=2)

    def _links_in(self, start: int, end: int) -> list[str]:
        block = self.document.blocks[self.document.block_index_at(start)]
        return [
            span.href for span in block.spans
            if span.style == "link" and span.href and span.start < end and span.end > start
        ]

    # -------------------------------------------------------------- highlights
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Draw these highlights (detached ones are skipped: they have no place)."""
        attached = sorted((h for h in highlights if not h.detached),
                          key=lambda h: (h.start, h.end))
        self._highlights = attached
        self._highlight_starts = [h.start for h in attached]
        self._longest_highlight = max((h.end - h.start for h in attached), default=0)
        self._noted_ends = sorted(h.end for h in attached if h.has_note)
        self._strip_cache.clear()
        self.refresh()

    def highlights_over(self, start: int, end: int) -> list[Highlight]:
        """Highlights that share any text with [start, end), in document order."""
        return [h for h in self._highlights if h.start < max(end, start + 1) and h.end > start]

    # --------------------------------------------------------------- selection
    @property
    def selection_span(self) -> tuple[int, int] | None:
        """The keyboard selection, else the mouse selection, else None."""
        return self._selection or self._mouse_selection

    @property
    def selecting(self) -> bool:
        return self._selection_anchor is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("selection_end", "selection_start", "cancel_selection"):
            return self.selecting or (action == "cancel_selection" and
                                      self._mouse_selection is not None)
        return True

    def action_select(self) -> None:
        span = self.cursor_span
        if span is None:
            return
        if self.selecting:
            self.clear_selection()
            return
        self._selection_anchor = span
        self._set_selection(span)
        self.refresh_bindings()

    def action_cancel_selection(self) -> None:
        self.clear_selection()

    def clear_selection(self) -> None:
        """Drop the keyboard and the mouse selection."""
        old = self.selection_span
        self._selection_anchor = None
        self._selection = None
        self._mouse_selection = None
        if self.text_selection is not None:
            self.screen.clear_selection()
        self._refresh_span_lines(old)
        self.refresh_bindings()

    def _set_selection(self, span: tuple[int, int] | None) -> None:
        old = self._selection
        self._selection = span
        self._refresh_span_lines(old)
        self._refresh_span_lines(span)

    def _extend_selection_to_cursor(self) -> None:
        anchor, cursor = self._selection_anchor, self.cursor_span
        if anchor is None or cursor is None:
            return
        self._set_selection((min(anchor[0], cursor[0]), max(anchor[1], cursor[1])))

    def action_selection_end(self, direction: int) -> None:
        if self._selection is None:
            return
        start, end = self._selection
        text = self.document.text
        end = next_word_end(text, end) if direction > 0 else previous_word_end(text, end, start)
        self._set_selection((start, end))

    def action_selection_start(self, direction: int) -> None:
        if self._selection is None:
            return
        start, end = self._selection
        text = self.document.text
        start = (next_word_start(text, start, end) if direction > 0
                 else previous_word_start(text, start))
        self._set_selection((start, end))

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        span = self._span_of(selection)
        if span is None:
            return None
        return self.document.text[span[0] : span[1]], "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        old = self._mouse_selection
        self._mouse_selection = None if selection is None else self._span_of(selection)
        self._refresh_span_lines(old)
        self._refresh_span_lines(self._mouse_selection)
        self.refresh_bindings()

    def _span_of(self, selection: Selection) -> tuple[int, int] | None:
        """Document offsets of a mouse selection (given in strip cells and lines)."""
        layout = self.layout_
        if not len(layout):
            return None
        first = selection.start or Offset(0, 0)
        last = selection.end or Offset(0, len(layout) - 1)
        start = self._offset_of_cell(first.x, first.y, end=False)
        end = self._offset_of_cell(last.x, last.y, end=True)
        if start is None or end is None or end <= start:
            return None
        return start, end

    def _offset_of_cell(self, x: int, line: int, *, end: bool) -> int | None:
        layout = self.layout_
        line = max(0, min(line, len(layout) - 1))
        if layout.blocks[line] < 0:
            return layout.starts[line]
        block = self.document.blocks[layout.blocks[line]]
        margin = max(0, (self._content_width() - layout.width) // 2)
        column = x - margin - block_prefix_width(block)
        start, stop = layout.starts[line], layout.ends[line]
        return offset_at_column(self.document.text, start, stop, column)

    # ------------------------------------------------------------------- mouse
    def on_click(self, event: events.Click) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        self.cursor_index = self.document.sentence_index_at(offset)
        if event.chain == 1:
            links = self._links_in(offset, offset + 1)
            if links and event.ctrl is False:
                self.app.open_url(links[0])

    def offset_at(self, x: int, y: int) -> int | None:
        """The document offset under widget coordinates (x, y), if any text is there."""
        line = round(self.scroll_offset.y) + y
        layout = self.layout_
        if not (0 <= line < len(layout)) or layout.blocks[line] < 0:
            return None
        block = self.document.blocks[layout.blocks[line]]
        margin = max(0, (self._content_width() - layout.width) // 2)
        column = x + round(self.scroll_offset.x) - margin - block_prefix_width(block)
        start, end = layout.starts[line], layout.ends[line]
        return min(end - 1 if end > start else start,
                   offset_at_column(self.document.text, start, end, column))

    # ------------------------------------------------------------------ search
    def search(self, query: str, *, move: bool = True) -> int:
        """Mark every match of ``query`` and go to the first one at or after the cursor."""
        self.matches = Matches.find(self.document.text, query)
        self._strip_cache.clear()
        self.refresh()
        if move and self.matches:
            self._go_to_match(self.matches.first_from(self.cursor_offset))
        else:
            self._announce_search()
        return len(self.matches)

    def clear_search(self) -> None:
        self.search("", move=False)

    def _go_to_match(self, index: int) -> None:
        self.matches.current = index
        start, end = self.matches.span(index)
        self.cursor_index = self.document.sentence_index_at(start)
        lines = self.layout_.lines_for(start, end)
        height = self._height()
        top = round(self.scroll_offset.y)
        if lines.start < top or lines.stop > top + height:
            self._scroll_y_to(lines.start - height // 3)
        self._strip_cache.clear()
        self.refresh()
        self._announce_search()

    def _announce_search(self) -> None:
        self.post_message(self.SearchChanged(self, self.matches.current + 1, len(self.matches)))

    def action_search_next(self) -> None:
        if not self.matches:
            if self.matches.query:
                self.notify(f"No match for “{self.matches.query}”", severity="warning",
                            timeout=2)
            return
        index, wrapped = self.matches.after(self._search_origin())
        if wrapped:
            self.notify("Search wrapped to the start", timeout=1.5)
        self._go_to_match(index)

    def action_search_previous(self) -> None:
        if not self.matches:
            return
        index, wrapped = self.matches.before(self._search_origin())
        if wrapped:
            self.notify("Search wrapped to the end", timeout=1.5)
        self._go_to_match(index)

    def _search_origin(self) -> int:
        """Where n/N count from: the current match if it is in the cursor's sentence."""
        matches = self.matches
        if 0 <= matches.current < len(matches):
            start = matches.starts[matches.current]
            span = self.cursor_span
            if span is not None and span[0] <= start < max(span[1], span[0] + 1):
                return start
        return self.cursor_offset

    @property
    def match_count(self) -> int:
        return len(self.matches)


_SPAN_COMPONENT = {
    "bold": "bold",
    "italic": "italic",
    "code": "code",
    "link": "link",
    "strike": "strike",
    "footnote_ref": "footnote",
    "image": "italic",
    "table_header": "table-header",
}


@lru_cache(maxsize=512)
def _combine(view: ArticleView, names: tuple[str, ...]) -> Style:
    style = Style()
    for name in names:
        style += view._style(name)
    return style


def _clean(text: str) -> str:
    return _CONTROL.sub("\ufffd", text) if _CONTROL.search(text) else text


def _clamp_width(width: int) -> int:
    return max(MIN_READING_WIDTH, min(MAX_READING_WIDTH, width))
