"""Unit tests for reader.store: behaviour, layout, recovery, backups and errors."""

from __future__ import annotations

import errno
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader.store import (
    SCHEMA_VERSION,
    AnnotationNotFound,
    Store,
    StoreAccessError,
    StoreError,
    StoreLocked,
    StoreReadOnly,
    default_db_path,
    resolve_db_path,
)
from reader.store import backups as store_backups
from reader.store import files as store_files

UUID4 = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    """A controllable clock; every call moves time forward by one millisecond."""

    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"


@pytest.fixture
def store(db: Path, clock: FakeClock):
    s = Store(db, clock=clock)
    yield s
    s.close()


def new_article(s: Store, n: int = 1) -> dict:
    return s.upsert_article(fingerprint=f"fp{n}", path=f"/articles/{n}.md", title=f"Article {n}")


def ann(article_id: str, **extra) -> dict:
    base = {
        "article_id": article_id,
        "selectors": [{"type": "TextQuoteSelector", "exact": "some words"}],
        "color": "yellow",
        "note": "",
        "tags": ["a"],
        "detached": False,
    }
    return base | extra


def ann_file(db: Path, article_id: str) -> Path:
    return db.parent / "readmark.d" / "annotations" / f"{article_id}.json"


def drop_previous_generations(db: Path) -> None:
    """Remove every ``NAME.prev``, as in a library written before they were kept,
    so that a repair has only the backups to go back to."""
    for prev in db.parent.rglob("*.prev"):
        prev.unlink()


def aside_files(path: Path) -> list[Path]:
    return sorted(path.parent.glob(path.name + ".corrupt-*"))


# ---------------------------------------------------------------------------
# Paths


def test_default_db_path_is_in_user_data_dir():
    path = default_db_path()
    assert path.name == "readmark.json"
    assert "readmark" in path.parent.name


def test_resolve_db_path_prefers_cli_then_env_then_default(monkeypatch, tmp_path):
    monkeypatch.setenv("READMARK_DB", str(tmp_path / "env.json"))
    assert resolve_db_path(str(tmp_path / "cli.json")) == tmp_path / "cli.json"
    assert resolve_db_path(None) == tmp_path / "env.json"
    monkeypatch.delenv("READMARK_DB")
    assert resolve_db_path(None) == default_db_path()
    assert resolve_db_path("~/x.json") == Path.home() / "x.json"


# ---------------------------------------------------------------------------
# Articles


def test_upsert_article_creates_with_uuid(store: Store):
    a = new_article(store)
    assert UUID4.fullmatch(a["id"])
    assert a["fingerprint"] == "fp1" and a["path"] == "/articles/1.md"
    assert a["title"] == "Article 1" and a["last_opened"] and a["created"]
    assert store.find_article(fingerprint="fp1") == a
    assert store.articles() == [a]


def test_moved_file_keeps_its_article(store: Store):
    a = new_article(store)
    moved = store.upsert_article(fingerprint="fp1", path="/elsewhere/1.md", title="Article 1")
    assert moved["id"] == a["id"] and moved["path"] == "/elsewhere/1.md"
    assert store.find_article(path="/elsewhere/1.md")["id"] == a["id"]
    assert store.find_article(path="/articles/1.md") is None
    assert len(store.articles()) == 1


def test_edited_file_keeps_its_article(store: Store):
    a = new_article(store)
    edited = store.upsert_article(fingerprint="fp-new", path="/articles/1.md", title="Renamed")
    assert edited["id"] == a["id"]
    assert edited["fingerprint"] == "fp-new" and edited["title"] == "Renamed"
    assert store.find_article(fingerprint="fp1") is None
    assert store.find_article(fingerprint="fp-new")["id"] == a["id"]


def test_fingerprint_wins_over_path(store: Store):
    a = new_article(store, 1)
    b = new_article(store, 2)
    assert store.find_article(fingerprint="fp2", path="/articles/1.md")["id"] == b["id"]
    assert store.find_article(fingerprint="nope", path="/articles/1.md")["id"] == a["id"]
    assert store.find_article(fingerprint="nope") is None
    with pytest.raises(ValueError):
        store.find_article()


def test_articles_most_recent_first(store: Store):
    a = new_article(store, 1)
    b = new_article(store, 2)
    assert [x["id"] for x in store.articles()] == [b["id"], a["id"]]
    new_article(store, 1)  # opened again
    assert [x["id"] for x in store.articles()] == [a["id"], b["id"]]


def test_upsert_article_rejects_bad_values(store: Store):
    with pytest.raises(ValueError):
        store.upsert_article(fingerprint="", path="/a", title="t")
    with pytest.raises(ValueError):
        store.upsert_article(fingerprint="fp", path=None, title="t")  # type: ignore[arg-type]


def test_moving_an_article_updates_the_record_in_its_annotation_file(store: Store, db: Path):
    a = new_article(store)
    store.add_annotation(ann(a["id"]))
    store.upsert_article(fingerprint="fp1", path="/moved.md", title="Article 1")
    data = json.loads(ann_file(db, a["id"]).read_text())
    assert data["article"][a["id"]]["path"] == "/moved.md"


# ---------------------------------------------------------------------------
# Positions and settings


def test_positions_round_trip_and_persist(db: Path, clock: FakeClock):
    with Store(db, clock=clock) as s:
        a = new_article(s)
        assert s.get_position(a["id"]) is None
        s.set_position(a["id"], {"offset": 10, "line": 2, "delta": 1})
        s.set_position(a["id"], {"offset": 20, "line": 3})
        assert s.get_position(a["id"]) == {"offset": 20, "line": 3}
    with Store(db, clock=clock) as s:
        assert s.get_position(a["id"]) == {"offset": 20, "line": 3}


def test_unchanged_position_is_not_written(store: Store, db: Path):
    a = new_article(store)
    store.set_position(a["id"], {"offset": 1, "line": 1, "delta": 0})
    before = os.stat(db)
    store.set_position(a["id"], {"offset": 1, "line": 1, "delta": 0})
    after = os.stat(db)
    assert (before.st_ino, before.st_mtime_ns) == (after.st_ino, after.st_mtime_ns)


def test_settings(store: Store):
    assert store.get_setting("theme", "dark") == "dark"
    store.set_setting("theme", {"name": "light", "sizes": [1, 2]})
    value = store.get_setting("theme")
    value["sizes"].append(3)
    assert store.get_setting("theme") == {"name": "light", "sizes": [1, 2]}


# ---------------------------------------------------------------------------
# Annotations


def test_add_assigns_uuid_and_times(store: Store, clock: FakeClock):
    a = new_article(store)
    added = store.add_annotation(ann(a["id"], note="hello"))
    assert UUID4.fullmatch(added["id"])
    assert added["created"] == added["modified"]
    assert added["created"].startswith("2025-03-01T12:00")
    assert store.annotations(a["id"]) == [added]
    assert store.get_annotation(added["id"]) == added


def test_add_keeps_given_id_and_rejects_duplicates(store: Store):
    a = new_article(store)
    b = new_article(store, 2)
    given_id = "0e6c1e2a-5f9e-4c3b-9a43-2d2b2f1c7e10"
    store.add_annotation(ann(a["id"], id=given_id))
    with pytest.raises(ValueError):
        store.add_annotation(ann(a["id"], id=given_id))
    with pytest.raises(ValueError):
        store.add_annotation(ann(b["id"], id=given_id))
    assert len(store.annotations(a["id"])) == 1
    assert store.annotations(b["id"]) == []


def test_add_rejects_bad_article_id_and_non_json(store: Store):
    with pytest.raises(ValueError):
        store.add_annotation({"note": "no article"})
    with pytest.raises(ValueError):
        store.add_annotation(ann("../../etc"))
    a = new_article(store)
    with pytest.raises(ValueError):
        store.add_annotation(ann(a["id"], when=datetime.now()))
    with pytest.raises(ValueError):
        store.add_annotation(ann(a["id"], score=float("nan")))
    assert store.annotations(a["id"]) == []


def test_update_annotation(store: Store, clock: FakeClock):
    a = new_article(store)
    added = store.add_annotation(ann(a["id"]))
    clock.advance(minutes=5)
    updated = store.update_annotation(added["id"], {"note": "a note", "tags": ["x", "y"]})
    assert updated["note"] == "a note" and updated["tags"] == ["x", "y"]
    assert updated["created"] == added["created"]
    assert updated["modified"] > added["modified"]
    assert store.annotations(a["id"]) == [updated]
    with pytest.raises(ValueError):
        store.update_annotation(added["id"], {"article_id": "other"})
    with pytest.raises(ValueError):
        store.update_annotation(added["id"], {"id": "other"})
    with pytest.raises(AnnotationNotFound):
        store.update_annotation("missing", {"note": "x"})


def test_delete_returns_the_annotation_for_undo(store: Store):
    a = new_article(store)
    added = store.add_annotation(ann(a["id"], note="keep me"))
    other = store.add_annotation(ann(a["id"]))
    deleted = store.delete_annotation(added["id"])
    assert deleted == added
    assert store.annotations(a["id"]) == [other]
    with pytest.raises(AnnotationNotFound):
        store.delete_annotation(added["id"])
    with pytest.raises(KeyError):  # AnnotationNotFound is also a KeyError
        store.delete_annotation(added["id"])
    restored = store.add_annotation(deleted)
    assert restored == added
    assert {x["id"] for x in store.annotations(a["id"])} == {added["id"], other["id"]}


def test_update_annotations_in_bulk_makes_a_backup(store: Store):
    a = new_article(store)
    first = store.add_annotation(ann(a["id"]))
    second = store.add_annotation(ann(a["id"]))
    before = len(store.backups())
    result = store.update_annotations(
        a["id"], {first["id"]: {"detached": True}, second["id"]: {"detached": True}}
    )
    assert [r["detached"] for r in result] == [True, True]
    assert all(x["detached"] for x in store.annotations(a["id"]))
    assert len(store.backups()) == before + 1
    assert store.backups()[-1].name.endswith("-bulk.zip")
    with pytest.raises(AnnotationNotFound):
        store.update_annotations(a["id"], {"missing": {"note": "x"}})


def test_results_are_copies(store: Store):
    a = new_article(store)
    source = ann(a["id"], tags=["one"])
    added = store.add_annotation(source)
    source["tags"].append("mutated input")
    added["tags"].append("mutated output")
    added["selectors"][0]["exact"] = "changed"
    listed = store.annotations(a["id"])
    listed[0]["tags"].append("mutated listing")
    store.get_annotation(added["id"])["tags"].clear()
    assert store.annotations(a["id"])[0]["tags"] == ["one"]
    assert store.annotations(a["id"])[0]["selectors"][0]["exact"] == "some words"
    article = store.articles()[0]
    article["title"] = "changed"
    assert store.articles()[0]["title"] == "Article 1"
    position = {"offset": 1, "line": 1, "delta": 0, "extra": [1]}
    store.set_position(a["id"], position)
    position["extra"].append(2)
    got = store.get_position(a["id"])
    got["extra"].append(3)
    assert store.get_position(a["id"])["extra"] == [1]


def test_annotation_counts(store: Store, db: Path, clock: FakeClock):
    a = new_article(store, 1)
    b = new_article(store, 2)
    c = new_article(store, 3)
    store.add_annotation(ann(a["id"], note="a note"))
    store.add_annotation(ann(a["id"], note="   "))
    x = store.add_annotation(ann(b["id"]))
    assert store.annotation_counts() == {a["id"]: (2, 1), b["id"]: (1, 0), c["id"]: (0, 0)}
    store.update_annotation(x["id"], {"note": "now noted"})
    assert store.annotation_counts()[b["id"]] == (1, 1)
    store.close()
    assert (db.parent / "readmark.d" / "counts.json").exists()
    with Store(db, clock=clock) as again:
        assert again.annotation_counts()[a["id"]] == (2, 1)
    (db.parent / "readmark.d" / "counts.json").write_text("{garbage")
    with Store(db, clock=clock) as again:
        assert again.annotation_counts()[b["id"]] == (1, 1)


def test_layout_main_file_and_one_file_per_article(store: Store, db: Path):
    a = new_article(store)
    added = store.add_annotation(ann(a["id"]))
    main = json.loads(db.read_text())
    assert main["meta"]["schema"]["version"] == SCHEMA_VERSION
    assert "annotations" not in main
    assert list(main["articles"]) == [a["id"]]
    per_article = json.loads(ann_file(db, a["id"]).read_text())
    assert list(per_article["annotations"]) == [added["id"]]  # keyed by the UUID
    assert per_article["article"][a["id"]]["fingerprint"] == "fp1"


def test_everything_persists(db: Path, clock: FakeClock):
    with Store(db, clock=clock) as s:
        a = new_article(s)
        added = s.add_annotation(ann(a["id"], note="n"))
        s.set_position(a["id"], {"offset": 5, "line": 1, "delta": 0})
    with Store(db, clock=clock) as s:
        assert s.articles()[0]["id"] == a["id"]
        assert s.annotations(a["id"]) == [added]
        assert s.get_position(a["id"]) == {"offset": 5, "line": 1, "delta": 0}
        assert s.recovery_message is None and s.read_only_reason is None


def test_threads_share_a_store(store: Store):
    a = new_article(store)

    def work(tag: str) -> None:
        for i in range(25):
            store.add_annotation(ann(a["id"], note=f"{tag}{i}"))

    threads = [threading.Thread(target=work, args=(t,)) for t in "xy"]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.annotations(a["id"])) == 50


# ---------------------------------------------------------------------------
# Two instances on the same files (as two processes would be)


def test_second_instance_sees_changes_via_refresh(db: Path, clock: FakeClock):
    first = Store(db, clock=clock)
    second = Store(db, clock=clock)
    a = new_article(first)
    assert second.refresh() is True
    assert second.refresh() is False
    assert not second.changed_on_disk()
    assert second.annotations(a["id"]) == []
    added = first.add_annotation(ann(a["id"]))
    assert second.changed_on_disk()
    assert second.refresh() is True
    assert second.annotations(a["id"]) == [added]
    assert second.refresh() is False
    assert not second.changed_on_disk()


def test_interleaved_writers_lose_nothing(db: Path, clock: FakeClock):
    first = Store(db, clock=clock)
    second = Store(db, clock=clock)
    a = new_article(first)
    ids = set()
    for i in range(10):
        ids.add(first.add_annotation(ann(a["id"], note=f"1-{i}"))["id"])
        ids.add(second.add_annotation(ann(a["id"], note=f"2-{i}"))["id"])
    second.set_position(a["id"], {"offset": 1, "line": 1, "delta": 0})
    first.upsert_article(fingerprint="fp9", path="/9.md", title="nine")
    with Store(db, clock=clock) as third:
        assert {x["id"] for x in third.annotations(a["id"])} == ids
        assert third.get_position(a["id"]) == {"offset": 1, "line": 1, "delta": 0}
        assert len(third.articles()) == 2
    # an edit through a stale instance works on the fresh copy
    victim = sorted(ids)[0]
    first.delete_annotation(victim)
    with pytest.raises(AnnotationNotFound):
        second.update_annotation(victim, {"note": "too late"})
    assert len(second.annotations(a["id"])) == 19


# ---------------------------------------------------------------------------
# New, empty and missing files


def test_missing_file_is_a_new_store(db: Path):
    with Store(db) as s:
        assert s.articles() == [] and s.recovery_message is None
    assert json.loads(db.read_text())["meta"]["schema"]["version"] == SCHEMA_VERSION


@pytest.mark.parametrize("content", [b"", b"  \n"])
def test_empty_file_is_a_new_store(db: Path, content: bytes):
    db.parent.mkdir(parents=True)
    db.write_bytes(content)
    with Store(db) as s:
        assert s.articles() == [] and s.recovery_message is None
    assert aside_files(db) == []


def test_missing_main_file_keeps_annotation_files(db: Path, clock: FakeClock):
    with Store(db, clock=clock) as s:
        a = new_article(s)
        added = s.add_annotation(ann(a["id"]))
    db.unlink()
    drop_previous_generations(db)
    with Store(db, clock=clock) as s:
        assert [x["id"] for x in s.articles()] == [a["id"]]
        assert s.articles()[0]["fingerprint"] == "fp1"
        assert s.annotations(a["id"]) == [added]
        assert "rebuilt" in s.recovery_message


def test_stale_temp_files_are_removed_at_open(db: Path, store: Store):
    a = new_article(store)
    store.add_annotation(ann(a["id"]))
    store.close()
    leftovers = [
        db.parent / ".readmark.json.abcd1234.tmp",
        ann_file(db, a["id"]).parent / f".{a['id']}.json.k2j3h4g5.tmp",
    ]
    foreign = db.parent / ".notes.txt.abcd1234.tmp"
    for p in [*leftovers, foreign]:
        p.write_text("partial")
    with Store(db):
        pass
    assert not any(p.exists() for p in leftovers)
    assert foreign.exists()


# ---------------------------------------------------------------------------
# Schema versions


def test_newer_schema_opens_read_only(db: Path, clock: FakeClock):
    with Store(db, clock=clock) as s:
        a = new_article(s)
        s.add_annotation(ann(a["id"]))
    main = json.loads(db.read_text())
    main["meta"]["schema"]["version"] = SCHEMA_VERSION + 1
    db.write_text(json.dumps(main))
    before = {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()}
    with Store(db, clock=clock) as s:
        assert "newer readmark" in s.read_only_reason
        assert "\n" not in s.read_only_reason
        assert len(s.annotations(a["id"])) == 1
        assert s.articles()[0]["id"] == a["id"]
        with pytest.raises(StoreReadOnly):
            s.add_annotation(ann(a["id"]))
        with pytest.raises(StoreReadOnly):
            s.set_position(a["id"], {"offset": 1})
        with pytest.raises(StoreReadOnly):
            new_article(s, 2)
        with pytest.raises(StoreError):
            s.delete_annotation(s.annotations(a["id"])[0]["id"])
    after = {p: p.read_bytes() for p in db.parent.rglob("*") if p.is_file()}
    assert {p: b for p, b in after.items() if p in before} == before
    assert not any("backups" in str(p) for p in set(after) - set(before))


def test_newer_schema_with_unknown_shape_is_not_called_damaged(db: Path):
    db.parent.mkdir(parents=True)
    raw = json.dumps({"meta": {"schema": {"version": 99}}, "articles": [1, 2]}).encode()
    db.write_bytes(raw)
    with Store(db) as s:
        assert s.read_only_reason and s.recovery_message is None
        assert s.articles() == []
    assert db.read_bytes() == raw and aside_files(db) == []


def test_not_found_is_quick_once_everything_was_indexed(store: Store):
    a = new_article(store)
    store.add_annotation(ann(a["id"]))
    with pytest.raises(AnnotationNotFound):
        store.update_annotation("nope", {})
    assert store._where_complete
    assert store.get_annotation("nope") is None


def test_older_schema_is_backed_up_then_migrated(db: Path, clock: FakeClock):
    article_id = "7f1f5b0e-3c52-4c8e-9d2c-1f6a2b3c4d5e"
    legacy = {
        "articles": {article_id: {"fingerprint": "fp", "path": "/a.md", "title": "Old"}},
        "positions": {article_id: {"offset": 3, "line": 1, "delta": 0}},
        "annotations": {
            "1": {"id": "a1", "article_id": article_id, "note": "first"},
            "2": {"article_id": article_id, "note": "no id yet"},
            "3": {"article_id": None, "note": "lost article"},
        },
    }
    db.parent.mkdir(parents=True)
    original = json.dumps(legacy).encode()
    db.write_bytes(original)
    with Store(db, clock=clock) as s:
        backups = s.backups()
        assert len(backups) == 1 and backups[0].name.endswith("-pre-migration-v0.zip")
        with zipfile.ZipFile(backups[0]) as z:
            assert z.read("readmark.json") == original
        notes = sorted(x["note"] for x in s.annotations(article_id))
        assert notes == ["first", "no id yet"]
        assert {x["id"] for x in s.annotations(article_id)} >= {"a1"}
        assert [x["note"] for x in s.annotations("unfiled")] == ["lost article"]
        assert s.get_position(article_id) == {"offset": 3, "line": 1, "delta": 0}
        assert s.find_article(fingerprint="fp")["id"] == article_id
        generated = next(x["id"] for x in s.annotations(article_id) if x["id"] != "a1")
    main = json.loads(db.read_text())
    assert main["meta"]["schema"]["version"] == SCHEMA_VERSION
    assert "annotations" not in main
    with Store(db, clock=clock) as s:  # nothing more to do
        assert len(s.backups()) == 1
        assert generated in {x["id"] for x in s.annotations(article_id)}


# ---------------------------------------------------------------------------
# Damaged files


def _library_with_backup(db: Path, clock: FakeClock) -> tuple[dict, dict, list[dict]]:
    """Article a (2 annotations, backed up) and article b added after the backup."""
    with Store(db, clock=clock) as s:
        a = new_article(s, 1)
        anns = [s.add_annotation(ann(a["id"], note=str(i))) for i in range(2)]
        s.set_position(a["id"], {"offset": 7, "line": 1, "delta": 0})
        s.backup()
        clock.advance(hours=1)
        b = new_article(s, 2)
        s.add_annotation(ann(b["id"], note="after the backup"))
        s.add_annotation(ann(a["id"], note="also after the backup"))
    return a, b, anns


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: b'{"articles": {"x": ', id="truncated"),
        pytest.param(lambda raw: raw[: len(raw) // 2], id="cut-in-half"),
        pytest.param(lambda raw: b"\x00\xff\xfe garbage", id="binary"),
        pytest.param(lambda raw: b"[1, 2, 3]", id="wrong-shape-list"),
        pytest.param(lambda raw: b'{"articles": [1]}', id="wrong-shape-table"),
        pytest.param(lambda raw: b'{"meta": {"schema": {"version": "x"}}}', id="bad-version"),
    ],
)
def test_damaged_main_file_is_set_aside_and_restored(db: Path, clock: FakeClock, damage):
    a, b, _ = _library_with_backup(db, clock)
    drop_previous_generations(db)
    bad = damage(db.read_bytes())
    db.write_bytes(bad)
    with Store(db, clock=clock) as s:
        message = s.recovery_message
        (aside,) = aside_files(db)
        assert aside.read_bytes() == bad
        assert str(aside) in message and "backup" in message
        assert {x["id"] for x in s.articles()} == {a["id"], b["id"]}  # b re-linked
        assert s.find_article(fingerprint="fp2")["id"] == b["id"]
        assert s.get_position(a["id"]) == {"offset": 7, "line": 1, "delta": 0}
        assert len(s.annotations(a["id"])) == 3 and len(s.annotations(b["id"])) == 1
    with Store(db, clock=clock) as s:
        assert s.recovery_message is None


def test_damaged_main_file_without_backup_is_rebuilt(db: Path, clock: FakeClock):
    a, b, _ = _library_with_backup(db, clock)
    for p in (db.parent / "backups").iterdir():
        p.unlink()
    drop_previous_generations(db)
    db.write_bytes(b"{not json")
    with Store(db, clock=clock) as s:
        (aside,) = aside_files(db)
        assert aside.read_bytes() == b"{not json"
        assert "No good backup" in s.recovery_message and str(aside) in s.recovery_message
        assert {x["id"] for x in s.articles()} == {a["id"], b["id"]}
        assert len(s.annotations(a["id"])) == 3


def test_damaged_annotation_file_is_set_aside_and_restored(db: Path, clock: FakeClock):
    a, b, anns = _library_with_backup(db, clock)
    drop_previous_generations(db)
    path = ann_file(db, a["id"])
    path.write_bytes(b'{"annotations": {"x": [')
    with Store(db, clock=clock) as s:
        assert s.recovery_message is None  # not read yet
        restored = s.annotations(a["id"])
        assert restored == anns  # the backed-up state
        (aside,) = aside_files(path)
        assert aside.read_bytes() == b'{"annotations": {"x": ['
        message = s.recovery_message
        assert str(aside) in message and "backup" in message and "Article 1" in message
        assert len(s.annotations(b["id"])) == 1
        s.add_annotation(ann(a["id"]))  # writable again
    with Store(db, clock=clock) as s:
        assert len(s.annotations(a["id"])) == 3


def test_damaged_annotation_file_without_backup(db: Path, clock: FakeClock):
    a, _, _ = _library_with_backup(db, clock)
    for p in (db.parent / "backups").iterdir():
        p.unlink()
    drop_previous_generations(db)
    path = ann_file(db, a["id"])
    path.write_bytes(b"garbage")
    with Store(db, clock=clock) as s:
        assert s.annotations(a["id"]) == []
        assert "No good copy" in s.recovery_message
        assert aside_files(path)[0].read_bytes() == b"garbage"


def test_file_damaged_while_running_is_restored_from_memory(db: Path, clock: FakeClock):
    with Store(db, clock=clock) as s:
        a = new_article(s)
        added = [s.add_annotation(ann(a["id"], note=str(i))) for i in range(3)]
        path = ann_file(db, a["id"])
        path.write_bytes(b"\x00" * 10)
        assert s.annotations(a["id"]) == added
        assert "loaded at" in s.recovery_message
        assert aside_files(path)[0].read_bytes() == b"\x00" * 10
    with Store(db, clock=clock) as s:
        assert s.annotations(a["id"]) == added


def test_set_aside_never_clobbers(db: Path, clock: FakeClock):
    with Store(db, clock=clock):
        pass
    clock.now = datetime(2025, 6, 1, 8, 30, tzinfo=timezone.utc)
    taken = db.with_name("readmark.json.corrupt-20250601T083000Z")
    taken.write_bytes(b"an older damaged file")
    db.write_bytes(b"{broken")
    frozen = datetime(2025, 6, 1, 8, 30, tzinfo=timezone.utc)
    with Store(db, clock=lambda: frozen) as s:
        assert taken.read_bytes() == b"an older damaged file"
        second = db.with_name(taken.name + "-2")
        assert second.read_bytes() == b"{broken"
        assert str(second) in s.recovery_message


def test_damaged_file_in_read_only_library_is_left_alone(db: Path, clock: FakeClock):
    with Store(db, clock=clock) as s:
        a = new_article(s)
        s.add_annotation(ann(a["id"]))
    main = json.loads(db.read_text())
    main["meta"]["schema"]["version"] = SCHEMA_VERSION + 5
    db.write_text(json.dumps(main))
    ann_file(db, a["id"]).write_bytes(b"garbage")
    with Store(db, clock=clock) as s:
        assert s.annotations(a["id"]) == []
        assert "left untouched" in s.recovery_message
    assert ann_file(db, a["id"]).read_bytes() == b"garbage"
    assert aside_files(ann_file(db, a["id"])) == []


# ---------------------------------------------------------------------------
# Backups


def test_one_daily_backup_per_day_and_only_ten_kept(db: Path, clock: FakeClock):
    s = Store(db, clock=clock)
    a = new_article(s)
    (db.parent / "backups" / "notes.txt").write_text("not ours")
    foreign = db.parent / "backups" / "other-20200101T000000.000000Z-daily.zip"
    foreign.write_bytes(b"someone else's")
    for day in range(13):
        for i in range(3):
            s.add_annotation(ann(a["id"], note=f"{day}-{i}"))
        dailies = [p for p in s.backups() if p.name.endswith("-daily.zip")]
        assert len(dailies) == min(day + 1, 10)
        clock.advance(days=1)
    backups = s.backups()
    assert len(backups) == 10
    assert all(re.fullmatch(r"readmark-\d{8}T\d{6}\.\d{6}Z-daily\.zip", p.name) for p in backups)
    assert (db.parent / "backups" / "notes.txt").exists() and foreign.exists()
    with zipfile.ZipFile(backups[-1]) as z:
        names = set(z.namelist())
        assert "readmark.json" in names and f"annotations/{a['id']}.json" in names
        assert len(json.loads(z.read(f"annotations/{a['id']}.json"))["annotations"]) == 36
    s.close()


def test_manual_backup_and_rotation_includes_all_kinds(store: Store, clock: FakeClock):
    new_article(store)
    for _ in range(12):
        store.backup("manual")
    assert len(store.backups()) == 10
    with pytest.raises(ValueError):
        store.backup("Bad Kind")


def test_failed_daily_backup_does_not_block_changes(store: Store, db: Path, clock, monkeypatch):
    a = new_article(store)
    clock.advance(days=1)

    def broken(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_backups.zipfile, "ZipFile", broken)
    added = store.add_annotation(ann(a["id"]))
    assert "No space left" in store.backup_error
    assert store.annotations(a["id"]) == [added]


# ---------------------------------------------------------------------------
# Errors the user can cause


def test_directory_at_db_path(tmp_path: Path):
    (tmp_path / "lib.json").mkdir()
    with pytest.raises(StoreAccessError, match="is a folder"):
        Store(tmp_path / "lib.json")


def test_parent_is_a_file(tmp_path: Path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StoreAccessError) as info:
        Store(tmp_path / "file" / "readmark.json")
    assert "\n" not in str(info.value)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores modes")
def test_unwritable_directory(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(StoreAccessError, match="Cannot write"):
            Store(folder / "readmark.json")
    finally:
        folder.chmod(0o700)


def test_unwritable_system_directory():
    target = Path("/sys/readmark-test.json")
    try:
        fd, name = tempfile.mkstemp(dir="/sys")
    except PermissionError:
        pass
    except OSError:
        pytest.skip("/sys not available")
    else:
        os.close(fd)
        os.unlink(name)
        pytest.skip("/sys is writable here")
    with pytest.raises(StoreAccessError, match="Cannot write"):
        Store(target)


def test_write_failure_is_reported_and_nothing_half_done(
    store: Store, db: Path, monkeypatch: pytest.MonkeyPatch
):
    a = new_article(store)
    kept = store.add_annotation(ann(a["id"]))
    path = ann_file(db, a["id"])
    before = path.read_bytes()

    def no_space(src, dst):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(store_files.os, "replace", no_space)
    with pytest.raises(StoreAccessError, match="No space left") as info:
        store.add_annotation(ann(a["id"], note="lost"))
    assert "\n" not in str(info.value)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert store.annotations(a["id"]) == [kept]
    assert not list(path.parent.glob("*.tmp")) and not list(path.parent.glob(".*.tmp"))


def test_lock_held_by_a_hung_process(db: Path):
    s = Store(db, lock_timeout=0.3)
    a = new_article(s)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, filelock\n"
            "lock = filelock.FileLock(sys.argv[1]); lock.acquire()\n"
            "print('locked', flush=True); time.sleep(60)\n",
            str(db) + ".lock",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with pytest.raises(StoreLocked) as info:
            s.add_annotation(ann(a["id"]))
        assert "locked" in str(info.value) and "\n" not in str(info.value)
        assert s.annotations(a["id"]) == []  # reading still works
        with pytest.raises(StoreLocked):
            Store(db, lock_timeout=0.2)
    finally:
        holder.kill()
        holder.wait()
    s.add_annotation(ann(a["id"]))
    assert len(s.annotations(a["id"])) == 1


def test_closed_store_refuses_work(db: Path):
    s = Store(db)
    s.close()
    with pytest.raises(StoreError):
        s.articles()


# ---------------------------------------------------------------------------
# In-memory store


def test_in_memory_store_touches_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(tmp_path)
    s = Store.in_memory()
    a = new_article(s)
    x = s.add_annotation(ann(a["id"], note="n"))
    s.update_annotation(x["id"], {"color": "green"})
    s.set_position(a["id"], {"offset": 1, "line": 1, "delta": 0})
    assert s.annotation_counts() == {a["id"]: (1, 1)}
    assert s.backup() is None and s.backups() == []
    assert s.refresh() is False and s.changed_on_disk() is False
    assert s.delete_annotation(x["id"])["color"] == "green"
    assert s.annotations(a["id"]) == []
    assert list(tmp_path.iterdir()) == []
    assert s.path is None and s.recovery_message is None


# ---------------------------------------------------------------------------
# Property: a random sequence of changes matches a plain dict model


OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "update", "delete", "reopen"]),
        st.integers(0, 2),
        st.integers(0, 50),
        st.text(max_size=8),
    ),
    max_size=25,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ops=OPS)
def test_store_matches_model(ops):
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "readmark.json"
        s = Store(db)
        articles = [new_article(s, n)["id"] for n in range(3)]
        model: dict[str, dict] = {}
        for op, which, pick, text in ops:
            ids = sorted(model)
            if op == "add":
                added = s.add_annotation(ann(articles[which], note=text))
                model[added["id"]] = added
            elif op == "update" and ids:
                target = ids[pick % len(ids)]
                model[target] = s.update_annotation(target, {"note": text, "n": pick})
            elif op == "delete" and ids:
                target = ids[pick % len(ids)]
                assert s.delete_annotation(target) == model.pop(target)
            elif op == "reopen":
                s.close()
                s = Store(db)
        stored = {x["id"]: x for aid in articles for x in s.annotations(aid)}
        assert stored == model
        counts = s.annotation_counts()
        for aid in articles:
            in_model = [x for x in model.values() if x["article_id"] == aid]
            assert counts[aid] == (len(in_model), sum(bool(x["note"].strip()) for x in in_model))
        s.close()
