"""The reading view: one Line-API widget that draws a laid-out Document.

Only the lines on screen are turned into Strips, and those are cached, so the
cost of a keypress does not grow with the article. Everything the view marks
(the sentence cursor, search matches) is a span of document offsets, mapped to
screen lines through the Layout.

The widget keeps its bindings, messages and Textual hooks; the work is done by
parts it owns, in reader/tui/reading/: the drawing of lines (strips), the
cursor moves and scrolling (navigation), the search and the selections.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style
from textual import events, work
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import var
from textual.scroll_view import ScrollView
from textual.selection import Selection
from textual.strip import Strip
from textual.worker import get_current_worker

from reader.annotations.records import Highlight
from reader.config.settings import MAX_WIDTH, MIN_WIDTH
from reader.document.layout import Layout, layout_document
from reader.document.model import Document
from reader.document.search import Matches
from reader.tui.reading import navigation
from reader.tui.reading.highlight_marks import HighlightMarks
from reader.tui.reading.navigation import Navigator
from reader.tui.reading.search import ArticleSearch
from reader.tui.reading.selection import SelectionKeeper, offset_under
from reader.tui.reading.strips import COMPONENT_CLASSES, NOTE_MARKER, LineRenderer

#: Articles up to this many characters are re-wrapped on the event loop.
SYNC_LAYOUT_LIMIT = 400_000
#: The reading column's range, one rule for the view, the config file and --width.
MIN_READING_WIDTH, MAX_READING_WIDTH = MIN_WIDTH, MAX_WIDTH
_EMPTY_DOCUMENT = Document(title="", source="", text="", blocks=[])


class ArticleView(ScrollView, can_focus=True):
    """Shows an article, wrapped to a reading width, with a sentence cursor."""

    COMPONENT_CLASSES = COMPONENT_CLASSES

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
        self._lines = LineRenderer(self)
        self._navigator = Navigator(self)
        self._search = ArticleSearch(self, self._navigator)
        self._pending_offset = 0
        #: (content width, text width) the drawn lines were made for.
        self._geometry = (0, 0)
        self.highlight_marks = HighlightMarks()
        self._selection = SelectionKeeper(self)

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
        top_row = self._navigator.cursor_row()
        self.document = document
        self._pending_offset = offset
        if layout is not None and layout.width == self.text_width():
            self._install_layout(layout, offset, top_row)
        else:
            self._relayout(keep_offset=offset, top_row=top_row)
        if self.matches.query:
            self.search(self.matches.query, move=False)

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

    # ----------------------------------------------------------------- geometry
    # Where the text is wrapped and where the reading column starts. Both follow
    # the view's own content width (not the screen's), and are computed only here.
    def _content_width(self) -> int:
        """Cells the view has for its content (the reading column is centred in them)."""
        return self.scrollable_content_region.width or self.size.width

    def text_width(self) -> int:
        """Columns the text is wrapped to now (the reading width, or less on a narrow screen).

        Keeps a column of margin on the left and room for the note marker on the
        right, and never goes below ``MIN_READING_WIDTH - 10``.
        """
        available = self._content_width() - 1 - len(NOTE_MARKER) - 1
        return max(MIN_READING_WIDTH - 10, min(self.reading_width, max(available, 1)))

    def pane_width_for(self, text_columns: int) -> int:
        """Cells the whole view needs to wrap its text to ``text_columns`` columns."""
        chrome = self.outer_size.width - self._content_width() if self.outer_size.width else 2
        return text_columns + chrome + 1 + len(NOTE_MARKER) + 1

    def left_margin(self) -> int:
        """Blank cells left of the reading column: what centres the laid-out text."""
        return max(0, (self._content_width() - self.layout_.width) // 2)

    # ------------------------------------------------------------------- layout
    def _relayout(self, *, keep_offset: int, top_row: int | None) -> None:
        width = self.text_width()
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
        if document is self.document and layout.width == self.text_width():
            self._install_layout(layout, keep_offset, top_row)

    def _install_layout(self, layout: Layout, keep_offset: int, top_row: int | None) -> None:
        self.layout_ = layout
        self._geometry = (self._content_width(), layout.width)
        self._lines.clear()
        self.virtual_size = Size(layout.width, len(layout))
        index = self.document.sentence_index_at(keep_offset)
        self.set_reactive(ArticleView.cursor_index, index)
        self._navigator.put_cursor_on_row(top_row)
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor_offset))

    def on_resize(self, event: events.Resize) -> None:
        if not len(self.layout_):
            self._relayout(keep_offset=self.cursor_offset, top_row=None)
        else:
            self._match_geometry()

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual paints a resized widget before its Resize event is handled, so a
        # line drawn for the old width or margin would stay on screen until redrawn.
        self._match_geometry()
        return super().render_lines(crop)

    def _match_geometry(self) -> None:
        """Make the drawn lines follow the pane: re-wrap for a new text width, and
        redraw every line for a new margin. Cheap when nothing changed."""
        geometry = (self._content_width(), self.text_width())
        if geometry == self._geometry or not len(self.layout_):
            return
        self._geometry = geometry
        if self.layout_.width != geometry[1]:
            self._relayout(keep_offset=self.cursor_offset, top_row=self._navigator.cursor_row())
        self._lines.clear()
        self.refresh()

    def watch_reading_width(self) -> None:
        if self.is_mounted and self.size.width:
            top_row = self._navigator.cursor_row()
            self._relayout(keep_offset=self.cursor_offset, top_row=top_row)

    def validate_reading_width(self, width: int) -> int:
        return _clamp_width(width)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._lines.styles_changed()

    # --------------------------------------------------------------- rendering
    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        index = scroll_y + y
        width = self.size.width
        if index >= len(self.layout_):
            return Strip.blank(width, self.rich_style)
        strip = self._lines.strip(index)
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style).apply_offsets(
            scroll_x, index
        )

    def redraw(self) -> None:
        """Forget every drawn line and paint the view again."""
        self._lines.clear()
        self.refresh()

    def _style(self, name: str) -> Style:
        """A component's own style (``article-view--{name}``), as the lines are drawn with."""
        return self._lines.style(name)

    def _render_strip(self, index: int) -> Strip:
        """Draw layout line ``index`` afresh (the cache is neither read nor filled)."""
        return self._lines.render(index)

    # ------------------------------------------------------------------ cursor
    def refresh_span_lines(self, span: tuple[int, int] | None) -> None:
        """Redraw the lines that show ``span`` (nothing for None)."""
        if span is None or not len(self.layout_):
            return
        lines = self.layout_.lines_for(*span)
        for line in lines:
            self._lines.discard(line)
        self.refresh_lines(lines.start, len(lines))

    def watch_cursor_index(self, old: int, new: int) -> None:
        if self.selecting:
            self._selection.extend_to_cursor()
        document = self.document
        if 0 <= old < document.sentence_count:
            self.refresh_span_lines(document.sentence_span(old))
        if 0 <= new < document.sentence_count:
            self.refresh_span_lines(document.sentence_span(new))
        self.post_message(self.CursorMoved(self, self.cursor_offset))

    def move_cursor_to_offset(self, offset: int, *, top: bool = False) -> None:
        """Put the cursor on the sentence at ``offset`` and bring it into view."""
        self._navigator.move_to_offset(offset, top=top)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._navigator.follow_scroll(new_value)

    # ------------------------------------------------------------------ actions
    def action_cursor_next(self) -> None:
        self._navigator.step(1)

    def action_cursor_previous(self) -> None:
        self._navigator.step(-1)

    def action_paragraph_next(self) -> None:
        self._navigator.paragraph_next()

    def action_paragraph_previous(self) -> None:
        self._navigator.paragraph_previous()

    def action_section_next(self) -> None:
        self._navigator.section_next()

    def action_section_previous(self) -> None:
        self._navigator.section_previous()

    def go_to_section(self, index: int) -> None:
        """Jump to section ``index`` (its heading at the top of the view)."""
        if self._navigator.go_to_section(index):
            self.focus()

    def action_page_down(self) -> None:
        self._navigator.page(1)

    def action_page_up(self) -> None:
        self._navigator.page(-1)

    def action_go_start(self) -> None:
        self._navigator.go_start()

    def action_go_end(self) -> None:
        self._navigator.go_end()

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
        for href in navigation.links_in(self.document, *span):
            self.app.open_url(href)
            self.notify(f"Opening {href}", timeout=2)
            return
        self.notify("No link in this sentence", severity="warning", timeout=2)

    # -------------------------------------------------------------- highlights
    def set_highlights(self, highlights: Sequence[Highlight]) -> None:
        """Draw these highlights (detached ones are skipped: they have no place)."""
        self.highlight_marks.set(highlights)
        self.redraw()

    def highlights_over(self, start: int, end: int) -> list[Highlight]:
        """Highlights that share any text with [start, end), in document order."""
        return self.highlight_marks.over(start, end)

    @property
    def _highlights(self) -> list[Highlight]:
        """The drawn (attached) highlights, in document order."""
        return self.highlight_marks.highlights

    # --------------------------------------------------------------- selection
    @property
    def selection_span(self) -> tuple[int, int] | None:
        """The keyboard selection, else the mouse selection, else None."""
        return self._selection.span

    @property
    def selecting(self) -> bool:
        return self._selection.anchor is not None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("selection_end", "selection_start", "cancel_selection"):
            return self.selecting or (action == "cancel_selection" and
                                      self._selection.mouse is not None)
        return True

    def action_select(self) -> None:
        self._selection.toggle()

    def action_cancel_selection(self) -> None:
        self.clear_selection()

    def clear_selection(self) -> None:
        """Drop the keyboard and the mouse selection."""
        self._selection.clear()

    def action_selection_end(self, direction: int) -> None:
        self._selection.move_end(direction)

    def action_selection_start(self, direction: int) -> None:
        self._selection.move_start(direction)

    def get_selection(self, selection: Selection) -> tuple[str, str] | None:
        span = self._selection.span_of(selection)
        if span is None:
            return None
        return self.document.text[span[0] : span[1]], "\n"

    def selection_updated(self, selection: Selection | None) -> None:
        self._selection.mouse_changed(selection)

    # ------------------------------------------------------------------- mouse
    def on_click(self, event: events.Click) -> None:
        offset = self.offset_at(event.x, event.y)
        if offset is None:
            return
        self.cursor_index = self.document.sentence_index_at(offset)
        if event.chain == 1:
            links = navigation.links_in(self.document, offset, offset + 1)
            if links and event.ctrl is False:
                self.app.open_url(links[0])

    def offset_at(self, x: int, y: int) -> int | None:
        """The document offset under widget coordinates (x, y), if any text is there."""
        return offset_under(self.document, self.layout_, self.left_margin(),
                            x + round(self.scroll_offset.x), round(self.scroll_offset.y) + y)

    # ------------------------------------------------------------------ search
    @property
    def matches(self) -> Matches:
        """The matches of the current search (empty when there is none)."""
        return self._search.matches

    def search(self, query: str, *, move: bool = True) -> int:
        """Mark every match of ``query`` and go to the first one at or after the cursor."""
        return self._search.find(query, move=move)

    def clear_search(self) -> None:
        self.search("", move=False)

    def action_search_next(self) -> None:
        self._search.next()

    def action_search_previous(self) -> None:
        self._search.previous()

    @property
    def match_count(self) -> int:
        return len(self.matches)


def _clamp_width(width: int) -> int:
    return max(MIN_READING_WIDTH, min(MAX_READING_WIDTH, width))
