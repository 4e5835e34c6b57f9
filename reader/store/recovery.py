"""Repairs and upgrades: stale temporary files, damaged files set aside and restored, relinking.

A damaged file is never overwritten or read as empty: it is renamed aside and
the newest good copy (from memory or from a backup) is put in its place, and
:attr:`Store.recovery_message` says so. A missing main file is rebuilt from the
annotation files ("relinking"). A library written by an older readmark is
backed up, then upgraded (:data:`_MIGRATIONS`); one written by a newer readmark
opens read-only.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import re
import stat
import uuid
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any

from reader.store import repair
from reader.store.errors import StoreAccessError, StoreError, _CorruptFile
from reader.store.file_shapes import _annotation_file_problem, _main_problem
from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _ID_RE,
    _META,
    _RECORD,
    _RECORD_FIELDS,
    _TMP_RE,
    SCHEMA_VERSION,
    _AtomicJSONStorage,
    _read_json_file,
    _schema_doc,
    _schema_version,
)

if TYPE_CHECKING:
    from reader.store.core import StoreCore

log = logging.getLogger(__name__)

#: Tables of a format-0 library (a single TinyDB file without a ``meta`` table).
_LEGACY_TABLES = {_ARTICLES, _ANNOTATIONS, "positions", "settings", "_default"}
#: Bytes of the main file looked at for the marker, and read at most to parse a format-0 file.
_HEAD_BYTES = 1 << 16
_LEGACY_BYTES = 256 << 20
#: Bytes only a readmark library's main file holds, even when damaged.
_MARKER = re.compile(rb'"meta"\s*:\s*\{\s*"schema"|"app"\s*:\s*"readmark"')


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class Recovery:
    """Keeps one library's files sound: cleans up, repairs, relinks and upgrades them."""

    def __init__(self, core: StoreCore) -> None:
        self._core = core

    # ------------------------------------------------------------------
    # Opening

    def remove_stale_temp_files(self) -> None:
        """Delete temporary files left by a writer that was killed (lock held)."""
        core = self._core
        path = core.path
        assert path is not None
        folders = [path.parent, core.data_dir, core.ann_dir, core.backup_dir]
        for folder in folders:
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if not _TMP_RE.fullmatch(name):
                    continue
                if folder == path.parent and not (
                    name.startswith(f".{path.name}.") or name.startswith(".readmark-probe-")
                ):
                    continue  # the library's folder may hold other people's files
                if folder == core.backup_dir and not name.startswith(f".{path.stem}-"):
                    continue
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)  # type: ignore[operator]

    def create_main(self) -> None:
        """Start a new library file (missing or empty), keeping any annotation files."""
        articles: dict[str, Any] = {}
        relinked = self.relink(articles)
        self._core.main_storage.write({_META: {"schema": _schema_doc()}, _ARTICLES: articles})
        if relinked:
            self._core.note(
                f"The library file {self._core.path} was missing or empty; rebuilt its article "
                "list "
                f"from {_plural(relinked, 'annotation file')} in {self._core.ann_dir}. "
                "Reading positions and settings start afresh."
            )

    def apply_schema(self) -> None:
        """Open a newer format read-only; back up and upgrade an older one."""
        data = self._core.main_storage.read() or {}
        version = _schema_version(data)
        if version > SCHEMA_VERSION:
            self._core.set_read_only(
                f"{self._core.path} was saved by a newer readmark (library format {version}; this "
                f"version knows format {SCHEMA_VERSION}), so it is open read-only to keep it "
                "intact; update readmark to make changes."
            )
        elif version < SCHEMA_VERSION and not self._core.read_only_reason:
            with self._core.locked():
                self._migrate(version)
                self._core.publish()

    def refuse_foreign(self) -> None:
        """Refuse, untouched, a main file that was never a readmark library.

        Called before the library is locked or anything is written, so that a
        user's article or another program's file given as the library is neither
        set aside as "damaged" nor given a lock file. A file is a library if it
        is missing or empty (a new one), if its first bytes hold the schema marker
        (``"meta": {"schema"`` or ``"app": "readmark"``, found even in a damaged
        copy), if the library's folder or backups exist beside it (a library
        damaged beyond recognition), or if it is a format-0 TinyDB file (JSON
        with one of readmark's tables).

        Raises:
            StoreAccessError: It is not a library; nothing was changed.
        """
        core = self._core
        path = core.path
        assert path is not None
        try:
            info = os.stat(path)
            if not stat.S_ISREG(info.st_mode):
                return  # reading it is refused with its own message
            with open(path, "rb") as handle:
                head = handle.read(_HEAD_BYTES)
                if not head.strip():
                    return
                if _MARKER.search(head):
                    return
                if (core.data_dir is not None and core.data_dir.is_dir()) or \
                        core.backups.backups():
                    return
                rest = handle.read(_LEGACY_BYTES) if len(head) == _HEAD_BYTES else b""
        except OSError:
            return  # reading it is refused with its own message
        try:
            data = json.loads((head + rest).decode("utf-8"))
        except (UnicodeDecodeError, ValueError, RecursionError):
            data = None
        if isinstance(data, dict) and set(data) & _LEGACY_TABLES and not _main_problem(data):
            return  # format 0: a TinyDB file of readmark's tables
        what = "not JSON" if data is None else "JSON without readmark's schema marker"
        raise StoreAccessError(
            f"{path} is not a readmark library ({what}), so it was left untouched; "
            "give the path of a readmark library or of a file that does not exist yet"
        )

    # ------------------------------------------------------------------
    # Recovery

    def recover(self, storage: _AtomicJSONStorage, err: _CorruptFile) -> None:
        """Keep a damaged file's bytes, salvage what it still holds and restore the rest
        (lock held); see :mod:`reader.store.repair`."""
        repair.recover(self._core, storage, err)

    def relink(self, articles: dict[str, Any]) -> int:
        """Add to ``articles`` any article that has an annotation file but no entry."""
        added = 0
        for aid in self._core.article_ids_on_disk():
            if aid in articles or self._core.ann_dir is None:
                continue
            try:
                data, _ = _read_json_file(
                    self._core.ann_dir / f"{aid}.json", _annotation_file_problem
                )
            except (_CorruptFile, StoreError):
                data = None
            record = dict((data or {}).get(_RECORD, {}).get(aid) or {})
            if not record:
                record = {"fingerprint": "", "path": "", "title": f"Recovered article {aid[:8]}"}
                record["created"] = self._core.now()
            record["id"] = aid
            record.setdefault("last_opened", None)
            articles[aid] = record
            added += 1
        return added

    # ------------------------------------------------------------------
    # Migration

    def _migrate(self, version: int) -> None:
        """Back up, then upgrade the on-disk format from ``version`` (lock held)."""
        try:
            backup = self._core.backups.make_backup(f"pre-migration-v{version}")
        except StoreError as exc:
            raise StoreError(
                f"Could not back up the library before upgrading its format, so nothing was "
                f"changed: {exc}"
            ) from None
        data = copy.deepcopy(self._core.main_storage.read() or {})
        while version < SCHEMA_VERSION:
            data = _MIGRATIONS[version](self, data)
            version += 1
        data[_META] = dict(data.get(_META, {})) | {"schema": _schema_doc()}
        self._core.main_storage.write(data)
        log.info("upgraded %s to format %d (backup: %s)", self._core.path, SCHEMA_VERSION, backup)

    def _migrate_0_to_1(self, data: dict[str, Any]) -> dict[str, Any]:
        """Move annotations from the single file into one file per article."""
        articles = dict(data.get(_ARTICLES, {}))
        for aid, doc in list(articles.items()):
            articles[aid] = dict(doc) | {"id": aid}
        data[_ARTICLES] = articles
        legacy = data.pop(_ANNOTATIONS, {})
        groups: dict[str, dict[str, Any]] = {}
        for doc_id, doc in legacy.items():
            ann = dict(doc)
            article_id = ann.get("article_id")
            if not isinstance(article_id, str) or not _ID_RE.fullmatch(article_id):
                ann["legacy_article_id"] = article_id
                article_id = ann["article_id"] = "unfiled"
            annotation_id = ann.get("id")
            if not isinstance(annotation_id, str) or not annotation_id:
                # deterministic, so a migration interrupted and re-run makes no duplicates
                annotation_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"readmark:{doc_id}"))
                ann["id"] = annotation_id
            groups.setdefault(article_id, {})[annotation_id] = ann
        for article_id, anns in groups.items():
            f = self._core.article_file(article_id)
            current = copy.deepcopy(f.storage.read() or {})
            table = dict(current.get(_ANNOTATIONS, {}))
            for annotation_id, ann in anns.items():
                # never replace what is already there (a re-run, or a library restored
                # from an old backup whose annotation files are newer)
                table.setdefault(annotation_id, ann)
            current[_ANNOTATIONS] = table
            doc = articles.get(article_id)
            if doc is not None:
                record = {k: doc[k] for k in _RECORD_FIELDS if k in doc} | {"id": article_id}
                current[_RECORD] = {article_id: record}
            if self._core.ann_dir is not None:
                self._core.ann_dir.mkdir(parents=True, exist_ok=True)
            f.storage.write(current)
        return data

    # ------------------------------------------------------------------


_MIGRATIONS: dict[int, Callable[[Recovery, dict[str, Any]], dict[str, Any]]] = {
    0: Recovery._migrate_0_to_1,
}
