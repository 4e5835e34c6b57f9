"""What the library screen reads and changes, away from the screen's keys and widgets.

Every function here runs without Textual (the screen calls them from its workers):
reading the rows (the store's cached digests keep a library of 1,000 articles quick),
putting the bundled sample in a library on its first run, adding an article from a
path or a web address, and relinking a missing one.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reader.annotations.search import SEARCH_DIGEST, SEARCH_DIGEST_VERSION, search_digest
from reader.document.model import Document
from reader.review.library import (
    LIBRARY_DIGEST,
    LIBRARY_DIGEST_VERSION,
    LibraryRow,
    article_details,
    library_digest,
    library_rows,
)
from reader.sources.loader import (
    ArticleError,
    ArticleSource,
    holds,
    parse_article,
    read_article,
)

#: Settings key: the library was given the bundled sample once (never again).
SEEDED = "library_seeded"


def articles_and_positions(store) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Every article and every reading position (the main file only: quick)."""
    return store.articles(), store.positions()


def library_digests(store, *, cached_only: bool = False) -> dict[str, Any] | None:
    """The counts and due times of every article (only changed files are read; with
    ``cached_only``, None when any would be)."""
    return store.digests(LIBRARY_DIGEST, LIBRARY_DIGEST_VERSION, library_digest,
                         cached_only=cached_only)


def search_digests_of(store) -> dict[str, Any]:
    """What the highlights screen searches, for every article."""
    return store.digests(SEARCH_DIGEST, SEARCH_DIGEST_VERSION, search_digest) or {}


def rows_of(articles, positions, digests, now: datetime) -> list[LibraryRow]:
    return library_rows(articles, positions, digests, now)


def seed_sample(store) -> str | None:
    """On a library's first run, add the bundled sample to it; its id, or None.

    Only once: a library that ever had it (or had anything) does not get it again,
    so removing the sample is for good.
    """
    if getattr(store, "read_only_reason", None) or store.get_setting(SEEDED, False):
        return None
    added = None
    if not store.articles():
        from reader.sources.shipped import default_article

        added = add_source(store, read_article(default_article()))["id"]
    store.set_setting(SEEDED, True)
    return added


@dataclass(slots=True)
class Added:
    """An article added from the library."""

    article: dict[str, Any]
    new: bool


def resolve(argument: str, store) -> ArticleSource:
    """The article a path or a web address names, as the command line would open it.

    Web addresses, saved pages and books go through the sources' opener (a snapshot
    beside the library) when there is one; otherwise only Markdown and plain-text
    files can be added.

    Raises:
        ArticleError: It cannot be read (one line for the user).
    """
    argument = argument.strip()
    if argument == "-":
        raise ArticleError("standard input cannot be added from the library")
    path = argument if "://" in argument else os.path.expanduser(argument)
    opener = _opener()
    if opener is not None and getattr(store, "path", None) is not None:
        from reader.store.paths import snapshots_dir

        return opener(path, snapshots_dir(store.path)).source
    if "://" in argument:
        raise ArticleError(f"{argument}: web addresses cannot be opened here")
    return read_article(path)


def _opener():
    try:
        from reader.sources.opening import open_source
    except ImportError:  # only files, then
        return None
    return open_source


def add_source(store, source: ArticleSource, document: Document | None = None) -> dict[str, Any]:
    """Record an article in the library (as opening it would) with its details."""
    document = document or parse_article(source)
    article = store.upsert_article(fingerprint=source.fingerprint,
                                   path=os.path.abspath(source.path), title=document.title,
                                   still_there=lambda known: holds(known, source.fingerprint))
    store.set_article_details(article["id"], article_details(document))
    return article


def add(store, argument: str) -> Added:
    """Add the article a path or web address names; whether it was new to the library."""
    source = resolve(argument, store)
    known = store.find_article(fingerprint=source.fingerprint,
                               path=os.path.abspath(source.path))
    article = add_source(store, source)
    if article.get("archived"):  # added again: it is wanted back
        article = store.set_archived(article["id"], False)
    return Added(article, known is None)


def nothing_due_line(store, now: datetime) -> str:
    """What ``r`` says when no card is due: the same outlook as ``readmark review``'s
    line (when the next card comes due, how many new highlights wait), in the words of
    the library, whose ``r`` takes due cards only."""
    from reader.review.outlook import look_ahead, waiting_clauses
    from reader.review.queue import make_items

    annotations, cards = store.annotations_and_cards(None)
    outlook = look_ahead(make_items(store.articles(), annotations, cards), now, new=0)
    if not outlook.highlights:
        return "Nothing to review yet: h in an article highlights a sentence."
    extra = waiting_clauses(outlook, now, count=plural, take_new="r in an article reviews them")
    return f"Nothing due now — {'; '.join(extra)}." if extra else "Nothing due now."


def plural(count: int, word: str) -> str:
    """"1 highlight", "1,024 highlights": counts as the library's screens write them."""
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"
