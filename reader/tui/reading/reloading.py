"""Live reload: when the open article's file changes on disk, show the new version.

The reading screen owns one :class:`ArticleReloader`. A timer looks at the file's
inode, size and modification time a few times a second (no new dependency, and the
same on every system). A change is read, parsed, laid out and re-anchored by a
worker; then the new text replaces the old with the reader on the same sentence
(found by its content, see :mod:`reader.annotations.following`) and a notification
says what changed. An editor that saves by writing a new file and renaming it over
the old one changes the inode; one that leaves the file missing for a moment
during the save is waited for; a file still being written is read once it settles.
"""

from __future__ import annotations

import contextlib
import os
import time
from typing import TYPE_CHECKING

from reader.annotations.following import follow
from reader.annotations.records import Anchoring, anchor_records
from reader.document.layout import Layout, layout_document
from reader.document.model import Document
from reader.sources.loader import ArticleError, ArticleSource, read_article
from reader.sources.progressive import whole_document
from reader.store import StoreError, StoreReadOnly
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from reader.tui.screens.reading import ReadingScreen

#: How often the file is looked at (a stat: nothing is read until it changes).
POLL_SECONDS = 0.1
#: A file changed more recently than this may still be being written: it is read
#: when it has not changed between two looks, or once it is this old.
SETTLE_SECONDS = 0.1
#: How long the file may be missing (an editor's save) before the reader is told.
MISSING_SECONDS = 3.0

Signature = tuple[int, int, int, int]


def file_signature(path: str) -> Signature | None:
    """(device, inode, size, modification time in ns), or None when it is not there."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns)


class ArticleReloader:
    """Watches the reading screen's article file and reloads it when it changes."""

    def __init__(self, screen: ReadingScreen) -> None:
        self._screen = screen
        self._path: str | None = None
        self._shown: Signature | None = None
        self._waiting: Signature | None = None
        self._missing_since: float | None = None
        self._told_missing = False
        self._busy = False
        #: How many times the article was reloaded (for tests and benchmarks).
        self.reloads = 0

    @property
    def path(self) -> str | None:
        return self._path

    def start(self) -> None:
        """Begin watching, if the article is a file (not standard input or a URL)."""
        path = self._screen.source.path
        if not path or not os.path.isfile(path):
            return
        self._path = os.path.abspath(path)
        self._shown = file_signature(self._path)
        self._screen.set_interval(POLL_SECONDS, self.check)

    # ----------------------------------------------------------------- looking
    def check(self) -> None:
        """Look at the file once (the timer calls this)."""
        screen = self._screen
        if self._busy or self._path is None or screen.annotator is None:
            return  # still loading: the first version is not all shown yet
        signature = file_signature(self._path)
        if signature is None:
            self._gone()
            return
        if self._missing_since is not None and self._told_missing:
            screen.notify("The article's file is back.", timeout=4)
        self._missing_since, self._told_missing = None, False
        if signature == self._shown:
            return
        age = time.time() - signature[3] / 1e9
        if age < SETTLE_SECONDS and signature != self._waiting:
            self._waiting = signature  # being written, perhaps: look again
            return
        self._waiting = None
        self._busy = True
        screen.run_worker(lambda: self._read(signature), thread=True, exclusive=True,
                          group="reload", exit_on_error=False)

    def _gone(self) -> None:
        now = time.monotonic()
        if self._missing_since is None:
            self._missing_since = now
        elif not self._told_missing and now - self._missing_since > MISSING_SECONDS:
            self._told_missing = True
            self._screen.notify(
                "The article's file was moved or deleted; the text shown stays as it was. "
                "(If it was moved, the library can relink it.)", severity="warning", timeout=8)

    # ----------------------------------------------------------------- reading
    def _read(self, signature: Signature) -> None:
        """In a worker: read, parse, lay out and re-anchor the new version."""
        screen = self._screen
        app = screen.app
        assert self._path is not None
        try:
            source = read_article(self._path)
        except ArticleError as error:  # e.g. emptied for a moment while saved
            app.call_from_thread(self._unreadable, signature, str(error))
            return
        if source.fingerprint == screen.source.fingerprint:
            app.call_from_thread(self._unchanged, signature)
            return
        document = whole_document(source)
        layout = layout_document(document, screen.view.text_width())
        try:
            records = screen.store.annotations(screen.article_id) if screen.article_id else []
        except StoreError:
            records = []
        anchoring = anchor_records(document, records)
        self._record(source, document)  # the library's entry: new fingerprint, same id
        if anchoring.changes and screen.article_id and not screen.store.read_only_reason:
            # Saved here, off the screen's thread (a bulk change makes a backup first).
            try:
                screen.store.update_annotations(screen.article_id, anchoring.changes)
            except (StoreError, ValueError):
                pass  # the annotator saves them when the new version is shown
            else:
                records = [record | anchoring.changes.get(str(record.get("id")), {})
                           for record in records]
                anchoring = Anchoring(anchoring.highlights, {})
        app.call_from_thread(self._apply, signature, source, document, layout, records,
                             anchoring)

    def _unchanged(self, signature: Signature) -> None:
        self._shown, self._busy = signature, False

    def _unreadable(self, signature: Signature, message: str) -> None:
        self._busy = False
        if self._waiting == signature:  # the same bad version twice: say so, once
            self._shown = signature
            self._screen.notify(f"The article changed but cannot be read: {message}",
                                severity="warning", timeout=8)
        self._waiting = signature

    def _apply(self, signature: Signature, source: ArticleSource, document: Document,
               layout: Layout, records: list[dict], anchoring: Anchoring) -> None:
        """Show the new version in place of the old, on the same sentence."""
        screen = self._screen
        if not screen.is_attached:  # closed meanwhile
            return
        view = screen.view
        self._shown, self._busy = signature, False
        old = view.document
        annotator = screen.annotator
        detached_before = {h.id for h in annotator.highlights if h.detached} if annotator else set()
        spans = []
        if old.sentence_count:
            index = old.sentence_index_at(view.cursor_offset)
            spans = [old.sentence_span(i) for i in range(index, max(-1, index - 4), -1)]
        offset = follow(old.text, spans, document.text)
        screen.source = source
        screen.loader.words = document.word_count
        screen.query_one(OutlineTree).set_document(document)
        screen.query_one(StatusBar).title = document.title
        if document.sentence_count:  # the start of the sentence found
            offset = document.sentence_starts[document.sentence_index_at(offset)]
        view.replace_document(document, offset, layout)
        self.reloads += 1
        detached: set[str] = set()
        if annotator is not None:
            screen.annotations.guarded(annotator.anchor, document, records, anchoring)
            screen.annotations.show()
            detached = {h.id for h in annotator.highlights if h.detached}
        lost = len(detached - detached_before)
        found = len(detached_before - detached)
        message = "Reloaded: the file changed on disk."
        if lost:
            message += (f" {lost} highlight{'s' if lost != 1 else ''} could not be found and "
                        f"{'are' if lost != 1 else 'is'} listed under Detached (p).")
        if found:
            message += f" {found} detached highlight{'s' if found != 1 else ''} found again."
        screen.notify(message, severity="warning" if lost else "information", timeout=6)

    def _record(self, source: ArticleSource, document: Document) -> None:
        """The library keeps the article's new fingerprint and title (same id)."""
        screen = self._screen
        if screen.article_id is None:
            return
        with contextlib.suppress(StoreReadOnly, StoreError, ValueError):
            article = screen.store.upsert_article(
                fingerprint=source.fingerprint, path=os.path.abspath(source.path),
                title=document.title)
            if article["id"] == screen.article_id:
                details = getattr(screen.loader, "details", None)
                if details is not None:
                    details(document)
