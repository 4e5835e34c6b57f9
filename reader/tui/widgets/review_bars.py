"""The one-line bars around the review card: the progress line above, the rating keys below.

The rating keys are drawn here, in a line of their own above the footer, with the
due date each rating gives; the bindings themselves stay on the review screen.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import ProgressBar, Static

from reader.document.inert import inert
from reader.review.queue import ReviewItem
from reader.review.scheduling import RATING_NAMES, RATINGS, describe_interval
from reader.review.session import ReviewSession


class ReviewTopLine(Horizontal):
    """The top line (``#review-top``): the heading, a progress bar, reviewed / total."""

    def compose(self) -> ComposeResult:
        yield Static("Review", id="review-heading", markup=False)
        yield ProgressBar(show_eta=False, show_percentage=False, id="review-progress")
        yield Static("", id="review-count")

    def show_heading(self, session: ReviewSession | None, *, article_id: str | None) -> None:
        """Put the session's scope at the left: "Review", the article's title when it
        reviews one article (``article_id``), the tag when it reviews one tag."""
        parts = ["Review"]
        if article_id is not None and session is not None:
            title = next((item.title for item in session.items.values()), "")
            if title:
                parts.append(inert(title))
        if session is not None and session.tag:
            parts.append(f"#{inert(session.tag)}")
        self.query_one("#review-heading", Static).update(" · ".join(parts))

    def show_progress(self, reviewed: int, total: int) -> None:
        """``reviewed`` cards done of the session's ``total``."""
        self.query_one(ProgressBar).update(total=max(1, total), progress=reviewed)
        self.query_one("#review-count", Static).update(f"{reviewed} / {total}")


class RatingKeys(Horizontal):
    """The rating keys (``#review-ratings``): before ``space`` a hint, after it the four
    ratings with the interval each gives."""

    def compose(self) -> ComposeResult:
        yield Static("", id="review-hint")
        for rating in RATINGS:
            yield Static("", id=f"rating-{int(rating)}", classes="rating")
        yield Static("[b]space[/b] good", id="review-space")

    def show(self, item: ReviewItem, session: ReviewSession | None, *, revealed: bool) -> None:
        """The keys for ``item``: the hint for ``space`` until it is revealed; after it,
        ``space good`` and the ratings, each with the interval it gives in ``session``."""
        hint = self.query_one("#review-hint", Static)
        hint.display = not revealed
        self.query_one("#review-space", Static).display = revealed
        hint.update(f"[b]space[/b] show the {'note' if item.has_note else 'context'}")
        if session is None:
            return
        previews = session.previews() if revealed else {}
        now = session.clock()
        for rating in RATINGS:
            label = self.query_one(f"#rating-{int(rating)}", Static)
            label.display = revealed
            if revealed:
                delta = previews[rating] - now
                label.update(f"[b]{int(rating)}[/b] {RATING_NAMES[rating].capitalize()} "
                             f"[dim]{describe_interval(delta)}[/dim]")
