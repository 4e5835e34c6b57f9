"""The article view's search: every match of the query, the current one, and going to them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.document.search import Matches

if TYPE_CHECKING:
    from reader.tui.reading.navigation import Navigator
    from reader.tui.widgets.article_view import ArticleView


class ArticleSearch:
    """Finds a query in the document of one :class:`ArticleView` and moves to its matches.

    The view owns it and keeps the n/N bindings; every change is announced with
    :class:`ArticleView.SearchChanged`.
    """

    def __init__(self, view: ArticleView, navigator: Navigator) -> None:
        self._view = view
        self._navigator = navigator
        self.matches = Matches()

    def find(self, query: str, *, move: bool = True) -> int:
        """Mark every match of ``query`` and go to the first one at or after the cursor."""
        view = self._view
        self.matches = Matches.find(view.document.text, query)
        view.redraw()
        if move and self.matches:
            self.go_to(self.matches.first_from(view.cursor_offset))
        else:
            self.announce()
        return len(self.matches)

    def go_to(self, index: int) -> None:
        """Make match ``index`` current, with the cursor on its sentence and it in view."""
        view = self._view
        self.matches.current = index
        start, end = self.matches.span(index)
        view.cursor_index = view.document.sentence_index_at(start)
        lines = view.layout_.lines_for(start, end)
        height = self._navigator.height()
        top = round(view.scroll_offset.y)
        if lines.start < top or lines.stop > top + height:
            self._navigator.scroll_y_to(lines.start - height // 3)
        view.redraw()
        self.announce()

    def announce(self) -> None:
        """Post :class:`ArticleView.SearchChanged` for the current state."""
        view = self._view
        view.post_message(view.SearchChanged(view, self.matches.current + 1, len(self.matches)))

    def next(self) -> None:
        """Go to the match after the cursor (n), wrapping to the start."""
        view = self._view
        if not self.matches:
            if self.matches.query:
                view.notify(f"No match for “{self.matches.query}”", severity="warning",
                            timeout=2)
            return
        index, wrapped = self.matches.after(self.origin())
        if wrapped:
            view.notify("Search wrapped to the start", timeout=1.5)
        self.go_to(index)

    def previous(self) -> None:
        """Go to the match before the cursor (N), wrapping to the end."""
        if not self.matches:
            return
        index, wrapped = self.matches.before(self.origin())
        if wrapped:
            self._view.notify("Search wrapped to the end", timeout=1.5)
        self.go_to(index)

    def origin(self) -> int:
        """Where n/N count from: the current match if it is in the cursor's sentence."""
        matches = self.matches
        view = self._view
        if 0 <= matches.current < len(matches):
            start = matches.starts[matches.current]
            span = view.cursor_span
            if span is not None and span[0] <= start < max(span[1], span[0] + 1):
                return start
        return view.cursor_offset
