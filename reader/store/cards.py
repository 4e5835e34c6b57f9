"""Review cards and the review log, kept in each article's annotation file.

A card is a JSON dict the caller shapes (reader.review.session keeps the FSRS card
in it); the store fills in ``annotation_id`` and ``article_id`` and reads two
fields itself: ``suspended`` (bool) and ``review_id`` (the review that last
changed it, which is how an undo knows the card was not changed since).

A card lives in the same file as its annotation, keyed by the annotation's id,
so a card and its highlight change together under one lock and one atomic
write. A rating writes the new card and its review-log entry in one write,
computed from the card as it is on disk at that moment, so reviews made in two
terminals at once both count.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from reader.store.errors import AnnotationNotFound, CardChanged, _CorruptFile
from reader.store.file_shapes import _annotation_file_problem
from reader.store.files import (
    _ANNOTATIONS,
    _CARDS,
    _REVIEWS,
    Signature,
    _check_id,
    _check_json,
    _json_copy,
    _read_json_file,
)

if TYPE_CHECKING:
    from reader.store.core import StoreCore, _ArticleFile


class Cards:
    """Reads and changes review cards and the review log."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    def card(self, annotation_id: str) -> dict[str, Any] | None:
        """The review card of an annotation, or None (never reviewed, or no such annotation)."""
        with self._core.mutex:
            self._core.sync()
            try:
                f = self._core.locate(annotation_id)
            except AnnotationNotFound:
                return None
            found = f.storage.table(_CARDS).get(annotation_id)
            return None if found is None else copy.deepcopy(found)

    def annotations_and_cards(
        self, article_id: str | None = None
    ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
        """Every annotation and every review card, of one article or of the whole library.

        One pass over the annotation files, for the review queue and statistics:
        with 10,000 annotations it takes about 0.1 s.

        Args:
            article_id: Only this article's; None for all articles.

        Returns:
            ``(annotations, cards)``: annotations in each article's order of
            adding, and cards keyed by annotation id. Cards of annotations that
            no longer exist are left out.
        """
        if article_id is not None:
            _check_id(article_id, "article_id")
        with self._core.mutex:
            self._core.sync()
            ids = [article_id] if article_id is not None else self._core.article_ids_on_disk()
            annotations: list[dict[str, Any]] = []
            cards: dict[str, dict[str, Any]] = {}
            for aid in ids:
                data, sig = self._private_copy(aid)
                table = data.get(_ANNOTATIONS) or {}
                damaged = self._core.quarantine.damaged(aid, table, sig)
                if damaged:  # set aside, untouched: see reader.store.quarantine
                    table = {k: doc for k, doc in table.items() if k not in damaged}
                annotations.extend(table.values())
                for key, card in (data.get(_CARDS) or {}).items():
                    if key in table:
                        cards[key] = card
                for key in table:
                    self._core.where[key] = aid
            return annotations, cards

    def _private_copy(self, article_id: str) -> tuple[dict[str, Any], Signature | None]:
        """An article file's data that no one else holds (mutex held).

        A file not in the cache is parsed for the caller alone, which spares the
        copy (a third of the time of a whole-library read); a cached one is copied.
        """
        f = self._core.files.get(article_id)
        ann_dir = self._core.ann_dir
        if ann_dir is not None and (f is None or f.storage.needs_reload()):
            try:
                data, sig = _read_json_file(
                    ann_dir / f"{article_id}.json", _annotation_file_problem
                )
                if data is not None or sig is None:  # an emptied file is repaired below
                    return data or {}, sig
            except _CorruptFile:
                pass  # read through the cache below, which repairs it
        f = self._core.article_file(article_id)
        return _json_copy(f.storage.read() or {}), f.storage.signature

    def update_card(
        self,
        annotation_id: str,
        update: Callable[[dict[str, Any] | None], dict[str, Any] | None],
    ) -> dict[str, Any] | None:
        """Change an annotation's card as it is on disk now (e.g. to suspend it).

        ``update`` runs while the library is locked and gets a copy of the
        current card (None if there is none); what it returns is stored (None
        removes the card). Nothing is written if it did not change.

        Returns:
            The stored card, or None.

        Raises:
            AnnotationNotFound: No annotation has that id (it was deleted).
        """
        with self._core.writing(daily_backup=False):
            f = self._core.locate(annotation_id)
            current = f.storage.table(_CARDS).get(annotation_id)
            new = update(copy.deepcopy(current))
            if new is not None:
                new = self._card_doc(f, annotation_id, new)
            if new != current:
                self._core.write_tables(f, {_CARDS: {annotation_id: new}})
            return copy.deepcopy(new)

    def record_review(
        self,
        annotation_id: str,
        review: Callable[[dict[str, Any] | None], tuple[dict[str, Any], dict[str, Any]]],
    ) -> tuple[dict[str, Any] | None, dict[str, Any], dict[str, Any]]:
        """Rate a card: store its new state and a review-log entry in one write.

        ``review`` runs while the library is locked and gets a copy of the card
        as it is on disk now (None for a first review), so a review made in
        another window meanwhile is built upon, not overwritten. It returns the
        new card and the log entry; the store gives the entry an ``id`` (also
        put in the card's ``review_id``) and fills in both documents'
        ``annotation_id`` and ``article_id``.

        Returns:
            ``(before, card, entry)``: the card as it was (keep it to undo), and
            the stored card and log entry.

        Raises:
            AnnotationNotFound: No annotation has that id (it was deleted).
        """
        with self._core.writing(daily_backup=False):
            f = self._core.locate(annotation_id)
            before = copy.deepcopy(f.storage.table(_CARDS).get(annotation_id))
            card, entry = review(copy.deepcopy(before))
            review_id = str(uuid.uuid4())
            entry = copy.deepcopy(dict(entry)) | {
                "id": review_id,
                "annotation_id": annotation_id,
                "article_id": f.article_id,
            }
            card = self._card_doc(f, annotation_id, dict(card) | {"review_id": review_id})
            _check_json(entry, "the review")
            self._core.write_tables(
                f, {_CARDS: {annotation_id: card}, _REVIEWS: {review_id: entry}}
            )
            return before, copy.deepcopy(card), copy.deepcopy(entry)

    def undo_review(
        self, annotation_id: str, review_id: str, previous: Mapping[str, Any] | None
    ) -> None:
        """Take a rating back: put the card back as it was and remove the log entry.

        Args:
            annotation_id: The annotation.
            review_id: The ``id`` of the log entry :meth:`record_review` made.
            previous: The card before that review (its ``before``); None
                removes the card (it had never been reviewed).

        Raises:
            CardChanged: The card was changed since that review (e.g. reviewed
                again in another window), so undoing it would lose that change.
            AnnotationNotFound: No annotation has that id.
        """
        with self._core.writing(daily_backup=False):
            f = self._core.locate(annotation_id)
            current = f.storage.table(_CARDS).get(annotation_id)
            if (
                current is None
                or current.get("review_id") != review_id
                or review_id not in f.storage.table(_REVIEWS)
            ):
                raise CardChanged(
                    "This card was changed after that rating (in another window?), so the "
                    "rating was not undone."
                )
            restored = None
            if previous is not None:
                restored = self._card_doc(f, annotation_id, copy.deepcopy(dict(previous)))
            self._core.write_tables(
                f, {_CARDS: {annotation_id: restored}, _REVIEWS: {review_id: None}}
            )

    def reviews(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Review-log entries of one article or of all, in the order they were made."""
        if article_id is not None:
            _check_id(article_id, "article_id")
        with self._core.mutex:
            self._core.sync()
            ids = [article_id] if article_id is not None else self._core.article_ids_on_disk()
            found: list[dict[str, Any]] = []
            for aid in ids:
                found.extend(self._core.article_file(aid).storage.table(_REVIEWS).values())
            found = _json_copy(found)
        found.sort(key=lambda entry: str(entry.get("review_datetime") or ""))
        return found

    def unsuspend_cards(self, article_id: str | None = None) -> int:
        """Let every suspended card (of one article, or all) be reviewed again.

        Returns:
            How many cards were suspended.
        """
        if article_id is not None:
            _check_id(article_id, "article_id")
        with self._core.writing(daily_backup=False):
            ids = [article_id] if article_id is not None else self._core.article_ids_on_disk()
            count = 0
            for aid in ids:
                f = self._core.article_file(aid)
                changes = {
                    key: card | {"suspended": False}
                    for key, card in f.storage.table(_CARDS).items()
                    if card.get("suspended")
                }
                if changes:
                    self._core.write_tables(f, {_CARDS: changes})
                    count += len(changes)
            return count

    def _card_doc(self, f: _ArticleFile, annotation_id: str, card: Mapping[str, Any]) -> dict:
        doc = copy.deepcopy(dict(card)) | {"annotation_id": annotation_id,
                                           "article_id": f.article_id}
        _check_json(doc, "the review card")
        return doc
