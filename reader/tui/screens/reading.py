"""The reading screen: status line, contents panel, the article, search and footer.

It owns loading (a quick preview around the saved position, then the whole
article from a worker), keeps the status line and the contents panel in step
with the cursor, and saves the reading position.

The screen keeps the key bindings and the message handlers; the loading is done
by its ArticleLoader and the highlight actions by its AnnotationActions (both in
reader/tui/reading/).
"""

from __future__ import annotations

from pathlib import Path

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Tree
from textual.worker import get_current_worker

from reader.annotations.annotator import Annotator
from reader.annotations.records import COLORS, anchor_records
from reader.document.layout import layout_document
from reader.sources.loader import ArticleSource
from reader.sources.progressive import position_of, whole_document
from reader.store import StoreError
from reader.tui.reading.annotating import AnnotationActions
from reader.tui.reading.loading import ArticleLoader
from reader.tui.reading.panels import PanelRoom
from reader.tui.reading.reloading import ArticleReloader
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.search_bar import SearchBar
from reader.tui.widgets.status_bar import StatusBar, minutes_left

#: Seconds of stillness before the reading position is written to the store.
SAVE_DELAY = 1.5
#: How often to look for changes another readmark process made to the store.
STORE_POLL_SECONDS = 2.0


class ReadingScreen(Screen[None]):
    """Reads one article."""

    AUTO_FOCUS = "#article"

    BINDINGS = [
        Binding("t", "toggle_outline", "Contents", id="outline.toggle",
                tooltip="Show or hide the table of contents"),
        Binding("slash", "open_search", "Search", id="search.open",
                tooltip="Search the article's text"),
        Binding("E", "export('markdown')", "Export", id="export.markdown", show=False,
                tooltip="Export this article's highlights and notes as Markdown"),
        Binding("r", "review", "Review", id="review.start",
                tooltip="Review this article's highlights (spaced repetition)"),
        Binding("p", "toggle_panel", "Highlights", id="panel.toggle",
                tooltip="Show or hide the panel of highlights and notes"),
        Binding("h", "highlight", "Highlight", id="highlight.add",
                tooltip="Highlight the selection, or else the current sentence"),
        Binding("a", "note", "Note", id="highlight.note",
                tooltip="Write a note on the highlight under the cursor (made if needed)"),
        Binding("P", "focus_panel", "Into panel", id="panel.focus",
                tooltip="Move into the highlights panel, opening it (P again comes back)"),
        Binding("L", "library", "Library", id="library.open", show=False,
                tooltip="Back to the library (the reading position is saved)"),
        Binding("number_sign", "tags", "Tags", id="highlight.tags", show=False,
                tooltip="Edit the tags of the highlight under the cursor"),
        Binding("x", "delete_highlight", "Delete", id="highlight.delete", show=False,
                tooltip="Delete the highlight under the cursor"),
        Binding("u", "undo", "Undo", id="highlight.undo", show=False,
                tooltip="Undo the last highlight change (several levels)"),
        *[
            Binding(str(number), f"color('{color}')", color.capitalize(),
                    id=f"highlight.color_{color}", show=False,
                    tooltip=f"Colour the highlight under the cursor (or the next one) {color}")
            for number, color in enumerate(COLORS, start=1)
        ],
    ]

    def __init__(
        self,
        source: ArticleSource,
        store,
        *,
        reading_width: int = 80,
        show_outline: bool = False,
        show_panel: bool = False,
        focus_highlight: str | None = None,
        returns: bool = False,
        from_library: bool = False,
    ) -> None:
        super().__init__()
        self.focus_highlight = focus_highlight
        # q goes back to the screen below (a review, the library); only over a
        # review is the reading position left as it was.
        self.returns = returns or from_library
        self.from_library = from_library
        self.show_outline = show_outline
        self.show_panel = show_panel
        self.source = source
        self.store = store
        self._reading_width = reading_width
        self.article_id: str | None = None
        self._total_lines = max(1, source.text.count("\n") + 1)
        self._save_timer = None
        self._saved_position: dict | None = None
        self._save_warned = False
        self.loader = ArticleLoader(self)
        self.annotations = AnnotationActions(self)
        self.panel_room = PanelRoom(self)
        self.reloader = ArticleReloader(self)

    def compose(self) -> ComposeResult:
        self._view = ArticleView(reading_width=self._reading_width, id="article")
        yield StatusBar(id="status")
        with Horizontal(id="body"):
            yield OutlineTree(id="outline")
            yield self._view
            if self.show_panel:
                yield AnnotationPanel(id="annotations")
        search = SearchBar(id="search")
        search.display = False
        yield search
        yield KeyFooter()

    @property
    def view(self) -> ArticleView:
        return self._view

    @property
    def outline(self) -> OutlineTree:
        return self.query_one(OutlineTree)

    def on_resize(self, event: events.Resize) -> None:
        self.panel_room.fit()

    @property
    def annotator(self) -> Annotator | None:
        """The article's highlights, once they are anchored (None until then)."""
        return self.annotations.annotator

    # ----------------------------------------------------------------- loading
    def on_mount(self) -> None:
        self.query_one(StatusBar).title = self.loader.initial_title()
        self.outline.display = self.show_outline
        self.call_after_refresh(self.panel_room.fit, quiet=True)
        self.watch(self.view, "reading_width",
                   lambda width: self._remember("reading_width", width), init=False)
        self.loader.start()
        for warning in self.source.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.set_interval(STORE_POLL_SECONDS, self.annotations.poll)
        self.reloader.start()

    @work(thread=True, exclusive=True, group="parse")
    def _load_whole(self, source: ArticleSource, records: list[dict]) -> None:
        document = whole_document(source)
        width = self.view.text_width()
        layout = layout_document(document, width)
        words = document.word_count
        anchoring = anchor_records(document, records) if records else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self.loader.whole_ready, document, layout, words,
                                      records, anchoring)

    # ------------------------------------------------------------ highlights
    def action_highlight(self) -> None:
        self.annotations.highlight()

    def action_color(self, color: str) -> None:
        self.annotations.color(color)

    def action_delete_highlight(self) -> None:
        self.annotations.delete()

    def action_undo(self) -> None:
        self.annotations.undo()

    def action_note(self) -> None:
        self.annotations.note()

    def action_tags(self) -> None:
        self.annotations.tags()

    # ------------------------------------------------------------ following
    @on(ArticleView.CursorMoved)
    def _cursor_moved(self, event: ArticleView.CursorMoved) -> None:
        document = event.view.document
        offset = event.offset
        status = self.query_one(StatusBar)
        section = document.section_index_at(offset)
        heading = document.sections[section].title if section is not None else ""
        status.section = "" if heading == document.title else heading
        if document.complete and document.text:
            span = event.view.cursor_span
            fraction = (span[1] if span else offset) / len(document.text)
        elif document.blocks:
            line = document.blocks[document.block_index_at(offset)].source_line
            fraction = line / self._total_lines
        else:
            fraction = 0.0
        status.percent = round(fraction * 100)
        status.minutes = minutes_left(self.loader.words, fraction)
        self.query_one(OutlineTree).mark_section(section)
        panel = self.highlights_panel()
        if panel is not None:
            panel.mark_nearest(offset)
        self._schedule_save()

    @on(ArticleView.SearchChanged)
    def _search_changed(self, event: ArticleView.SearchChanged) -> None:
        status = self.query_one(StatusBar)
        if event.total:
            status.note = f"match {event.current}/{event.total}" if event.current else (
                f"{event.total} matches")
        else:
            status.note = "no matches" if self.view.matches.query else ""

    @on(Tree.NodeSelected, "#outline")
    def _section_chosen(self, event: Tree.NodeSelected) -> None:
        event.stop()
        if event.node.data is not None:
            self.view.go_to_section(event.node.data)

    # ------------------------------------------------------------- position
    def _schedule_save(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        self._save_timer = self.set_timer(SAVE_DELAY, self.save_position)

    def save_position(self) -> None:
        """Write the reading position to the store (quietly skipped if it cannot)."""
        if (self.article_id is None or (self.returns and not self.from_library)
                or not self.view.document.blocks):
            return
        # With how far it is read, for the library's progress bar.
        position = position_of(self.view.document, self.view.cursor_offset) | {
            "percent": self._percent_read()}
        if position == self._saved_position:
            return
        try:
            self.store.set_position(self.article_id, position)
            self._saved_position = position
        except StoreError as error:  # never lose the reader's session over a position
            if not self._save_warned:
                self._save_warned = True
                self.notify(f"Could not save the reading position: {error}",
                            severity="warning", timeout=8)

    def _percent_read(self) -> int:
        """How far the cursor is, as the status line says it (for the library)."""
        document, offset = self.view.document, self.view.cursor_offset
        if document.complete and document.text:
            span = self.view.cursor_span
            return round(100 * (span[1] if span else offset) / len(document.text))
        line = document.blocks[document.block_index_at(offset)].source_line
        return round(100 * line / self._total_lines)

    def on_unmount(self) -> None:
        self.save_position()

    # -------------------------------------------------------------- actions
    def action_toggle_outline(self) -> None:
        outline = self.outline
        outline.display = not outline.display
        self.panel_room.forget(outline)
        self._remember("outline", bool(outline.display))
        if outline.display:
            outline.mark_section(self.view.document.section_index_at(self.view.cursor_offset))
            self.call_after_refresh(self.panel_room.fit, outline)
        else:
            self.view.focus()
            self.panel_room.fit()

    def action_export(self, fmt: str) -> None:
        """Export to the remembered folder (the data folder's exports/ by default)."""
        if self.annotator is None or self.annotator.document is None:
            self.notify("The article is still loading; export in a moment.", timeout=3)
            return
        folder = self.app.setting("export_folder", "") if hasattr(self.app, "setting") else ""
        self._export(fmt, folder or None)

    def action_export_to(self, fmt: str) -> None:
        """Ask for a folder, remember it, and export there."""
        from reader.tui.screens.folder_prompt import FolderPromptScreen

        current = self.app.setting("export_folder", "") if hasattr(self.app, "setting") else ""
        start = Path(current) if current else Path.cwd()

        def chosen(folder: Path | None) -> None:
            if folder is not None:
                self._remember("export_folder", str(folder))
                self.action_export(fmt)

        self.app.push_screen(FolderPromptScreen(f"Export {fmt} to which folder?", start), chosen)

    @work(thread=True, exclusive=True, group="export")
    def _export(self, fmt: str, folder: str | None) -> None:
        from reader.export.files import export_article_file

        assert self.annotator is not None and self.article_id is not None
        try:
            path = export_article_file(
                self.store, self.article_id, self.annotator.document, fmt=fmt,
                highlights=list(self.annotator.highlights), folder=folder,
            )
        except (OSError, ValueError, StoreError) as error:
            self.app.call_from_thread(self.notify, f"Export failed: {error}",
                                      severity="error", timeout=10)
            return
        self.app.call_from_thread(self.notify, f"Exported to {path}", timeout=8)

    def action_review(self) -> None:
        if self.article_id is None:
            self.notify("Reviews need the library, which is not available.", severity="warning")
            return
        from reader.tui.screens.review import ReviewScreen

        def back(_: object = None) -> None:
            # Notes and tags may have been edited during the review.
            self.annotations.after_review()

        self.app.push_screen(ReviewScreen(self.store, article_id=self.article_id), back)

    def highlights_panel(self) -> AnnotationPanel | None:
        """The highlights panel, which is only built once it is first shown."""
        found = self.query(AnnotationPanel)
        return found.first() if found else None

    async def action_toggle_panel(self) -> None:
        panel = self.highlights_panel()
        if panel is None:
            panel = AnnotationPanel(id="annotations")
            await self.query_one("#body").mount(panel)
            if self.annotator is not None:
                panel.set_highlights(self.annotator.highlights)
        else:
            panel.display = not panel.display
        self.panel_room.forget(panel)
        self._remember("panel", bool(panel.display))
        if panel.display:
            panel.mark_nearest(self.view.cursor_offset)
            self.call_after_refresh(self.panel_room.fit, panel)
        else:
            self.view.focus()
            self.panel_room.fit()

    async def action_focus_panel(self) -> None:
        await self.annotations.focus_panel()

    @on(AnnotationPanel.Selected)
    def _panel_selected(self, event: AnnotationPanel.Selected) -> None:
        event.stop()
        self.annotations.chosen_in_panel(event.highlight_id)

    def _remember(self, key: str, value) -> None:
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember(key, value)

    def action_library(self) -> None:
        from reader.tui.screens.library import go_to_library

        go_to_library(self.app)

    def action_open_search(self) -> None:
        self.query_one(SearchBar).open()

    def action_article(self, action: str) -> None:
        """Run an ArticleView action (for the command palette)."""
        method = getattr(self.view, f"action_{action}", None)
        if method is not None:
            method()

    @on(SearchBar.Search)
    def _run_search(self, event: SearchBar.Search) -> None:
        count = self.view.search(event.query)
        self.query_one(SearchBar).display = False
        self.view.focus()
        if event.query.strip() and not count:
            self.notify(f"No match for “{event.query.strip()}”", severity="warning", timeout=3)

    @on(SearchBar.Closed)
    def _search_closed(self) -> None:
        self.view.focus()
