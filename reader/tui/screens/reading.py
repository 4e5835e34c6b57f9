"""The reading screen: status line, contents panel, the article, search and footer.

It owns loading (a quick preview around the saved position, then the whole
article from a worker), keeps the status line and the contents panel in step
with the cursor, and saves the reading position.
"""

from __future__ import annotations

import os
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Tree
from textual.worker import get_current_worker

from reader.annotations.annotator import Annotator
from reader.annotations.records import (
    COLORS,
    DEFAULT_COLOR,
    Anchoring,
    Highlight,
    anchor_records,
    find_in_preview,
    trim_span,
)
from reader.document.layout import Layout, layout_document
from reader.document.markdown import quick_title
from reader.document.model import Document
from reader.sources.loader import ArticleSource
from reader.sources.progressive import (
    locate,
    needs_preview,
    position_of,
    preview_document,
    whole_document,
)
from reader.store import StoreError, StoreReadOnly
from reader.tui.startup import resume_collection
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.search_bar import SearchBar
from reader.tui.widgets.status_bar import StatusBar, minutes_left

#: Seconds of stillness before the reading position is written to the store.
SAVE_DELAY = 1.5
#: Time the terminal gets to receive the first frame before start-up work resumes.
FIRST_FRAME_WRITE_SECONDS = 0.03
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
    ) -> None:
        super().__init__()
        self.focus_highlight = focus_highlight
        self.returns = returns
        self.show_outline = show_outline
        self.show_panel = show_panel
        self.source = source
        self.store = store
        self._reading_width = reading_width
        self.article_id: str | None = None
        self._total_lines = max(1, source.text.count("\n") + 1)
        self._words = 0
        self._save_timer = None
        self._saved_position: dict | None = None
        self._save_warned = False
        self.annotator: Annotator | None = None
        self.next_color = DEFAULT_COLOR

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

    # ----------------------------------------------------------------- loading
    def on_mount(self) -> None:
        source = self.source
        self.query_one(StatusBar).title = self._initial_title()
        self.query_one(OutlineTree).display = self.show_outline
        position = self._find_in_store()
        records = self._stored_records()
        view = self.view
        self.watch(view, "reading_width", lambda width: self._remember("reading_width", width),
                   init=False)
        if needs_preview(source):
            line = int(position.get("line", 0)) if position else 0
            preview = preview_document(source, line)
            self._show(preview, locate(preview, position))
            if records:
                self.view.set_highlights(find_in_preview(preview, records))
            self.query_one(StatusBar).note = "loading…"
            # Parse the rest once the first screen is painted, so it does not compete
            # with it for the interpreter.
            self.call_after_refresh(self._soon_after_first_paint, source, records)
        else:
            document = whole_document(source)
            self._show(document, locate(document, position))
            self._start_annotating(document, records, None)
            self.call_after_refresh(self._soon_after_first_paint, None, records)
        for warning in source.warnings:
            self.notify(warning, severity="warning", timeout=8)
        self.set_interval(STORE_POLL_SECONDS, self._poll_store)

    def _initial_title(self) -> str:
        if self.source.format == "markdown":
            return quick_title(self.source.text, self.source.path)
        from reader.document.plaintext import parse_plaintext

        return parse_plaintext(self.source.text[:4000], self.source.path).title

    def _find_in_store(self) -> dict | None:
        """The saved position, if the library knows the article. Only reads: the
        write that records this opening waits until the first screen is up."""
        try:
            article = self.store.find_article(fingerprint=self.source.fingerprint,
                                              path=os.path.abspath(self.source.path))
            if article is None:
                return None
            self.article_id = article["id"]
            return self.store.get_position(self.article_id)
        except StoreError as error:  # the store explains itself; reading must go on
            self.notify(f"Reading position not available: {error}", severity="warning",
                        timeout=8)
            return None

    def _record_opening(self) -> None:
        """Register the article (new, moved or edited) and when it was last opened."""
        try:
            article = self.store.upsert_article(
                fingerprint=self.source.fingerprint,
                path=os.path.abspath(self.source.path),
                title=self.query_one(StatusBar).title,
            )
        except StoreReadOnly:
            return  # a read-only library still gave the position, if it had one
        except StoreError as error:
            self.notify(f"This article could not be added to the library: {error}",
                        severity="warning", timeout=8)
            return
        self.article_id = article["id"]

    def _show(self, document: Document, offset: int) -> None:
        # Until the whole article is parsed, estimate words from its size.
        self._words = document.word_count if document.complete else len(self.source.text) // 6
        self.query_one(StatusBar).title = document.title
        self.query_one(OutlineTree).set_document(document)
        self.view.set_document(document, offset)

    def _soon_after_first_paint(self, source: ArticleSource | None, records: list[dict]) -> None:
        resume_collection()
        # Painting only queues the frame for Textual's writer thread; a parse
        # started at once would hold the interpreter while the frame waits.
        self.set_timer(FIRST_FRAME_WRITE_SECONDS, lambda: self._after_first_paint(source, records))

    def _after_first_paint(self, source: ArticleSource | None, records: list[dict]) -> None:
        """Start-up work that can wait for the first screen: the library write, and
        the rest of the article (``source``) when a preview is showing."""
        self._record_opening()
        if source is not None:
            self._load_whole(source, records)
        elif self.annotator is None:  # a new article: it has an id only now
            self._start_annotating(self.view.document, records, None)

    @work(thread=True, exclusive=True, group="parse")
    def _load_whole(self, source: ArticleSource, records: list[dict]) -> None:
        document = whole_document(source)
        width = self.view.text_width()
        layout = layout_document(document, width)
        words = document.word_count
        anchoring = anchor_records(document, records) if records else None
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._whole_ready, document, layout, words, records,
                                      anchoring)

    def _whole_ready(self, document: Document, layout: Layout, words: int,
                     records: list[dict], anchoring: Anchoring | None) -> None:
        view = self.view
        position = position_of(view.document, view.cursor_offset)
        self._words = words
        self.query_one(OutlineTree).set_document(document)
        status = self.query_one(StatusBar)
        status.title = document.title
        status.note = ""
        view.replace_document(document, locate(document, position), layout)
        self._start_annotating(document, records, anchoring)

    # ------------------------------------------------------------ highlights
    def _stored_records(self) -> list[dict]:
        if self.article_id is None:
            return []
        try:
            return self.store.annotations(self.article_id)
        except StoreError as error:
            self.notify(f"Highlights not available: {error}", severity="error", timeout=10)
            return []

    def _start_annotating(self, document: Document, records: list[dict],
                          anchoring: Anchoring | None) -> None:
        if self.article_id is None:
            return
        self.annotator = Annotator(self.store, self.article_id)
        try:
            detached = self.annotator.anchor(document, records, anchoring)
        except StoreError as error:
            detached = sum(h.detached for h in self.annotator.highlights)
            self.notify(f"Highlights were re-anchored but not saved: {error}",
                        severity="warning", timeout=10)
        self._show_highlights()
        if self.focus_highlight is not None:
            wanted = self.annotator.get(self.focus_highlight)
            if wanted is not None and not wanted.detached:
                self.view.move_cursor_to_offset(wanted.start, top=True)
        if detached:
            self.notify(
                f"{detached} highlight(s) could not be found in this version of the article. "
                "They are kept, under Detached in the highlights panel (p).",
                severity="warning", timeout=10,
            )

    def _show_highlights(self) -> None:
        if self.annotator is not None:
            self.view.set_highlights(self.annotator.highlights)
            panel = self._panel()
            if panel is not None:
                panel.set_highlights(self.annotator.highlights)
                panel.mark_nearest(self.view.cursor_offset)

    def _poll_store(self) -> None:
        """Show what another readmark process changed (notes made in a second terminal)."""
        try:
            if self.annotator is not None and self.annotator.reload_if_changed():
                self._show_highlights()
        except StoreError:
            pass  # the next poll tries again; changes here are still saved

    def _target_span(self) -> tuple[int, int] | None:
        """What h acts on: the selection if there is one, else the cursor's sentence."""
        return self.view.selection_span or self.view.cursor_span

    def _highlight_under_cursor(self) -> Highlight | None:
        span = self._target_span()
        if span is None:
            return None
        found = self.view.highlights_over(*span)
        return found[0] if found else None

    def _guarded(self, action, *args):
        """Run a store change; a failure is reported, never a crash, and nothing is lost."""
        try:
            return action(*args)
        except StoreError as error:
            self.notify(str(error), severity="error", timeout=10)
        except ValueError as error:
            self.notify(str(error), severity="warning", timeout=5)
        return None

    def _make_highlight(self) -> Highlight | None:
        if self.annotator is None:
            self.notify("Highlights become available once the article has loaded.",
                        severity="warning", timeout=4)
            return None
        span = self._target_span()
        if span is None:
            return None
        highlight = self._guarded(self.annotator.add, span[0], span[1], self.next_color)
        if highlight is not None:
            self.view.clear_selection()
            self._show_highlights()
        return highlight

    def action_highlight(self) -> None:
        span = self._target_span()
        if span is not None and self.annotator is not None and self.annotator.document:
            wanted = trim_span(self.annotator.document.text, *span)
            if any((h.start, h.end) == wanted for h in self.view.highlights_over(*span)):
                self.notify("Already highlighted (x deletes it, 1-5 recolour it).", timeout=3)
                return
        self._make_highlight()

    def action_color(self, color: str) -> None:
        highlight = self._highlight_under_cursor()
        if highlight is None or self.annotator is None:
            self.next_color = color
            self.notify(f"The next highlight will be {color}.", timeout=2)
            return
        if self._guarded(self.annotator.set_color, highlight.id, color) is not None:
            self._show_highlights()

    def action_delete_highlight(self) -> None:
        highlight = self._highlight_under_cursor()
        if highlight is None or self.annotator is None:
            self.notify("No highlight here.", severity="warning", timeout=2)
            return
        if self._guarded(self.annotator.delete, highlight.id) is not None:
            self._show_highlights()
            self.notify("Highlight deleted — u undoes it.", timeout=3)

    def action_undo(self) -> None:
        if self.annotator is None:
            return
        described = self._guarded(self.annotator.undo)
        if described is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        self._show_highlights()
        self.notify(f"Undone: {described}.", timeout=2)

    def action_note(self) -> None:
        highlight = self._highlight_under_cursor() or self._make_highlight()
        if highlight is None:
            return

        def save(note: str | None) -> None:
            if (note is not None and note != highlight.note and self.annotator is not None
                    and self._guarded(self.annotator.set_note, highlight.id, note) is not None):
                self._show_highlights()

        from reader.tui.screens.note_editor import NoteEditorScreen

        self.app.push_screen(NoteEditorScreen(highlight.text, highlight.note), save)

    def action_tags(self) -> None:
        highlight = self._highlight_under_cursor() or self._make_highlight()
        if highlight is None or self.annotator is None:
            return

        def save(tags: tuple[str, ...] | None) -> None:
            if (tags is not None and tags != highlight.tags and self.annotator is not None
                    and self._guarded(self.annotator.set_tags, highlight.id, tags) is not None):
                self._show_highlights()

        from reader.tui.screens.tag_editor import TagEditorScreen

        self.app.push_screen(TagEditorScreen(highlight.tags, self.annotator.known_tags()), save)

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
        status.minutes = minutes_left(self._words, fraction)
        self.query_one(OutlineTree).mark_section(section)
        panel = self._panel()
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
        if self.article_id is None or self.returns or not self.view.document.blocks:
            return
        position = position_of(self.view.document, self.view.cursor_offset)
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

    def on_unmount(self) -> None:
        self.save_position()

    # -------------------------------------------------------------- actions
    def action_toggle_outline(self) -> None:
        outline = self.query_one(OutlineTree)
        outline.display = not outline.display
        self._remember("outline", bool(outline.display))
        if outline.display:
            outline.mark_section(self.view.document.section_index_at(self.view.cursor_offset))
        else:
            self.view.focus()

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
            if self.annotator is not None and self.annotator.document is not None:
                self._guarded(self.annotator.anchor, self.annotator.document)
                self._show_highlights()

        self.app.push_screen(ReviewScreen(self.store, article_id=self.article_id), back)

    def _panel(self) -> AnnotationPanel | None:
        """The highlights panel, which is only built once it is first shown."""
        found = self.query(AnnotationPanel)
        return found.first() if found else None

    async def action_toggle_panel(self) -> None:
        panel = self._panel()
        if panel is None:
            panel = AnnotationPanel(id="annotations")
            await self.query_one("#body").mount(panel)
            if self.annotator is not None:
                panel.set_highlights(self.annotator.highlights)
        else:
            panel.display = not panel.display
        self._remember("panel", bool(panel.display))
        if panel.display:
            panel.mark_nearest(self.view.cursor_offset)
        else:
            self.view.focus()

    @on(AnnotationPanel.Selected)
    def _panel_selected(self, event: AnnotationPanel.Selected) -> None:
        event.stop()
        if self.annotator is None:
            return
        highlight = self.annotator.get(event.highlight_id)
        if highlight is None:
            return
        if not highlight.detached:
            self.view.move_cursor_to_offset(highlight.start)
            self.view.focus()
            return
        span = self.view.selection_span
        if span is None:
            self.notify("To re-attach it, select the new text in the article (v, or the "
                        "mouse), then press enter on this entry again.", timeout=6)
            return
        if self._guarded(self.annotator.reattach, highlight.id, *span) is not None:
            self.view.clear_selection()
            self._show_highlights()
            self.notify("Re-attached.", timeout=2)

    def _remember(self, key: str, value) -> None:
        remember = getattr(self.app, "remember", None)
        if remember is not None:
            remember(key, value)

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
