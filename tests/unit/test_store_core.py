"""reader.store.core on its own: the lock, the change counter, sync and the file cache."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import filelock
import pytest

from reader.store.core import StoreCore
from reader.store.errors import AnnotationNotFound, StoreError, StoreLocked, StoreReadOnly
from reader.store.files import _ANNOTATIONS, _ARTICLES, _CARDS, _put


def clock() -> datetime:
    clock.now += timedelta(milliseconds=1)  # type: ignore[attr-defined]
    return clock.now  # type: ignore[attr-defined]


clock.now = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)  # type: ignore[attr-defined]


def open_core(path: Path, lock_timeout: float = 1.0) -> StoreCore:
    core = StoreCore(path, lock_timeout, clock)
    core.open()
    return core


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"


def generation(db: Path) -> int:
    return int((db.parent / "readmark.d" / "generation").read_text())


def test_open_creates_the_main_file_and_the_paths_beside_it(db: Path):
    core = open_core(db)
    assert core.data_dir == db.parent / "readmark.d"
    assert core.ann_dir == db.parent / "readmark.d" / "annotations"
    assert core.backup_dir == db.parent / "backups"
    main = json.loads(db.read_text())
    assert main["meta"]["schema"]["layout"] == "annotation-file-per-article"
    assert generation(db) == 1 and core.seen_gen == 1


def test_a_write_under_writing_bumps_the_generation_once(db: Path):
    core = open_core(db)
    with core.writing(daily_backup=False):
        _put(core.main.table(_ARTICLES), "a1", {"title": "A"})
        _put(core.main.table(_ARTICLES), "a2", {"title": "B"})
    assert generation(db) == 2
    with core.writing(daily_backup=False):
        pass  # nothing written, nothing published
    assert generation(db) == 2


def test_another_core_sees_the_change_through_sync_and_refresh(db: Path):
    first, second = open_core(db), open_core(db)
    assert not second.changed_on_disk()
    with first.writing(daily_backup=False):
        _put(first.main.table(_ARTICLES), "a1", {"title": "A"})
    assert second.changed_on_disk()
    assert second.refresh() is True
    assert second.main_storage.table(_ARTICLES) == {"a1": {"title": "A"}}
    assert second.refresh() is False


def test_locate_indexes_every_file_once_then_answers_quickly(db: Path):
    core = open_core(db)
    with core.writing(daily_backup=False):
        f = core.article_file("art")
        core.write_tables(f, {_ANNOTATIONS: {"h1": {"id": "h1", "article_id": "art"}}})
    core.files.clear()  # as a fresh process would start: nothing cached, nothing indexed
    core.where.clear()
    core.where_complete = False
    with core.mutex:
        assert core.locate("h1").article_id == "art"
        with pytest.raises(AnnotationNotFound):
            core.locate("nope")
    assert core.where_complete and core.where == {"h1": "art"}


def test_write_tables_changes_several_tables_in_one_write_without_mutating_the_cache(db: Path):
    core = open_core(db)
    with core.writing(daily_backup=False):
        f = core.article_file("art")
        core.write_tables(f, {_ANNOTATIONS: {"h1": {"id": "h1"}}, _CARDS: {"h1": {"due": 1}}})
        cached = f.storage.read()
        old_annotations = cached[_ANNOTATIONS]
        core.write_tables(f, {_ANNOTATIONS: {"h1": None}, _CARDS: {"h1": None}})
    assert old_annotations == {"h1": {"id": "h1"}}  # the earlier copy was not changed in place
    on_disk = json.loads((core.ann_dir / "art.json").read_text())
    # Each write is numbered (meta.generation), so copies of the file can be told apart.
    assert on_disk.pop("meta") == {"generation": {"n": 2}}
    assert on_disk == {_ANNOTATIONS: {}, _CARDS: {}}


def test_the_file_cache_keeps_at_most_64_files(db: Path):
    core = open_core(db)
    with core.mutex:
        for n in range(70):
            core.article_file(f"art{n}")
    assert len(core.files) == 64 and "art0" not in core.files and "art69" in core.files


def test_a_lock_held_elsewhere_times_out_with_store_locked(db: Path):
    core = open_core(db, lock_timeout=0.2)
    other = filelock.FileLock(str(db) + ".lock")
    other.acquire()
    try:
        with (
            pytest.raises(StoreLocked, match=r"locked for over 0\.2 s"),
            core.writing(daily_backup=False),
        ):
            pass
    finally:
        other.release()


def test_read_only_and_closed(db: Path):
    core = open_core(db)
    core.set_read_only("a test")
    with pytest.raises(StoreReadOnly, match="a test"), core.writing():
        pass
    core.close()
    with pytest.raises(StoreError, match="closed"):
        core.sync()


def test_record_for_copies_only_the_record_fields(db: Path):
    core = open_core(db)
    with core.writing(daily_backup=False):
        _put(core.main.table(_ARTICLES), "a1", {"title": "A", "path": "/a", "last_opened": "x"})
    assert core.record_for("a1") == {"id": "a1", "title": "A", "path": "/a"}
    assert core.record_for("missing") is None
