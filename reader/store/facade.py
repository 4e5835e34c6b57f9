"""Durable storage for articles, reading positions and annotations.

This is the only module of readmark that talks to TinyDB. Everything else sees
plain dicts: every value passed in is deep-copied before it is kept, and every
value handed out is a deep copy, so callers can never alter stored data by
accident (TinyDB itself shares nested lists with its callers).

Layout on disk, for a library file ``<dir>/readmark.json``::

    <dir>/readmark.json                     main TinyDB file: schema, articles,
                                            reading positions, settings
    <dir>/readmark.json.lock                cross-process lock
    <dir>/readmark.d/annotations/<id>.json  one TinyDB file per article with
                                            that article's annotations, their
                                            review cards and review log, and a
                                            copy of its article record
    <dir>/readmark.d/generation             change counter (bumped by every write)
    <dir>/readmark.d/counts.json            cache of annotation counts (derived)
    <dir>/backups/readmark-<time>-<kind>.zip rotating backups (last 10)

Annotations live in one small file per article because every TinyDB change
rewrites the whole file: with 50,000 annotations in one file (32 MB) a durable
change took about 400 ms, against about 2.5 ms with one file per article (and
75 ms against 2.3 ms at 10,000); the target is 20 ms. ``bench/bench_store.py``
measures both layouts. The cost of a change grows with the number of
annotations of *that* article, not with the size of the library.

Review cards (spaced repetition, see :mod:`reader.review.session`) live in the same file
as the annotations they belong to, keyed by the annotation's id, so a card and
its highlight change together under one lock and one atomic write: deleting a
highlight removes its card (kept aside so that undoing the delete brings the
schedule back), editing a highlight keeps it. A rating writes the new card and
its review-log entry in one write, computed from the card as it is on disk at
that moment, so reviews made in two terminals at once both count.

Reliability rules, for every file:

* A write serialises the whole file first, writes it to a temporary file in the
  same folder, flushes and fsyncs it, renames it over the old file with
  ``os.replace`` and fsyncs the folder. A crash leaves either the old or the new
  file, never a mix.
* Every change happens while holding one lock file for the whole library, and
  re-reads any file that another process changed since this one last saw it.
  Other processes' changes are noticed through the change counter and through
  each file's inode, size and modification time.
* Documents are keyed by UUID strings, so two processes never pick the same key.
* A damaged file (invalid UTF-8 or JSON, or the wrong shape) is never
  overwritten or read as empty. It is renamed aside to
  ``<name>.corrupt-<time>``, the newest good copy (from memory or from a
  backup) is put in its place, and :attr:`Store.recovery_message` says what
  happened. A missing or empty file is simply a new, empty library.
* A library written by a newer readmark (higher schema version) opens
  read-only; one written by an older readmark is backed up, then upgraded.
* Backups are zip files of the main file and every annotation file, made
  before the first article or annotation change of each day, before a format
  upgrade and before a bulk change; the newest 10 are kept.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import pickle
import re
import stat
import tempfile
import threading
import uuid
import zipfile
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import filelock
import platformdirs
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

__all__ = [
    "SCHEMA_VERSION",
    "AnnotationNotFound",
    "CardChanged",
    "Store",
    "StoreAccessError",
    "StoreError",
    "StoreLocked",
    "StoreReadOnly",
    "default_db_path",
    "resolve_db_path",
]

log = logging.getLogger(__name__)

#: Version of the on-disk format this code reads and writes.
#: 0 = a single TinyDB file without a ``meta`` table, annotations in an
#: ``annotations`` table; 1 = per-article annotation files (current).
SCHEMA_VERSION = 1

#: Environment variable that overrides the default library location.
ENV_DB = "READMARK_DB"

#: How many backups are kept in the ``backups`` folder.
BACKUPS_KEPT = 10

_ARTICLES = "articles"
_POSITIONS = "positions"
_SETTINGS = "settings"
_META = "meta"
_ANNOTATIONS = "annotations"
_RECORD = "article"  # table in an annotation file holding the article record
_CARDS = "cards"  # annotation id -> review card
_REVIEWS = "reviews"  # review id -> review-log entry
_REMOVED_CARDS = "removed_cards"  # cards of deleted annotations, for undoing the delete
_REMOVED_KEPT = 50  # cards of deleted annotations kept per article file
_LRU_SIZE = 64  # annotation files kept parsed in memory
_TMP_SUFFIX = ".tmp"
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_TMP_RE = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp|\.readmark-probe-.+")
_RECORD_FIELDS = ("id", "fingerprint", "path", "title", "created")

Signature = tuple[int, int, int, int]
Clock = Callable[[], datetime]


# --------------------------------------------------------------------------
# Errors


class StoreError(Exception):
    """A problem with the library the user can act on; ``str()`` is one line."""


class StoreReadOnly(StoreError):
    """The library is open read-only (see :attr:`Store.read_only_reason`)."""


class StoreLocked(StoreError):
    """Another process held the library lock for longer than the timeout."""


class StoreAccessError(StoreError):
    """The library's files or folder cannot be read or written."""


class AnnotationNotFound(StoreError, KeyError):
    """No annotation has the given id."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "annotation not found"


class CardChanged(StoreError):
    """A review cannot be undone: the card changed since (e.g. in another window)."""


class _CorruptFile(Exception):
    """A file exists but does not hold valid data of the expected shape."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


# --------------------------------------------------------------------------
# Paths


def default_db_path() -> Path:
    """Return the default library file in the user's data folder.

    Returns:
        ``<user data dir>/readmark/readmark.json`` (platform dependent).
    """
    return Path(platformdirs.user_data_dir("readmark", appauthor=False)) / "readmark.json"


def resolve_db_path(cli_value: str | None) -> Path:
    """Pick the library file: command-line value, else ``$READMARK_DB``, else the default.

    Args:
        cli_value: The ``--db`` value given on the command line, if any.

    Returns:
        The path to use; ``~`` is expanded.
    """
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get(ENV_DB, "").strip()
    if env:
        return Path(env).expanduser()
    return default_db_path()


# --------------------------------------------------------------------------
# Low-level file helpers


def _signature(path: Path) -> Signature | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _dumps(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode(
        "utf-8"
    )


def _check_json(value: Any, what: str) -> None:
    """Raise ValueError if ``value`` cannot be stored as JSON."""
    try:
        _dumps(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{what} cannot be saved as JSON: {exc}") from None


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open folders
        return
    try:
        os.fsync(fd)
    except OSError as exc:  # some filesystems refuse fsync on folders
        log.debug("fsync of folder %s failed: %s", directory, exc)
    finally:
        os.close(fd)


def _atomic_write(path: Path, payload: bytes, *, durable: bool = True) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new bytes.

    Args:
        path: The file to replace.
        payload: The complete new contents.
        durable: Flush to the disk (fsync file and folder) before returning.
    """
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=_TMP_SUFFIX, dir=path.parent)
    try:
        try:
            view = memoryview(payload)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            if durable:
                os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if durable:
        _fsync_dir(path.parent)


def _read_json_file(
    path: Path, problem: Callable[[Any], str | None]
) -> tuple[Any, Signature | None]:
    """Read and check a JSON file.

    Returns:
        ``(data, signature)``; ``data`` is None for a missing or empty file.

    Raises:
        _CorruptFile: The bytes are not valid JSON of the expected shape.
        StoreAccessError: The file cannot be read.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # never open a folder or a pipe
            raise StoreAccessError(f"{path} is not a regular file")
        with open(path, "rb") as handle:
            st = os.fstat(handle.fileno())
            raw = handle.read()
    except FileNotFoundError:
        return None, None
    except OSError as exc:
        raise StoreAccessError(f"Cannot read {path}: {exc.strerror or exc}") from None
    sig = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if not raw.strip():
        return None, sig
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise _CorruptFile(path, f"not UTF-8 text at byte {exc.start}") from None
    except json.JSONDecodeError as exc:
        raise _CorruptFile(
            path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise _CorruptFile(path, "JSON nested too deeply") from None
    reason = problem(data)
    if reason:
        raise _CorruptFile(path, reason)
    return data, sig


def _tinydb_shape_problem(data: Any) -> str | None:
    if not isinstance(data, dict):
        return f"expected a JSON object at the top, found {type(data).__name__}"
    for name, table in data.items():
        if not isinstance(table, dict):
            return f"table {name!r} is a {type(table).__name__}, not an object"
        for doc_id, doc in table.items():
            if not isinstance(doc, dict):
                return f"entry {doc_id!r} in table {name!r} is not an object"
    return None


def _newer_version(data: Any) -> bool:
    """True for a main file written by a newer readmark (its shape may differ)."""
    try:
        version = data[_META]["schema"]["version"]
    except (TypeError, KeyError, IndexError):
        return False
    return isinstance(version, int) and not isinstance(version, bool) and version > SCHEMA_VERSION


def _main_problem(data: Any) -> str | None:
    if _newer_version(data):
        return None  # opened read-only; not ours to judge
    reason = _tinydb_shape_problem(data)
    if reason:
        return reason
    schema = data.get(_META, {}).get("schema")
    if schema is not None:
        version = schema.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 0:
            return f"schema version {version!r} is not a whole number"
    return None


def _article_problem(data: Any) -> str | None:
    return _tinydb_shape_problem(data)


def _schema_version(data: Mapping[str, Any]) -> int:
    schema = data.get(_META, {}).get("schema")
    return 0 if schema is None else int(schema["version"])


def _has_note(annotation: Mapping[str, Any]) -> bool:
    note = annotation.get("note")
    return isinstance(note, str) and bool(note.strip())


def _count(data: Mapping[str, Any] | None) -> tuple[int, int]:
    table = (data or {}).get(_ANNOTATIONS, {})
    return len(table), sum(1 for doc in table.values() if _has_note(doc))


def _json_copy(value: Any) -> Any:
    """A deep copy of JSON data, about 2.5 times faster than ``copy.deepcopy``
    (it matters when handing out every annotation of a large library)."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ValueError(f"{what} must be a string of letters, digits, '-' or '_', got {value!r}")
    return value


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --------------------------------------------------------------------------
# TinyDB pieces


class _UUIDTable(Table):
    """A TinyDB table whose document ids are UUID strings, never integers."""

    document_id_class = str

    def _get_next_id(self) -> str:  # type: ignore[override]
        return str(uuid.uuid4())


class _TinyDB(TinyDB):
    table_class = _UUIDTable


def _new_tinydb(storage: Storage) -> TinyDB:
    return _TinyDB(storage=lambda: storage)


class _AtomicJSONStorage(Storage):
    """TinyDB storage: one JSON file, replaced atomically and durably on write.

    The parsed contents are kept in memory between operations; :meth:`needs_reload`
    tells whether the file changed on disk since. A ``path`` of None keeps
    everything in memory only (for tests and UI previews).
    """

    def __init__(
        self,
        path: Path | None,
        problem: Callable[[Any], str | None],
        *,
        on_write: Callable[[], None] | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__()
        self.path = path
        self.read_only: str | None = None
        self.stale = False  # set when another process is known to have written
        self._problem = problem
        self._on_write = on_write
        self._clock = clock or _utc_now
        self._data: dict[str, Any] | None = None
        self._sig: Signature | None = None
        self._loaded = False
        self._loaded_at: datetime | None = None

    # -- TinyDB interface
    def read(self) -> dict[str, Any] | None:
        if not self._loaded:
            self.load()
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        # TinyDB may already have changed the cached documents in place: if the
        # write does not happen, forget the cache so the next read uses the disk.
        if self.read_only:
            self.invalidate()
            raise StoreReadOnly(self.read_only)
        if self.path is None:
            self._data, self._loaded = data, True
            return
        try:
            payload = _dumps(data)
        except (TypeError, ValueError) as exc:
            self.invalidate()
            raise ValueError(f"cannot be saved as JSON: {exc}") from None
        try:
            try:
                _atomic_write(self.path, payload)
            except FileNotFoundError:
                if self.path.parent.exists():
                    raise
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(self.path, payload)
        except OSError as exc:
            self.invalidate()
            reason = exc.strerror or str(exc)
            raise StoreAccessError(f"Could not save {self.path}: {reason}") from None
        except BaseException:  # e.g. KeyboardInterrupt half-way
            self.invalidate()
            raise
        finally:
            if self._on_write:
                self._on_write()
        self._data, self._sig, self._loaded, self.stale = data, _signature(self.path), True, False
        self._loaded_at = self._clock()

    # -- helpers for the Store
    @property
    def loaded(self) -> bool:
        return self._loaded

    @property
    def signature(self) -> Signature | None:
        return self._sig

    def load(self) -> None:
        """(Re)read the file; raises _CorruptFile and leaves the old copy if damaged."""
        if self.path is None:
            self._loaded = True
            return
        data, sig = _read_json_file(self.path, self._problem)
        self._data, self._sig, self._loaded, self.stale = data, sig, True, False
        self._loaded_at = self._clock()

    def needs_reload(self) -> bool:
        if self.path is None:
            return False
        return not self._loaded or self.stale or _signature(self.path) != self._sig

    def changed_unnoticed(self) -> bool:
        """True if the loaded file changed on disk and nobody flagged it stale yet."""
        return (
            self.path is not None
            and self._loaded
            and not self.stale
            and _signature(self.path) != self._sig
        )

    def last_good(self) -> tuple[dict[str, Any], datetime] | None:
        """The last contents read or written successfully, with the time."""
        if self._loaded and self._data is not None and self._loaded_at is not None:
            return self._data, self._loaded_at
        return None

    def set_empty(self) -> None:
        """Treat the file as empty in memory, without touching the disk."""
        self._data, self._sig, self._loaded, self.stale = (
            None,
            _signature_or_none(self),
            True,
            False,
        )

    def invalidate(self) -> None:
        self._data, self._sig, self._loaded = None, None, False

    def table(self, name: str) -> dict[str, Any]:
        """The raw documents of one table (do not mutate)."""
        table = (self.read() or {}).get(name, {})
        return table if isinstance(table, dict) else {}  # a newer format may differ


def _signature_or_none(storage: _AtomicJSONStorage) -> Signature | None:
    return None if storage.path is None else _signature(storage.path)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


class _ArticleFile:
    """One article's annotation file, opened through TinyDB."""

    def __init__(self, article_id: str, storage: _AtomicJSONStorage) -> None:
        self.article_id = article_id
        self.storage = storage
        self.db = _new_tinydb(storage)

    @property
    def annotations(self) -> Table:
        return self.db.table(_ANNOTATIONS)


# --------------------------------------------------------------------------
# The store


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
        self._open()

    @classmethod
    def in_memory(cls, *, clock: Clock | None = None) -> Store:
        """Return a store that keeps everything in memory and touches no file.

        Args:
            clock: Returns the current time (timezone-aware); for tests.
        """
        store = cls.__new__(cls)
        store._setup(None, 0.0, clock)
        store._main_storage.write({_META: {"schema": _schema_doc()}})
        return store

    def _setup(self, path: Path | None, lock_timeout: float, clock: Clock | None) -> None:
        self.path = path
        self.read_only_reason: str | None = None
        self.backup_error: str | None = None
        self._clock: Clock = clock or _utc_now
        self._lock_timeout = lock_timeout
        self._mutex = threading.RLock()
        self._messages: list[str] = []
        self._files: OrderedDict[str, _ArticleFile] = OrderedDict()
        self._where: dict[str, str] = {}  # annotation id -> article id (may be stale)
        self._where_complete = False  # every annotation file was indexed since the last
        # change by another process, so an id missing from _where does not exist
        self._counts: dict[str, tuple[Signature, int, int]] | None = None
        self._external_change = False
        self._wrote = False
        self._seen_gen: int | None = None
        self._daily_done: date | None = None
        self._closed = False
        if path is None:
            self._lock = None
            self._data_dir = self._ann_dir = self._backup_dir = self._gen_path = None
            self._counts_path = None
        else:
            data_dir = path.with_name(path.stem + ".d")
            if data_dir == path:
                data_dir = path.with_name(path.name + ".d")
            self._data_dir = data_dir
            self._ann_dir = data_dir / "annotations"
            self._gen_path = data_dir / "generation"
            self._counts_path = data_dir / "counts.json"
            self._backup_dir = path.parent / "backups"
            self._lock = filelock.FileLock(str(path) + ".lock", timeout=lock_timeout)
        self._main_storage = _AtomicJSONStorage(
            path, _main_problem, on_write=self._note_write, clock=self._clock
        )
        self._main = _new_tinydb(self._main_storage)

    def __repr__(self) -> str:
        where = "memory" if self.path is None else str(self.path)
        return f"<Store {where}{' read-only' if self.read_only_reason else ''}>"

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def recovery_message(self) -> str | None:
        """What was repaired since the store was opened, in plain words, or None.

        Names every damaged file, where its original bytes were kept and what
        was restored from where.
        """
        return "\n".join(self._messages) if self._messages else None

    def close(self) -> None:
        """Forget cached data; further calls raise :class:`StoreError`."""
        with self._mutex:
            self._closed = True
            self._files.clear()
            self._where.clear()
            self._main.close()

    # ------------------------------------------------------------------
    # Opening

    def _open(self) -> None:
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
        self._check_writable(path.parent)
        with self._mutex, self._locked():
            self._remove_stale_temp_files()
            self._seen_gen = self._read_generation()
            try:
                self._main_storage.load()
            except _CorruptFile as err:
                self._recover(self._main_storage, err)
            if self._main_storage.read() is None:
                self._create_main()
            self._apply_schema()
            self._publish()

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

    def _remove_stale_temp_files(self) -> None:
        """Delete temporary files left by a writer that was killed (lock held)."""
        assert self.path is not None
        folders = [self.path.parent, self._data_dir, self._ann_dir, self._backup_dir]
        for folder in folders:
            try:
                names = os.listdir(folder)
            except OSError:
                continue
            for name in names:
                if not _TMP_RE.fullmatch(name):
                    continue
                if folder == self.path.parent and not (
                    name.startswith(f".{self.path.name}.") or name.startswith(".readmark-probe-")
                ):
                    continue  # the library's folder may hold other people's files
                if folder == self._backup_dir and not name.startswith(f".{self.path.stem}-"):
                    continue
                with contextlib.suppress(OSError):
                    os.unlink(folder / name)  # type: ignore[operator]

    def _create_main(self) -> None:
        """Start a new library file (missing or empty), keeping any annotation files."""
        articles: dict[str, Any] = {}
        relinked = self._relink(articles)
        self._main_storage.write({_META: {"schema": _schema_doc()}, _ARTICLES: articles})
        if relinked:
            self._note(
                f"The library file {self.path} was missing or empty; rebuilt its article list "
                f"from {_plural(relinked, 'annotation file')} in {self._ann_dir}. "
                "Reading positions and settings start afresh."
            )

    def _apply_schema(self) -> None:
        data = self._main_storage.read() or {}
        version = _schema_version(data)
        if version > SCHEMA_VERSION:
            self._set_read_only(
                f"{self.path} was saved by a newer readmark (library format {version}; this "
                f"version knows format {SCHEMA_VERSION}), so it is open read-only to keep it "
                "intact; update readmark to make changes."
            )
        elif version < SCHEMA_VERSION and not self.read_only_reason:
            with self._locked():
                self._migrate(version)
                self._publish()

    def _set_read_only(self, reason: str) -> None:
        self.read_only_reason = reason
        self._main_storage.read_only = reason
        for f in self._files.values():
            f.storage.read_only = reason

    # ------------------------------------------------------------------
    # Locking and change tracking

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("The library has been closed")

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        try:
            self._lock.acquire(timeout=self._lock_timeout if timeout is None else timeout)
        except filelock.Timeout:
            raise StoreLocked(
                f"Another readmark process has kept the library locked for over "
                f"{self._lock_timeout:g} s ({self._lock.lock_file}); close other readmark "
                "windows or wait, then try again."
            ) from None
        except OSError as exc:
            raise StoreAccessError(
                f"Cannot lock the library ({self._lock.lock_file}): {exc.strerror or exc}"
            ) from None
        try:
            yield
        finally:
            self._lock.release()

    @contextmanager
    def _writing(self, *, daily_backup: bool = True) -> Iterator[None]:
        """Hold the lock, catch up with other processes, write, publish."""
        self._check_open()
        if self.read_only_reason:
            raise StoreReadOnly(self.read_only_reason)
        with self._mutex, self._locked():
            try:
                self._sync()
                if self.read_only_reason:  # another process upgraded the format
                    raise StoreReadOnly(self.read_only_reason)
                if daily_backup:
                    self._maybe_daily_backup()
                yield
            finally:
                self._publish()

    def _note_write(self) -> None:
        self._wrote = True

    def _publish(self) -> None:
        """Tell other processes that files changed (lock held)."""
        if self._wrote:
            self._wrote = False
            self._bump_generation()

    def _read_generation(self) -> int | None:
        if self._gen_path is None:
            return 0
        try:
            with open(self._gen_path, "rb") as handle:
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
        if self._gen_path is None or self._data_dir is None:
            return
        new = (self._read_generation() or 0) + 1
        try:
            self._data_dir.mkdir(parents=True, exist_ok=True)
            with open(self._gen_path, "wb") as handle:
                handle.write(f"{new:020d}\n".encode())
        except OSError as exc:
            log.warning("could not update %s: %s", self._gen_path, exc)
            return
        self._seen_gen = new

    def _sync(self) -> None:
        """Catch up with changes other processes made (mutex held)."""
        self._check_open()
        if self.path is None:
            return
        gen = self._read_generation()
        if gen is None or gen != self._seen_gen:
            self._seen_gen = gen
            self._external_change = True
            self._where_complete = False
            self._main_storage.stale = True
            for f in self._files.values():
                f.storage.stale = True
        if self._main_storage.needs_reload():
            if self._main_storage.changed_unnoticed():
                self._external_change = True
            self._load(self._main_storage)
            if self._main_storage.read() is None and not self.read_only_reason:
                with self._locked():  # the file was deleted or emptied meanwhile
                    self._load(self._main_storage)
                    if self._main_storage.read() is None:
                        self._create_main()
                    self._publish()
            self._apply_schema()

    def _load(self, storage: _AtomicJSONStorage) -> None:
        """(Re)read a file; a damaged file is set aside and recovered."""
        try:
            storage.load()
            return
        except _CorruptFile:
            pass
        with self._locked():
            try:  # another process may have repaired it meanwhile
                storage.load()
            except _CorruptFile as err:
                self._recover(storage, err)
                self._publish()

    def changed_on_disk(self) -> bool:
        """Tell, without reading anything, whether another process changed the library.

        Cheap enough for a timer: reads the change counter and a few file stats.

        Returns:
            True if :meth:`refresh` would find changes.
        """
        if self.path is None:
            return False
        with self._mutex:
            self._check_open()
            if self._external_change:
                return True
            if self._read_generation() != self._seen_gen:
                return True
            if self._main_storage.changed_unnoticed():
                return True
            return any(f.storage.changed_unnoticed() for f in self._files.values())

    def refresh(self) -> bool:
        """Pick up changes made by other processes (e.g. a second readmark window).

        Call it when the app regains focus or on a timer. Reads also pick up
        changes on their own; this tells the UI whether to redraw.

        Returns:
            True if another process changed something since the last call.
        """
        with self._mutex:
            self._sync()
            for f in self._files.values():
                if f.storage.changed_unnoticed():
                    f.storage.stale = True
                    self._external_change = True
            changed, self._external_change = self._external_change, False
            return changed

    # ------------------------------------------------------------------
    # Annotation files

    def _article_file(self, article_id: str) -> _ArticleFile:
        """The up-to-date annotation file of an article (mutex held)."""
        f = self._files.get(article_id)
        if f is None:
            path = None if self._ann_dir is None else self._ann_dir / f"{article_id}.json"
            storage = _AtomicJSONStorage(
                path, _article_problem, on_write=self._note_write, clock=self._clock
            )
            storage.read_only = self.read_only_reason
            f = self._files[article_id] = _ArticleFile(article_id, storage)
            if self.path is not None:
                while len(self._files) > _LRU_SIZE:
                    self._files.popitem(last=False)
        else:
            self._files.move_to_end(article_id)
        if f.storage.needs_reload():
            if f.storage.changed_unnoticed():
                self._external_change = True
            self._load(f.storage)
            for annotation_id in f.storage.table(_ANNOTATIONS):
                self._where[annotation_id] = article_id
        elif not f.storage.loaded:
            f.storage.load()
        return f

    def _article_ids_on_disk(self) -> list[str]:
        if self._ann_dir is None:
            return [aid for aid, f in self._files.items() if f.storage.read() is not None]
        try:
            names = os.listdir(self._ann_dir)
        except OSError:
            return []
        return [n[:-5] for n in names if n.endswith(".json") and _ID_RE.fullmatch(n[:-5])]

    def _locate(self, annotation_id: str) -> _ArticleFile:
        """Find the file holding an annotation (mutex held)."""
        article_id = self._where.get(annotation_id)
        if article_id is not None:
            f = self._article_file(article_id)
            if annotation_id in f.storage.table(_ANNOTATIONS):
                return f
        if not self._where_complete:
            found = None
            for article_id in self._article_ids_on_disk():
                f = self._article_file(article_id)  # indexes the file's ids
                if found is None and annotation_id in f.storage.table(_ANNOTATIONS):
                    found = f
            self._where_complete = True
            if found is not None:
                return found
        raise AnnotationNotFound(f"No annotation with id {annotation_id!r}")

    def _record_for(self, article_id: str) -> dict[str, Any] | None:
        doc = self._main_storage.table(_ARTICLES).get(article_id)
        if doc is None:
            return None
        return {k: doc[k] for k in _RECORD_FIELDS if k in doc} | {"id": article_id}

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
        with self._mutex:
            self._sync()
            found = self._find_article(fingerprint, path)
            return None if found is None else copy.deepcopy(found)

    def _find_article(self, fingerprint: str | None, path: str | None) -> dict[str, Any] | None:
        articles = self._main_storage.table(_ARTICLES)
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

    def upsert_article(self, *, fingerprint: str, path: str, title: str) -> dict[str, Any]:
        """Record that an article was opened, creating or re-linking its entry.

        An article with the same fingerprint keeps its id even if the file
        moved (its path is updated); failing that, an article at the same path
        keeps its id even if the file was edited (its fingerprint is updated).
        ``last_opened`` is set to now.

        Args:
            fingerprint: Hash of the article's content (non-empty).
            path: The file it was read from.
            title: Its title.

        Returns:
            The stored article, with ``id``.
        """
        for name, value in (("fingerprint", fingerprint), ("path", path), ("title", title)):
            if not isinstance(value, str):
                raise ValueError(f"{name} must be a string")
        if not fingerprint:
            raise ValueError("fingerprint must not be empty")
        with self._writing():
            now = self._now()
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
            else:
                article = found | {
                    "fingerprint": fingerprint,
                    "path": path,
                    "title": title,
                    "last_opened": now,
                }
            aid = article["id"]
            _put(self._main.table(_ARTICLES), aid, article)
            if found is not None and any(found.get(k) != article.get(k) for k in _RECORD_FIELDS):
                f = self._article_file(aid)
                if f.storage.read() is not None:
                    self._put_record(f, aid)
            return copy.deepcopy(article)

    def _put_record(self, f: _ArticleFile, article_id: str) -> None:
        record = self._record_for(article_id)
        if record is not None and f.storage.table(_RECORD).get(article_id) != record:
            _put(f.db.table(_RECORD), article_id, record)

    def articles(self) -> list[dict[str, Any]]:
        """All articles, most recently opened first."""
        with self._mutex:
            self._sync()
            found = [doc | {"id": aid} for aid, doc in self._main_storage.table(_ARTICLES).items()]
        found.sort(key=lambda d: str(d.get("last_opened") or ""), reverse=True)
        return copy.deepcopy(found)

    # ------------------------------------------------------------------
    # Reading positions and settings

    def get_position(self, article_id: str) -> dict[str, Any] | None:
        """The saved reading position of an article, or None."""
        with self._mutex:
            self._sync()
            found = self._main_storage.table(_POSITIONS).get(article_id)
            return None if found is None else copy.deepcopy(found)

    def set_position(self, article_id: str, position: Mapping[str, Any]) -> None:
        """Save an article's reading position (an opaque JSON-able dict).

        Nothing is written if the position did not change.
        """
        _check_id(article_id, "article_id")
        position = copy.deepcopy(dict(position))
        _check_json(position, "the reading position")
        with self._writing(daily_backup=False):
            if self._main_storage.table(_POSITIONS).get(article_id) != position:
                _put(self._main.table(_POSITIONS), article_id, position)

    def get_setting(self, key: str, default: Any = None) -> Any:
        """A saved setting (any JSON value), or ``default``."""
        with self._mutex:
            self._sync()
            doc = self._main_storage.table(_SETTINGS).get(key)
            return default if doc is None else copy.deepcopy(doc.get("value"))

    def set_setting(self, key: str, value: Any) -> None:
        """Save a setting (any JSON value); nothing is written if it did not change."""
        if not isinstance(key, str) or not key:
            raise ValueError("setting key must be a non-empty string")
        value = copy.deepcopy(value)
        _check_json(value, f"setting {key!r}")
        with self._writing(daily_backup=False):
            if self._main_storage.table(_SETTINGS).get(key) != {"value": value}:
                _put(self._main.table(_SETTINGS), key, {"value": value})

    # ------------------------------------------------------------------
    # Annotations

    def annotations(self, article_id: str) -> list[dict[str, Any]]:
        """All annotations of an article, in the order they were added."""
        _check_id(article_id, "article_id")
        with self._mutex:
            self._sync()
            f = self._article_file(article_id)
            return copy.deepcopy(list(f.storage.table(_ANNOTATIONS).values()))

    def get_annotation(self, annotation_id: str) -> dict[str, Any] | None:
        """One annotation by id, or None."""
        with self._mutex:
            self._sync()
            try:
                f = self._locate(annotation_id)
            except AnnotationNotFound:
                return None
            return copy.deepcopy(f.storage.table(_ANNOTATIONS)[annotation_id])

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
        now = self._now()
        ann.setdefault("created", now)
        ann.setdefault("modified", now)
        _check_json(ann, "the annotation")
        with self._writing():
            f = self._article_file(article_id)
            other = self._where.get(annotation_id)
            if annotation_id in f.storage.table(_ANNOTATIONS) or (
                other is not None
                and other != article_id
                and annotation_id in self._article_file(other).storage.table(_ANNOTATIONS)
            ):
                raise ValueError(f"an annotation with id {annotation_id!r} already exists")
            if not f.storage.table(_RECORD):
                self._put_record(f, article_id)
            removed = f.storage.table(_REMOVED_CARDS).get(annotation_id)
            if removed is None:
                f.annotations.insert(Document(ann, doc_id=annotation_id))  # type: ignore[arg-type]
            else:  # undoing a delete: the review card comes back with it, in the same write
                self._write_tables(f, {
                    _ANNOTATIONS: {annotation_id: ann},
                    _CARDS: {annotation_id: copy.deepcopy(removed)},
                    _REMOVED_CARDS: {annotation_id: None},
                })
            self._where[annotation_id] = article_id
            return copy.deepcopy(ann)

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
        with self._writing():
            f = self._locate(annotation_id)
            old = f.storage.table(_ANNOTATIONS)[annotation_id]
            for key in ("id", "article_id"):
                if key in changes and changes[key] != old.get(key):
                    raise ValueError(f"an annotation's {key} cannot be changed")
            new = copy.deepcopy(old)
            new.update(changes)
            new["modified"] = self._now()
            _check_json(new, "the annotation")
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
        with self._writing(daily_backup=False):
            f = self._article_file(article_id)
            table = f.storage.table(_ANNOTATIONS)
            missing = [k for k in changes if k not in table]
            if missing:
                raise AnnotationNotFound(f"No annotation with id {missing[0]!r} in {article_id}")
            now = self._now()
            updated = {}
            for annotation_id, fields in changes.items():
                old = table[annotation_id]
                for key in ("id", "article_id"):
                    if key in fields and fields[key] != old.get(key):
                        raise ValueError(f"an annotation's {key} cannot be changed")
                updated[annotation_id] = old | fields | {"modified": now}
            _check_json(updated, "the annotations")
            if updated:
                self._make_backup("bulk")

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
        with self._writing():
            f = self._locate(annotation_id)
            old = copy.deepcopy(f.storage.table(_ANNOTATIONS)[annotation_id])
            card = f.storage.table(_CARDS).get(annotation_id)
            if card is None:
                f.annotations.remove(doc_ids=[annotation_id])  # type: ignore[list-item]
            else:
                removed = f.storage.table(_REMOVED_CARDS)
                dropped = [key for key in removed if key != annotation_id]
                dropped = dropped[: max(0, len(dropped) + 1 - _REMOVED_KEPT)]
                self._write_tables(f, {
                    _ANNOTATIONS: {annotation_id: None},
                    _CARDS: {annotation_id: None},
                    _REMOVED_CARDS: {annotation_id: card} | dict.fromkeys(dropped),
                })
            self._where.pop(annotation_id, None)
            return old

    def annotation_counts(self) -> dict[str, tuple[int, int]]:
        """Per article: (number of annotations, number of them with a note).

        Every known article is listed (``(0, 0)`` if it has none). Cheap:
        counts are cached per file and only recounted when a file changed.
        """
        with self._mutex:
            self._sync()
            result = dict.fromkeys(self._main_storage.table(_ARTICLES), (0, 0))
            if self._ann_dir is None:
                for aid, f in self._files.items():
                    if f.storage.read() is not None:
                        result[aid] = _count(f.storage.read())
                return result
            cache = self._load_counts_cache()
            changed = False
            present = set()
            try:
                entries = list(os.scandir(self._ann_dir))
            except OSError:
                entries = []
            for entry in entries:
                aid = entry.name[:-5]
                if not entry.name.endswith(".json") or not _ID_RE.fullmatch(aid):
                    continue
                present.add(aid)
                try:
                    st = entry.stat()
                except OSError:
                    continue
                sig = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
                hit = cache.get(aid)
                if hit is not None and hit[0] == sig:
                    result[aid] = (hit[1], hit[2])
                    continue
                f = self._article_file(aid)
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

    # ------------------------------------------------------------------
    # Review cards
    #
    # A card is a JSON dict the caller shapes (reader.review.session keeps the FSRS card
    # in it); the store fills in ``annotation_id`` and ``article_id`` and reads two
    # fields itself: ``suspended`` (bool) and ``review_id`` (the review that last
    # changed it, which is how an undo knows the card was not changed since).

    def card(self, annotation_id: str) -> dict[str, Any] | None:
        """The review card of an annotation, or None (never reviewed, or no such annotation)."""
        with self._mutex:
            self._sync()
            try:
                f = self._locate(annotation_id)
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
        with self._mutex:
            self._sync()
            ids = [article_id] if article_id is not None else self._article_ids_on_disk()
            annotations: list[dict[str, Any]] = []
            cards: dict[str, dict[str, Any]] = {}
            for aid in ids:
                data = self._private_copy(aid)
                table = data.get(_ANNOTATIONS) or {}
                annotations.extend(table.values())
                for key, card in (data.get(_CARDS) or {}).items():
                    if key in table:
                        cards[key] = card
                for key in table:
                    self._where[key] = aid
            return annotations, cards

    def _private_copy(self, article_id: str) -> dict[str, Any]:
        """An article file's data that no one else holds (mutex held).

        A file not in the cache is parsed for the caller alone, which spares the
        copy (a third of the time of a whole-library read); a cached one is copied.
        """
        f = self._files.get(article_id)
        if self._ann_dir is not None and (f is None or f.storage.needs_reload()):
            try:
                data, _ = _read_json_file(self._ann_dir / f"{article_id}.json", _article_problem)
                return data or {}
            except _CorruptFile:
                pass  # read through the cache below, which repairs it
        f = self._article_file(article_id)
        return _json_copy(f.storage.read() or {})

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
        with self._writing(daily_backup=False):
            f = self._locate(annotation_id)
            current = f.storage.table(_CARDS).get(annotation_id)
            new = update(copy.deepcopy(current))
            if new is not None:
                new = self._card_doc(f, annotation_id, new)
            if new != current:
                self._write_tables(f, {_CARDS: {annotation_id: new}})
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
        with self._writing(daily_backup=False):
            f = self._locate(annotation_id)
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
            self._write_tables(f, {_CARDS: {annotation_id: card}, _REVIEWS: {review_id: entry}})
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
        with self._writing(daily_backup=False):
            f = self._locate(annotation_id)
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
            self._write_tables(f, {_CARDS: {annotation_id: restored}, _REVIEWS: {review_id: None}})

    def reviews(self, article_id: str | None = None) -> list[dict[str, Any]]:
        """Review-log entries of one article or of all, in the order they were made."""
        if article_id is not None:
            _check_id(article_id, "article_id")
        with self._mutex:
            self._sync()
            ids = [article_id] if article_id is not None else self._article_ids_on_disk()
            found: list[dict[str, Any]] = []
            for aid in ids:
                found.extend(self._article_file(aid).storage.table(_REVIEWS).values())
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
        with self._writing(daily_backup=False):
            ids = [article_id] if article_id is not None else self._article_ids_on_disk()
            count = 0
            for aid in ids:
                f = self._article_file(aid)
                changes = {
                    key: card | {"suspended": False}
                    for key, card in f.storage.table(_CARDS).items()
                    if card.get("suspended")
                }
                if changes:
                    self._write_tables(f, {_CARDS: changes})
                    count += len(changes)
            return count

    def _card_doc(self, f: _ArticleFile, annotation_id: str, card: Mapping[str, Any]) -> dict:
        doc = copy.deepcopy(dict(card)) | {"annotation_id": annotation_id,
                                           "article_id": f.article_id}
        _check_json(doc, "the review card")
        return doc

    def _write_tables(self, f: _ArticleFile, changes: Mapping[str, Mapping[str, Any]]) -> None:
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
        f.storage.write(data)

    def _load_counts_cache(self) -> dict[str, tuple[Signature, int, int]]:
        if self._counts is None:
            self._counts = {}
            assert self._counts_path is not None
            try:
                raw = json.loads(self._counts_path.read_bytes())
                for aid, row in raw["files"].items():
                    dev, ino, size, mtime, total, notes = (int(x) for x in row)
                    self._counts[aid] = ((dev, ino, size, mtime), total, notes)
            except (OSError, ValueError, KeyError, TypeError, AttributeError):
                self._counts = {}  # a derived cache: rebuilt when unreadable
        return self._counts

    def _save_counts_cache(self, cache: dict[str, tuple[Signature, int, int]]) -> None:
        if self.read_only_reason or self._counts_path is None:
            return
        payload = _dumps(
            {"format": 1, "files": {aid: [*sig, n, m] for aid, (sig, n, m) in cache.items()}}
        )
        try:
            with self._locked(timeout=0):
                self._counts_path.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(self._counts_path, payload, durable=False)
        except (StoreError, OSError) as exc:  # only a cache
            log.debug("counts cache not saved: %s", exc)

    # ------------------------------------------------------------------
    # Backups

    def backup(self, kind: str = "manual") -> Path | None:
        """Make a backup now (e.g. before a bulk change).

        Args:
            kind: A short word put in the file name (letters, digits, '-').

        Returns:
            The backup file, or None for an in-memory store.
        """
        if not re.fullmatch(r"[a-z0-9-]{1,40}", kind):
            raise ValueError("backup kind must be lowercase letters, digits or '-'")
        self._check_open()
        with self._mutex, self._locked():
            return self._make_backup(kind)

    def backups(self) -> list[Path]:
        """Existing backups of this library, oldest first."""
        return [p for _, p in self._backup_files()]

    def _backup_pattern(self) -> re.Pattern[str]:
        assert self.path is not None
        return re.compile(re.escape(self.path.stem) + r"-(\d{8}T\d{6}\.\d{6}Z)-([a-z0-9-]+)\.zip")

    def _backup_files(self) -> list[tuple[datetime, Path]]:
        if self._backup_dir is None:
            return []
        pattern = self._backup_pattern()
        try:
            names = os.listdir(self._backup_dir)
        except OSError:
            return []
        found = []
        for name in names:
            m = pattern.fullmatch(name)
            if m:
                when = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S.%fZ").replace(
                    tzinfo=timezone.utc
                )
                found.append((when, self._backup_dir / name))
        found.sort()
        return found

    def _make_backup(self, kind: str) -> Path | None:
        """Zip the library's files into ``backups/`` (lock held); keep the last 10."""
        if self.path is None or self._backup_dir is None or self._ann_dir is None:
            return None
        try:
            self._backup_dir.mkdir(exist_ok=True)
            stamp = self._clock().astimezone(timezone.utc)
            while True:
                name = f"{self.path.stem}-{stamp:%Y%m%dT%H%M%S.%fZ}-{kind}.zip"
                target = self._backup_dir / name
                if not target.exists():
                    break
                stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
            fd, tmp_name = tempfile.mkstemp(
                prefix=f".{name}.", suffix=_TMP_SUFFIX, dir=self._backup_dir
            )
            try:
                with os.fdopen(fd, "wb") as handle:
                    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                        manifest = {"app": "readmark", "kind": kind, "created": stamp.isoformat()}
                        z.writestr("manifest.json", json.dumps(manifest))
                        if self.path.exists():
                            z.write(self.path, arcname=self.path.name)
                        for aid in sorted(self._article_ids_on_disk()):
                            z.write(
                                self._ann_dir / f"{aid}.json", arcname=f"annotations/{aid}.json"
                            )
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp_name, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
                raise
            _fsync_dir(self._backup_dir)
        except OSError as exc:
            raise StoreAccessError(
                f"Could not write a backup in {self._backup_dir}: {exc.strerror or exc}"
            ) from None
        log.info("backup written: %s", target)
        self._rotate_backups()
        return target

    def _rotate_backups(self) -> None:
        for _, old in self._backup_files()[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    def _maybe_daily_backup(self) -> None:
        if self.path is None:
            return
        today = self._clock().astimezone().date()
        if self._daily_done == today:
            return
        if (
            not any(
                p.name.endswith("-daily.zip") and when.astimezone().date() == today
                for when, p in self._backup_files()
            )
            and self.path.exists()
        ):
            try:
                self._make_backup("daily")
                self.backup_error = None
            except StoreError as exc:
                self.backup_error = str(exc)
                log.warning("%s", exc)
        self._daily_done = today

    def _good_backup(
        self, member: str, problem: Callable[[Any], str | None]
    ) -> tuple[dict[str, Any], Path, datetime] | None:
        """The newest backup holding a good copy of ``member``."""
        for when, path in reversed(self._backup_files()):
            try:
                with zipfile.ZipFile(path) as z:
                    raw = z.read(member)
                data = json.loads(raw.decode("utf-8"))
            except Exception:  # missing member, damaged zip or JSON: try an older one
                continue
            if isinstance(data, dict) and not problem(data):
                return data, path, when
        return None

    # ------------------------------------------------------------------
    # Recovery

    def _set_aside(self, path: Path) -> Path:
        """Rename a damaged file to ``<name>.corrupt-<time>`` without clobbering anything."""
        stamp = self._clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        base = f"{path.name}.corrupt-{stamp}"
        n = 1
        while True:
            candidate = path.with_name(base if n == 1 else f"{base}-{n}")
            try:
                os.link(path, candidate)
            except FileExistsError:
                n += 1
                continue
            except OSError:  # no hard links here: check, then rename
                if os.path.lexists(candidate):
                    n += 1
                    continue
                try:
                    os.rename(path, candidate)
                except OSError as exc:
                    raise StoreAccessError(
                        f"{path} is damaged and could not be moved aside: {exc.strerror or exc}"
                    ) from None
            else:
                os.unlink(path)
            _fsync_dir(path.parent)
            return candidate

    def _recover(self, storage: _AtomicJSONStorage, err: _CorruptFile) -> None:
        """Set a damaged file aside and put the newest good copy in its place (lock held)."""
        path = storage.path
        assert path is not None
        is_main = storage is self._main_storage
        if is_main:
            label = f"The library file {path}"
        else:
            record = self._record_for(path.stem)
            title = f" \u201c{record['title']}\u201d" if record and record.get("title") else ""
            label = f"The annotation file of article{title} ({path})"
        if self.read_only_reason:
            storage.set_empty()
            self._note(
                f"{label} is damaged ({err.reason}). It was left untouched because the "
                "library is open read-only; its contents are not shown."
            )
            return
        member = path.name if is_main else f"annotations/{path.name}"
        problem = _main_problem if is_main else _article_problem
        data: dict[str, Any] | None = None
        source = ""
        in_memory = storage.last_good()
        backup = self._good_backup(member, problem)
        if in_memory is not None and (backup is None or in_memory[1] >= backup[2]):
            data = copy.deepcopy(in_memory[0])
            source = (
                f"the copy this readmark process had loaded at {_local(in_memory[1])}; "
                "changes made by other windows after that may be missing"
            )
        elif backup is not None:
            data = backup[0]
            source = (
                f"the backup {backup[1]} made {_local(backup[2])}; changes made after that "
                "are missing (they may still be readable in the damaged file)"
            )
        aside = self._set_aside(path)
        relinked = 0
        try:
            if is_main:
                data = dict(data or {_META: {"schema": _schema_doc()}})
                articles = dict(data.get(_ARTICLES, {}))
                relinked = self._relink(articles)
                data[_ARTICLES] = articles
            if data is not None:
                storage.write(data)
            else:
                storage.set_empty()
        except BaseException:
            if not os.path.lexists(path):
                with contextlib.suppress(OSError):
                    os.rename(aside, path)
            raise
        text = f"{label} was damaged ({err.reason}). Its original bytes are kept in {aside}."
        if is_main:
            if source:
                text += (
                    f" The article list, reading positions and settings were restored from "
                    f"{source}."
                )
            else:
                text += (
                    " No good backup was found, so the article list was rebuilt from the "
                    "annotation files and reading positions and settings start afresh."
                )
            if relinked:
                text += (
                    f" {_plural(relinked, 'article')} missing from the restored list "
                    "were re-linked from their annotation files."
                )
            text += " Annotations are kept in separate files and were not affected."
        elif data is not None:
            n = len(data.get(_ANNOTATIONS, {}))
            text += f" Restored {_plural(n, 'annotation')} from {source}."
        else:
            text += " No good copy was found in the backups, so this article shows no annotations."
        self._note(text)
        log.warning("%s", text)

    def _relink(self, articles: dict[str, Any]) -> int:
        """Add to ``articles`` any article that has an annotation file but no entry."""
        added = 0
        for aid in self._article_ids_on_disk():
            if aid in articles or self._ann_dir is None:
                continue
            try:
                data, _ = _read_json_file(self._ann_dir / f"{aid}.json", _article_problem)
            except (_CorruptFile, StoreError):
                data = None
            record = dict((data or {}).get(_RECORD, {}).get(aid) or {})
            if not record:
                record = {"fingerprint": "", "path": "", "title": f"Recovered article {aid[:8]}"}
                record["created"] = self._now()
            record["id"] = aid
            record.setdefault("last_opened", None)
            articles[aid] = record
            added += 1
        return added

    def _note(self, message: str) -> None:
        self._messages.append(message)

    # ------------------------------------------------------------------
    # Migration

    def _migrate(self, version: int) -> None:
        """Back up, then upgrade the on-disk format from ``version`` (lock held)."""
        try:
            backup = self._make_backup(f"pre-migration-v{version}")
        except StoreError as exc:
            raise StoreError(
                f"Could not back up the library before upgrading its format, so nothing was "
                f"changed: {exc}"
            ) from None
        data = copy.deepcopy(self._main_storage.read() or {})
        while version < SCHEMA_VERSION:
            data = _MIGRATIONS[version](self, data)
            version += 1
        data[_META] = dict(data.get(_META, {})) | {"schema": _schema_doc()}
        self._main_storage.write(data)
        log.info("upgraded %s to format %d (backup: %s)", self.path, SCHEMA_VERSION, backup)

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
            f = self._article_file(article_id)
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
            if self._ann_dir is not None:
                self._ann_dir.mkdir(parents=True, exist_ok=True)
            f.storage.write(current)
        return data

    # ------------------------------------------------------------------

    def _now(self) -> str:
        return self._clock().astimezone(timezone.utc).isoformat(timespec="milliseconds")


def _schema_doc() -> dict[str, Any]:
    return {"version": SCHEMA_VERSION, "app": "readmark", "layout": "annotation-file-per-article"}


def _put(table: Table, doc_id: str, doc: dict[str, Any]) -> None:
    """Insert or replace one document with a single write."""
    if table.contains(doc_id=doc_id):  # type: ignore[arg-type]
        table.update(_replace_with(doc), doc_ids=[doc_id])  # type: ignore[list-item]
    else:
        table.insert(Document(doc, doc_id=doc_id))  # type: ignore[arg-type]


def _replace_with(new: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    def replace(doc: dict[str, Any]) -> None:
        doc.clear()
        doc.update(copy.deepcopy(new))

    return replace


_MIGRATIONS: dict[int, Callable[[Store, dict[str, Any]], dict[str, Any]]] = {
    0: Store._migrate_0_to_1,
}
