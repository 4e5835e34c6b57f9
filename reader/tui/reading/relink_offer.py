"""The offer to relink: a newly opened file that holds most of a missing article's highlights.

A file moved *and* edited is not recognised (neither its path nor its content
fingerprint matches), so it opens as a new article. When its text holds most of
the highlighted passages of an article whose file is missing, the reader is asked
whether it is that article; yes moves the highlights, cards and position over
(:func:`reader.export.relinking.relink`) and shows them here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.document.inert import inert
from reader.export.relinking import Candidate, relink, relink_candidates
from reader.store import StoreError

if TYPE_CHECKING:
    from reader.tui.screens.reading import ReadingScreen

#: Seconds between looks while the whole article is still being parsed.
WAIT_SECONDS = 0.3


class RelinkOffer:
    """Looks for the missing article a new file may be, and offers to relink it."""

    def __init__(self, screen: ReadingScreen) -> None:
        self._screen = screen

    def look(self) -> None:
        """Look in a worker (it reads the highlights of missing articles)."""
        screen = self._screen
        text, new_id = screen.source.text, screen.article_id
        screen.run_worker(lambda: self._find(text, new_id), thread=True, group="relink-offer",
                          exit_on_error=False)

    def _find(self, text: str, new_id: str | None) -> None:
        try:
            found = relink_candidates(self._screen.store, text, but=new_id)
        except StoreError:
            return
        if found:
            self._screen.app.call_from_thread(self._ask, found[0], new_id)

    def _ask(self, candidate: Candidate, new_id: str | None) -> None:
        screen = self._screen
        if not screen.is_attached or screen.article_id != new_id:
            return
        if not screen.view.document.complete or screen.annotator is None:
            screen.set_timer(WAIT_SECONDS, lambda: self._ask(candidate, new_id))
            return
        if screen.annotator.highlights and len(screen.annotator.highlights) >= candidate.total:
            return  # already highlighted here as much: not a forgotten copy
        from reader.tui.screens.confirm import ConfirmScreen

        title = inert(str(candidate.article.get("title") or ""))
        path = inert(str(candidate.article.get("path") or ""))
        question = (f"This file holds {candidate.found} of the {candidate.total} highlighted "
                    f"passages of “{title}”, whose file ({path}) is missing. Is it that "
                    "article, moved and edited? Yes moves its highlights, review cards and "
                    "reading position here.")

        def answered(yes: bool | None) -> None:
            if yes:
                self._relink(candidate)

        screen.app.push_screen(ConfirmScreen(question, yes="Relink", no="Not it"), answered)

    def _relink(self, candidate: Candidate) -> None:
        screen = self._screen
        document = screen.view.document
        try:
            done = relink(screen.store, candidate.article["id"], screen.source, document)
            records = screen.store.annotations(candidate.article["id"])
        except StoreError as error:
            screen.notify(f"Not relinked: {error}", severity="error", timeout=10)
            return
        screen.article_id = candidate.article["id"]
        screen.annotations.start(document, records, None)
        found = done.highlights - len(done.detached)
        message = f"Relinked: {found} of {done.highlights} highlights found in this version"
        if done.detached:
            message += f"; {len(done.detached)} are listed under Detached (p)"
        screen.notify(message + ".", timeout=8)
