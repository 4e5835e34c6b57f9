"""reader.store.cards on its own: recording, undoing and suspending reviews."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reader.store.cards import Cards
from reader.store.core import StoreCore
from reader.store.errors import AnnotationNotFound, CardChanged
from reader.store.highlights import Highlights


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "readmark.json"


@pytest.fixture
def core(db: Path) -> StoreCore:
    core = StoreCore(db, 1.0, None)
    core.open()
    return core


@pytest.fixture
def cards(core: StoreCore) -> Cards:
    return Cards(core)


@pytest.fixture
def highlight(core: StoreCore) -> dict:
    return Highlights(core).add_annotation({"article_id": "art", "note": ""})


def rate(label: str):
    def review(card):
        history = (card or {}).get("history", [])
        return {"history": [*history, label]}, {"rating": label, "review_datetime": label}

    return review


def on_disk(db: Path) -> dict:
    return json.loads((db.parent / "readmark.d" / "annotations" / "art.json").read_text())


def test_record_review_stores_card_and_log_entry_together(cards: Cards, highlight: dict, db: Path):
    hid = highlight["id"]
    assert cards.card(hid) is None
    before, card, entry = cards.record_review(hid, rate("good"))
    assert before is None
    assert card == {
        "history": ["good"], "review_id": entry["id"], "annotation_id": hid, "article_id": "art"
    }
    assert entry["annotation_id"] == hid and entry["article_id"] == "art"
    data = on_disk(db)
    assert data["cards"] == {hid: card} and data["reviews"] == {entry["id"]: entry}
    assert cards.card(hid) == card and cards.reviews("art") == [entry] == cards.reviews()


def test_a_second_review_builds_on_the_first(cards: Cards, highlight: dict):
    cards.record_review(highlight["id"], rate("a"))
    before, card, _ = cards.record_review(highlight["id"], rate("b"))
    assert before["history"] == ["a"] and card["history"] == ["a", "b"]


def test_undo_puts_the_card_back_and_drops_the_entry(cards: Cards, highlight: dict):
    hid = highlight["id"]
    _, first, _ = cards.record_review(hid, rate("a"))
    before, _, entry = cards.record_review(hid, rate("b"))
    cards.undo_review(hid, entry["id"], before)
    assert cards.card(hid) == first
    assert [e["rating"] for e in cards.reviews()] == ["a"]
    with pytest.raises(CardChanged):  # already undone
        cards.undo_review(hid, entry["id"], before)


def test_undo_of_a_first_review_removes_the_card(cards: Cards, highlight: dict, db: Path):
    before, _, entry = cards.record_review(highlight["id"], rate("a"))
    cards.undo_review(highlight["id"], entry["id"], before)
    assert cards.card(highlight["id"]) is None and on_disk(db)["reviews"] == {}


def test_undo_refuses_when_the_card_changed_since(cards: Cards, highlight: dict):
    hid = highlight["id"]
    before, _, entry = cards.record_review(hid, rate("a"))
    cards.record_review(hid, rate("from another window"))
    with pytest.raises(CardChanged, match="changed after that rating"):
        cards.undo_review(hid, entry["id"], before)
    assert cards.card(hid)["history"] == ["a", "from another window"]


def test_suspend_and_unsuspend(cards: Cards, highlight: dict):
    hid = highlight["id"]
    cards.record_review(hid, rate("a"))
    suspended = cards.update_card(hid, lambda card: card | {"suspended": True})
    assert suspended["suspended"] is True
    assert cards.unsuspend_cards("art") == 1
    assert cards.card(hid)["suspended"] is False
    assert cards.unsuspend_cards() == 0


def test_annotations_and_cards_leave_out_cards_of_deleted_highlights(
    cards: Cards, highlight: dict, core: StoreCore
):
    other = Highlights(core).add_annotation({"article_id": "art"})
    cards.record_review(highlight["id"], rate("a"))
    annotations, found = cards.annotations_and_cards()
    assert [a["id"] for a in annotations] == [highlight["id"], other["id"]]
    assert list(found) == [highlight["id"]]
    Highlights(core).delete_annotation(highlight["id"])
    annotations, found = cards.annotations_and_cards("art")
    assert [a["id"] for a in annotations] == [other["id"]] and found == {}


def test_cards_of_unknown_annotations_are_refused(cards: Cards):
    with pytest.raises(AnnotationNotFound):
        cards.record_review("missing", rate("a"))
    with pytest.raises(AnnotationNotFound):
        cards.update_card("missing", lambda card: {"suspended": True})
