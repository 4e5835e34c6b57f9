"""Annotations (highlights and notes) in the per-article files, and their counts.

Each article's annotations live in that article's own file (see
:mod:`reader.store`), so a change costs the same however large the library is.
Deleting a highlight sets its review card aside in the same write, so that
undoing the delete brings the schedule back. Counts per article are cached in
``counts.json``, keyed by each file's signature, so listing them stays cheap.
"""

from __future__ import annotations

import copy
import json
import logging
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from tinydb.table import Document

from reader.store.errors import AnnotationNotFound, StoreError
from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _CARDS,
    _RECORD,
    _REMOVED_CARDS,
    Signature,
    _atomic_write,
    _check_id,
    _check_json,
    _dumps,
    _json_copy,
    _replace_with,
    annotation_file_signatures,
)
from reader.store.shapes import annotation_problem

if TYPE_CHECKING:
    from reader.store.core import StoreCore

log = logging.getLogger(__name__)

_REMOVED_KEPT = 50  # cards of deleted annotations kept per article file


def _has_note(annotation: Mapping[str, Any]) -> bool:
    note = annotation.get("note")
    return isinstance(note, str) and bool(note.strip())


def _check_shape(annotation_id: str, annotation: Mapping[str, Any]) -> None:
    """Refuse to store a record readers could not use (see reader.store.shapes)."""
    problem = annotation_problem(annotation_id, annotation)
    if problem is not None:
        raise ValueError(f"the annotation cannot be saved: {problem}")


def _count(data: Mapping[str, Any] | None) -> tuple[int, int]:
    table = (data or {}).get(_ANNOTATIONS, {})
    return len(table), sum(1 for doc in table.values() if _has_note(doc))


class Highlights:
    """Reads and changes annotations, one article file at a time."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core
        self._counts: dict[str, tuple[Signature, int, int]] | None = None

    def annotations(self, article_id: str) -> list[dict[str, Any]]:
        """All annotations of an article, in the order they were added."""
        _check_id(article_id, "article_id")
        with self._core.mutex:
            self._core.sync()
            f = self._core.article_file(article_id)
            table = f.storage.table(_ANNOTATIONS)
            damaged = self._core.quarantine.damaged(article_id, table, f.storage.signature)
            if damaged:  # set aside, untouched: see reader.store.quarantine
                return _json_copy([doc for key, doc in table.items() if key not in damaged])
            return _json_copy(list(table.values()))

    def damaged_annotations(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """The damaged records (of one article, or all), set aside untouched.

        Returns:
            One dict per record: ``article_id``, ``key`` (its key in the file),
            ``reason`` (in words) and ``record`` (a copy, as stored).
        """
        if article_id is not None:
            _check_id(article_id, "article_id")
        with self._core.mutex:
            self._core.sync()
            ids = [article_id] if article_id is not None else self._core.article_ids_on_disk()
            found: list[dict[str, Any]] = []
            for aid in ids:
                f = self._core.article_file(aid)
                found += self._core.quarantine.listing(
                    aid, f.storage.table(_ANNOTATIONS), f.storage.signature
                )
            return found

    def get_annotation(self, annotation_id: str) -> dict[str, Any] | None:
        """One annotation by id, or None."""
        with self._core.mutex:
            self._core.sync()
            try:
                f = self._core.locate(annotation_id)
            except AnnotationNotFound:
                return None
            table = f.storage.table(_ANNOTATIONS)
            if annotation_id in self._core.quarantine.damaged(
                f.article_id, table, f.storage.signature
            ):
                return None
            return copy.deepcopy(table[annotation_id])

    def add_annotation(self, annotation: Mapping[str, Any]) -> dict[str, Any]:
        """Store a new annotation.

        Args:
            annotation: A JSON-able dict with at least ``article_id``. ``id``
                (a UUID4 string), ``created`` and ``modified`` are filled in
                if missing; a given ``id`` is kept (e.g. to undo a delete).

        Returns:
            The stored annotation.

        Raises:
            ValueError: Bad ``article_id``, an ``id`` already in use, or data
                that cannot be saved as JSON.
        """
        ann = copy.deepcopy(dict(annotation))
        article_id = _check_id(ann.get("article_id"), "article_id")
        ann.setdefault("id", str(uuid.uuid4()))
        annotation_id = ann["id"]
        if not isinstance(annotation_id, str) or not annotation_id:
            raise ValueError(f"annotation id must be a non-empty string, got {annotation_id!r}")
        now = self._core.now()
        ann.setdefault("created", now)
        ann.setdefault("modified", now)
        _check_json(ann, "the annotation")
        _check_shape(annotation_id, ann)
        with self._core.writing():
            f = self._core.article_file(article_id)
            other = self._core.where.get(annotation_id)
            if annotation_id in f.storage.table(_ANNOTATIONS) or (
                other is not None
                and other != article_id
                and annotation_id in self._core.article_file(other).storage.table(_ANNOTATIONS)
            ):
                raise ValueError(f"an annotation with id {annotation_id!r} already exists")
            if not f.storage.table(_RECORD):
                self._core.put_record(f, article_id)
            removed = f.storage.table(_REMOVED_CARDS).get(annotation_id)
            if removed is None:
                f.annotations.insert(Document(ann, doc_id=annotation_id))  # type: ignore[arg-type]
            else:  # undoing a delete: the review card comes back with it, in the same write
                self._core.write_tables(f, {
                    _ANNOTATIONS: {annotation_id: ann},
                    _CARDS: {annotation_id: copy.deepcopy(removed)},
                    _REMOVED_CARDS: {annotation_id: None},
                })
            self._core.where[annotation_id] = article_id
            return copy.deepcopy(ann)

    def add_annotations(
        self, article_id: str, annotations: Sequence[Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Store many new annotations of one article in a single write: all or none.

        Each is filled in and checked as :meth:`add_annotation` does; one whose
        ``id`` is already in the article's file (or known to be in another's) is
        left out, so that adding the same batch twice adds it once. The article's
        record (if the file has none yet) and the review cards of annotations
        added back after a delete go in the same write.

        Returns:
            The annotations stored, in the order given.

        Raises:
            ValueError: A bad ``article_id``, an annotation of another article,
                two with the same id, or data that cannot be saved as JSON.
        """
        _check_id(article_id, "article_id")
        now = self._core.now()
        batch: dict[str, dict[str, Any]] = {}
        for annotation in annotations:
            ann = dict(annotation)  # the caller's dict is left as it was
            if ann.setdefault("article_id", article_id) != article_id:
                raise ValueError(f"an annotation of {ann['article_id']!r} given for {article_id!r}")
            if "id" not in ann:
                ann["id"] = str(uuid.uuid4())
            annotation_id = ann["id"]
            if not isinstance(annotation_id, str) or not annotation_id:
                raise ValueError(f"annotation id must be a non-empty string, got {annotation_id!r}")
            if annotation_id in batch:
                raise ValueError(f"two annotations have the id {annotation_id!r}")
            ann.setdefault("created", now)
            ann.setdefault("modified", now)
            _check_shape(annotation_id, ann)
            batch[annotation_id] = ann
        with self._core.writing():
            f = self._core.article_file(article_id)
            present = f.storage.table(_ANNOTATIONS)
            new = {
                key: ann for key, ann in batch.items()
                if key not in present and self._core.where.get(key, article_id) == article_id
            }
            if not new:
                return []
            removed = f.storage.table(_REMOVED_CARDS)
            back = {key: copy.deepcopy(removed[key]) for key in new if key in removed}
            changes: dict[str, dict[str, Any]] = {_ANNOTATIONS: dict(new)}
            if back:
                changes[_CARDS] = back
                changes[_REMOVED_CARDS] = dict.fromkeys(back)
            record = None if f.storage.table(_RECORD) else self._core.record_for(article_id)
            if record is not None:
                changes[_RECORD] = {article_id: record}
            # The cache lets go of what was written (the next read parses the file), so
            # the caller's records are never shared with it: one encoding in all, where
            # copying thousands of records in and out took seconds.
            self._core.write_tables(f, changes, detach=True)
            for key in new:
                self._core.where[key] = article_id
            return [dict(ann) for ann in new.values()]

    def update_annotation(self, annotation_id: str, changes: Mapping[str, Any]) -> dict[str, Any]:
        """Change some fields of an annotation; ``modified`` is set to now.

        Args:
            annotation_id: Its id.
            changes: Fields to set (top-level keys are replaced). ``id`` and
                ``article_id`` cannot be changed.

        Returns:
            The updated annotation.

        Raises:
            AnnotationNotFound: No annotation has that id.
        """
        changes = copy.deepcopy(dict(changes))
        with self._core.writing():
            f = self._core.locate(annotation_id)
            old = f.storage.table(_ANNOTATIONS)[annotation_id]
            for key in ("id", "article_id"):
                if key in changes and changes[key] != old.get(key):
                    raise ValueError(f"an annotation's {key} cannot be changed")
            new = copy.deepcopy(old)
            new.update(changes)
            new["modified"] = self._core.now()
            _check_json(new, "the annotation")
            _check_shape(annotation_id, new)
            f.annotations.update(_replace_with(new), doc_ids=[annotation_id])  # type: ignore[list-item]
            return copy.deepcopy(new)

    def update_annotations(
        self, article_id: str, changes: Mapping[str, Mapping[str, Any]]
    ) -> list[dict[str, Any]]:
        """Change many annotations of one article at once (a bulk change).

        A backup is made first, then all changes are written in one step.

        Args:
            article_id: The article.
            changes: Annotation id -> fields to set, as in :meth:`update_annotation`.

        Returns:
            The updated annotations.
        """
        _check_id(article_id, "article_id")
        changes = copy.deepcopy({k: dict(v) for k, v in changes.items()})
        with self._core.writing(daily_backup=False):
            f = self._core.article_file(article_id)
            table = f.storage.table(_ANNOTATIONS)
            missing = [k for k in changes if k not in table]
            if missing:
                raise AnnotationNotFound(f"No annotation with id {missing[0]!r} in {article_id}")
            now = self._core.now()
            updated = {}
            for annotation_id, fields in changes.items():
                old = table[annotation_id]
                for key in ("id", "article_id"):
                    if key in fields and fields[key] != old.get(key):
                        raise ValueError(f"an annotation's {key} cannot be changed")
                updated[annotation_id] = old | fields | {"modified": now}
                _check_shape(annotation_id, updated[annotation_id])
            _check_json(updated, "the annotations")
            if updated:
                self._core.backups.make_backup("bulk")

                def apply(doc: dict[str, Any]) -> None:
                    new = copy.deepcopy(updated[doc["id"]])
                    doc.clear()
                    doc.update(new)

                f.annotations.update(apply, doc_ids=list(updated))  # type: ignore[arg-type]
            return copy.deepcopy(list(updated.values()))

    def delete_annotation(self, annotation_id: str) -> dict[str, Any]:
        """Remove an annotation, and its review card.

        The card is set aside (the last few per article), so that adding the
        annotation back with the same id (undo) brings its schedule back too.

        Returns:
            The removed annotation, so that it can be added back to undo.

        Raises:
            AnnotationNotFound: No annotation has that id.
        """
        with self._core.writing():
            f = self._core.locate(annotation_id)
            old = copy.deepcopy(f.storage.table(_ANNOTATIONS)[annotation_id])
            card = f.storage.table(_CARDS).get(annotation_id)
            if card is None:
                f.annotations.remove(doc_ids=[annotation_id])  # type: ignore[list-item]
            else:
                removed = f.storage.table(_REMOVED_CARDS)
                dropped = [key for key in removed if key != annotation_id]
                dropped = dropped[: max(0, len(dropped) + 1 - _REMOVED_KEPT)]
                self._core.write_tables(f, {
                    _ANNOTATIONS: {annotation_id: None},
                    _CARDS: {annotation_id: None},
                    _REMOVED_CARDS: {annotation_id: card} | dict.fromkeys(dropped),
                })
            self._core.where.pop(annotation_id, None)
            return old

    def annotation_counts(self) -> dict[str, tuple[int, int]]:
        """Per article: (number of annotations, number of them with a note).

        Every known article is listed (``(0, 0)`` if it has none). Cheap:
        counts are cached per file and only recounted when a file changed.
        """
        with self._core.mutex:
            self._core.sync()
            result = dict.fromkeys(self._core.main_storage.table(_ARTICLES), (0, 0))
            if self._core.ann_dir is None:
                for aid, f in self._core.files.items():
                    if f.storage.read() is not None:
                        result[aid] = _count(f.storage.read())
                return result
            cache = self._load_counts_cache()
            changed = False
            present = set()
            for aid, sig in annotation_file_signatures(self._core.ann_dir):
                present.add(aid)
                if sig is None:
                    continue
                hit = cache.get(aid)
                if hit is not None and hit[0] == sig:
                    result[aid] = (hit[1], hit[2])
                    continue
                f = self._core.article_file(aid)
                counts = _count(f.storage.read())
                result[aid] = counts
                if f.storage.signature is not None:
                    cache[aid] = (f.storage.signature, *counts)
                    changed = True
            for aid in set(cache) - present:
                del cache[aid]
                changed = True
            if changed:
                self._save_counts_cache(cache)
            return result

    def _load_counts_cache(self) -> dict[str, tuple[Signature, int, int]]:
        if self._counts is None:
            self._counts = {}
            assert self._core.counts_path is not None
            try:
                raw = json.loads(self._core.counts_path.read_bytes())
                for aid, row in raw["files"].items():
                    dev, ino, size, mtime, total, notes = (int(x) for x in row)
                    self._counts[aid] = ((dev, ino, size, mtime), total, notes)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._counts = {}  # a derived cache: rebuilt when unreadable
        return self._counts

    def _save_counts_cache(self, cache: dict[str, tuple[Signature, int, int]]) -> None:
        if self._core.read_only_reason or self._core.counts_path is None:
            return
        payload = _dumps(
            {"format": 1, "files": {aid: [*sig, n, m] for aid, (sig, n, m) in cache.items()}}
        )
        try:
            with self._core.locked(timeout=0):
                self._core.counts_path.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(self._core.counts_path, payload, durable=False)
        except (StoreError, OSError) as exc:  # only a cache
            log.debug("counts cache not saved: %s", exc)
