"""Reviewing highlights with spaced repetition: the queue, FSRS scheduling, a session.

A highlight is worth making only if it is seen again. Each highlight can have a
review *card* in the store (keyed by the highlight's id): the FSRS card of the
`fsrs` package (``Card.to_dict()``) under ``"fsrs"``, and ``"suspended"``. A
highlight without a card is *new*. A session shows the cards due now (most
overdue first), then up to ``new`` new highlights in reading order; every
rating is saved at once, computed from the card as it is on disk at that moment
(see :meth:`reader.store.Store.record_review`), so reviews made in two
terminals at once both count.

Scheduling choices, each for a reason:

* One learning step of 10 minutes (FSRS's default is 1 and 10 minutes): a
  highlight was already read once, so "good" the first time sends it days
  ahead, while "again" brings it back later in the same session.
* Cards that come due within :data:`LEARN_AHEAD` go back into the session's
  queue, as in Anki, so a forgotten passage is seen again before the end.
* Interval fuzz is done here, seeded by the card, instead of by `fsrs` with
  the global random generator: the due date shown on each rating key is then
  exactly the one the rating gives, and tests are repeatable.
* *Mastered* means a card in the review state whose stability is at least
  :data:`MASTERED_DAYS` (21) days, the threshold Anki calls "mature": FSRS
  expects it to be remembered three weeks on.

No Textual here: the screen drives a :class:`ReviewSession`, tests drive it with
a fixed clock.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import math
import os
import random
import threading
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, time, timedelta, timezone
from typing import Any

from fsrs import Card, Rating, Scheduler, State

from reader.annotations.records import DEFAULT_COLOR, anchor_records, normalise_tags
from reader.annotations.selectors import TextQuote, parse_selectors
from reader.document.model import BlockKind, Document

__all__ = [
    "DEFAULT_NEW",
    "DEFAULT_RETENTION",
    "MASTERED_DAYS",
    "RETENTION_SETTING",
    "ArticleStats",
    "Passage",
    "PassageLoader",
    "Rating",
    "ReviewItem",
    "ReviewSession",
    "Summary",
    "article_stats",
    "build_queue",
    "describe_interval",
    "is_mastered",
    "make_scheduler",
    "preview",
    "schedule",
]

Clock = Callable[[], datetime]

#: The store setting holding the desired retention the user chose.
RETENTION_SETTING = "review_retention"
DEFAULT_RETENTION = 0.9
#: Retention the user may choose: below 0.7 too much is forgotten, above 0.97
#: the workload explodes (Anki offers the same range).
MIN_RETENTION, MAX_RETENTION = 0.70, 0.97
#: New highlights a session takes by default.
DEFAULT_NEW = 10
#: Stability (days) from which a card counts as mastered.
MASTERED_DAYS = 21.0
#: A card that comes due this soon after a rating comes back in the same session.
LEARN_AHEAD = timedelta(minutes=20)
LEARNING_STEPS = (timedelta(minutes=10),)
RELEARNING_STEPS = (timedelta(minutes=10),)
MAXIMUM_INTERVAL = 36500
#: A card shown longer than this was left alone: the logged duration is capped.
MAX_DURATION_MS = 5 * 60 * 1000

RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
RATING_NAMES = {Rating.Again: "again", Rating.Hard: "hard", Rating.Good: "good",
                Rating.Easy: "easy"}

# FSRS's fuzz ranges (days from, days to, share of the interval).
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))


def _utc(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("review times must be timezone-aware")
    return moment.astimezone(timezone.utc)


def _now() -> datetime:
    return datetime.now(timezone.utc)


def clamp_retention(value: Any) -> float:
    """A usable desired retention from a stored or typed value (else the default)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return DEFAULT_RETENTION
    return round(min(MAX_RETENTION, max(MIN_RETENTION, float(value))), 3)


# --------------------------------------------------------------------------- scheduling
def make_scheduler(desired_retention: float = DEFAULT_RETENTION) -> Scheduler:
    """The FSRS scheduler readmark uses (see the module notes for the settings)."""
    return Scheduler(
        desired_retention=clamp_retention(desired_retention),
        learning_steps=LEARNING_STEPS,
        relearning_steps=RELEARNING_STEPS,
        maximum_interval=MAXIMUM_INTERVAL,
        enable_fuzzing=False,  # done in _fuzz, deterministically
    )


def card_id_for(annotation_id: str) -> int:
    """A stable integer id for the FSRS card of a highlight (FSRS wants an int)."""
    return int.from_bytes(hashlib.blake2b(annotation_id.encode(), digest_size=6).digest(), "big")


def fsrs_card(annotation_id: str, card: Mapping[str, Any] | None, now: datetime) -> Card:
    """The FSRS card stored in ``card``, or a new one (never reviewed) due ``now``."""
    stored = (card or {}).get("fsrs")
    if stored:
        return Card.from_dict(stored)  # type: ignore[arg-type]
    # card_id and due given: Card() would otherwise sleep a millisecond and read the clock
    return Card(card_id=card_id_for(annotation_id), due=_utc(now))


def _fuzz(card: Card, now: datetime, seed: str) -> Card:
    """Spread a review interval like FSRS does, but from a seed, not the global RNG."""
    if card.state != State.Review:
        return card
    days = (card.due - now).total_seconds() / 86400
    if days < 2.5:
        return card
    delta = 1.0
    for low, high, share in _FUZZ_RANGES:
        delta += share * max(min(days, high) - low, 0.0)
    low_days = max(2, round(days - delta))
    high_days = min(round(days + delta), MAXIMUM_INTERVAL)
    low_days = min(low_days, high_days)
    chance = random.Random(seed).random()
    fuzzed = min(int(chance * (high_days - low_days + 1)) + low_days, MAXIMUM_INTERVAL)
    card.due = now + timedelta(days=fuzzed)
    return card


def schedule(
    scheduler: Scheduler,
    annotation_id: str,
    card: Mapping[str, Any] | None,
    rating: Rating,
    now: datetime,
    duration_ms: int | None = None,
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Rate a card.

    Args:
        scheduler: From :func:`make_scheduler`.
        annotation_id: The highlight.
        card: Its stored card (None if never reviewed).
        rating: The user's answer.
        now: The time of the review.
        duration_ms: How long the card was looked at.

    Returns:
        ``(new card, review-log entry)`` as JSON dicts for the store. The log
        entry is FSRS's ``ReviewLog.to_dict()`` plus the retention used.
    """
    now = _utc(now)
    before = fsrs_card(annotation_id, card, now)
    after, log = scheduler.review_card(before, rating, now, duration_ms)
    seed = f"{annotation_id}|{before.last_review.isoformat() if before.last_review else 'new'}"
    after = _fuzz(after, now, f"{seed}|{int(rating)}")
    entry: dict[str, Any] = dict(log.to_dict())
    entry["desired_retention"] = scheduler.desired_retention
    entry["due"] = after.due.isoformat()
    new = dict(card or {}) | {"fsrs": dict(after.to_dict()), "suspended": False}
    return new, entry


def preview(
    scheduler: Scheduler, annotation_id: str, card: Mapping[str, Any] | None, now: datetime
) -> dict[Rating, datetime]:
    """When the card would next be due after each rating (what the keys show)."""
    due = {}
    for rating in RATINGS:
        new, _ = schedule(scheduler, annotation_id, card, rating, now)
        due[rating] = datetime.fromisoformat(new["fsrs"]["due"])
    return due


def describe_interval(delta: timedelta) -> str:
    """A short interval the way Anki shows it on its buttons: 10m, 3h, 4d, 2.5mo, 1.2y."""
    seconds = max(0.0, delta.total_seconds())
    if seconds < 60:
        return "<1m"
    minutes = seconds / 60
    if minutes < 60:
        return f"{round(minutes)}m"
    hours = minutes / 60
    if hours < 24:
        return f"{round(hours)}h"
    days = hours / 24
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        months = days / 30.4
        return f"{months:.1f}".rstrip("0").rstrip(".") + "mo"
    years = days / 365
    return f"{years:.1f}".rstrip("0").rstrip(".") + "y"


def card_due(card: Mapping[str, Any] | None) -> datetime | None:
    """When a stored card is due (None for a new highlight)."""
    stored = (card or {}).get("fsrs")
    if not stored:
        return None
    try:
        return _utc(datetime.fromisoformat(stored["due"]))
    except (KeyError, TypeError, ValueError):
        return None


def is_mastered(card: Mapping[str, Any] | None) -> bool:
    """In the review state with a stability of at least :data:`MASTERED_DAYS` days."""
    stored = (card or {}).get("fsrs") or {}
    stability = stored.get("stability")
    return (
        stored.get("state") == State.Review.value
        and isinstance(stability, (int, float))
        and stability >= MASTERED_DAYS
    )


# --------------------------------------------------------------------------- items
@dataclass(frozen=True, slots=True)
class ReviewItem:
    """One highlight that can be reviewed, with its article and its card.

    Attributes:
        record: The stored annotation.
        card: Its stored card, or None for a new highlight.
        title: The article's title.
        path: The article's file, for the context and for ``o``.
        article_order: Where the article comes in the library's reading order.
    """

    record: dict[str, Any]
    card: dict[str, Any] | None = None
    title: str = ""
    path: str = ""
    article_order: int = 0
    #: When the card is due (None for a new highlight); worked out once, since
    #: the queue sorts thousands of items by it.
    due: datetime | None = field(init=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "due", card_due(self.card))

    @property
    def id(self) -> str:
        return str(self.record.get("id", ""))

    @property
    def article_id(self) -> str:
        return str(self.record.get("article_id", ""))

    @property
    def is_new(self) -> bool:
        return self.due is None

    @property
    def suspended(self) -> bool:
        return bool((self.card or {}).get("suspended"))

    @property
    def note(self) -> str:
        return str(self.record.get("note") or "")

    @property
    def has_note(self) -> bool:
        return bool(self.note.strip())

    @property
    def tags(self) -> tuple[str, ...]:
        return tuple(str(tag) for tag in self.record.get("tags") or ())

    @property
    def color(self) -> str:
        return str(self.record.get("color") or DEFAULT_COLOR)

    @property
    def section(self) -> tuple[str, ...]:
        """The section path without a leading part that only repeats the title."""
        parts = tuple(str(part) for part in self.record.get("section") or ())
        return parts[1:] if parts and parts[0] == self.title else parts

    @property
    def quote(self) -> TextQuote:
        _, quote = parse_selectors(_selector_list(self.record))
        return quote or TextQuote("")

    @property
    def start(self) -> int:
        """Where the highlight starts in its article's text (for reading order)."""
        for selector in _selector_list(self.record):
            if isinstance(selector, dict) and selector.get("type") == "TextPositionSelector":
                start = selector.get("start")
                return start if isinstance(start, int) else 0
        return 0

    def has_tag(self, tag: str) -> bool:
        wanted = tag.strip().lstrip("#").casefold()
        return any(own.casefold() == wanted for own in self.tags)


def _selector_list(record: Mapping[str, Any]) -> list[dict]:
    target = record.get("target")
    selectors = target.get("selector") if isinstance(target, dict) else None
    return selectors if isinstance(selectors, list) else []


def make_items(
    articles: Sequence[Mapping[str, Any]],
    annotations: Iterable[dict[str, Any]],
    cards: Mapping[str, dict[str, Any]],
) -> list[ReviewItem]:
    """Join annotations with their cards and articles (as the store hands them out)."""
    by_created = sorted(articles, key=lambda a: (str(a.get("created") or ""), str(a["id"])))
    order = {article["id"]: index for index, article in enumerate(by_created)}
    known = {article["id"]: article for article in articles}
    items = []
    for record in annotations:
        article = known.get(record.get("article_id"), {})
        items.append(ReviewItem(
            record=record,
            card=cards.get(str(record.get("id"))),
            title=str(article.get("title") or "(untitled)"),
            path=str(article.get("path") or ""),
            article_order=order.get(record.get("article_id"), len(order)),
        ))
    return items


def reading_order(item: ReviewItem) -> tuple[int, str, int, str]:
    """Articles in the order they were added, highlights in the order of the text."""
    return (item.article_order, item.article_id, item.start, str(item.record.get("created")))


def build_queue(
    items: Iterable[ReviewItem],
    now: datetime,
    *,
    limit: int | None = None,
    tag: str | None = None,
    new: int = DEFAULT_NEW,
) -> list[ReviewItem]:
    """The cards of a session: due ones first (most overdue first), then new ones.

    Args:
        items: Every reviewable highlight in scope.
        now: The session's start.
        limit: At most this many cards (new ones are cut first).
        tag: Only highlights with this tag.
        new: At most this many never-reviewed highlights, in reading order.
    """
    now = _utc(now)
    chosen = [item for item in items if tag is None or item.has_tag(tag)]
    due = [item for item in chosen
           if item.due is not None and item.due <= now and not item.suspended]
    due.sort(key=lambda item: (item.due, item.id))
    fresh = sorted((item for item in chosen if item.is_new and not item.suspended),
                   key=reading_order)[: max(0, new)]
    queue = due + fresh
    return queue if limit is None else queue[: max(0, limit)]


def next_due(items: Iterable[ReviewItem]) -> datetime | None:
    """The earliest due date among reviewed, unsuspended cards."""
    dates = [item.due for item in items if not item.suspended and item.due is not None]
    return min(dates) if dates else None


def _end_of_day(now: datetime, days_ahead: int = 0) -> datetime:
    local = now.astimezone()
    day = local.date() + timedelta(days=days_ahead + 1)
    return datetime.combine(day, time(0), tzinfo=local.tzinfo).astimezone(timezone.utc)


def due_counts(items: Iterable[ReviewItem], now: datetime) -> tuple[int, int]:
    """Cards due by the end of tomorrow, and by the end of the seventh day from today
    (local time), cards still due now included: what the next days will ask."""
    tomorrow, week = _end_of_day(now, 1), _end_of_day(now, 7)
    dues = [item.due for item in items if not item.suspended and item.due is not None]
    return sum(due < tomorrow for due in dues), sum(due < week for due in dues)


# --------------------------------------------------------------------------- stats
@dataclass(slots=True)
class ArticleStats:
    """One row of ``readmark stats``."""

    article_id: str
    title: str
    highlights: int = 0
    notes: int = 0
    new: int = 0
    due_today: int = 0
    mastered: int = 0
    suspended: int = 0


def article_stats(
    articles: Sequence[Mapping[str, Any]], items: Iterable[ReviewItem], now: datetime
) -> list[ArticleStats]:
    """Counts per article, in the order of ``articles``.

    *Due today* counts reviewed cards due by the end of today (local time);
    new highlights are counted apart; suspended cards count in neither.
    """
    rows = {article["id"]: ArticleStats(article["id"], str(article.get("title") or ""))
            for article in articles}
    end_of_today = _end_of_day(now)
    for item in items:
        row = rows.get(item.article_id)
        if row is None:
            row = rows[item.article_id] = ArticleStats(item.article_id, item.title)
        row.highlights += 1
        row.notes += item.has_note
        if item.suspended:
            row.suspended += 1
        elif item.is_new:
            row.new += 1
        else:
            row.due_today += item.due is not None and item.due < end_of_today
            row.mastered += is_mastered(item.card)
    return list(rows.values())


# --------------------------------------------------------------------------- context
@dataclass(frozen=True, slots=True)
class Passage:
    """The highlighted text with a sentence of context on each side.

    ``before`` ends where the highlight starts and ``after`` starts where it
    ends (each may hold part of the highlight's own sentence). ``from_article``
    is False when the article could not be read and the context is the short
    one stored with the highlight.
    """

    before: str
    text: str
    after: str
    from_article: bool = True


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _edge_spaced(text: str, *, leading: bool) -> str:
    """Whitespace runs made one space, keeping one space at the edge next to the highlight."""
    flat = _one_line(text)
    if not flat:
        return ""
    if leading and text[-1:].isspace():
        return flat + " "
    if not leading and text[:1].isspace():
        return " " + flat
    return flat


def passage_from_quote(quote: TextQuote) -> Passage:
    """The stored context (a few words each side), cut to whole words with "…"."""
    before = quote.prefix
    if before and not before[0].isspace() and " " in before:
        before = "…" + before.split(" ", 1)[1]
    after = quote.suffix
    if after and not after[-1].isspace() and " " in after:
        after = after.rsplit(" ", 1)[0] + "…"
    return Passage(_edge_spaced(before, leading=True), _one_line(quote.exact),
                   _edge_spaced(after, leading=False), from_article=False)


def passage_in(document: Document, start: int, end: int) -> Passage:
    """The highlight at ``text[start:end]`` of a parsed document, with the sentence
    before and after it (not across a heading)."""
    text = document.text
    if not document.sentence_starts:
        return Passage("", _one_line(text[start:end]), "")
    first = document.sentence_index_at(start)
    last = document.sentence_index_at(max(start, end - 1))
    lead_from = document.sentence_starts[first] if document.sentence_starts[first] <= start \
        else start
    tail_to = max(end, document.sentence_ends[last])
    if first > 0 and not _heading_between(document, document.sentence_starts[first - 1], start):
        lead_from = min(lead_from, document.sentence_starts[first - 1])
    if last + 1 < len(document.sentence_starts) and not _heading_between(
            document, end, document.sentence_starts[last + 1]):
        tail_to = document.sentence_ends[last + 1]
    return Passage(_edge_spaced(text[lead_from:start], leading=True),
                   _one_line(text[start:end]),
                   _edge_spaced(text[end:tail_to], leading=False))


def _heading_between(document: Document, start: int, end: int) -> bool:
    """Whether a heading lies in ``text[start:end]`` (context never crosses a section)."""
    first, last = document.block_index_at(start), document.block_index_at(end)
    return first >= 0 and any(document.blocks[index].kind == BlockKind.HEADING
                              for index in range(first, last + 1))


class PassageLoader:
    """Finds each highlight in its article to give it context; keeps a few parsed
    articles, since a session often shows several highlights of one article.

    Thread-safe: the screen loads the next card's passage in a worker.
    """

    def __init__(self, size: int = 8) -> None:
        self._documents: OrderedDict[tuple[str, int, int], Document] = OrderedDict()
        self._size = size
        self._lock = threading.Lock()

    def passage(self, item: ReviewItem) -> Passage:
        """The passage of ``item``; from the stored quote when the article cannot be read
        or the highlight is no longer found in it."""
        document = self.document(item.path)
        if document is not None:
            found = anchor_records(document, [item.record]).highlights[0]
            if not found.detached:
                return passage_in(document, found.start, found.end)
        return passage_from_quote(item.quote)

    def document(self, path: str) -> Document | None:
        """The parsed article at ``path`` (cached while the file is unchanged), or None."""
        if not path:
            return None
        try:
            info = os.stat(path)
        except OSError:
            return None
        key = (path, info.st_mtime_ns, info.st_size)
        with self._lock:
            if key in self._documents:
                self._documents.move_to_end(key)
                return self._documents[key]
        from reader.sources.loader import ArticleError, parse_article, read_article

        try:
            document = parse_article(read_article(path))
        except (ArticleError, OSError, ValueError):
            return None
        with self._lock:
            self._documents[key] = document
            while len(self._documents) > self._size:
                self._documents.popitem(last=False)
        return document


# --------------------------------------------------------------------------- session
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
