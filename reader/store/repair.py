"""Repairing one damaged file: its bytes kept, its readable entries salvaged, the rest restored.

A damaged file (not JSON, the wrong shape, emptied, or gone while its previous
generation is there) is repaired in four steps, under the library lock:

1. Its bytes are kept: the file is renamed aside to ``NAME.corrupt-TIME`` (never
   over anything) before anything is written in its place.
2. Every entry that can still be read from those bytes is salvaged
   (:mod:`reader.store.salvage`): usually all but the one entry the damage hit.
3. The newest intact copy is found: the previous generation (``NAME.prev``,
   kept at each durable write, so it lacks at most the last change) or the copy
   this process holds in memory, whichever is newer, else the newest good backup.
4. The salvaged entries are laid over that copy and the result written.

So damage costs at most the last change, and usually nothing. The message says
where the bytes were kept and what came from where.
"""

from __future__ import annotations

import contextlib
import copy
import logging
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.errors import StoreAccessError, StoreError, _CorruptFile
from reader.store.file_shapes import _annotation_file_problem, _main_problem
from reader.store.files import (
    _ANNOTATIONS,
    _ARTICLES,
    _META,
    _AtomicJSONStorage,
    _fsync_dir,
    _read_json_file,
    _schema_doc,
    generation,
    previous_generation,
)
from reader.store.salvage import ANNOTATION_FILE_ENTRIES, MAIN_FILE_ENTRIES, merge, salvage

if TYPE_CHECKING:
    from reader.store.core import StoreCore

log = logging.getLogger(__name__)

#: The most bytes of a damaged file read back to salvage its entries.
MAX_SALVAGE_BYTES = 512 << 20


def _local(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def set_aside(core: StoreCore, path: Path) -> Path:
    """Rename a damaged file to ``<name>.corrupt-<time>`` without clobbering anything."""
    stamp = core.clock().astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
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


def _read_back(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_SALVAGE_BYTES)
    except OSError:
        return b""


def _previous(path: Path, problem: Any) -> tuple[dict[str, Any], int] | None:
    """The previous generation, if intact: (data, its modification time in ns)."""
    prev = previous_generation(path)
    try:
        data, sig = _read_json_file(prev, problem)
    except (_CorruptFile, StoreError):
        return None
    if not isinstance(data, dict) or sig is None:
        return None
    return data, sig[3]


def _newest_copy(core: StoreCore, storage: _AtomicJSONStorage, problem: Any,
                 is_main: bool) -> tuple[dict[str, Any] | None, str]:
    """The newest intact copy of a damaged file, and how to name where it came from.

    The candidates are the copy in memory, the previous generation and the newest
    good backup. They are compared by which write of the file they hold (its
    ``meta.generation``), then, for files written before writes were numbered, by
    when that write was made (the file system's time, in ns); on a tie the copy
    in memory wins, then the previous generation.
    """
    path = storage.path
    assert path is not None
    found: list[tuple[int, int, int, dict[str, Any], str]] = []
    in_memory = storage.last_good()
    if in_memory is not None and storage.signature is not None:
        found.append((generation(in_memory[0]), storage.signature[3], 3, in_memory[0],
                      f"the copy this readmark process had loaded at {_local(in_memory[1])}"))
    previous = _previous(path, problem)
    if previous is not None:
        when = datetime.fromtimestamp(previous[1] / 1e9, timezone.utc)
        found.append((generation(previous[0]), previous[1], 2, previous[0],
                      f"the previous version saved {_local(when)} "
                      f"({previous_generation(path).name}, kept at each save)"))
    member = path.name if is_main else f"annotations/{path.name}"
    backup = core.backups.good_backup(member, problem)
    if backup is not None:
        found.append((generation(backup[0]), backup[3], 1, backup[0],
                      f"the backup {backup[1]} made {_local(backup[2])}"))
    if not found:
        return None, ""
    *_, data, source = max(found, key=lambda item: item[:3])
    return copy.deepcopy(data), source


def recover(core: StoreCore, storage: _AtomicJSONStorage, err: _CorruptFile) -> None:
    """Keep a damaged file's bytes, salvage it, and put the best repair in its place
    (lock held)."""
    path = storage.path
    assert path is not None
    is_main = storage is core.main_storage
    if is_main:
        label = f"The library file {path}"
    else:
        record = core.record_for(path.stem)
        title = f" \u201c{record['title']}\u201d" if record and record.get("title") else ""
        label = f"The annotation file of article{title} ({path})"
    if core.read_only_reason:
        storage.set_empty()
        core.note(
            f"{label} is damaged ({err.reason}). It was left untouched because the "
            "library is open read-only; its contents are not shown."
        )
        return
    problem = _main_problem if is_main else _annotation_file_problem
    tables = MAIN_FILE_ENTRIES if is_main else ANNOTATION_FILE_ENTRIES
    aside = set_aside(core, path) if os.path.lexists(path) else None
    salvaged = salvage(_read_back(aside), tables) if aside is not None else {}

    base, source = _newest_copy(core, storage, problem, is_main)
    data, from_damaged = merge(base, salvaged) if (base or salvaged) else (None, 0)

    relinked = 0
    try:
        if is_main:
            data = dict(data or {})
            if not isinstance(data.get(_META), dict) or "schema" not in data[_META]:
                data[_META] = {"schema": _schema_doc()}
            articles = dict(data.get(_ARTICLES) or {})
            relinked = core.recovery.relink(articles)
            data[_ARTICLES] = articles
        if data is not None:
            storage.write(data)
        else:
            storage.set_empty()
    except BaseException:
        if aside is not None and not os.path.lexists(path):
            with contextlib.suppress(OSError):
                os.rename(aside, path)
        raise
    text = f"{label} was damaged ({err.reason})."
    if aside is not None:
        text += f" Its original bytes are kept in {aside}."
    text += _what_was_restored(is_main, data, source, from_damaged, relinked)
    core.note(text)
    log.warning("%s", text)


def _what_was_restored(is_main: bool, data: dict[str, Any] | None, source: str,
                       from_damaged: int, relinked: int) -> str:
    entries = "1 entry" if from_damaged == 1 else f"{from_damaged} entries"
    read_back = f"{entries} read back from the damaged file" if from_damaged else ""
    where = " and ".join(part for part in (read_back, source) if part)
    if is_main:
        if where:
            text = f" The article list, reading positions and settings were restored from {where}."
        else:
            text = (" No good backup (nor previous version) was found and nothing could be "
                    "read back, so the article list was rebuilt from the annotation files and "
                    "reading positions and settings start afresh.")
        if relinked:
            text += (f" {_plural(relinked, 'article')} missing from the restored list "
                     "were re-linked from their annotation files.")
        return text + " Annotations are kept in separate files and were not affected."
    if data is None:
        return (" No good copy was found in the backups (nor a previous version) and nothing "
                "could be read back, so this article shows no annotations.")
    n = len(data.get(_ANNOTATIONS) or {})
    return f" Restored {_plural(n, 'annotation')} from {where}."
