"""The library's rows: per article its progress, highlights, notes and cards due.

Pure functions over what the store hands out: the articles, every reading
position, and a small digest per article file (:func:`library_digest`, cached by
the store so a library of 1,000 articles and 100,000 highlights is summed up in
milliseconds). The library screen shows, sorts and filters these rows.
"""

from __future__ import annotations

import os
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlsplit

from reader.document.model import Document
from reader.review.scheduling import card_due

#: The store's digest of one article for the library (see :func:`library_digest`).
LIBRARY_DIGEST = "library"
LIBRARY_DIGEST_VERSION = 1

#: The orders the library can be sorted in, by name, and what they are called.
SORTS = {
    "opened": "last opened",
    "title": "title",
    "progress": "progress",
    "due": "cards due",
}


def article_details(document: Document) -> dict[str, Any]:
    """What the library shows about an article beyond its title, from its parsed text:
    author, site and web address (from its front matter) and its length in words."""
    meta = document.metadata
    return {"author": " ".join(str(meta.get("author") or "").split()),
            "site": " ".join(str(meta.get("site") or "").split()),
            "url": str(meta.get("url") or "").strip(), "words": document.word_count}


def library_digest(
    article_id: str, annotations: Sequence[Mapping[str, Any]], cards: Mapping[str, Any]
) -> dict[str, Any]:
    """Counts of one article's file: highlights, notes, new highlights, and the due
    times (seconds since the epoch, sorted) of its cards that are not suspended."""
    notes = sum(1 for a in annotations if isinstance(a.get("note"), str) and a["note"].strip())
    due: list[int] = []
    new = 0
    for annotation in annotations:
        card = cards.get(str(annotation.get("id")))
        if card is not None and card.get("suspended"):
            continue
        when = card_due(card)
        if when is None:
            new += 1
        else:
            due.append(int(when.timestamp()))
    due.sort()
    return {"highlights": len(annotations), "notes": notes, "new": new, "due": due}


@dataclass(slots=True)
class LibraryRow:
    """One article as the library shows it.

    Attributes:
        percent: How far it was read (None: never, or before readmark kept it).
        words: Its length, for the time left (0: not known yet).
        byline: Its author, else the site it came from (its name, else its host).
        missing: Its file is gone (it can be relinked).
        web: It came from a web address (``url``).
    """

    article_id: str
    title: str
    path: str
    byline: str = ""
    url: str = ""
    percent: int | None = None
    words: int = 0
    highlights: int = 0
    notes: int = 0
    due: int = 0
    new: int = 0
    last_opened: datetime | None = None
    archived: bool = False
    missing: bool = False

    @property
    def web(self) -> bool:
        return bool(self.url)

    @property
    def site(self) -> str:
        return site_of(self.url)


def site_of(url: str) -> str:
    """The host of a web address, without a leading ``www.`` ("" if there is none)."""
    host = (urlsplit(url).hostname or "") if url else ""
    return host[4:] if host.startswith("www.") else host


def _when(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _percent(position: Mapping[str, Any] | None) -> int | None:
    value = (position or {}).get("percent")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return max(0, min(100, round(value)))
    return None


def library_rows(
    articles: Iterable[Mapping[str, Any]],
    positions: Mapping[str, Mapping[str, Any]],
    digests: Mapping[str, Mapping[str, Any]],
    now: datetime,
    *,
    exists: Callable[[str], bool] = os.path.exists,
) -> list[LibraryRow]:
    """A row per article, in the order given (the store's: last opened first).

    Args:
        articles: As the store hands them out.
        positions: Every reading position by article id.
        digests: :func:`library_digest` of each article file by article id.
        now: Cards due at or before it count as due.
        exists: Tells whether a file is still there (a test may pass its own).
    """
    moment = int(now.timestamp())
    rows = []
    for article in articles:
        aid = str(article.get("id") or "")
        digest = digests.get(aid) or {}
        path = str(article.get("path") or "")
        url = str(article.get("url") or "")
        author = str(article.get("author") or "")
        words = article.get("words")
        rows.append(LibraryRow(
            article_id=aid,
            title=str(article.get("title") or "") or "(untitled)",
            path=path,
            byline=author or str(article.get("site") or "") or site_of(url),
            url=url,
            percent=_percent(positions.get(aid)),
            words=words if isinstance(words, int) and not isinstance(words, bool) else 0,
            highlights=int(digest.get("highlights", 0)),
            notes=int(digest.get("notes", 0)),
            due=bisect_right(digest.get("due") or [], moment),
            new=int(digest.get("new", 0)),
            last_opened=_when(article.get("last_opened")),
            archived=bool(article.get("archived")),
            missing=not path or not exists(path),
        ))
    return rows


def sort_rows(rows: Sequence[LibraryRow], order: str) -> list[LibraryRow]:
    """The rows in one of the :data:`SORTS` orders (ties keep the last-opened order)."""
    if order == "title":
        return sorted(rows, key=lambda r: r.title.casefold())
    if order == "progress":  # the furthest read first; never opened last
        return sorted(rows, key=lambda r: -1 if r.percent is None else r.percent, reverse=True)
    if order == "due":
        return sorted(rows, key=lambda r: r.due, reverse=True)
    oldest = datetime.min.replace(tzinfo=timezone.utc)
    return sorted(rows, key=lambda r: r.last_opened or oldest, reverse=True)


def filter_rows(
    rows: Iterable[LibraryRow], query: str, *, show_archived: bool = False
) -> list[LibraryRow]:
    """The rows whose title, author or site, or file holds every word of ``query``
    (any case); archived ones only with ``show_archived``."""
    words = query.casefold().split()
    kept = []
    for row in rows:
        if row.archived and not show_archived:
            continue
        if words:
            text = f"{row.title}\n{row.byline}\n{row.site}\n{row.path}".casefold()
            if not all(word in text for word in words):
                continue
        kept.append(row)
    return kept


def total_due(rows: Iterable[LibraryRow]) -> int:
    return sum(row.due for row in rows)
