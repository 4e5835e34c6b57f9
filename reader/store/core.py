"""The shared core the store's parts stand on: lock, change counter, sync and file cache.

One :class:`StoreCore` per open library holds what every part needs: the
paths of the library's files, the thread mutex (one ``RLock``) and the
cross-process lock file, the change counter (``generation``) through which
other processes' writes are noticed, the main file's TinyDB, and a small cache
of parsed annotation files with an index of which file holds which annotation.
The parts (:mod:`~reader.store.library`, :mod:`~reader.store.highlights`,
:mod:`~reader.store.cards`) read and write through it; :mod:`~reader.store.backups`
and :mod:`~reader.store.recovery` repair what it finds damaged.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import timezone
from pathlib import Path
from typing import Any

import filelock
from tinydb.table import Table

from reader.store.backups import Backups
from reader.store.errors import (
    AnnotationNotFound,
    StoreAccessError,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    _CorruptFile,
)
from reader.store.file_shapes import _annotation_file_problem, _main_problem
from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _ID_RE,
    _RECORD,
    _RECORD_FIELDS,
    Clock,
    _AtomicJSONStorage,
    _new_tinydb,
    _put,
    _utc_now,
    previous_generation,
)
from reader.store.quarantine import Quarantine
from reader.store.recovery import Recovery

log = logging.getLogger(__name__)

_LRU_SIZE = 64  # annotation files kept parsed in memory


class _ArticleFile:
    """One article's annotation file, opened through TinyDB."""

    def __init__(self, article_id: str, storage: _AtomicJSONStorage) -> None:
        self.article_id = article_id
        self.storage = storage
        self.db = _new_tinydb(storage)

    @property
    def annotations(self) -> Table:
        return self.db.table(_ANNOTATIONS)


class StoreCore:
    """The state one open library shares between the store's parts.

    Every method ending in "(mutex held)" or "(lock held)" expects the caller
    to hold :attr:`mutex`, or the mutex and the library lock (:meth:`locked`).

    Attributes:
        path: The main library file (None: everything is kept in memory).
        read_only_reason: Why changes are refused, or None if they are allowed.
        mutex: The one lock for threads; every part takes it around its work.
        main_storage: The main file's storage; ``main`` is its TinyDB.
        backups: Makes and finds backups.
        recovery: Opens, repairs and upgrades the library's files.
    """

    def __init__(self, path: Path | None, lock_timeout: float, clock: Clock | None) -> None:
        self.path = path
        self.read_only_reason: str | None = None
        self.clock: Clock = clock or _utc_now
        self.lock_timeout = lock_timeout
        self.mutex = threading.RLock()
        self.messages: list[str] = []
        self.files: OrderedDict[str, _ArticleFile] = OrderedDict()
        self.where: dict[str, str] = {}  # annotation id -> article id (may be stale)
        self.where_complete = False  # every annotation file was indexed since the last
        # change by another process, so an id missing from `where` does not exist
        self.external_change = False
        self._wrote = False
        self.seen_gen: int | None = None
        self.closed = False
        self.lock: filelock.BaseFileLock | None
        self.data_dir: Path | None
        self.ann_dir: Path | None
        self.backup_dir: Path | None
        self.gen_path: Path | None
        self.counts_path: Path | None
        if path is None:
            self.lock = None
            self.data_dir = self.ann_dir = self.backup_dir = self.gen_path = None
            self.counts_path = None
        else:
            data_dir = path.with_name(path.stem + ".d")
            if data_dir == path:
                data_dir = path.with_name(path.name + ".d")
            self.data_dir = data_dir
            self.ann_dir = data_dir / "annotations"
            self.gen_path = data_dir / "generation"
            self.counts_path = data_dir / "counts.json"
            self.backup_dir = path.parent / "backups"
            self.lock = filelock.FileLock(str(path) + ".lock", timeout=lock_timeout)
        self.main_storage = _AtomicJSONStorage(
            path, _main_problem, on_write=self._note_write, clock=self.clock,
            empty_is_damage=None if path is None else (
                lambda missing: previous_generation(path).exists()),
            generations=True,
        )
        self.main = _new_tinydb(self.main_storage)
        self.backups = Backups(self)
        self.recovery = Recovery(self)
        self.quarantine = Quarantine(self)
        #: Called with each message as it is noted (e.g. to show it at once).
        self.listener: Callable[[str], None] | None = None

    def close(self) -> None:
        """Forget cached data; further calls raise :class:`StoreError`."""
        with self.mutex:
            self.closed = True
            self.files.clear()
            self.where.clear()
            self.main.close()

    # ------------------------------------------------------------------
    # Opening

    def open(self) -> None:
        """Check the folder, then load (repairing or upgrading) the main file."""
        assert self.path is not None
        path = self.path
        if path.is_dir():
            raise StoreAccessError(
                f"{path} is a folder; give the path of a library file such as "
                f"{path / 'readmark.json'}"
            )
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreAccessError(
                f"Cannot create the folder {path.parent}: {exc.strerror or exc}"
            ) from None
        self.recovery.refuse_foreign()  # a user's file given as the library
        self._check_writable(path.parent)
        with self.mutex, self.locked():
            self.recovery.remove_stale_temp_files()
            self.seen_gen = self.read_generation()
            try:
                self.main_storage.load()
            except _CorruptFile as err:
                self.recovery.recover(self.main_storage, err)
            if self.main_storage.read() is None:
                self.recovery.create_main()
            self.recovery.apply_schema()
            self.publish()

    @staticmethod
    def _check_writable(directory: Path) -> None:
        try:
            fd, name = tempfile.mkstemp(prefix=".readmark-probe-", dir=directory)
        except OSError as exc:
            raise StoreAccessError(
                f"Cannot write in the folder {directory}: {exc.strerror or exc}"
            ) from None
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(name)

    def set_read_only(self, reason: str) -> None:
        """Refuse every change from now on, saying ``reason``."""
        self.read_only_reason = reason
        self.main_storage.read_only = reason
        for f in self.files.values():
            f.storage.read_only = reason

    def note(self, message: str) -> None:
        """Add a line to what :attr:`Store.recovery_message` tells, and pass it on."""
        self.messages.append(message)
        if self.listener is not None:
            try:
                self.listener(message)
            except Exception:  # a listener's failure must not stop the store
                log.exception("message listener failed")

    def now(self) -> str:
        """The current time as stored in documents (UTC, milliseconds)."""
        return self.clock().astimezone(timezone.utc).isoformat(timespec="milliseconds")

    # ------------------------------------------------------------------
    # Locking and change tracking

    def check_open(self) -> None:
        if self.closed:
            raise StoreError("The library has been closed")

    @contextmanager
    def locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the cross-process library lock (re-entrant within this process)."""
        if self.lock is None:
            yield
            return
        try:
            self.lock.acquire(timeout=self.lock_timeout if timeout is None else timeout)
        except filelock.Timeout:
            raise StoreLocked(
                f"Another readmark process has kept the library locked for over "
                f"{self.lock_timeout:g} s ({self.lock.lock_file}); close other readmark "
                "windows or wait, then try again."
            ) from None
        except OSError as exc:
            raise StoreAccessError(
                f"Cannot lock the library ({self.lock.lock_file}): {exc.strerror or exc}"
            ) from None
        try:
            yield
        finally:
            self.lock.release()

    @contextmanager
    def writing(self, *, daily_backup: bool = True) -> Iterator[None]:
        """Hold the lock, catch up with other processes, write, publish."""
        self.check_open()
        if self.read_only_reason:
            raise StoreReadOnly(self.read_only_reason)
        with self.mutex, self.locked():
            try:
                self.sync()
                if self.read_only_reason:  # another process upgraded the format
                    raise StoreReadOnly(self.read_only_reason)
                if daily_backup:
                    self.backups.maybe_daily_backup()
                yield
            finally:
                self.publish()

    def _note_write(self) -> None:
        self._wrote = True

    def publish(self) -> None:
        """Tell other processes that files changed (lock held)."""
        if self._wrote:
            self._wrote = False
            self._bump_generation()

    def read_generation(self) -> int | None:
        if self.gen_path is None:
            return 0
        try:
            with open(self.gen_path, "rb") as handle:
                raw = handle.read(64)
        except FileNotFoundError:
            return 0
        except OSError:
            return None
        try:
            return int(raw)
        except ValueError:
            return None

    def _bump_generation(self) -> None:
        if self.gen_path is None or self.data_dir is None:
            return
        new = (self.read_generation() or 0) + 1
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True)
            with open(self.gen_path, "wb") as handle:
                handle.write(f"{new:020d}\n".encode())
        except OSError as exc:
            log.warning("could not update %s: %s", self.gen_path, exc)
            return
        self.seen_gen = new

    def sync(self) -> None:
        """Catch up with changes other processes made (mutex held)."""
        self.check_open()
        if self.path is None:
            return
        gen = self.read_generation()
        if gen is None or gen != self.seen_gen:
            self.seen_gen = gen
            self.external_change = True
            self.where_complete = False
            self.main_storage.stale = True
            for f in self.files.values():
                f.storage.stale = True
        if self.main_storage.needs_reload():
            if self.main_storage.changed_unnoticed():
                self.external_change = True
            self.load(self.main_storage)
            if self.main_storage.read() is None and not self.read_only_reason:
                with self.locked():  # the file was deleted or emptied meanwhile
                    self.load(self.main_storage)
                    if self.main_storage.read() is None:
                        self.recovery.create_main()
                    self.publish()
            self.recovery.apply_schema()

    def load(self, storage: _AtomicJSONStorage) -> None:
        """(Re)read a file; a damaged file is set aside and recovered."""
        try:
            storage.load()
            return
        except _CorruptFile:
            pass
        with self.locked():
            try:  # another process may have repaired it meanwhile
                storage.load()
            except _CorruptFile as err:
                self.recovery.recover(storage, err)
                self.publish()

    def changed_on_disk(self) -> bool:
        """Tell, without reading anything, whether another process changed the library.

        Cheap enough for a timer: reads the change counter and a few file stats.

        Returns:
            True if :meth:`refresh` would find changes.
        """
        if self.path is None:
            return False
        with self.mutex:
            self.check_open()
            if self.external_change:
                return True
            if self.read_generation() != self.seen_gen:
                return True
            if self.main_storage.changed_unnoticed():
                return True
            return any(f.storage.changed_unnoticed() for f in self.files.values())

    def refresh(self) -> bool:
        """Pick up changes made by other processes (e.g. a second readmark window).

        Call it when the app regains focus or on a timer. Reads also pick up
        changes on their own; this tells the UI whether to redraw.

        Returns:
            True if another process changed something since the last call.
        """
        with self.mutex:
            self.sync()
            for f in self.files.values():
                if f.storage.changed_unnoticed():
                    f.storage.stale = True
                    self.external_change = True
            changed, self.external_change = self.external_change, False
            return changed

    # ------------------------------------------------------------------
    # Annotation files

    def article_file(self, article_id: str) -> _ArticleFile:
        """The up-to-date annotation file of an article (mutex held)."""
        f = self.files.get(article_id)
        if f is None:
            path = None if self.ann_dir is None else self.ann_dir / f"{article_id}.json"
            storage = _AtomicJSONStorage(
                path, _annotation_file_problem, on_write=self._note_write, clock=self.clock,
                empty_is_damage=lambda missing: not missing or (
                    path is not None and previous_generation(path).exists()),
                generations=True,
            )
            storage.read_only = self.read_only_reason
            f = self.files[article_id] = _ArticleFile(article_id, storage)
            if self.path is not None:
                while len(self.files) > _LRU_SIZE:
                    self.files.popitem(last=False)
        else:
            self.files.move_to_end(article_id)
        if f.storage.needs_reload():
            if f.storage.changed_unnoticed():
                self.external_change = True
            self.load(f.storage)
            for annotation_id in f.storage.table(_ANNOTATIONS):
                self.where[annotation_id] = article_id
        elif not f.storage.loaded:
            f.storage.load()
        return f

    def article_ids_on_disk(self) -> list[str]:
        if self.ann_dir is None:
            return [aid for aid, f in self.files.items() if f.storage.read() is not None]
        try:
            names = os.listdir(self.ann_dir)
        except OSError:
            return []
        return [n[:-5] for n in names if n.endswith(".json") and _ID_RE.fullmatch(n[:-5])]

    def locate(self, annotation_id: str) -> _ArticleFile:
        """Find the file holding an annotation (mutex held)."""
        article_id = self.where.get(annotation_id)
        if article_id is not None:
            f = self.article_file(article_id)
            if annotation_id in f.storage.table(_ANNOTATIONS):
                return f
        if not self.where_complete:
            found = None
            for article_id in self.article_ids_on_disk():
                f = self.article_file(article_id)  # indexes the file's ids
                if found is None and annotation_id in f.storage.table(_ANNOTATIONS):
                    found = f
            self.where_complete = True
            if found is not None:
                return found
        raise AnnotationNotFound(f"No annotation with id {annotation_id!r}")

    def record_for(self, article_id: str) -> dict[str, Any] | None:
        doc = self.main_storage.table(_ARTICLES).get(article_id)
        if doc is None:
            return None
        return {k: doc[k] for k in _RECORD_FIELDS if k in doc} | {"id": article_id}

    def put_record(self, f: _ArticleFile, article_id: str) -> None:
        record = self.record_for(article_id)
        if record is not None and f.storage.table(_RECORD).get(article_id) != record:
            _put(f.db.table(_RECORD), article_id, record)

    def write_tables(
        self, f: _ArticleFile, changes: Mapping[str, Mapping[str, Any]], *, detach: bool = False
    ) -> None:
        """Apply document changes to several tables of one file in a single atomic write.

        ``changes`` maps table name -> document id -> new document (None removes
        it). Unchanged tables are shared with the cached copy, never mutated.
        """
        data = dict(f.storage.read() or {})
        for name, docs in changes.items():
            table = dict(data.get(name) or {})
            for key, doc in docs.items():
                if doc is None:
                    table.pop(key, None)
                else:
                    table[key] = doc
            data[name] = table
        f.storage.write(data, detach=detach)
