"""The article view's selections as document spans: keyboard (v) and mouse, and cells to offsets.

The view draws the reading column ``margin`` cells from its left edge; each
line starts with its block's prefix. The pure functions here undo that to find
the text under a click or a mouse selection, and move a selection's ends by
words. :class:`SelectionKeeper` holds the view's selections.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.geometry import Offset
from textual.selection import Selection

from reader.document.layout import Layout, block_prefix_width, column_offset
from reader.document.model import Document
from reader.document.words import (
    next_word_end,
    next_word_start,
    previous_word_end,
    previous_word_start,
)

if TYPE_CHECKING:
    from reader.tui.widgets.article_view import ArticleView


def offset_of_cell(document: Document, layout: Layout, margin: int, x: int, line: int,
                   *, end: bool) -> int | None:
    """The offset at strip cell ``x`` of layout ``line`` (clamped to the layout)."""
    line = max(0, min(line, len(layout) - 1))
    if layout.blocks[line] < 0:
        return layout.starts[line]
    block = document.blocks[layout.blocks[line]]
    column = x - margin - block_prefix_width(block)
    return column_offset(document.text, layout, line, column)


def span_of_cells(document: Document, layout: Layout, margin: int,
                  first: Offset | None, last: Offset | None) -> tuple[int, int] | None:
    """Document offsets of a mouse selection (given in strip cells and lines;
    a missing end is the start or the end of the layout)."""
    if not len(layout):
        return None
    first = first or Offset(0, 0)
    last = last or Offset(0, len(layout) - 1)
    start = offset_of_cell(document, layout, margin, first.x, first.y, end=False)
    end = offset_of_cell(document, layout, margin, last.x, last.y, end=True)
    if start is None or end is None or end <= start:
        return None
    return start, end


def offset_under(document: Document, layout: Layout, margin: int, column: int,
                 line: int) -> int | None:
    """The offset drawn at ``column`` of layout ``line``, if any text is there."""
    if not (0 <= line < len(layout)) or layout.blocks[line] < 0:
        return None
    block = document.blocks[layout.blocks[line]]
    column = column - margin - block_prefix_width(block)
    start, end = layout.starts[line], layout.ends[line]
    return min(end - 1 if end > start else start,
               column_offset(document.text, layout, line, column))


def move_selection_end(text: str, span: tuple[int, int], direction: int) -> tuple[int, int]:
    """``span`` with its end one word right (``direction`` > 0) or left."""
    start, end = span
    end = next_word_end(text, end) if direction > 0 else previous_word_end(text, end, start)
    return start, end


def move_selection_start(text: str, span: tuple[int, int], direction: int) -> tuple[int, int]:
    """``span`` with its start one word right (``direction`` > 0) or left."""
    start, end = span
    start = (next_word_start(text, start, end) if direction > 0
             else previous_word_start(text, start))
    return start, end


class SelectionKeeper:
    """The keyboard selection (an anchor sentence, extended by the cursor and by
    words) and the mouse selection of one :class:`ArticleView`.

    The view owns it and keeps the bindings; the keeper redraws the lines a
    change touches.
    """

    def __init__(self, view: ArticleView) -> None:
        self._view = view
        self.anchor: tuple[int, int] | None = None
        self.keyboard: tuple[int, int] | None = None
        self.mouse: tuple[int, int] | None = None

    @property
    def span(self) -> tuple[int, int] | None:
        """The keyboard selection, else the mouse selection, else None."""
        return self.keyboard or self.mouse

    def toggle(self) -> None:
        """Start a selection at the cursor's sentence, or drop the one being made."""
        view = self._view
        span = view.cursor_span
        if span is None:
            return
        if self.anchor is not None:
            self.clear()
            return
        self.anchor = span
        self._set(span)
        view.refresh_bindings()

    def clear(self) -> None:
        """Drop the keyboard and the mouse selection."""
        view = self._view
        old = self.span
        self.anchor = None
        self.keyboard = None
        self.mouse = None
        if view.text_selection is not None:
            view.screen.clear_selection()
        view.refresh_span_lines(old)
        view.refresh_bindings()

    def _set(self, span: tuple[int, int] | None) -> None:
        old = self.keyboard
        self.keyboard = span
        self._view.refresh_span_lines(old)
        self._view.refresh_span_lines(span)

    def extend_to_cursor(self) -> None:
        """Stretch the keyboard selection from its anchor over the cursor's sentence."""
        anchor, cursor = self.anchor, self._view.cursor_span
        if anchor is None or cursor is None:
            return
        self._set((min(anchor[0], cursor[0]), max(anchor[1], cursor[1])))

    def move_end(self, direction: int) -> None:
        """Move the keyboard selection's end a word right (1) or left (-1)."""
        if self.keyboard is None:
            return
        self._set(move_selection_end(self._view.document.text, self.keyboard, direction))

    def move_start(self, direction: int) -> None:
        """Move the keyboard selection's start a word right (1) or left (-1)."""
        if self.keyboard is None:
            return
        self._set(move_selection_start(self._view.document.text, self.keyboard, direction))

    def span_of(self, selection: Selection) -> tuple[int, int] | None:
        """Document offsets of a mouse selection (given in strip cells and lines)."""
        view = self._view
        return span_of_cells(view.document, view.layout_, view.left_margin(),
                             selection.start, selection.end)

    def mouse_changed(self, selection: Selection | None) -> None:
        """Textual's selection of the view changed (None: it was cleared)."""
        old = self.mouse
        self.mouse = None if selection is None else self.span_of(selection)
        self._view.refresh_span_lines(old)
        self._view.refresh_span_lines(self.mouse)
        self._view.refresh_bindings()
