"""reader.store.backups and reader.store.recovery on their own: backups, repairs, upgrades."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.store.backups import BACKUPS_KEPT
from reader.store.core import StoreCore
from reader.store.errors import _CorruptFile
from reader.store.files import SCHEMA_VERSION
from reader.store.highlights import Highlights
from reader.store.library import Library


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "readmark.json"


def open_core(db: Path, clock: Clock | None = None) -> StoreCore:
    core = StoreCore(db, 1.0, clock or Clock())
    core.open()
    return core


def ann_path(db: Path, article_id: str) -> Path:
    return db.parent / "readmark.d" / "annotations" / f"{article_id}.json"


def test_a_backup_zips_the_main_file_and_every_annotation_file(db: Path):
    core = open_core(db)
    a = Library(core).upsert_article(fingerprint="fp", path="/a", title="A")["id"]
    Highlights(core).add_annotation({"article_id": a})
    target = core.backups.backup("manual")
    assert target is not None and target.parent == db.parent / "backups"
    with zipfile.ZipFile(target) as z:
        names = set(z.namelist())
        manifest = json.loads(z.read("manifest.json"))
        main = json.loads(z.read("readmark.json"))
    assert names == {"manifest.json", "readmark.json", f"annotations/{a}.json"}
    assert manifest["kind"] == "manual" and a in main["articles"]
    with pytest.raises(ValueError):
        core.backups.backup("Not A Kind")


def test_only_the_newest_backups_are_kept(db: Path):
    core = open_core(db)
    made = [core.backups.backup("manual") for _ in range(BACKUPS_KEPT + 3)]
    assert core.backups.backups() == made[-BACKUPS_KEPT:]


def test_the_daily_backup_is_made_once_a_day(db: Path):
    clock = Clock()
    core = open_core(db, clock)
    library = Library(core)
    library.upsert_article(fingerprint="1", path="/1", title="1")
    library.upsert_article(fingerprint="2", path="/2", title="2")
    daily = [p for p in core.backups.backups() if p.name.endswith("-daily.zip")]
    assert len(daily) == 1
    clock.now += timedelta(days=1)
    library.upsert_article(fingerprint="3", path="/3", title="3")
    assert len([p for p in core.backups.backups() if p.name.endswith("-daily.zip")]) == 2


def test_a_damaged_annotation_file_is_set_aside_and_restored_from_a_backup(db: Path):
    core = open_core(db)
    a = Library(core).upsert_article(fingerprint="fp", path="/a", title="Essay")["id"]
    kept = Highlights(core).add_annotation({"article_id": a, "note": "kept"})
    core.backups.backup("manual")
    path = ann_path(db, a)
    damaged = b'{"annotations": '
    path.write_bytes(damaged)

    other = open_core(db)  # a new process: nothing of the file in memory
    assert Highlights(other).annotations(a) == [kept]
    aside = list(path.parent.glob(path.name + ".corrupt-*"))
    assert len(aside) == 1 and aside[0].read_bytes() == damaged
    assert json.loads(path.read_text())["annotations"] == {kept["id"]: kept}
    message = "\n".join(other.messages)
    assert "\u201cEssay\u201d" in message and str(aside[0]) in message and "backup" in message


def test_recover_prefers_the_copy_in_memory_when_it_is_newer(db: Path):
    core = open_core(db)
    a = Library(core).upsert_article(fingerprint="fp", path="/a", title="A")["id"]
    core.backups.backup("manual")
    Highlights(core).add_annotation({"article_id": a, "note": "after the backup"})
    storage = core.article_file(a).storage
    ann_path(db, a).write_bytes(b"garbage")
    with core.mutex, core.locked():
        core.recovery.recover(storage, _CorruptFile(ann_path(db, a), "test"))
    data = json.loads(ann_path(db, a).read_text())
    assert [x["note"] for x in data["annotations"].values()] == ["after the backup"]
    assert "loaded at" in core.messages[-1]


def test_a_missing_main_file_is_relinked_from_the_annotation_files(db: Path):
    core = open_core(db)
    a = Library(core).upsert_article(fingerprint="fp", path="/a.md", title="Kept title")["id"]
    Highlights(core).add_annotation({"article_id": a})
    db.unlink()
    db.with_name(db.name + ".prev").unlink()  # as before previous generations were kept
    reopened = open_core(db)
    articles = Library(reopened).articles()
    assert [(x["id"], x["title"], x["path"]) for x in articles] == [(a, "Kept title", "/a.md")]
    assert "rebuilt its article list" in reopened.messages[0]


def test_stale_temporary_files_are_removed_on_opening(db: Path):
    open_core(db).close()
    leftover = db.parent / f".{db.name}.abcd1234.tmp"
    foreign = db.parent / ".someone-else.abcd1234.tmp"
    leftover.write_text("half")
    foreign.write_text("not ours")
    open_core(db)
    assert not leftover.exists() and foreign.exists()


def test_a_format_0_library_is_backed_up_then_upgraded(db: Path):
    legacy = {
        "articles": {"art": {"fingerprint": "fp", "path": "/a.md", "title": "Old"}},
        "annotations": {
            "1": {"id": "h1", "article_id": "art", "note": "n"},
            "2": {"article_id": None, "note": "lost article"},
        },
    }
    db.write_text(json.dumps(legacy))
    core = open_core(db)
    main = json.loads(db.read_text())
    assert main["meta"]["schema"]["version"] == SCHEMA_VERSION and "annotations" not in main
    assert main["articles"]["art"]["id"] == "art"
    assert json.loads(ann_path(db, "art").read_text())["annotations"]["h1"]["note"] == "n"
    unfiled = json.loads(ann_path(db, "unfiled").read_text())["annotations"]
    assert [x["legacy_article_id"] for x in unfiled.values()] == [None]
    assert any("pre-migration-v0" in p.name for p in core.backups.backups())


def test_a_newer_format_opens_read_only_and_untouched(db: Path):
    raw = json.dumps({"meta": {"schema": {"version": SCHEMA_VERSION + 1}}}).encode()
    db.write_bytes(raw)
    core = open_core(db)
    assert core.read_only_reason and "newer readmark" in core.read_only_reason
    assert db.read_bytes() == raw
