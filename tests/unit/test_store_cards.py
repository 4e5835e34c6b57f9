"""Review cards and the review log in the store: durable, under the lock, with their highlight."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.store import AnnotationNotFound, CardChanged, Store, StoreReadOnly


class FakeClock:
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
    s = Store(db, clock=FakeClock())
    yield s
    s.close()


def article(s: Store, n: int = 1) -> str:
    return s.upsert_article(fingerprint=f"fp{n}", path=f"/a/{n}.md", title=f"A{n}")["id"]


def highlight(s: Store, article_id: str, note: str = "") -> str:
    return s.add_annotation({"article_id": article_id, "note": note, "tags": []})["id"]


def rate(state: str):
    """A review callback: the new card says which state it came from."""

    def review(current):
        seen = (current or {}).get("history", [])
        return {"fsrs": {"state": state}, "history": [*seen, state], "suspended": False}, {
            "rating": 3, "review_datetime": "2025-03-01T12:00:00+00:00"}

    return review


def ann_file(db: Path, article_id: str) -> dict:
    return json.loads((db.parent / "readmark.d" / "annotations" / f"{article_id}.json")
                      .read_text())


def test_a_review_stores_card_and_log_in_one_write(store: Store, db: Path, monkeypatch):
    aid = article(store)
    hid = highlight(store, aid)
    writes = []
    original = store._core.write_tables
    monkeypatch.setattr(
        store._core, "write_tables", lambda f, c: (writes.append(c), original(f, c))
    )
    before, card, entry = store.record_review(hid, rate("learning"))
    assert before is None
    assert len(writes) == 1
    assert card["annotation_id"] == hid and card["article_id"] == aid
    assert card["review_id"] == entry["id"] and entry["annotation_id"] == hid
    on_disk = ann_file(db, aid)
    assert on_disk["cards"][hid] == card
    assert on_disk["reviews"][entry["id"]] == entry
    assert store.card(hid) == card
    assert store.reviews(aid) == [entry] == store.reviews()


def test_cards_persist_across_opens(db: Path):
    with Store(db) as s:
        aid = article(s)
        hid = highlight(s, aid)
        s.record_review(hid, rate("review"))
    with Store(db) as s:
        annotations, cards = s.annotations_and_cards()
        assert [a["id"] for a in annotations] == [hid]
        assert cards[hid]["fsrs"] == {"state": "review"}
        assert len(s.reviews()) == 1


def test_annotations_and_cards_of_one_article_or_all(store: Store):
    a1, a2 = article(store, 1), article(store, 2)
    h1, h2, h3 = highlight(store, a1), highlight(store, a1), highlight(store, a2)
    store.record_review(h2, rate("x"))
    store.record_review(h3, rate("y"))
    annotations, cards = store.annotations_and_cards(a1)
    assert [a["id"] for a in annotations] == [h1, h2]
    assert set(cards) == {h2}
    annotations, cards = store.annotations_and_cards()
    assert {a["id"] for a in annotations} == {h1, h2, h3}
    assert set(cards) == {h2, h3}


def test_results_are_copies(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    store.record_review(hid, rate("x"))
    annotations, cards = store.annotations_and_cards()
    annotations[0]["note"] = "changed"
    cards[hid]["fsrs"]["state"] = "changed"
    assert store.get_annotation(hid)["note"] == ""
    assert store.card(hid)["fsrs"]["state"] == "x"


def test_deleting_a_highlight_removes_its_card_and_undoing_brings_it_back(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    _, card, _ = store.record_review(hid, rate("review"))
    removed = store.delete_annotation(hid)
    assert store.card(hid) is None
    assert store.annotations_and_cards() == ([], {})
    store.add_annotation(removed)  # the reading screen's undo
    assert store.card(hid) == card


def test_editing_a_highlight_keeps_its_card(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    _, card, _ = store.record_review(hid, rate("review"))
    store.update_annotation(hid, {"target": {"selector": []}, "note": "new text"})
    store.update_annotations(aid, {hid: {"detached": True}})
    assert store.card(hid) == card


def test_undo_restores_the_exact_previous_card_and_removes_the_entry(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    _, first, _ = store.record_review(hid, rate("learning"))
    before, _, entry = store.record_review(hid, rate("review"))
    assert before == first
    store.undo_review(hid, entry["id"], before)
    assert store.card(hid) == first
    assert [e["id"] for e in store.reviews()] == [first["review_id"]]
    store.undo_review(hid, first["review_id"], None)  # the very first review
    assert store.card(hid) is None
    assert store.reviews() == []


def test_undo_refuses_when_the_card_changed_since(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    before, _, entry = store.record_review(hid, rate("one"))
    store.record_review(hid, rate("two"))  # e.g. another window
    with pytest.raises(CardChanged):
        store.undo_review(hid, entry["id"], before)
    assert store.card(hid)["history"] == ["one", "two"]


def test_update_card_suspends_and_removes(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    card = store.update_card(hid, lambda current: (current or {}) | {"suspended": True})
    assert card["suspended"] is True and card["annotation_id"] == hid
    assert store.update_card(hid, lambda current: None) is None
    assert store.card(hid) is None
    with pytest.raises(AnnotationNotFound):
        store.update_card("no-such-id", lambda current: {"suspended": True})
    with pytest.raises(AnnotationNotFound):
        store.record_review("no-such-id", rate("x"))


def test_unsuspend_cards(store: Store):
    a1, a2 = article(store, 1), article(store, 2)
    hs = [highlight(store, a1), highlight(store, a1), highlight(store, a2)]
    for hid in hs:
        store.update_card(hid, lambda current: {"suspended": True})
    assert store.unsuspend_cards(a1) == 2
    assert [bool(store.card(h)["suspended"]) for h in hs] == [False, False, True]
    assert store.unsuspend_cards() == 1
    assert store.unsuspend_cards() == 0


def test_reviews_in_two_windows_both_count(db: Path):
    """Each rating is computed from the card on disk, under the lock: none is lost."""
    with Store(db) as first, Store(db) as second:
        aid = article(first)
        hid = highlight(first, aid)
        first.record_review(hid, rate("from-first"))
        second.record_review(hid, rate("from-second"))  # sees the first window's card
        first.record_review(hid, rate("from-first-again"))
        assert first.card(hid)["history"] == ["from-first", "from-second", "from-first-again"]
        assert len(second.reviews()) == 3


def test_read_only_library_refuses_reviews(db: Path):
    with Store(db) as s:
        aid = article(s)
        hid = highlight(s, aid)
        s._set_read_only("test")
        with pytest.raises(StoreReadOnly):
            s.record_review(hid, rate("x"))
        with pytest.raises(StoreReadOnly):
            s.update_card(hid, lambda current: {"suspended": True})


def test_cards_that_cannot_be_json_are_refused(store: Store):
    aid = article(store)
    hid = highlight(store, aid)
    with pytest.raises(ValueError):
        store.update_card(hid, lambda current: {"when": object()})
    assert store.card(hid) is None


def test_in_memory_store_keeps_cards(tmp_path: Path):
    s = Store.in_memory()
    aid = article(s)
    hid = highlight(s, aid)
    before, card, entry = s.record_review(hid, rate("x"))
    assert s.annotations_and_cards()[1] == {hid: card}
    s.undo_review(hid, entry["id"], before)
    assert s.card(hid) is None
    assert list(tmp_path.iterdir()) == []
