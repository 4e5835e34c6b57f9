"""reader.store.highlights on its own: adding, changing, deleting and counting annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.store.core import StoreCore
from reader.store.errors import AnnotationNotFound
from reader.store.highlights import Highlights
from reader.store.library import Library


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "readmark.json"


@pytest.fixture
def core(db: Path) -> StoreCore:
    core = StoreCore(db, 1.0, None)
    core.open()
    return core


@pytest.fixture
def highlights(core: StoreCore) -> Highlights:
    return Highlights(core)


@pytest.fixture
def article_id(core: StoreCore) -> str:
    return Library(core).upsert_article(fingerprint="fp", path="/a.md", title="A")["id"]


def ann_file(db: Path, article_id: str) -> dict:
    return json.loads((db.parent / "readmark.d" / "annotations" / f"{article_id}.json").read_text())


def test_add_fills_in_id_and_times_and_copies_the_article_record(
    highlights: Highlights, article_id: str, db: Path
):
    added = highlights.add_annotation({"article_id": article_id, "note": "hi"})
    assert added["id"] and added["created"] == added["modified"]
    on_disk = ann_file(db, article_id)
    assert on_disk["annotations"] == {added["id"]: added}
    assert on_disk["article"][article_id]["title"] == "A"
    assert highlights.annotations(article_id) == [added]
    assert highlights.get_annotation(added["id"]) == added
    with pytest.raises(ValueError, match="already exists"):
        highlights.add_annotation({"article_id": article_id, "id": added["id"]})


def test_update_changes_fields_but_never_the_ids(highlights: Highlights, article_id: str):
    added = highlights.add_annotation({"article_id": article_id, "note": "", "tags": ["a"]})
    updated = highlights.update_annotation(added["id"], {"note": "more"})
    assert updated["note"] == "more" and updated["tags"] == ["a"]
    assert updated["modified"] >= added["modified"]
    assert highlights.get_annotation(added["id"]) == updated
    with pytest.raises(ValueError, match="article_id cannot be changed"):
        highlights.update_annotation(added["id"], {"article_id": "other"})
    with pytest.raises(AnnotationNotFound):
        highlights.update_annotation("missing", {"note": "x"})


def test_bulk_update_makes_a_backup_first(highlights: Highlights, article_id: str, db: Path):
    one = highlights.add_annotation({"article_id": article_id, "color": "yellow"})
    two = highlights.add_annotation({"article_id": article_id, "color": "yellow"})
    changed = highlights.update_annotations(
        article_id, {one["id"]: {"color": "green"}, two["id"]: {"color": "blue"}}
    )
    assert [a["color"] for a in changed] == ["green", "blue"]
    assert [a["color"] for a in highlights.annotations(article_id)] == ["green", "blue"]
    assert any(p.name.endswith("-bulk.zip") for p in (db.parent / "backups").iterdir())
    with pytest.raises(AnnotationNotFound):
        highlights.update_annotations(article_id, {"missing": {"color": "red"}})


def test_delete_sets_the_card_aside_and_adding_back_restores_it(
    highlights: Highlights, core: StoreCore, article_id: str, db: Path
):
    added = highlights.add_annotation({"article_id": article_id})
    with core.writing(daily_backup=False):
        f = core.article_file(article_id)
        core.write_tables(f, {"cards": {added["id"]: {"due": "soon"}}})
    removed = highlights.delete_annotation(added["id"])
    assert removed == added
    on_disk = ann_file(db, article_id)
    assert on_disk["annotations"] == {} and on_disk["cards"] == {}
    assert on_disk["removed_cards"] == {added["id"]: {"due": "soon"}}
    assert highlights.get_annotation(added["id"]) is None
    highlights.add_annotation(removed)  # undo
    on_disk = ann_file(db, article_id)
    assert on_disk["cards"] == {added["id"]: {"due": "soon"}} and on_disk["removed_cards"] == {}
    with pytest.raises(AnnotationNotFound):
        highlights.delete_annotation("missing")


def test_counts_list_every_article_and_are_cached_on_disk(
    highlights: Highlights, core: StoreCore, article_id: str, db: Path
):
    other = Library(core).upsert_article(fingerprint="fp2", path="/b.md", title="B")["id"]
    highlights.add_annotation({"article_id": article_id, "note": "a note"})
    highlights.add_annotation({"article_id": article_id, "note": "  "})
    assert highlights.annotation_counts() == {article_id: (2, 1), other: (0, 0)}
    cache = json.loads((db.parent / "readmark.d" / "counts.json").read_text())
    assert cache["format"] == 1 and cache["files"][article_id][-2:] == [2, 1]
    fresh = Highlights(core)  # reads the cache instead of the annotation file
    assert fresh.annotation_counts() == {article_id: (2, 1), other: (0, 0)}


def test_in_memory_highlights_touch_no_file(tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    core = StoreCore(None, 0.0, None)
    core.main_storage.write({"meta": {}})
    highlights = Highlights(core)
    added = highlights.add_annotation({"article_id": "art", "note": "n"})
    assert highlights.annotations("art") == [added]
    assert highlights.annotation_counts() == {"art": (1, 1)}
    assert list(tmp_path.iterdir()) == []
