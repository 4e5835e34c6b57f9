"""Backups of the library: zip files made daily, before upgrades and bulk changes.

A backup is a zip of the main file, every annotation file and the snapshots of the
articles the library knows (``snapshots/``: the text a web article's or a book's
highlights anchor to), written atomically into ``<dir>/backups/``; the newest
:data:`BACKUPS_KEPT` are kept.
:mod:`reader.store.recovery` looks in them for a good copy of a damaged file.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Callable
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.store.errors import StoreAccessError, StoreError
from reader.store.files import _TMP_SUFFIX, _fsync_dir

if TYPE_CHECKING:
    from reader.store.core import StoreCore

log = logging.getLogger(__name__)

#: How many backups are kept in the ``backups`` folder.
BACKUPS_KEPT = 10


class Backups:
    """Makes, rotates and reads the backups of one library.

    Attributes:
        backup_error: Why the last automatic daily backup failed, or None.
    """

    def __init__(self, core: StoreCore) -> None:
        self._core = core
        self.backup_error: str | None = None
        self._daily_done: date | None = None

    def backup(self, kind: str = "manual") -> Path | None:
        """Make a backup now (e.g. before a bulk change).

        Args:
            kind: A short word put in the file name (letters, digits, '-').

        Returns:
            The backup file, or None for an in-memory store.
        """
        if not re.fullmatch(r"[a-z0-9-]{1,40}", kind):
            raise ValueError("backup kind must be lowercase letters, digits or '-'")
        self._core.check_open()
        with self._core.mutex, self._core.locked():
            return self.make_backup(kind)

    def backups(self) -> list[Path]:
        """Existing backups of this library, oldest first."""
        return [p for _, p in self._backup_files()]

    def _backup_pattern(self) -> re.Pattern[str]:
        assert self._core.path is not None
        stem = re.escape(self._core.path.stem)
        return re.compile(stem + r"-(\d{8}T\d{6}\.\d{6}Z)-([a-z0-9-]+)\.zip")

    def _backup_files(self) -> list[tuple[datetime, Path]]:
        folder = self._core.backup_dir
        if folder is None:
            return []
        pattern = self._backup_pattern()
        try:
            names = os.listdir(folder)
        except OSError:
            return []
        found = []
        for name in names:
            m = pattern.fullmatch(name)
            if m:
                when = datetime.strptime(m.group(1), "%Y%m%dT%H%M%S.%fZ").replace(
                    tzinfo=timezone.utc
                )
                found.append((when, folder / name))
        found.sort()
        return found

    def make_backup(self, kind: str) -> Path | None:
        """Zip the library's files into ``backups/`` (lock held); keep the last 10."""
        path, folder, ann_dir = self._core.path, self._core.backup_dir, self._core.ann_dir
        if path is None or folder is None or ann_dir is None:
            return None
        try:
            folder.mkdir(exist_ok=True)
            stamp = self._core.clock().astimezone(timezone.utc)
            while True:
                name = f"{path.stem}-{stamp:%Y%m%dT%H%M%S.%fZ}-{kind}.zip"
                target = folder / name
                if not target.exists():
                    break
                stamp = stamp.replace(microsecond=(stamp.microsecond + 1) % 1_000_000)
            fd, tmp_name = tempfile.mkstemp(prefix=f".{name}.", suffix=_TMP_SUFFIX, dir=folder)
            try:
                with os.fdopen(fd, "wb") as handle:
                    with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
                        members = [(ann_dir / f"{aid}.json", f"annotations/{aid}.json")
                                   for aid in sorted(self._core.article_ids_on_disk())]
                        if path.exists():
                            members.insert(0, (path, path.name))
                        members += snapshot_members(path)
                        # When each file was written (ns), to tell later whether the
                        # backup's copy is newer than a file's previous generation.
                        written = {name: os.stat(source).st_mtime_ns for source, name in members}
                        manifest = {"app": "readmark", "kind": kind, "created": stamp.isoformat(),
                                    "written_ns": written}
                        z.writestr("manifest.json", json.dumps(manifest))
                        for source, name in members:
                            z.write(source, arcname=name)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.replace(tmp_name, target)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)
                raise
            _fsync_dir(folder)
        except OSError as exc:
            raise StoreAccessError(
                f"Could not write a backup in {folder}: {exc.strerror or exc}"
            ) from None
        log.info("backup written: %s", target)
        self._rotate_backups()
        return target

    def _rotate_backups(self) -> None:
        for _, old in self._backup_files()[:-BACKUPS_KEPT]:
            with contextlib.suppress(OSError):
                old.unlink()

    def maybe_daily_backup(self) -> None:
        """Make the day's backup before its first change, unless there is one (lock held)."""
        if self._core.path is None:
            return
        today = self._core.clock().astimezone().date()
        if self._daily_done == today:
            return
        if (
            not any(
                p.name.endswith("-daily.zip") and when.astimezone().date() == today
                for when, p in self._backup_files()
            )
            and self._core.path.exists()
        ):
            try:
                self.make_backup("daily")
                self.backup_error = None
            except StoreError as exc:
                self.backup_error = str(exc)
                log.warning("%s", exc)
        self._daily_done = today

    def good_backup(
        self, member: str, problem: Callable[[Any], str | None]
    ) -> tuple[dict[str, Any], Path, datetime, int] | None:
        """The newest backup holding a good copy of ``member``.

        Returns:
            ``(data, backup file, when the backup was made, when the copy was
            written in ns)``; the last is the file's modification time, from the
            manifest (or, for backups made before it kept them, the zip's own
            two-second time stamp), comparable with the files on disk.
        """
        for when, path in reversed(self._backup_files()):
            try:
                with zipfile.ZipFile(path) as z:
                    raw = z.read(member)
                    written = _written_ns(z, member)
                data = json.loads(raw.decode("utf-8"))
            except Exception:  # missing member, damaged zip or JSON: try an older one
                continue
            if isinstance(data, dict) and not problem(data):
                return data, path, when, written
        return None


def snapshot_members(path: Path) -> list[tuple[Path, str]]:
    """The snapshots (what readmark keeps of web pages, books and piped text) of the
    articles the library file at ``path`` knows, as (file, name in a backup): the text
    their highlights anchor to. Others in the folder (of removed articles) are left out."""
    from reader.store.paths import snapshots_dir

    folder = os.path.abspath(snapshots_dir(path))
    try:
        articles = json.loads(path.read_bytes()).get("articles", {})
    except (OSError, ValueError, AttributeError):
        return []  # no readable library file: nothing to say which snapshots are its
    found: set[str] = set()
    for record in articles.values() if isinstance(articles, dict) else ():
        stored = record.get("path") if isinstance(record, dict) else None
        if isinstance(stored, str) and os.path.dirname(os.path.abspath(stored)) == folder:
            found.add(os.path.basename(stored))
    return [(Path(folder, name), f"snapshots/{name}") for name in sorted(found)
            if os.path.isfile(os.path.join(folder, name))]


def _written_ns(z: zipfile.ZipFile, member: str) -> int:
    """When ``member`` was written, in ns since the epoch (see :meth:`Backups.good_backup`)."""
    try:
        value = json.loads(z.read("manifest.json"))["written_ns"][member]
        if isinstance(value, int):
            return value
    except Exception:  # an older backup: no such manifest entry
        pass
    stamp = datetime(*z.getinfo(member).date_time)  # local time, as zip keeps it
    return int(stamp.timestamp() * 1e9)
