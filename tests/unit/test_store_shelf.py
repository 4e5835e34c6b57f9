"""reader.store.shelf and reader.store.digests: archive, details, remove, relink, move, digests."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.store import ArticleNotFound, Store


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        self.now += timedelta(milliseconds=1)
        return self.now


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "lib" / "readmark.json"


@pytest.fixture
def store(db: Path):
    opened = Store(db, clock=Clock())
    yield opened
    opened.close()


def annotation(article_id: str, exact: str, **extra) -> dict:
    return {
        "article_id": article_id,
        "target": {"selector": [
            {"type": "TextPositionSelector", "start": 0, "end": len(exact)},
            {"type": "TextQuoteSelector", "exact": exact, "prefix": "", "suffix": ""},
        ]},
        "section": [], "color": "yellow", "note": "", "tags": [], **extra,
    }


def card(due: str) -> dict:
    return {"fsrs": {"due": due}, "suspended": False}


def test_archiving_is_kept_and_undone(store: Store):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    assert store.set_archived(a["id"], True)["archived"] is True
    assert store.articles()[0]["archived"] is True
    store.upsert_article(fingerprint="fa", path="/a.md", title="A")  # opening keeps it archived
    assert store.articles()[0]["archived"] is True
    store.set_archived(a["id"], False)
    assert "archived" not in store.articles()[0]
    with pytest.raises(ArticleNotFound):
        store.set_archived("no-such-article", True)


def test_details_are_written_only_when_they_change(store: Store, db: Path):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    store.set_article_details(a["id"], {"author": "Ada", "words": 1200})
    article = store.articles()[0]
    assert (article["author"], article["words"]) == ("Ada", 1200)
    before = db.stat().st_mtime_ns
    store.set_article_details(a["id"], {"author": "Ada", "words": 1200})
    assert db.stat().st_mtime_ns == before
    store.set_article_details(a["id"], {"author": ""})
    assert "author" not in store.articles()[0]
    with pytest.raises(ValueError, match="unknown"):
        store.set_article_details(a["id"], {"colour": "red"})
    with pytest.raises(ValueError, match="words"):
        store.set_article_details(a["id"], {"words": "many"})


def test_positions_of_every_article_in_one_call(store: Store):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    b = store.upsert_article(fingerprint="fb", path="/b.md", title="B")
    store.set_position(a["id"], {"line": 3, "delta": 0, "offset": 40, "percent": 12})
    assert store.positions() == {a["id"]: {"line": 3, "delta": 0, "offset": 40, "percent": 12}}
    assert b["id"] not in store.positions()


def test_removing_an_article_backs_up_its_highlights_first(store: Store, db: Path):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    b = store.upsert_article(fingerprint="fb", path="/b.md", title="B")
    kept = store.add_annotation(annotation(b["id"], "kept"))
    ids = [store.add_annotation(annotation(a["id"], f"quote {n}"))["id"] for n in range(3)]
    store.set_position(a["id"], {"line": 1, "delta": 0, "offset": 0})
    count, backup = store.remove_article(a["id"])
    assert count == 3
    assert [x["id"] for x in store.articles()] == [b["id"]]
    assert store.get_position(a["id"]) is None
    assert all(store.get_annotation(i) is None for i in ids)
    assert store.get_annotation(kept["id"]) is not None
    assert not list((db.parent / "readmark.d" / "annotations").glob(f"{a['id']}.json*"))
    with zipfile.ZipFile(backup) as z:  # the highlights are in the backup
        saved = json.loads(z.read(f"annotations/{a['id']}.json"))
    assert sorted(saved["annotations"]) == sorted(ids)
    # Another process sees it gone at once.
    with Store(db) as other:
        assert [x["id"] for x in other.articles()] == [b["id"]]
        assert other.annotation_counts() == {b["id"]: (1, 0)}


def test_removing_an_article_deletes_its_file_after_its_earlier_generations(
        store: Store, db: Path, monkeypatch):
    from reader.store import shelf

    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    for n in range(3):  # each write keeps the previous generation beside the file
        store.add_annotation(annotation(a["id"], f"quote {n}"))
    folder = db.parent / "readmark.d" / "annotations"
    assert len(list(folder.glob(f"{a['id']}.json*"))) > 1
    removed: list[str] = []
    real_unlink = shelf.os.unlink

    def unlink(path):
        removed.append(Path(path).name)
        real_unlink(path)

    real_glob = Path.glob

    def file_first(self, pattern):  # the order a directory may list them in
        return iter(sorted(real_glob(self, pattern)))

    monkeypatch.setattr(shelf.os, "unlink", unlink)
    monkeypatch.setattr(Path, "glob", file_first)
    store.remove_article(a["id"])
    # A kill between two deletions never leaves a generation without the file.
    assert removed[-1] == f"{a['id']}.json" and len(removed) > 1


def test_relink_moves_highlights_cards_and_position_and_merges_the_new_entry(store: Store):
    old = store.upsert_article(fingerprint="old", path="/gone/a.md", title="Old title")
    one = store.add_annotation(annotation(old["id"], "first passage"))
    two = store.add_annotation(annotation(old["id"], "second passage"))
    store.update_card(one["id"], lambda _: card("2025-03-02T00:00:00+00:00"))
    store.set_position(old["id"], {"line": 9, "delta": 0, "offset": 99})
    # The moved and edited file was opened as a new article, and got a highlight.
    new = store.upsert_article(fingerprint="new", path="/here/a.md", title="New title")
    three = store.add_annotation(annotation(new["id"], "third passage"))
    seen: list[str] = []

    def reanchor(records):
        seen.extend(sorted(r["id"] for r in records))
        return {two["id"]: {"detached": True}}

    result = store.relink_article(old["id"], fingerprint="new", path="/here/a.md",
                                  title="New title", reanchor=reanchor)
    assert seen == sorted([one["id"], two["id"], three["id"]])
    assert result["merged"] == 1 and result["changes"] == {two["id"]: {"detached": True}}
    assert [(a["id"], a["path"], a["fingerprint"], a["title"]) for a in store.articles()] == [
        (old["id"], "/here/a.md", "new", "New title")]
    records = {r["id"]: r for r in store.annotations(old["id"])}
    assert set(records) == {one["id"], two["id"], three["id"]}
    assert records[three["id"]]["article_id"] == old["id"]
    assert records[two["id"]]["detached"] is True
    assert store.card(one["id"])["fsrs"]["due"] == "2025-03-02T00:00:00+00:00"
    assert store.get_position(old["id"])["offset"] == 99
    assert store.find_article(path="/here/a.md")["id"] == old["id"]
    assert any("relink" in p.name for p in store.backups())


def test_move_annotations_takes_card_and_review_log_along(store: Store):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    b = store.upsert_article(fingerprint="fb", path="/b.md", title="B")
    moving = store.add_annotation(annotation(a["id"], "moving"))
    staying = store.add_annotation(annotation(a["id"], "staying"))
    store.record_review(moving["id"], lambda c: (card("2025-04-01T00:00:00+00:00"), {"r": 1}))
    new_record = annotation(b["id"], "moving") | {"note": "anchored in B"}
    moved = store.move_annotations({moving["id"]: new_record}, b["id"])
    assert [m["id"] for m in moved] == [moving["id"]]
    assert [r["id"] for r in store.annotations(a["id"])] == [staying["id"]]
    got = store.annotations(b["id"])
    assert [(r["id"], r["note"], r["article_id"]) for r in got] == [
        (moving["id"], "anchored in B", b["id"])]
    assert got[0]["created"] == moving["created"]
    assert store.card(moving["id"])["article_id"] == b["id"]
    assert [r["article_id"] for r in store.reviews(b["id"])] == [b["id"]]
    assert store.reviews(a["id"]) == []
    # Already there: nothing happens the second time.
    assert store.move_annotations({moving["id"]: new_record}, b["id"]) == []


def test_digests_are_remade_only_for_files_that_changed(store: Store, db: Path):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    b = store.upsert_article(fingerprint="fb", path="/b.md", title="B")
    store.add_annotation(annotation(a["id"], "alpha", note="n"))
    store.add_annotation(annotation(b["id"], "beta"))
    made: list[str] = []

    def count(aid, annotations, cards):
        made.append(aid)
        return [len(annotations), sum(bool(x["note"]) for x in annotations), len(cards)]

    assert store.digests("counts-test", 1, count) == {a["id"]: [1, 1, 0], b["id"]: [1, 0, 0]}
    assert sorted(made) == sorted([a["id"], b["id"]])
    made.clear()
    store.add_annotation(annotation(b["id"], "gamma"))
    assert store.digests("counts-test", 1, count, cached_only=True) is None  # b changed
    assert made == []
    assert store.digests("counts-test", 1, count)[b["id"]] == [2, 0, 0]
    assert made == [b["id"]]
    assert store.digests("counts-test", 1, count, cached_only=True)[b["id"]] == [2, 0, 0]
    # A new process reads them from the cache file: nothing is made again.
    made.clear()
    with Store(db) as other:
        assert other.digests("counts-test", 1, count) == {a["id"]: [1, 1, 0],
                                                          b["id"]: [2, 0, 0]}
    assert made == []
    # Another version of the digest is made afresh.
    assert len(store.digests("counts-test", 2, count)) == 2 and len(made) == 2
    with pytest.raises(ValueError):
        store.digests("Bad Kind", 1, count)


def test_digests_leave_damaged_records_out_and_survive_a_damaged_cache(store: Store, db: Path):
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    store.add_annotation(annotation(a["id"], "alpha"))
    path = db.parent / "readmark.d" / "annotations" / f"{a['id']}.json"
    data = json.loads(path.read_text())
    data["annotations"]["broken"] = {"article_id": a["id"], "id": "broken", "section": 7}
    path.write_text(json.dumps(data))
    assert store.digests("n", 1, lambda aid, anns, cards: len(anns)) == {a["id"]: 1}
    (db.parent / "readmark.d" / "digest-n.json").write_text("{not json")
    with Store(db) as other:
        assert other.digests("n", 1, lambda aid, anns, cards: len(anns)) == {a["id"]: 1}


def test_in_memory_store_digests_and_removal():
    store = Store.in_memory()
    a = store.upsert_article(fingerprint="fa", path="/a.md", title="A")
    store.add_annotation(annotation(a["id"], "alpha"))
    assert store.digests("n", 1, lambda aid, anns, cards: len(anns)) == {a["id"]: 1}
    assert store.remove_article(a["id"]) == (1, None)
    assert store.digests("n", 1, lambda aid, anns, cards: len(anns)) == {}
    assert store.articles() == []
