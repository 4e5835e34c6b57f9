"""Moving an article's highlights to another file: ``readmark relink`` and the reader's offer.

When an article's file is moved *and* edited, readmark no longer knows it (neither
the path nor the content fingerprint matches), so it opens as a new article.
Relinking points the old article at the new file: its highlights, cards and
reading position go along, and every highlight is re-anchored in the new text
(one that cannot be found is kept, detached). :func:`relink_candidates` finds the
missing article a newly opened file most likely is.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from reader.annotations.records import anchor_records
from reader.annotations.search import record_quote, shared_passages
from reader.document.model import Document

if TYPE_CHECKING:
    from reader.sources.loader import ArticleSource
    from reader.store import Store

#: Share of a missing article's highlighted passages a new file must hold to be offered.
OFFER_SHARE = 0.6


@dataclass(slots=True)
class Relinked:
    """What a relink did.

    Attributes:
        article: The article as stored now (its old id, the new file).
        highlights: How many highlights it has now.
        merged: How many of them came from the entry the new file already had.
        detached: The quotes of those that could not be found in the new text.
    """

    article: dict[str, Any]
    highlights: int = 0
    merged: int = 0
    detached: list[str] = field(default_factory=list)


def anchored_share(store: Store, article_id: str, document: Document) -> tuple[int, int]:
    """How many of an article's highlights would be found in ``document``, of how many
    (to tell a wrong file before anything is changed)."""
    records = store.annotations(article_id)
    anchoring = anchor_records(document, records)
    return sum(not h.detached for h in anchoring.highlights), len(records)


def relink(
    store: Store, article_id: str, source: ArticleSource, document: Document
) -> Relinked:
    """Point the article ``article_id`` at ``source``'s file and re-anchor its highlights.

    Args:
        store: The library.
        article_id: The article whose highlights move.
        source: The new file, read.
        document: ``source`` parsed.
    """
    seen: dict[str, list[dict[str, Any]]] = {}

    def reanchor(records: list[dict[str, Any]]) -> Mapping[str, Mapping[str, Any]]:
        seen["records"] = records
        return anchor_records(document, records).changes

    stored = store.relink_article(
        article_id, fingerprint=source.fingerprint, path=os.path.abspath(source.path),
        title=document.title, reanchor=reanchor,
    )
    records = seen.get("records", [])
    changes = stored.pop("changes", {})
    detached = [
        record_quote(record) for record in records
        if changes.get(str(record.get("id")), record).get("detached")
    ]
    return Relinked(stored, len(records), int(stored.pop("merged", 0)), detached)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A missing article the new file may be: how many of its passages the file holds."""

    article: dict[str, Any]
    found: int
    total: int


def relink_candidates(
    store: Store,
    text: str,
    *,
    but: str | None = None,
    exists: Callable[[str], bool] = os.path.exists,
) -> list[Candidate]:
    """Articles whose file is missing and whose highlighted passages ``text`` mostly holds.

    Best first. Only articles with highlights and a missing file are looked at.

    Args:
        store: The library.
        text: The newly opened file's text.
        but: An article id to leave out (the new file's own entry).
        exists: Tells whether a file is still there.
    """
    found: list[Candidate] = []
    counts = store.annotation_counts()
    for article in store.articles():
        aid = article["id"]
        path = str(article.get("path") or "")
        if aid == but or not counts.get(aid, (0, 0))[0] or (path and exists(path)):
            continue
        quotes = [record_quote(record) for record in store.annotations(aid)]
        hits, total = shared_passages(text, quotes)
        if total and hits / total >= OFFER_SHARE:
            found.append(Candidate(article, hits, total))
    found.sort(key=lambda c: (c.found / c.total, c.found), reverse=True)
    return found
