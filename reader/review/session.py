"""A review session: the queue of one sitting, its ratings, skips, suspends and undo.

A highlight is worth making only if it is seen again. A session shows the cards
due now (most overdue first), then up to ``new`` new highlights in reading order
(see :mod:`reader.review.queue`); every rating is saved at once, computed from
the card as it is on disk at that moment (see :meth:`reader.store.Store.record_review`),
so reviews made in two terminals at once both count. Scheduling itself is in
:mod:`reader.review.scheduling`.

Cards that come due within :data:`LEARN_AHEAD` go back into the session's
queue, as in Anki, so a forgotten passage is seen again before the end.

No Textual here: the screen drives a :class:`ReviewSession`, tests drive it with
a fixed clock.
"""

from __future__ import annotations

import contextlib
import copy
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from typing import Any

from reader.annotations.records import normalise_tags
from reader.review.queue import (
    DEFAULT_NEW,
    ReviewItem,
    build_queue,
    due_counts,
    make_items,
    next_due,
)
from reader.review.scheduling import (
    DEFAULT_RETENTION,
    RATING_NAMES,
    RATINGS,
    Rating,
    make_scheduler,
    preview,
    schedule,
)

__all__ = [
    "ReviewSession",
    "Summary",
]

Clock = Callable[[], datetime]

#: A card that comes due this soon after a rating comes back in the same session.
LEARN_AHEAD = timedelta(minutes=20)
#: A card shown longer than this was left alone: the logged duration is capped.
MAX_DURATION_MS = 5 * 60 * 1000


def _now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True, slots=True)
class Summary:
    """What a session did, for its last screen."""

    reviewed: int
    ratings: dict[str, int]
    seconds: float
    due_tomorrow: int
    due_week: int
    left: int  # cards of the session not reviewed (ended early)


@dataclass(slots=True)
class _Done:
    """A change the session can take back with ``u``."""

    kind: str  # "rating" or "suspend"
    item: ReviewItem  # as the session had it before
    previous: dict[str, Any] | None  # the card as it was on disk just before the change
    rating: Rating | None = None
    review_id: str = ""
    requeued: bool = False


@dataclass(slots=True)
class _Progress:
    reviewed: int = 0
    ratings: Counter = field(default_factory=Counter)


class ReviewSession:
    """A review session over a store: the queue, ratings, skips, suspends and undo.

    Every change is written to the store before the method returns. Store errors
    (:class:`reader.store.StoreError`) propagate; the session is left as it was.

    Args:
        store: The open Store.
        article_id: Only this article's highlights (None: the whole library).
        limit: At most this many cards.
        tag: Only highlights with this tag.
        new: At most this many never-reviewed highlights.
        clock: Returns the current time (timezone-aware); for tests.
        desired_retention: Chance of remembering a card when it comes due.
    """

    def __init__(
        self,
        store,
        *,
        article_id: str | None = None,
        limit: int | None = None,
        tag: str | None = None,
        new: int = DEFAULT_NEW,
        clock: Clock | None = None,
        desired_retention: float = DEFAULT_RETENTION,
    ) -> None:
        self.store = store
        self.article_id = article_id
        self.tag = normalise_tags(tag)[0] if tag and normalise_tags(tag) else None
        self.new_limit = new
        self.clock: Clock = clock or _now
        self.scheduler = make_scheduler(desired_retention)
        self.started = self.clock()
        articles = store.articles()
        annotations, cards = store.annotations_and_cards(article_id)
        items = make_items(articles, annotations, cards)
        self.items: dict[str, ReviewItem] = {
            item.id: item for item in items if self.tag is None or item.has_tag(self.tag)}
        self.queue: deque[str] = deque(
            item.id for item in build_queue(self.items.values(), self.started, limit=limit,
                                            new=new))
        self.progress = _Progress()
        self.history: list[_Done] = []
        self.shown_at = self.started

    # ------------------------------------------------------------------ state
    @property
    def desired_retention(self) -> float:
        return self.scheduler.desired_retention

    def set_retention(self, value: float) -> float:
        """Schedule from now on for another desired retention (clamped); returns it."""
        self.scheduler = make_scheduler(value)
        return self.scheduler.desired_retention

    @property
    def current(self) -> ReviewItem | None:
        """The card on show, or None when the session is over."""
        return self.items[self.queue[0]] if self.queue else None

    @property
    def reviewed(self) -> int:
        return self.progress.reviewed

    @property
    def total(self) -> int:
        """Cards of this session: reviewed so far plus those still queued."""
        return self.progress.reviewed + len(self.queue)

    def upcoming(self, count: int = 1) -> list[ReviewItem]:
        """The cards after the current one (to prepare their context ahead)."""
        return [self.items[key] for key in list(self.queue)[1 : 1 + count]]

    def previews(self) -> dict[Rating, datetime]:
        """The due date each rating would give the current card."""
        item = self.current
        if item is None:
            return {}
        return preview(self.scheduler, item.id, item.card, self.clock())

    def card_shown(self) -> None:
        """Start timing the current card (the UI calls it when the card is on screen)."""
        self.shown_at = self.clock()

    def sync_current(self) -> bool:
        """Re-read the current card's highlight and card from the store.

        A highlight deleted elsewhere, or already reviewed in another window so
        that it is no longer due, leaves the queue. Call it before showing a
        card.

        Returns:
            True if the current card changed (or was dropped).
        """
        changed = False
        while self.queue:
            item = self.items[self.queue[0]]
            record = self.store.get_annotation(item.id)
            if record is None:
                self.queue.popleft()
                self.items.pop(item.id, None)
                changed = True
                continue
            card = self.store.card(item.id)
            if record == item.record and card == item.card:
                return changed
            fresh = replace(item, record=record, card=card)
            self.items[item.id] = fresh
            changed = True
            due = fresh.due
            if card != item.card and (fresh.suspended or (
                    due is not None and due > self.clock() + LEARN_AHEAD)):
                self.queue.popleft()  # done elsewhere meanwhile
                continue
            return changed
        return changed

    # ---------------------------------------------------------------- changes
    def rate(self, rating: Rating) -> ReviewItem:
        """Rate the current card, save it, and move on.

        Returns:
            The rated item, with its new card.
        """
        item = self._require_current()
        now = self.clock()
        duration = int((now - self.shown_at).total_seconds() * 1000)
        duration = max(0, min(duration, MAX_DURATION_MS))

        def review(current: dict[str, Any] | None) -> tuple[dict[str, Any], dict[str, Any]]:
            return schedule(self.scheduler, item.id, current, rating, now, duration)

        previous, card, entry = self.store.record_review(item.id, review)
        rated = replace(item, card=card)
        self.items[item.id] = rated
        self.queue.popleft()
        due = rated.due
        requeue = due is not None and due <= now + LEARN_AHEAD
        if requeue:
            self.queue.append(item.id)
        self.progress.reviewed += 1
        self.progress.ratings[RATING_NAMES[rating]] += 1
        self.history.append(_Done("rating", item, previous, rating, entry["id"], requeue))
        self.card_shown()
        return rated

    def skip(self) -> bool:
        """Put the current card at the back of the queue; False if it is the only one."""
        self._require_current()
        if len(self.queue) < 2:
            return False
        self.queue.rotate(-1)
        self.card_shown()
        return True

    def suspend(self) -> ReviewItem:
        """Never show the current card again (until unsuspended); saved at once."""
        item = self._require_current()
        previous: list[dict[str, Any] | None] = []

        def suspend(current: dict[str, Any] | None) -> dict[str, Any]:
            previous.append(copy.deepcopy(current))
            return dict(current or {}) | {"suspended": True}

        card = self.store.update_card(item.id, suspend)
        self.items[item.id] = replace(item, card=card)
        self.queue.popleft()
        self.history.append(_Done("suspend", item, previous[-1]))
        self.card_shown()
        return item

    def undo(self) -> str | None:
        """Take back the last rating or suspend: the card gets its exact previous state
        back and is shown again. Returns what was undone, or None."""
        if not self.history:
            return None
        done = self.history[-1]
        before = replace(done.item, card=done.previous)
        if done.kind == "rating":
            self.store.undo_review(before.id, done.review_id, done.previous)
            if done.requeued:
                for index in range(len(self.queue) - 1, -1, -1):
                    if self.queue[index] == before.id:
                        del self.queue[index]
                        break
            self.progress.reviewed -= 1
            assert done.rating is not None
            self.progress.ratings[RATING_NAMES[done.rating]] -= 1
            what = f"rating “{RATING_NAMES[done.rating]}”"
        else:
            previous = done.previous
            self.store.update_card(before.id, lambda _current: previous)
            what = "suspend"
        self.history.pop()
        self.items[before.id] = before
        self.queue.appendleft(before.id)
        self.card_shown()
        return what

    def refresh_item(self, record: dict[str, Any]) -> ReviewItem | None:
        """Take a changed record (a note or tags edited in place)."""
        item = self.items.get(str(record.get("id")))
        if item is None:
            return None
        self.items[item.id] = replace(item, record=record)
        return self.items[item.id]

    def drop(self, annotation_id: str) -> None:
        """Forget a highlight that was deleted (e.g. in the article opened with ``o``)."""
        with contextlib.suppress(ValueError):
            self.queue.remove(annotation_id)
        self.items.pop(annotation_id, None)

    def _require_current(self) -> ReviewItem:
        item = self.current
        if item is None:
            raise IndexError("the review session has no card left")
        return item

    # ------------------------------------------------------------------ end
    def next_due(self) -> datetime | None:
        """When the next card of this scope comes due (for an empty queue)."""
        return next_due(self.items.values())

    def waiting_new(self) -> int:
        """New highlights in scope not taken into this session."""
        queued = set(self.queue)
        return sum(1 for item in self.items.values()
                   if item.is_new and not item.suspended and item.id not in queued)

    def summary(self) -> Summary:
        now = self.clock()
        tomorrow, week = due_counts(self.items.values(), now)
        ratings = {RATING_NAMES[rating]: self.progress.ratings[RATING_NAMES[rating]]
                   for rating in RATINGS}
        return Summary(
            reviewed=self.progress.reviewed,
            ratings=ratings,
            seconds=max(0.0, (now - self.started).total_seconds()),
            due_tomorrow=tomorrow,
            due_week=week,
            left=len(self.queue),
        )
