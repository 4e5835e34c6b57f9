"""The library's own data in the main file: articles, reading positions and settings."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from reader.store.files import (
    _ARTICLES,
    _POSITIONS,
    _RECORD_FIELDS,
    _SETTINGS,
    _check_id,
    _check_json,
    _put,
)

if TYPE_CHECKING:
    from reader.store.core import StoreCore


class Library:
    """Articles, reading positions and settings, kept in the main library file.

    An article's record (id, fingerprint, path, title, created) is also copied
    into its annotation file, so the article list can be rebuilt from those
    files if the main file is lost; :meth:`upsert_article` keeps the copy current.
    """

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    # ------------------------------------------------------------------
    # Articles

    def find_article(
        self, *, fingerprint: str | None = None, path: str | None = None
    ) -> dict[str, Any] | None:
        """Look an article up by content fingerprint, else by file path.

        Args:
            fingerprint: Hash of the article's content; wins over ``path``.
            path: The file the article was read from.

        Returns:
            The article (with ``id``), or None.
        """
        if not fingerprint and not path:
            raise ValueError("give a fingerprint or a path")
        with self._core.mutex:
            self._core.sync()
            found = self._find_article(fingerprint, path)
            return None if found is None else copy.deepcopy(found)

    def _find_article(self, fingerprint: str | None, path: str | None) -> dict[str, Any] | None:
        articles = self._core.main_storage.table(_ARTICLES)
        if fingerprint:
            for aid, doc in articles.items():
                if doc.get("fingerprint") == fingerprint:
                    return doc | {"id": aid}
        if path:
            matches = [
                doc | {"id": aid} for aid, doc in articles.items() if doc.get("path") == path
            ]
            if matches:
                return max(matches, key=lambda d: str(d.get("last_opened") or ""))
        return None

    def upsert_article(
        self,
        *,
        fingerprint: str,
        path: str,
        title: str,
        still_there: Callable[[str], bool] | None = None,
    ) -> dict[str, Any]:
        """Record that an article was opened, creating or re-linking its entry.

        An article with the same fingerprint keeps its id even if the file
        moved (its path is updated); failing that, an article at the same path
        keeps its id even if the file was edited (its fingerprint is updated).
        A copy is not a move: when ``still_there(known_path)`` says the entry's own
        file still holds this content, the entry is opened as it is (same id, path
        and title). ``last_opened`` is set to now.

        Args:
            fingerprint: Hash of the article's content (non-empty).
            path: The file it was read from.
            title: Its title.
            still_there: Whether a path still holds an article with ``fingerprint``;
                without it, an entry found by fingerprint always follows ``path``.

        Returns:
            The stored article, with ``id``.
        """
        for name, value in (("fingerprint", fingerprint), ("path", path), ("title", title)):
            if not isinstance(value, str):
                raise ValueError(f"{name} must be a string")
        if not fingerprint:
            raise ValueError("fingerprint must not be empty")
        with self._core.writing():
            now = self._core.now()
            found = self._find_article(fingerprint, path)
            if found is None:
                article = {
                    "id": str(uuid.uuid4()),
                    "fingerprint": fingerprint,
                    "path": path,
                    "title": title,
                    "created": now,
                    "last_opened": now,
                }
            elif _a_copy(found, fingerprint, path, still_there):
                article = found | {"last_opened": now}
            else:
                article = found | {
                    "fingerprint": fingerprint,
                    "path": path,
                    "title": title,
                    "last_opened": now,
                }
            aid = article["id"]
            _put(self._core.main.table(_ARTICLES), aid, article)
            if found is not None and any(found.get(k) != article.get(k) for k in _RECORD_FIELDS):
                f = self._core.article_file(aid)
                if f.storage.read() is not None:
                    self._core.put_record(f, aid)
            return copy.deepcopy(article)

    def articles(self) -> list[dict[str, Any]]:
        """All articles, most recently opened first."""
        with self._core.mutex:
            self._core.sync()
            table = self._core.main_storage.table(_ARTICLES)
            found = [doc | {"id": aid} for aid, doc in table.items()]
        found.sort(key=lambda d: str(d.get("last_opened") or ""), reverse=True)
        return copy.deepcopy(found)

    # ------------------------------------------------------------------
    # Reading positions and settings

    def get_position(self, article_id: str) -> dict[str, Any] | None:
        """The saved reading position of an article, or None."""
        with self._core.mutex:
            self._core.sync()
            found = self._core.main_storage.table(_POSITIONS).get(article_id)
            return None if found is None else copy.deepcopy(found)

    def set_position(self, article_id: str, position: Mapping[str, Any]) -> None:
        """Save an article's reading position (an opaque JSON-able dict).

        Nothing is written if the position did not change.
        """
        _check_id(article_id, "article_id")
        position = copy.deepcopy(dict(position))
        _check_json(position, "the reading position")
        with self._core.writing(daily_backup=False):
            if self._core.main_storage.table(_POSITIONS).get(article_id) != position:
                _put(self._core.main.table(_POSITIONS), article_id, position)

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A saved setting (any JSON value), or ``default``."""
        with self._core.mutex:
            self._core.sync()
            doc = self._core.main_storage.table(_SETTINGS).get(key)
            return default if doc is None else copy.deepcopy(doc.get("value"))

    def set_setting(self, key: str, value: Any) -> None:
        """Save a setting (any JSON value); nothing is written if it did not change."""
        if not isinstance(key, str) or not key:
            raise ValueError("setting key must be a non-empty string")
        value = copy.deepcopy(value)
        _check_json(value, f"setting {key!r}")
        with self._core.writing(daily_backup=False):
            if self._core.main_storage.table(_SETTINGS).get(key) != {"value": value}:
                _put(self._core.main.table(_SETTINGS), key, {"value": value})


def _a_copy(
    found: Mapping[str, Any],
    fingerprint: str,
    path: str,
    still_there: Callable[[str], bool] | None,
) -> bool:
    """Whether ``path`` is a copy of the article ``found`` (found by fingerprint elsewhere),
    whose own file still holds it: then the entry stays where it is."""
    known = found.get("path")
    if still_there is None or found.get("fingerprint") != fingerprint:
        return False
    if not isinstance(known, str) or not known or known == path:
        return False
    return still_there(known)
