"""Looking after the library's articles: archive, details, remove, relink, move highlights.

What the library screen and ``readmark relink`` change about whole articles.
Nothing here ever loses a highlight silently: removing an article and
relinking one both make a backup first, and moving highlights takes their review
cards and review log with them, in one write per file.
"""

from __future__ import annotations

import contextlib
import copy
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.errors import ArticleNotFound
from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _CARDS,
    _POSITIONS,
    _RECORD,
    _REVIEWS,
    _check_id,
    _check_json,
)

if TYPE_CHECKING:
    from reader.store.core import StoreCore, _ArticleFile

#: Article fields the library keeps beside the record (see :meth:`Shelf.set_details`).
DETAIL_FIELDS = ("author", "site", "url", "words")

#: Called under the lock with an article's records; returns the changes that anchor
#: them in the new text (annotation id -> fields), as ``anchor_records`` makes them.
Reanchor = Callable[[list[dict[str, Any]]], Mapping[str, Mapping[str, Any]]]


class Shelf:
    """Changes to whole articles, and the reading positions of all of them at once."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    # ------------------------------------------------------------------
    # Reading

    def positions(self) -> dict[str, dict[str, Any]]:
        """Every saved reading position, by article id (one read for the whole library)."""
        with self._core.mutex:
            self._core.sync()
            return copy.deepcopy(dict(self._core.main_storage.table(_POSITIONS)))

    def _article(self, article_id: str) -> dict[str, Any]:
        """The stored article (mutex held); ArticleNotFound when there is none."""
        _check_id(article_id, "article_id")
        doc = self._core.main_storage.table(_ARTICLES).get(article_id)
        if doc is None:
            raise ArticleNotFound(f"No article with id {article_id!r} in the library")
        return dict(doc) | {"id": article_id}

    # ------------------------------------------------------------------
    # Small changes to one article

    def set_archived(self, article_id: str, archived: bool) -> dict[str, Any]:
        """Archive an article (hidden from the library unless asked for) or bring it back.

        Returns:
            The stored article.
        """
        with self._core.writing(daily_backup=False):
            article = self._article(article_id)
            if bool(article.get("archived")) != archived:
                if archived:
                    article["archived"] = True
                else:
                    article.pop("archived", None)
                self._write_main({_ARTICLES: {article_id: _without_id(article)}})
            return copy.deepcopy(article)

    def set_details(self, article_id: str, details: Mapping[str, Any]) -> None:
        """Keep what the library shows about an article beside its record.

        Args:
            article_id: The article.
            details: Any of ``author``, ``site``, ``url`` (text) and ``words`` (a count);
                an empty text removes the field. Nothing is written if nothing changed.
        """
        unknown = set(details) - set(DETAIL_FIELDS)
        if unknown:
            raise ValueError(f"unknown article details: {', '.join(sorted(unknown))}")
        for key, value in details.items():
            wanted = int if key == "words" else str
            if not isinstance(value, wanted) or isinstance(value, bool):
                raise ValueError(f"article detail {key!r} must be {wanted.__name__}")
        with self._core.mutex:  # cheap check first: most openings change nothing
            self._core.sync()
            article = self._article(article_id)
            if _with_details(article, details) == article:
                return
        with self._core.writing(daily_backup=False):
            article = self._article(article_id)
            new = _with_details(article, details)
            if new != article:
                self._write_main({_ARTICLES: {article_id: _without_id(new)}})

    # ------------------------------------------------------------------
    # Removing

    def remove_article(self, article_id: str) -> tuple[int, Path | None]:
        """Remove an article, its highlights, cards and position from the library.

        A backup holding all of it is made first (so nothing is lost: it can be
        restored from there).

        Returns:
            ``(highlights removed, the backup file)``; the backup is None for an
            in-memory store.
        """
        with self._core.writing(daily_backup=False):
            self._article(article_id)
            count = len(self._core.article_file(article_id).storage.table(_ANNOTATIONS))
            backup = self._core.backups.make_backup("remove")
            self._drop(article_id)
            return count, backup

    def _drop(self, article_id: str) -> None:
        """Remove an article's entry, position and file (lock held, backup made)."""
        self._write_main({_ARTICLES: {article_id: None}, _POSITIONS: {article_id: None}})
        self._core.files.pop(article_id, None)
        for key, owner in list(self._core.where.items()):
            if owner == article_id:
                del self._core.where[key]
        if self._core.ann_dir is None:
            return
        # The file and any earlier generation of it kept beside it (NAME.json.*): the
        # generations first, so a removal cut short never leaves one to restore the
        # file from when the file itself is gone.
        name = f"{article_id}.json"
        found = [path for path in self._core.ann_dir.glob(f"{name}*")
                 if path.name == name or path.name.startswith(f"{name}.")]
        for leftover in sorted(found, key=lambda path: path.name == name):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(leftover)

    # ------------------------------------------------------------------
    # Relinking and moving highlights

    def relink_article(
        self,
        article_id: str,
        *,
        fingerprint: str,
        path: str,
        title: str,
        reanchor: Reanchor,
    ) -> dict[str, Any]:
        """Point an article at another file (moved, and perhaps edited) and re-anchor it.

        If the library already has an entry for that file (it was opened as a new
        article), that entry's highlights, cards and review log are moved into
        this article and the entry is removed: one article per file. A backup is
        made first.

        Args:
            article_id: The article whose highlights move (it keeps its id).
            fingerprint: The new file's content fingerprint.
            path: The new file's absolute path.
            title: Its title.
            reanchor: Given every record (this article's and the merged ones),
                returns the changes that anchor them in the new text.

        Returns:
            The stored article, with ``merged`` (how many highlights came from the
            other entry) and ``changes`` (what ``reanchor`` returned).
        """
        if not fingerprint or not isinstance(fingerprint, str):
            raise ValueError("fingerprint must be a non-empty string")
        with self._core.writing(daily_backup=False):
            article = self._article(article_id)
            others = self._entries_for(fingerprint, path, article_id)
            self._core.backups.make_backup("relink")
            f = self._core.article_file(article_id)
            annotations = copy.deepcopy(dict(f.storage.table(_ANNOTATIONS)))
            cards = copy.deepcopy(dict(f.storage.table(_CARDS)))
            reviews = copy.deepcopy(dict(f.storage.table(_REVIEWS)))
            merged = 0
            last_opened = str(article.get("last_opened") or "")
            for other in others:
                source = self._core.article_file(other["id"])
                for key, doc in source.storage.table(_ANNOTATIONS).items():
                    if key not in annotations:
                        annotations[key] = copy.deepcopy(doc) | {"article_id": article_id}
                        merged += 1
                for table, into in ((_CARDS, cards), (_REVIEWS, reviews)):
                    for key, doc in source.storage.table(table).items():
                        into.setdefault(key, copy.deepcopy(doc) | {"article_id": article_id})
                last_opened = max(last_opened, str(other.get("last_opened") or ""))
            changes = {k: dict(v) for k, v in reanchor(copy.deepcopy(list(annotations.values())))
                       .items() if k in annotations}
            now = self._core.now()
            for key, fields in changes.items():
                annotations[key] = annotations[key] | copy.deepcopy(fields) | {"modified": now}
            _check_json(annotations, "the annotations")
            article |= {"fingerprint": fingerprint, "path": path, "title": title,
                        "last_opened": last_opened or now}
            self._write_main({_ARTICLES: {article_id: _without_id(article)}})
            record = self._core.record_for(article_id)
            self._core.write_tables(f, {
                _ANNOTATIONS: annotations, _CARDS: cards, _REVIEWS: reviews,
                _RECORD: {article_id: record},
            })
            for key in annotations:
                self._core.where[key] = article_id
            for other in others:
                self._drop(other["id"])
            return copy.deepcopy(article) | {"merged": merged, "changes": changes}

    def _entries_for(self, fingerprint: str, path: str, but: str) -> list[dict[str, Any]]:
        """Other articles standing for the file with this content or path (mutex held)."""
        return [
            dict(doc) | {"id": aid}
            for aid, doc in self._core.main_storage.table(_ARTICLES).items()
            if aid != but and (doc.get("fingerprint") == fingerprint or doc.get("path") == path)
        ]

    def move_annotations(
        self, records: Mapping[str, Mapping[str, Any]], article_id: str
    ) -> list[dict[str, Any]]:
        """Move annotations from the articles holding them into ``article_id``.

        Each moves with its review card and review log; a backup is made first.

        Args:
            records: Annotation id -> its new record in this article (already
                anchored in its text; ``article_id`` is set here).
            article_id: Where they go.

        Returns:
            The moved records as stored. An id that is already in this article
            is left alone; an unknown id raises AnnotationNotFound.
        """
        _check_id(article_id, "article_id")
        with self._core.writing(daily_backup=False):
            self._article(article_id)
            target = self._core.article_file(article_id)
            sources: dict[str, _ArticleFile] = {}
            for key in records:
                if key in target.storage.table(_ANNOTATIONS):
                    continue
                sources[key] = self._core.locate(key)
            if not sources:
                return []
            self._core.backups.make_backup("move")
            now = self._core.now()
            moved: dict[str, dict[str, Any]] = {}
            cards: dict[str, dict[str, Any]] = {}
            reviews: dict[str, dict[str, Any]] = {}
            gone: dict[str, tuple[list[str], list[str]]] = {}  # file -> (ids, review ids)
            for key, f in sources.items():
                old = f.storage.table(_ANNOTATIONS)[key]
                moved[key] = copy.deepcopy(dict(records[key])) | {
                    "id": key, "article_id": article_id,
                    "created": old.get("created") or now, "modified": now,
                }
                card = f.storage.table(_CARDS).get(key)
                if card is not None:
                    cards[key] = copy.deepcopy(card) | {"article_id": article_id}
                log = {rid: entry for rid, entry in f.storage.table(_REVIEWS).items()
                       if entry.get("annotation_id") == key}
                for rid, entry in log.items():
                    reviews[rid] = copy.deepcopy(entry) | {"article_id": article_id}
                ids, review_ids = gone.setdefault(f.article_id, ([], []))
                ids.append(key)
                review_ids.extend(log)
            _check_json(moved, "the annotations")
            if not target.storage.table(_RECORD):
                self._core.put_record(target, article_id)
            self._core.write_tables(target, {_ANNOTATIONS: moved, _CARDS: cards,
                                             _REVIEWS: reviews})
            for source_id, (ids, review_ids) in gone.items():
                self._core.write_tables(self._core.article_file(source_id), {
                    _ANNOTATIONS: dict.fromkeys(ids), _CARDS: dict.fromkeys(ids),
                    _REVIEWS: dict.fromkeys(review_ids),
                })
            for key in moved:
                self._core.where[key] = article_id
            return copy.deepcopy(list(moved.values()))

    # ------------------------------------------------------------------

    def _write_main(self, changes: Mapping[str, Mapping[str, Any]]) -> None:
        """Change documents of several tables of the main file in one write (lock held).

        ``changes`` maps table -> id -> new document (None removes it).
        """
        storage = self._core.main_storage
        data = dict(storage.read() or {})
        for name, docs in changes.items():
            table = dict(data.get(name) or {})
            for key, doc in docs.items():
                if doc is None:
                    table.pop(key, None)
                else:
                    table[key] = copy.deepcopy(dict(doc))
            data[name] = table
        storage.write(data)


def _without_id(article: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in article.items() if k != "id"}


def _with_details(article: dict[str, Any], details: Mapping[str, Any]) -> dict[str, Any]:
    new = dict(article)
    for key, value in details.items():
        if value in ("", None):
            new.pop(key, None)
        else:
            new[key] = value
    return new


__all__ = ["DETAIL_FIELDS", "Reanchor", "Shelf"]
