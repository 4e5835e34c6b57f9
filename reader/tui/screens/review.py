"""The review screen: one highlight at a time, rated after revealing its note.

It shows a card (where the highlight comes from, the passage with a sentence of
context on each side, the note hidden until ``space``), the due date each rating
would give on the rating keys, a progress bar, and a summary at the end. The
rules live in :class:`reader.review.session.ReviewSession`; this screen only draws them
and turns keys into calls. Every rating is saved before the next card shows.

The screen keeps the session, the keys and when to draw; what is drawn is in
widgets: the card (:mod:`reader.tui.widgets.review_card`), the progress line and
the rating keys (:mod:`reader.tui.widgets.review_bars`) and the end page
(:mod:`reader.tui.widgets.review_summary`). The retention dialog is
:mod:`reader.tui.screens.retention`.
"""

from __future__ import annotations

import contextlib
import os
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import ContentSwitcher

from reader.annotations.annotator import KNOWN_TAGS
from reader.review.passages import Passage, PassageLoader, passage_from_quote
from reader.review.queue import DEFAULT_NEW, ReviewItem
from reader.review.scheduling import DEFAULT_RETENTION, RETENTION_SETTING, Rating, clamp_retention
from reader.review.session import Clock, ReviewSession
from reader.sources.shipped import styles_dir
from reader.store import AnnotationNotFound, StoreError
from reader.tui.screens.note_editor import NoteEditorScreen
from reader.tui.screens.retention import RetentionScreen
from reader.tui.screens.tag_editor import TagEditorScreen
from reader.tui.startup import resume_collection
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.review_bars import RatingKeys, ReviewTopLine
from reader.tui.widgets.review_card import ReviewCard
from reader.tui.widgets.review_summary import SessionEnd, end_text

#: Articles up to this size are parsed for context before a card shows; larger
#: ones in a worker, the stored context showing meanwhile.
SYNC_CONTEXT_BYTES = 200_000
#: Seconds after a card shows before the next cards' articles are parsed ahead.
PREFETCH_DELAY = 0.15


class ReviewScreen(Screen[None]):
    """A review session over the whole library, one article, or one tag.

    Args:
        store: The open Store.
        article_id: Only this article's highlights (the reading view's ``r``).
        limit: At most this many cards.
        tag: Only highlights with this tag.
        new: At most this many never-reviewed highlights.
        clock: Returns the current time (timezone-aware); for tests.
        desired_retention: Overrides the remembered ``review_retention`` setting.
        session: A session already made with these options (the command line makes it
            to look before opening); None: made on mount.
    """

    CSS_PATH = styles_dir() / "review.tcss"
    AUTO_FOCUS = ""

    BINDINGS = [
        # space and the ratings are shown in the line above the footer, with the
        # due date each rating gives; keeping them out of the footer spares it a
        # rebuild on every card (see _refresh_footer).
        Binding("space", "reveal", "Show", id="review.reveal", show=False,
                tooltip="Show the note (or the context of a highlight without one)"),
        Binding("space", "rate(3)", "Good", id="review.good", show=False,
                tooltip="Rate good: remembered with some effort"),
        Binding("enter", "reveal", "Show", id="review.reveal_enter", show=False,
                tooltip="Show the note"),
        Binding("enter", "rate(3)", "Good", id="review.good_enter", show=False,
                tooltip="Rate good"),
        Binding("1", "rate(1)", "Again", id="review.again", show=False,
                tooltip="Rate again: forgotten; it comes back soon"),
        Binding("2", "rate(2)", "Hard", id="review.hard", show=False,
                tooltip="Rate hard: remembered with difficulty"),
        Binding("3", "rate(3)", "Good", id="review.good_key", show=False,
                tooltip="Rate good: remembered with some effort"),
        Binding("4", "rate(4)", "Easy", id="review.easy", show=False,
                tooltip="Rate easy: remembered at once; a longer interval"),
        Binding("e", "edit_note", "Note", id="review.note", tooltip="Edit the note in place"),
        Binding("number_sign", "edit_tags", "Tags", id="review.tags",
                tooltip="Edit the highlight's tags"),
        Binding("s", "skip", "Skip", id="review.skip", tooltip="Put this card at the back"),
        Binding("S", "suspend", "Suspend", id="review.suspend",
                tooltip="Never show this card again (until: readmark review --unsuspend)"),
        Binding("o", "open_article", "Open", id="review.open",
                tooltip="Open the article at this highlight; q comes back here"),
        Binding("u", "undo", "Undo", id="review.undo",
                tooltip="Undo the last rating or suspend"),
        Binding("R", "retention", "Retention", id="review.retention", show=False,
                tooltip="Set the desired retention (how much to remember)"),
        Binding("q", "end", "End", id="review.end",
                tooltip="End the session (every rating is already saved)"),
        Binding("q", "close", "Close", id="review.close", tooltip="Leave the review"),
    ]

    def __init__(
        self,
        store,
        *,
        article_id: str | None = None,
        limit: int | None = None,
        tag: str | None = None,
        new: int = DEFAULT_NEW,
        clock: Clock | None = None,
        desired_retention: float | None = None,
        session: ReviewSession | None = None,
    ) -> None:
        super().__init__()
        self.store = store
        self.article_id = article_id
        self.limit = limit
        self.tag = tag
        self.new = new
        self.clock = clock
        self.desired_retention = desired_retention
        self.session: ReviewSession | None = session
        self.loader = PassageLoader()
        self.revealed = False
        self.finished = False
        self._passage: Passage | None = None
        self._prefetch_timer: Timer | None = None
        self._footer_state: tuple[bool, bool, bool] | None = None

    def compose(self) -> ComposeResult:
        yield ReviewTopLine(id="review-top")
        with ContentSwitcher(initial="review-card", id="review-body"):
            with VerticalScroll(id="review-card"):
                yield ReviewCard(id="card")
            yield SessionEnd(id="review-end")
        yield RatingKeys(id="review-ratings")
        yield KeyFooter()

    # ------------------------------------------------------------------ start
    def on_mount(self) -> None:
        self.call_after_refresh(resume_collection)
        if self.session is not None:
            self.query_one(ReviewTopLine).show_heading(self.session, article_id=self.article_id)
            self._show_card()
            return
        retention = self.desired_retention
        if retention is None:
            try:
                retention = self.store.get_setting(RETENTION_SETTING, DEFAULT_RETENTION)
            except StoreError:
                retention = DEFAULT_RETENTION
        try:
            self.session = ReviewSession(
                self.store, article_id=self.article_id, limit=self.limit, tag=self.tag,
                new=self.new, clock=self.clock, desired_retention=clamp_retention(retention))
        except StoreError as error:
            self._finish(f"The highlights could not be read: {error}")
            return
        self.query_one(ReviewTopLine).show_heading(self.session, article_id=self.article_id)
        self._show_card()

    # ------------------------------------------------------------------ drawing
    def _show_card(self, *, keep_revealed: bool = False) -> None:
        """Draw the current card, or the end of the session when none is left."""
        session = self.session
        if session is None:
            return
        # On a read error the card shows as the session knows it; saving reports problems.
        with contextlib.suppress(StoreError):
            session.sync_current()
        item = session.current
        self._update_progress()
        if item is None:
            self._finish()
            return
        self.revealed = keep_revealed and self.revealed
        self._passage = self._passage_now(item)
        self._draw(item)
        session.card_shown()
        self._refresh_footer()
        # Parse the next cards' articles once this card and the footer are drawn: a
        # thread parsing meanwhile would hold the interpreter and delay the drawing.
        upcoming = session.upcoming(2)
        if self._prefetch_timer is not None:
            self._prefetch_timer.stop()
        self._prefetch_timer = self.set_timer(PREFETCH_DELAY, lambda: self._prefetch(upcoming))

    def _draw(self, item: ReviewItem) -> None:
        assert self._passage is not None
        self.query_one(ReviewCard).show(item, self._passage, revealed=self.revealed)
        self.query_one(RatingKeys).show(item, self.session, revealed=self.revealed)
        self.query_one("#review-card", VerticalScroll).scroll_home(animate=False)

    def _refresh_footer(self) -> None:
        """Update the footer's keys, only when what it shows changed: Textual's Footer
        rebuilds all its keys on every refresh, which costs more than drawing a card."""
        session = self.session
        state = (self.finished, session is not None and session.current is not None,
                 session is not None and bool(session.history))
        if state != self._footer_state:
            self._footer_state = state
            self.refresh_bindings()

    def _update_progress(self) -> None:
        session = self.session
        if session is None:
            return
        self.query_one(ReviewTopLine).show_progress(session.reviewed, session.total)

    def _passage_now(self, item: ReviewItem) -> Passage:
        """The passage, parsing the article first unless it is large (then a worker)."""
        try:
            size = os.path.getsize(item.path) if item.path else 0
        except OSError:
            size = 0
        if size <= SYNC_CONTEXT_BYTES or self.loader.document(item.path) is not None:
            return self.loader.passage(item)
        self._load_passage(item)
        return passage_from_quote(item.quote)

    @work(thread=True, exclusive=True, group="review-passage")
    def _load_passage(self, item: ReviewItem) -> None:
        passage = self.loader.passage(item)
        self.app.call_from_thread(self._passage_ready, item.id, passage)

    def _passage_ready(self, item_id: str, passage: Passage) -> None:
        session = self.session
        if session is None or session.current is None or session.current.id != item_id:
            return
        self._passage = passage
        self._draw(session.current)

    @work(thread=True, exclusive=True, group="review-prefetch")
    def _prefetch(self, items: list[ReviewItem]) -> None:
        """Parse the next cards' articles ahead, so rating shows the next card at once."""
        for item in items:
            self.loader.document(item.path)

    # ------------------------------------------------------------------ end
    def _finish(self, message: str | None = None) -> None:
        self.finished = True
        self.query_one(ContentSwitcher).current = "review-end"
        self.query_one("#review-ratings").display = False
        if not message:
            assert self.session is not None
            message = end_text(self.session)
        self.query_one(SessionEnd).show(message)
        self._refresh_footer()

    # ------------------------------------------------------------------ actions
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        session = self.session
        has_card = not self.finished and session is not None and session.current is not None
        if action == "reveal":
            return has_card and not self.revealed
        if action == "rate":
            return has_card and self.revealed
        if action in ("edit_note", "edit_tags", "skip", "suspend", "open_article"):
            return has_card
        if action == "undo":
            return None if session is None or not session.history else True
        if action in ("end", "close"):
            return self.finished == (action == "close")
        return True

    def action_reveal(self) -> None:
        session = self.session
        if session is None or session.current is None:
            return
        self.revealed = True
        self._draw(session.current)
        self._refresh_footer()

    def action_rate(self, value: int) -> None:
        session = self.session
        if session is None or session.current is None or not self.revealed:
            return
        try:
            session.rate(Rating(value))
        except AnnotationNotFound:
            session.drop(session.current.id)
            self.notify("This highlight was deleted meanwhile.", timeout=3)
        except StoreError as error:
            self.notify(f"The rating was not saved: {error}", severity="error", timeout=10)
            return
        self._show_card()

    def action_skip(self) -> None:
        session = self.session
        if session is None or session.current is None:
            return
        if not session.skip():
            self.notify("This is the last card of the session.", timeout=2)
            return
        self._show_card()

    def action_suspend(self) -> None:
        session = self.session
        if session is None or session.current is None:
            return
        try:
            session.suspend()
        except StoreError as error:
            self.notify(f"Not suspended: {error}", severity="error", timeout=10)
            return
        self.notify("Suspended: it will not come back (u undoes it).", timeout=3)
        self._show_card()

    def action_undo(self) -> None:
        session = self.session
        if session is None:
            return
        try:
            what = session.undo()
        except StoreError as error:
            self.notify(str(error), severity="warning", timeout=8)
            return
        if what is None:
            self.notify("Nothing to undo.", timeout=2)
            return
        if self.finished:
            self.finished = False
            self.query_one(ContentSwitcher).current = "review-card"
            self.query_one("#review-ratings").display = True
        self.revealed = what != "suspend"  # a rated card had been revealed
        self._show_card(keep_revealed=True)
        self.notify(f"Undone: {what}.", timeout=2)

    def action_edit_note(self) -> None:
        session = self.session
        item = session.current if session is not None else None
        if item is None:
            return

        def save(note: str | None) -> None:
            if note is None or note == item.note:
                return
            self._save_fields(item, {"note": note})

        self.app.push_screen(NoteEditorScreen(item.quote.exact, item.note), save)

    def action_edit_tags(self) -> None:
        session = self.session
        item = session.current if session is not None else None
        if item is None:
            return
        try:
            known = list(self.store.get_setting(KNOWN_TAGS, []) or [])
        except StoreError:
            known = []

        def save(tags: tuple[str, ...] | None) -> None:
            if tags is None or tags == item.tags:
                return
            if self._save_fields(item, {"tags": list(tags)}) and not set(tags) <= set(known):
                with contextlib.suppress(StoreError):
                    self.store.set_setting(KNOWN_TAGS,
                                           sorted(set(known) | set(tags), key=str.lower))

        self.app.push_screen(TagEditorScreen(item.tags, known), save)

    def _save_fields(self, item: ReviewItem, changes: dict[str, Any]) -> bool:
        session = self.session
        assert session is not None
        try:
            record = self.store.update_annotation(item.id, changes)
        except AnnotationNotFound:
            session.drop(item.id)
            self.notify("This highlight was deleted meanwhile.", timeout=3)
            self._show_card()
            return False
        except StoreError as error:
            self.notify(f"Not saved: {error}", severity="error", timeout=10)
            return False
        session.refresh_item(record)
        if session.current is not None and session.current.id == item.id:
            self._draw(session.current)
        return True

    def action_open_article(self) -> None:
        session = self.session
        item = session.current if session is not None else None
        if item is None:
            return
        make_screen = getattr(self.app, "reading_screen", None)
        if make_screen is None or not item.path:
            self.notify("This article cannot be opened from here.", severity="warning")
            return
        from reader.sources.loader import ArticleError, read_article

        try:
            source = read_article(item.path)
        except ArticleError as error:
            self.notify(str(error), severity="error", timeout=8)
            return
        screen = make_screen(source, focus_highlight=item.id, returns=True)
        self.app.push_screen(screen, self._back_from_article)

    def _back_from_article(self, _result: object = None) -> None:
        """Highlights may have been edited or deleted in the article: draw afresh."""
        self._show_card(keep_revealed=True)

    def action_retention(self) -> None:
        session = self.session
        current = session.desired_retention if session is not None else DEFAULT_RETENTION

        def chosen(value: float | None) -> None:
            if value is None or session is None:
                return
            retention = session.set_retention(value)
            try:
                self.store.set_setting(RETENTION_SETTING, retention)
                self.notify(f"Desired retention: {retention:g} (remembered).", timeout=3)
            except StoreError as error:
                self.notify(f"Desired retention {retention:g} for this session only: {error}",
                            severity="warning", timeout=6)
            if session.current is not None and not self.finished:
                self._draw(session.current)

        self.app.push_screen(RetentionScreen(current), chosen)

    def action_end(self) -> None:
        """End the session early: the summary shows what was done."""
        self._finish()

    def action_close(self) -> None:
        """Leave: back to the screen below (the article), or out of readmark."""
        if len(self.app.screen_stack) > 2:
            self.dismiss(None)
        else:
            self.app.exit()

