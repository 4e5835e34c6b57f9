"""Loading the article into the reading screen: a quick first screen, then the whole of it.

A long article is first shown from a preview around the saved position; the
whole article is parsed and laid out by a worker once the first screen is
painted, then swapped in without moving the text. The library write that
records the opening also waits for the first paint.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import TYPE_CHECKING

from reader.annotations.records import Anchoring, find_in_preview
from reader.document.layout import Layout
from reader.document.markdown import quick_title
from reader.document.model import Document
from reader.review.library import article_details
from reader.sources.loader import ArticleError, ArticleSource
from reader.sources.partial import expected_length, is_partial, whole_of
from reader.sources.progressive import (
    locate,
    needs_preview,
    position_of,
    preview_document,
    whole_document,
)
from reader.store import StoreError, StoreReadOnly
from reader.tui.startup import resume_collection
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from reader.tui.screens.reading import ReadingScreen

#: Time the terminal gets to receive the first frame before start-up work resumes.
FIRST_FRAME_WRITE_SECONDS = 0.03


class ArticleLoader:
    """Brings the reading screen's article up: first screen, library record, whole text."""

    def __init__(self, screen: ReadingScreen) -> None:
        self._screen = screen
        #: Words in the article (estimated from its size until it is all parsed).
        self.words = 0

    def initial_title(self) -> str:
        """A title found quickly, for the status line before anything is parsed."""
        source = self._screen.source
        if source.format == "markdown":
            return quick_title(source.text, source.path)
        from reader.document.plaintext import parse_plaintext

        return parse_plaintext(source.text[:4000], source.path).title

    def start(self) -> None:
        """Show the first screen at the saved position, and queue the rest for after it."""
        screen = self._screen
        source = screen.source
        position = self._find_in_store()
        if is_partial(source):
            # Only the first part of a new snapshot (reader.sources.partial): an article
            # the library knows may be read anywhere, so its whole is waited for.
            if screen.article_id is not None:
                if not self._take_whole():
                    return
                source = screen.source
                position = self._find_in_store()
            else:
                lines = source.text.count("\n") + 1
                screen._total_lines = max(1, lines * expected_length(source) // len(source.text))
        records = self._stored_records()
        if needs_preview(source) or is_partial(source):
            line = int(position.get("line", 0)) if position else 0
            preview = preview_document(source, line)
            self._show(preview, locate(preview, position))
            if records:
                screen.view.set_highlights(find_in_preview(preview, records))
            screen.query_one(StatusBar).note = "loading…"
            # Parse the rest once the first screen is painted, so it does not compete
            # with it for the interpreter.
            screen.call_after_refresh(self._soon_after_first_paint, source, records)
        else:
            document = whole_document(source)
            self._show(document, locate(document, position))
            screen.annotations.start(document, records, None)
            screen.call_after_refresh(self._soon_after_first_paint, None, records)

    def _find_in_store(self) -> dict | None:
        """The saved position, if the library knows the article. Only reads: the
        write that records this opening waits until the first screen is up."""
        screen = self._screen
        try:
            article = screen.store.find_article(fingerprint=screen.source.fingerprint,
                                                path=os.path.abspath(screen.source.path))
            if article is None:
                return None
            screen.article_id = article["id"]
            return screen.store.get_position(screen.article_id)
        except StoreError as error:  # the store explains itself; reading must go on
            screen.notify(f"Reading position not available: {error}", severity="warning",
                          timeout=8)
            return None

    def _stored_records(self) -> list[dict]:
        screen = self._screen
        if screen.article_id is None:
            return []
        try:
            return screen.store.annotations(screen.article_id)
        except StoreError as error:
            screen.notify(f"Highlights not available: {error}", severity="error", timeout=10)
            return []

    def _record_opening(self) -> None:
        """Register the article (new, moved or edited) and when it was last opened."""
        from reader.sources.loader import holds

        screen = self._screen
        fingerprint = screen.source.fingerprint
        try:
            article = screen.store.upsert_article(
                fingerprint=fingerprint,
                path=os.path.abspath(screen.source.path),
                title=screen.query_one(StatusBar).title,
                still_there=lambda known: holds(known, fingerprint),  # a copy is not a move
            )
        except StoreReadOnly:
            return  # a read-only library still gave the position, if it had one
        except StoreError as error:
            screen.notify(f"This article could not be added to the library: {error}",
                          severity="warning", timeout=8)
            return
        screen.article_id = article["id"]

    def _show(self, document: Document, offset: int) -> None:
        screen = self._screen
        # Until the whole article is parsed, estimate words from its size.
        self.words = (document.word_count if document.complete
                      else expected_length(screen.source) // 6)
        screen.query_one(StatusBar).title = document.title
        screen.query_one(OutlineTree).set_document(document)
        screen.view.set_document(document, offset)

    def _soon_after_first_paint(self, source: ArticleSource | None, records: list[dict]) -> None:
        resume_collection()
        # Painting only queues the frame for Textual's writer thread; a parse
        # started at once would hold the interpreter while the frame waits.
        self._screen.set_timer(FIRST_FRAME_WRITE_SECONDS,
                               lambda: self._after_first_paint(source, records))

    def _after_first_paint(self, source: ArticleSource | None, records: list[dict]) -> None:
        """Start-up work that can wait for the first screen: the library write, and
        the rest of the article (``source``) when a preview is showing."""
        screen = self._screen
        if is_partial(screen.source):
            self._wait_for_whole(records)  # recorded once it is whole
            return
        new = screen.article_id is None
        self._record_opening()
        if source is not None:
            screen._load_whole(source, records)
        else:
            self.details(screen.view.document)
            if screen.annotator is None:  # a new article: it has an id only now
                screen.annotations.start(screen.view.document, records, None)
        if new and screen.article_id is not None:
            from reader.tui.reading.relink_offer import RelinkOffer

            RelinkOffer(screen).look()  # a moved and edited article it may be

    def _take_whole(self) -> bool:
        """Wait here for the whole of a first part (False: it could not be made)."""
        screen = self._screen
        try:
            whole = whole_of(screen.source)
        except ArticleError as error:
            self._whole_failed(error)
            return False
        self._became_whole(whole)
        return True

    def _became_whole(self, whole: ArticleSource) -> None:
        screen = self._screen
        screen.source = whole
        screen._total_lines = max(1, whole.text.count("\n") + 1)
        if screen.reloader.path is None:  # its file did not exist yet when it started
            screen.reloader.start()

    def _wait_for_whole(self, records: list[dict]) -> None:
        """Wait, in a thread, for the whole article; then go on as for a long article."""
        screen = self._screen
        partial = screen.source

        def wait() -> None:
            try:
                whole, error = whole_of(partial), None
            except ArticleError as problem:
                whole, error = None, problem
            except Exception as problem:  # said, rather than loading forever
                whole, error = None, ArticleError(f"the article could not be made ({problem})")
            with contextlib.suppress(RuntimeError):  # the app has closed meanwhile
                screen.app.call_from_thread(self._whole_came, partial, whole, error, records)

        threading.Thread(target=wait, name="readmark-whole", daemon=True).start()

    def _whole_came(self, partial: ArticleSource, whole: ArticleSource | None,
                    error: ArticleError | None, records: list[dict]) -> None:
        screen = self._screen
        if screen.source is not partial or not screen.is_attached:
            return
        if whole is None:
            self._whole_failed(error or ArticleError("the article could not be made"))
            return
        self._became_whole(whole)
        self._after_first_paint(whole, records)

    def _whole_failed(self, error: ArticleError) -> None:
        """The rest of the article could not be made (its snapshot not saved): nothing
        can be kept of this reading, so the reader closes and says why."""
        from rich.text import Text

        self._screen.app.exit(return_code=2, message=Text(f"readmark: {error}"))

    def whole_ready(self, document: Document, layout: Layout, words: int,
                    records: list[dict], anchoring: Anchoring | None) -> None:
        """Swap the whole article in for the preview, keeping the reader's place."""
        screen = self._screen
        view = screen.view
        position = position_of(view.document, view.cursor_offset)
        self.words = words
        screen.query_one(OutlineTree).set_document(document)
        status = screen.query_one(StatusBar)
        status.title = document.title
        status.note = ""
        offset = locate(document, position)
        # g or G pressed on the preview meant the article's start or end.
        jump = view._navigator.carry_jump(document)
        if jump == "start":
            offset = 0
        elif jump == "end" and document.sentence_count:
            offset = document.sentence_starts[-1]
        view.replace_document(document, offset, layout)
        screen.annotations.start(document, records, anchoring)
        self.details(document)

    def details(self, document: Document) -> None:
        """Keep what the library shows of the article (author, site, length); quietly
        skipped when the library cannot take it."""
        screen = self._screen
        if screen.article_id is None or not document.complete:
            return
        # A convenience for the library's rows: reading goes on without it.
        with contextlib.suppress(StoreError, ValueError):
            screen.store.set_article_details(screen.article_id, article_details(document))
