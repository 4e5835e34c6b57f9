"""The library's files: their format, shape checks, and atomic, durable JSON storage.

Everything that touches bytes on disk for the store goes through here: the
on-disk format (schema version, table names, ids), reading and shape-checking a
JSON file, replacing one atomically (temporary file, fsync, rename, fsync of
the folder), and the TinyDB storage and tables (UUID keys) built on that.
"""

from __future__ import annotations

import contextlib
import copy
import json
import logging
import os
import pickle
import re
import secrets
import stat
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from reader.store.errors import StoreAccessError, StoreReadOnly, _CorruptFile

log = logging.getLogger(__name__)


#: Version of the on-disk format this code reads and writes.
#: 0 = a single TinyDB file without a ``meta`` table, annotations in an
#: ``annotations`` table; 1 = per-article annotation files (current).
SCHEMA_VERSION = 1

# Tables of the main file and of the annotation files
_ARTICLES = "articles"
_POSITIONS = "positions"
_SETTINGS = "settings"
_META = "meta"
_ANNOTATIONS = "annotations"
_RECORD = "article"  # table in an annotation file holding the article record
_CARDS = "cards"  # annotation id -> review card
_REVIEWS = "reviews"  # review id -> review-log entry
_REMOVED_CARDS = "removed_cards"  # cards of deleted annotations, for undoing the delete
_TMP_SUFFIX = ".tmp"
#: The previous generation of each file, kept beside it at each durable write.
PREVIOUS_SUFFIX = ".prev"
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,127}")
_TMP_RE = re.compile(r"\..+\.[A-Za-z0-9_]{8}\.tmp|\.readmark-probe-.+")
_RECORD_FIELDS = ("id", "fingerprint", "path", "title", "created")

Signature = tuple[int, int, int, int]
Clock = Callable[[], datetime]


# --------------------------------------------------------------------------
# Low-level file helpers


def _signature_of(st: os.stat_result) -> Signature:
    """What tells one version of a file from another: device, inode, size, mtime."""
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _signature(path: Path) -> Signature | None:
    try:
        return _signature_of(os.stat(path))
    except OSError:
        return None


def annotation_file_signatures(
    folder: str | os.PathLike[str],
) -> Iterator[tuple[str, Signature | None]]:
    """Each article's annotation file in ``folder``: its article id and a signature
    (device, inode, size, modification time) that changes whenever the file does, or
    None when it cannot be looked at now. Caches of per-file summaries key on it."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        aid = entry.name[:-5]
        if not entry.name.endswith(".json") or not _ID_RE.fullmatch(aid):
            continue
        try:
            st = entry.stat()
        except OSError:
            yield aid, None
            continue
        yield aid, _signature_of(st)


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


def previous_generation(path: Path) -> Path:
    """Where the previous generation of a store file is kept (``NAME.prev``)."""
    return path.with_name(path.name + PREVIOUS_SUFFIX)


def _keep_previous(path: Path) -> None:
    """Keep the bytes ``path`` holds now as its previous generation, before it is replaced.

    A hard link (no copy, whatever the size) made under a temporary name and
    renamed over ``NAME.prev``; where links are refused, a copy. Nothing to do
    for a file that does not exist yet.
    """
    tmp_name = path.with_name(f".{path.name}.{secrets.token_hex(4)}{_TMP_SUFFIX}")
    try:
        try:
            os.link(path, tmp_name)
        except FileNotFoundError:
            return
        except OSError:  # no hard links on this file system
            with open(path, "rb") as source, open(tmp_name, "xb") as target:
                while chunk := source.read(1 << 20):
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
        os.replace(tmp_name, previous_generation(path))
    except FileNotFoundError:  # the file went away meanwhile: nothing to keep
        return
    finally:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)


def _atomic_write(
    path: Path, payload: bytes, *, durable: bool = True, keep_previous: bool = False
) -> None:
    """Replace ``path`` with ``payload`` so that a crash leaves old or new bytes.

    Args:
        path: The file to replace.
        payload: The complete new contents.
        durable: Flush to the disk (fsync file and folder) before returning.
        keep_previous: Keep the old bytes as ``NAME.prev`` (see :func:`previous_generation`).
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
        if keep_previous:
            _keep_previous(path)
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
    sig = _signature_of(st)
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
        raise _CorruptFile(path, reason, data)
    return data, sig


def _schema_version(data: Mapping[str, Any]) -> int:
    schema = data.get(_META, {}).get("schema")
    return 0 if schema is None else int(schema["version"])


def _json_copy(value: Any) -> Any:
    """A deep copy of JSON data, about 2.5 times faster than ``copy.deepcopy``
    (it matters when handing out every annotation of a large library)."""
    return pickle.loads(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def _check_id(value: Any, what: str) -> str:
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        raise ValueError(f"{what} must be a string of letters, digits, '-' or '_', got {value!r}")
    return value


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
        empty_is_damage: Callable[[bool], bool] | None = None,
        generations: bool = False,
    ) -> None:
        super().__init__()
        self.path = path
        #: Given whether the file is missing (else: empty), whether that is damage
        #: rather than a new, empty file: the store never writes an empty file, and
        #: one that has a previous generation was there before.
        self.empty_is_damage = empty_is_damage
        #: Number each write (``meta.generation``), so copies can be told apart by age.
        self.generations = generations
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

    def write(self, data: dict[str, Any], *, detach: bool = False) -> None:
        """Replace the file with ``data`` (TinyDB's interface).

        Args:
            data: The whole contents.
            detach: Do not keep ``data`` as the cached contents (the next read
                parses the file again), so that nothing the caller holds is ever
                shared with the cache: for a bulk write of thousands of records,
                far cheaper than copying them first.
        """
        # TinyDB may already have changed the cached documents in place: if the
        # write does not happen, forget the cache so the next read uses the disk.
        if self.read_only:
            self.invalidate()
            raise StoreReadOnly(self.read_only)
        if self.path is None:
            self._data, self._loaded = (json.loads(_dumps(data)) if detach else data), True
            return  # in memory only: there is no file to read it back from
        if self.generations:
            data = with_next_generation(data)
        try:
            payload = _dumps(data)
        except (TypeError, ValueError) as exc:
            self.invalidate()
            raise ValueError(f"cannot be saved as JSON: {exc}") from None
        try:
            try:
                _atomic_write(self.path, payload, keep_previous=True)
            except FileNotFoundError:
                if self.path.parent.exists():
                    raise
                self.path.parent.mkdir(parents=True, exist_ok=True)
                _atomic_write(self.path, payload, keep_previous=True)
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
        if detach:
            self.invalidate()

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
        if data is None and self.empty_is_damage and self.empty_is_damage(sig is None):
            raise _CorruptFile(self.path, "the file is missing" if sig is None else
                               "the file is empty")
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


def generation(data: Any) -> int:
    """Which write of its file a copy is (``meta.generation.n``); 0 when not numbered."""
    try:
        value = data[_META]["generation"]["n"]
    except (TypeError, KeyError):
        return 0
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def with_next_generation(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` numbered one write after itself (a shallow copy; ``data`` is unchanged)."""
    meta = data.get(_META)
    meta = dict(meta) if isinstance(meta, dict) else {}
    meta["generation"] = {"n": generation(data) + 1}
    return {**data, _META: meta}


def _signature_or_none(storage: _AtomicJSONStorage) -> Signature | None:
    return None if storage.path is None else _signature(storage.path)


def _utc_now() -> datetime:
    return datetime.now(timezone.utc)


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

