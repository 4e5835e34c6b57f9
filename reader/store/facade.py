"""The :class:`Store` facade: the library's one public object, delegating to its parts.

Each part owns one kind of data and is tested on its own: the shared core
(:mod:`~reader.store.core`: lock, change counter, file cache), articles,
positions and settings (:mod:`~reader.store.library`), annotations
(:mod:`~reader.store.highlights`), review cards (:mod:`~reader.store.cards`),
backups (:mod:`~reader.store.backups`) and repairs (:mod:`~reader.store.recovery`).
The full description of each method is with the part that implements it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from reader.store.cards import Cards
from reader.store.core import StoreCore
from reader.store.digests import Digester, Digests
from reader.store.files import _META, Clock, _schema_doc
from reader.store.highlights import Highlights
from reader.store.library import Library
from reader.store.shelf import Reanchor, Shelf

__all__ = ["Store"]


class Store:
    """The readmark library: articles, reading positions, settings and annotations.

    Values go in and come out as plain dicts (always copies). All changes are on
    disk when a method returns. Methods are safe to call from several threads
    and from several processes at once.

    Every method that changes something may raise :class:`StoreReadOnly` (see
    ``read_only_reason``), :class:`StoreLocked` (another process held the lock
    past ``lock_timeout``) or :class:`StoreAccessError` (the disk refused the
    write; nothing was changed). Reads never wait for the lock, except to
    repair a damaged file. Their messages are one line, fit for a status bar.

    Attributes:
        path: The main library file (None for an in-memory store).
        read_only_reason: Why changes are refused, or None if they are allowed.
        backup_error: Why the last automatic daily backup failed, or None.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        lock_timeout: float = 10.0,
        clock: Clock | None = None,
    ) -> None:
        """Open (or create) the library stored at ``path``.

        Args:
            path: The main library file, e.g. ``~/.local/share/readmark/readmark.json``.
            lock_timeout: Seconds to wait for another process to finish a change.
            clock: Returns the current time (timezone-aware); for tests.

        Raises:
            StoreAccessError: The path is a folder, or its folder cannot be
                created or written.
            StoreLocked: Another process kept the library locked too long.
        """
        self._setup(Path(path).expanduser().resolve(), lock_timeout, clock)
        self._core.open()

    @classmethod
    def in_memory(cls, *, clock: Clock | None = None) -> Store:
        """Return a store that keeps everything in memory and touches no file.

        Args:
            clock: Returns the current time (timezone-aware); for tests.
        """
        store = cls.__new__(cls)
        store._setup(None, 0.0, clock)
        store._core.main_storage.write({_META: {"schema": _schema_doc()}})
        return store

    def _setup(self, path: Path | None, lock_timeout: float, clock: Clock | None) -> None:
        self._core = core = StoreCore(path, lock_timeout, clock)
        self._library = Library(core)
        self._highlights = Highlights(core)
        self._cards = Cards(core)
        self._shelf = Shelf(core)
        self._digests = Digests(core)

    def __repr__(self) -> str:
        where = "memory" if self.path is None else str(self.path)
        return f"<Store {where}{' read-only' if self.read_only_reason else ''}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def path(self) -> Path | None:
        """The main library file (None for an in-memory store)."""
        return self._core.path

    @property
    def read_only_reason(self) -> str | None:
        """Why changes are refused, or None if they are allowed."""
        return self._core.read_only_reason

    @property
    def backup_error(self) -> str | None:
        """Why the last automatic daily backup failed, or None."""
        return self._core.backups.backup_error

    @property
    def recovery_message(self) -> str | None:
        """What was repaired since the store was opened, in plain words, or None.

        Names every damaged file, where its original bytes were kept and what
        was restored from where.
        """
        messages = self._core.messages
        return "\n".join(messages) if messages else None

    @property
    def on_message(self) -> Callable[[str], None] | None:
        """Called with each repair or damage message as it happens (after opening too)."""
        return self._core.listener

    @on_message.setter
    def on_message(self, listener: Callable[[str], None] | None) -> None:
        self._core.listener = listener

    @property
    def _where_complete(self) -> bool:
        """Every annotation file was indexed since the last change by another process."""
        return self._core.where_complete

    def _set_read_only(self, reason: str) -> None:
        self._core.set_read_only(reason)

    def close(self) -> None:
        """Forget cached data; further calls raise :class:`StoreError`."""
        self._core.close()

    def changed_on_disk(self) -> bool:
        """Tell, cheaply and without reading, whether another process changed the library."""
        return self._core.changed_on_disk()

    def refresh(self) -> bool:
        """Pick up other processes' changes; True if there were any since the last call."""
        return self._core.refresh()

    # ------------------------------------------------------------------
    # Articles, reading positions and settings (reader.store.library)

    def find_article(
        self, *, fingerprint: str | None = None, path: str | None = None
    ) -> dict[str, Any] | None:
        """Look an article up by content fingerprint, else by file path; None if unknown."""
        return self._library.find_article(fingerprint=fingerprint, path=path)

    def upsert_article(
        self,
        *,
        fingerprint: str,
        path: str,
        title: str,
        still_there: Callable[[str], bool] | None = None,
    ) -> dict[str, Any]:
        """Record that an article was opened, creating or re-linking its entry (a copy
        of a file that ``still_there`` finds in place opens the entry unchanged)."""
        return self._library.upsert_article(fingerprint=fingerprint, path=path, title=title,
                                            still_there=still_there)

    def articles(self) -> list[dict[str, Any]]:
        """All articles, most recently opened first."""
        return self._library.articles()

    def get_position(self, article_id: str) -> dict[str, Any] | None:
        """The saved reading position of an article, or None."""
        return self._library.get_position(article_id)

    def set_position(self, article_id: str, position: Mapping[str, Any]) -> None:
        """Save an article's reading position (nothing is written if it did not change)."""
        self._library.set_position(article_id, position)

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A saved setting (any JSON value), or ``default``."""
        return self._library.get_setting(key, default)

    def set_setting(self, key: str, value: Any) -> None:
        """Save a setting (any JSON value); nothing is written if it did not change."""
        self._library.set_setting(key, value)

    # ------------------------------------------------------------------
    # Annotations (reader.store.highlights)

    def annotations(self, article_id: str) -> list[dict[str, Any]]:
        """All annotations of an article, in the order they were added."""
        return self._highlights.annotations(article_id)

    def get_annotation(self, annotation_id: str) -> dict[str, Any] | None:
        """One annotation by id, or None."""
        return self._highlights.get_annotation(annotation_id)

    def add_annotation(self, annotation: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new annotation (a given ``id`` is kept, e.g. to undo a delete)."""
        return self._highlights.add_annotation(annotation)

    def add_annotations(
        self, article_id: str, annotations: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Store many new annotations of one article in one write (all or none); those
        whose id is already there are left out. Returns the ones stored."""
        return self._highlights.add_annotations(article_id, annotations)

    def update_annotation(self, annotation_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change some fields of an annotation; ``modified`` is set to now."""
        return self._highlights.update_annotation(annotation_id, changes)

    def update_annotations(
        self, article_id: str, changes: Mapping[str, Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Change many annotations of one article at once, after a backup."""
        return self._highlights.update_annotations(article_id, changes)

    def damaged_annotations(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Damaged records set aside untouched (of one article, or all), with the reasons."""
        return self._highlights.damaged_annotations(article_id)

    def delete_annotation(self, annotation_id: str) -> dict[str, Any]:
        """Remove an annotation and its review card; returns it, to add back to undo."""
        return self._highlights.delete_annotation(annotation_id)

    def annotation_counts(self) -> dict[str, tuple[int, int]]:
        """Per article: (number of annotations, number of them with a note)."""
        return self._highlights.annotation_counts()

    # ------------------------------------------------------------------
    # Review cards (reader.store.cards)

    def card(self, annotation_id: str) -> dict[str, Any] | None:
        """The review card of an annotation, or None (never reviewed, or no such annotation)."""
        return self._cards.card(annotation_id)

    def annotations_and_cards(
        self, article_id: str | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """Every annotation and every review card, of one article or of the whole library."""
        return self._cards.annotations_and_cards(article_id)

    def update_card(
        self,
        annotation_id: str,
        update: Callable[[dict[str, Any] | None], dict[str, Any] | None],
    ) -> dict[str, Any] | None:
        """Change an annotation's card as it is on disk now (e.g. to suspend it)."""
        return self._cards.update_card(annotation_id, update)

    def record_review(
        self,
        annotation_id: str,
        review: Callable[[dict[str, Any] | None], tuple[dict[str, Any], dict[str, Any]]],
    ) -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, Any]]:
        """Rate a card: store its new state and a review-log entry in one write."""
        return self._cards.record_review(annotation_id, review)

    def undo_review(
        self, annotation_id: str, review_id: str, previous: Mapping[str, Any] | None
    ) -> None:
        """Take a rating back: put the card back as it was and remove the log entry."""
        self._cards.undo_review(annotation_id, review_id, previous)

    def reviews(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Review-log entries of one article or of all, in the order they were made."""
        return self._cards.reviews(article_id)

    def unsuspend_cards(self, article_id: str | None = None) -> int:
        """Let every suspended card (of one article, or all) be reviewed again; how many."""
        return self._cards.unsuspend_cards(article_id)

    # ------------------------------------------------------------------
    # Backups (reader.store.backups)

    def backup(self, kind: str = "manual") -> Path | None:
        """Make a backup now (e.g. before a bulk change); None for an in-memory store."""
        return self._core.backups.backup(kind)

    def backups(self) -> list[Path]:
        """Existing backups of this library, oldest first."""
        return self._core.backups.backups()

    # ------------------------------------------------------------------
    # Whole articles (reader.store.shelf) and digests (reader.store.digests)

    def positions(self) -> dict[str, dict[str, Any]]:
        """Every saved reading position, by article id."""
        return self._shelf.positions()

    def set_archived(self, article_id: str, archived: bool) -> dict[str, Any]:
        """Archive an article (hidden from the library unless asked for) or bring it back."""
        return self._shelf.set_archived(article_id, archived)

    def set_article_details(self, article_id: str, details: Mapping[str, Any]) -> None:
        """Keep an article's author, site, url and word count (written only if changed)."""
        self._shelf.set_details(article_id, details)

    def remove_article(self, article_id: str) -> tuple[int, Path | None]:
        """Remove an article with its highlights, after a backup; (highlights, backup)."""
        return self._shelf.remove_article(article_id)

    def relink_article(
        self, article_id: str, *, fingerprint: str, path: str, title: str, reanchor: Reanchor
    ) -> dict[str, Any]:
        """Point an article at another file and re-anchor its highlights there."""
        return self._shelf.relink_article(article_id, fingerprint=fingerprint, path=path,
                                          title=title, reanchor=reanchor)

    def move_annotations(
        self, records: Mapping[str, Mapping[str, Any]], article_id: str
    ) -> list[dict[str, Any]]:
        """Move annotations (with cards and review log) into another article."""
        return self._shelf.move_annotations(records, article_id)

    def digests(
        self, kind: str, version: int, make: Digester, *, cached_only: bool = False
    ) -> dict[str, Any] | None:
        """Per-article digests, made again only for files that changed (read-only values);
        with ``cached_only``, None instead of reading any file."""
        return self._digests.digests(kind, version, make, cached_only=cached_only)
