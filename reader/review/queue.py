"""The due queue: review items (a highlight with its article and card) and their order.

A session shows the cards due now (most overdue first), then up to ``new`` new
highlights in reading order (articles in the order they were added, highlights
in the order of the text).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import Any

from reader.annotations.records import DEFAULT_COLOR
from reader.annotations.selectors import TextQuote, parse_selectors
from reader.review.scheduling import _utc, card_due

__all__ = [
    "DEFAULT_NEW",
    "ReviewItem",
    "build_queue",
]

#: New highlights a session takes by default.
DEFAULT_NEW = 10


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
