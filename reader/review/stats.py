"""Per-article review statistics (the rows of ``readmark stats``)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reader.review.queue import ReviewItem, _end_of_day
from reader.review.scheduling import is_mastered

__all__ = [
    "ArticleStats",
    "article_stats",
]


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
