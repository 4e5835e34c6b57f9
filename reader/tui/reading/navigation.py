"""Moving the article view's sentence cursor, and scrolling to keep it in view.

The functions are pure: given the document (and its layout) they say which
sentence a paragraph, section or page move lands on. :class:`Navigator` applies
them to the view that owns it, which keeps the key bindings and their actions.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from reader.document.layout import Layout
from reader.document.model import Document

if TYPE_CHECKING:
    from reader.tui.widgets.article_view import ArticleView


def next_paragraph_sentence(document: Document, cursor_index: int,
                            cursor_offset: int) -> int | None:
    """The sentence ``}`` moves to: the first of the next block (None to stay)."""
    block_index = document.block_index_at(cursor_offset)
    if block_index + 1 < len(document.blocks):
        nxt = document.first_sentence_from(document.blocks[block_index + 1].start)
        return nxt if nxt > cursor_index else None
    return max(0, document.sentence_count - 1)


def previous_paragraph_sentence(document: Document, cursor_index: int,
                                cursor_offset: int) -> int | None:
    """The sentence ``{`` moves to: the first of this block, or else of the one before
    (None to stay). The document must have sentences."""
    block_index = document.block_index_at(cursor_offset)
    own_first = document.first_sentence_from(document.blocks[block_index].start)
    if own_first < cursor_index:
        return own_first
    if block_index > 0:
        previous = document.block_index_at(document.blocks[block_index].start - 1)
        return document.first_sentence_from(document.blocks[previous].start)
    return None


def section_landing(document: Document, index: int) -> int:
    """The sentence a section move lands on in section ``index``: the first
    sentence of its text, or its heading when text of its own comes only after
    the next heading (or never)."""
    sections = document.sections
    section = sections[index]
    heading = document.sentence_index_at(section.start)
    heading_end = document.blocks[section.block_index].end
    following = sections[index + 1].start if index + 1 < len(sections) else len(document.text)
    first = document.first_sentence_from(heading_end)
    if first > heading and heading_end <= document.sentence_starts[first] < following:
        return first
    return heading


def _section_before(document: Document, offset: int) -> int | None:
    """Index of the last section starting at or before ``offset`` (None before the first)."""
    found = None
    for index, section in enumerate(document.sections):
        if section.start > offset:
            break
        found = index
    return found


def next_section_sentence(document: Document, cursor_offset: int) -> int | None:
    """The sentence ``]`` moves to: the landing of the next section (None to stay)."""
    if not document.sentence_count:
        return None
    for index, section in enumerate(document.sections):
        if section.start > cursor_offset:
            return section_landing(document, index)
    return None


def previous_section_sentence(document: Document, cursor_index: int,
                              cursor_offset: int) -> int | None:
    """The sentence ``[`` moves to: the landing of the section the cursor is in when
    the cursor is past it, else of the section before; the article's first sentence
    before the first section (None to stay)."""
    if not document.sentence_count:
        return None
    current = _section_before(document, cursor_offset)
    if current is not None:
        landing = section_landing(document, current)
        if landing < cursor_index:
            return landing
        if current > 0:
            return section_landing(document, current - 1)
    return 0 if cursor_index > 0 else None


def sentence_in_view(document: Document, layout: Layout, top: int, height: int,
                     current: int, *, last: bool = False) -> int:
    """First (or last) sentence whose start is on lines [top, top + height);
    ``current`` when no sentence starts there."""
    bottom = min(len(layout), top + height) - 1
    if last:
        for line in range(bottom, top - 1, -1):
            if layout.blocks[line] >= 0:
                index = document.sentence_index_at(layout.ends[line] - 1)
                if layout.line_at(document.sentence_starts[index]) >= top:
                    return index
        return current
    for line in range(top, bottom + 1):
        if layout.blocks[line] >= 0:
            index = document.first_sentence_from(layout.starts[line])
            if layout.line_at(document.sentence_starts[index]) >= top:
                return index
    return current


def links_in(document: Document, start: int, end: int) -> list[str]:
    """Targets of the links that overlap [start, end) in the block at ``start``."""
    block = document.blocks[document.block_index_at(start)]
    return [
        span.href for span in block.spans
        if span.style == "link" and span.href and span.start < end and span.end > start
    ]


Jump = Literal["start", "end"]


class Navigator:
    """Moves the cursor of one :class:`ArticleView` and scrolls it into view.

    ``g`` and ``G`` on a part of the article (a preview, while the rest is
    parsed) are remembered, so that they can still take the reader to the
    article's real start or end once it is all there.
    """

    def __init__(self, view: ArticleView) -> None:
        self._view = view
        #: A g/G made on a partial document: (where, document, cursor index, scroll y).
        self._jump: tuple[Jump, Document, int, int] | None = None
        #: A g/G to make again once this document's layout is installed.
        self._jump_on_layout: tuple[Jump, Document] | None = None

    # -------------------------------------------------------------- scrolling
    def height(self) -> int:
        """Lines the view shows."""
        view = self._view
        return view.scrollable_content_region.height or view.size.height

    def scroll_y_to(self, y: int) -> None:
        """Scroll so that layout line ``y`` is at the top, at once."""
        # force: right after a new layout Textual has not yet decided the view can scroll.
        self._view.scroll_to(y=max(0, y), animate=False, immediate=True, force=True)

    def scroll_to_cursor(self, *, top: bool = False) -> None:
        """Bring the cursor's sentence into view (near the top with ``top``)."""
        view = self._view
        span = view.cursor_span
        if span is None or not len(view.layout_):
            return
        lines = view.layout_.lines_for(*span)
        height = self.height()
        scroll_y = round(view.scroll_offset.y)
        if top:
            self.scroll_y_to(max(0, lines.start - 2))
        elif lines.start < scroll_y:
            self.scroll_y_to(lines.start)
        elif lines.stop > scroll_y + height:
            target = min(lines.start, lines.stop - height)
            self.scroll_y_to(max(0, target))

    def cursor_line(self) -> int:
        """Layout line of the cursor's sentence (0 before there is a layout)."""
        view = self._view
        return view.layout_.line_at(view.cursor_offset) if len(view.layout_) else 0

    def cursor_row(self) -> int:
        """Screen row of the cursor's line (negative or past the bottom when off screen)."""
        return self.cursor_line() - round(self._view.scroll_offset.y)

    def put_cursor_on_row(self, top_row: int | None) -> None:
        """Scroll so the cursor's line is on screen row ``top_row`` (kept on the screen);
        None puts it a few rows down, or where it is when it is near the top.

        Called when a layout is installed: a ``g``/``G`` waiting for this
        document (see :meth:`carry_jump`) is made instead."""
        pending = self._jump_on_layout
        if pending is not None and pending[1] is self._view.document:
            self._jump_on_layout = None
            if pending[0] == "start":
                self.go_start()
            else:
                self.go_end()
            return
        line = self.cursor_line()
        if top_row is None:
            top_row = min(3, self._view.size.height // 4) if line > 3 else line
        top_row = max(0, min(top_row, self.height() - 1))
        self.scroll_y_to(max(0, line - top_row))

    def sentence_in_view(self, *, last: bool = False) -> int:
        """First (or last) sentence whose start is on screen."""
        view = self._view
        return sentence_in_view(view.document, view.layout_, round(view.scroll_offset.y),
                                self.height(), view.cursor_index, last=last)

    def follow_scroll(self, new_y: float) -> None:
        """After a scroll to ``new_y``: move the cursor onto the screen if it left it."""
        view = self._view
        span = view.cursor_span
        if span is None or not len(view.layout_):
            return
        height = self.height()
        top = round(new_y)
        line = view.layout_.line_at(span[0])
        if line < top or line >= top + height:
            view.cursor_index = self.sentence_in_view(last=line >= top + height)

    # ------------------------------------------------------------------ moves
    def move_to_offset(self, offset: int, *, top: bool = False) -> None:
        """Put the cursor on the sentence at ``offset`` and bring it into view."""
        view = self._view
        if not view.document.sentence_count:
            return
        view.cursor_index = view.document.sentence_index_at(offset)
        self.scroll_to_cursor(top=top)

    def go_to_section(self, index: int) -> bool:
        """Put section ``index``'s heading near the top; False if there is no such section."""
        sections = self._view.document.sections
        if 0 <= index < len(sections):
            self.move_to_offset(sections[index].start, top=True)
            return True
        return False

    def step(self, delta: int) -> None:
        """Move the cursor ``delta`` sentences (clamped to the article)."""
        view = self._view
        if not view.document.sentence_count:
            return
        view.cursor_index = max(0, min(view.document.sentence_count - 1,
                                       view.cursor_index + delta))
        self.scroll_to_cursor()

    def paragraph_next(self) -> None:
        view = self._view
        index = next_paragraph_sentence(view.document, view.cursor_index, view.cursor_offset)
        if index is not None:
            view.cursor_index = index
        self.scroll_to_cursor()

    def paragraph_previous(self) -> None:
        view = self._view
        if not view.document.sentence_count:
            return
        index = previous_paragraph_sentence(view.document, view.cursor_index,
                                            view.cursor_offset)
        if index is not None:
            view.cursor_index = index
        self.scroll_to_cursor()

    def section_next(self) -> None:
        view = self._view
        index = next_section_sentence(view.document, view.cursor_offset)
        if index is not None:
            self._land(index)

    def section_previous(self) -> None:
        view = self._view
        index = previous_section_sentence(view.document, view.cursor_index, view.cursor_offset)
        if index is not None:
            self._land(index)

    def _land(self, index: int) -> None:
        """Put the cursor on sentence ``index`` with its section's heading near the top
        (as far as the cursor's sentence stays in view)."""
        view = self._view
        view.cursor_index = index
        start, end = view.cursor_span or (0, 0)
        if not len(view.layout_):
            return
        section = view.document.section_index_at(start)
        heading = view.document.sections[section].start if section is not None else start
        lines = view.layout_.lines_for(start, end)
        top = max(view.layout_.line_at(heading) - 2, lines.stop - self.height())
        self.scroll_y_to(max(0, min(top, lines.start)))

    def page(self, direction: int) -> None:
        """Scroll a screen down (1) or up (-1), the cursor to the first sentence shown;
        at either end, move the cursor to the first or last sentence instead."""
        view = self._view
        height = self.height()
        target = round(view.scroll_offset.y) + direction * max(1, height - 1)
        target = max(0, min(target, max(0, len(view.layout_) - height)))
        if target == round(view.scroll_offset.y):
            self.step(direction * view.document.sentence_count)
            return
        self.scroll_y_to(target)
        if view.document.sentence_count:
            view.cursor_index = self.sentence_in_view()

    def go_start(self) -> None:
        view = self._view
        if view.document.sentence_count:
            view.cursor_index = 0
        self.scroll_y_to(0)
        self._remember_jump("start")

    def go_end(self) -> None:
        view = self._view
        if view.document.sentence_count:
            view.cursor_index = view.document.sentence_count - 1
        self.scroll_y_to(len(view.layout_) - self.height())
        self._remember_jump("end")

    # ------------------------------------------------- g/G on a partial article
    def _remember_jump(self, where: Jump) -> None:
        view = self._view
        self._jump = None
        if not view.document.complete:
            self._jump = (where, view.document, view.cursor_index, round(view.scroll_offset.y))

    def pending_jump(self) -> Jump | None:
        """``"start"`` or ``"end"`` when the last move on this partial document was
        ``g`` or ``G`` and the reader has not moved (nor scrolled) since."""
        view = self._view
        if self._jump is None:
            return None
        where, document, index, scroll_y = self._jump
        if (document is view.document and index == view.cursor_index
                and scroll_y == round(view.scroll_offset.y)):
            return where
        return None

    def carry_jump(self, document: Document) -> Jump | None:
        """Before ``document`` (the whole article) replaces the partial one: a pending
        ``g``/``G`` is made again in it once its layout is installed. Returns it."""
        where = self.pending_jump()
        self._jump = None
        self._jump_on_layout = (where, document) if where is not None else None
        return where
