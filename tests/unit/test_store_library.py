"""reader.store.library on its own: articles, reading positions and settings."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from reader.store.core import StoreCore
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


@pytest.fixture
def library(db: Path) -> Library:
    core = StoreCore(db, 1.0, Clock())
    core.open()
    return Library(core)


def main_file(db: Path) -> dict:
    return json.loads(db.read_text())


def test_upsert_creates_then_finds_by_fingerprint_or_path(library: Library, db: Path):
    a = library.upsert_article(fingerprint="fp", path="/a.md", title="A")
    assert a["created"] == a["last_opened"]
    assert a["created"].startswith("2025-03-01T12:00:00.") and a["created"].endswith("+00:00")
    assert library.find_article(fingerprint="fp") == a
    assert library.find_article(path="/a.md") == a
    assert library.find_article(fingerprint="other") is None
    assert main_file(db)["articles"][a["id"]] == a
    with pytest.raises(ValueError, match="fingerprint or a path"):
        library.find_article()


def test_a_moved_file_keeps_its_id_and_an_edited_file_too(library: Library):
    a = library.upsert_article(fingerprint="fp", path="/a.md", title="A")
    moved = library.upsert_article(fingerprint="fp", path="/b.md", title="A")
    assert moved["id"] == a["id"] and moved["path"] == "/b.md"
    edited = library.upsert_article(fingerprint="fp2", path="/b.md", title="A2")
    assert edited["id"] == a["id"] and edited["fingerprint"] == "fp2"
    assert edited["created"] == a["created"] and edited["last_opened"] > a["last_opened"]
    assert [x["id"] for x in library.articles()] == [a["id"]]


def test_articles_are_listed_most_recently_opened_first(library: Library):
    first = library.upsert_article(fingerprint="1", path="/1", title="One")
    second = library.upsert_article(fingerprint="2", path="/2", title="Two")
    assert [a["id"] for a in library.articles()] == [second["id"], first["id"]]
    library.upsert_article(fingerprint="1", path="/1", title="One")
    assert [a["id"] for a in library.articles()] == [first["id"], second["id"]]


def test_upsert_refuses_bad_values(library: Library):
    with pytest.raises(ValueError, match="must not be empty"):
        library.upsert_article(fingerprint="", path="/a", title="A")
    with pytest.raises(ValueError, match="title must be a string"):
        library.upsert_article(fingerprint="fp", path="/a", title=None)  # type: ignore[arg-type]


def test_positions_are_copies_and_unchanged_ones_are_not_written(library: Library, db: Path):
    assert library.get_position("art") is None
    position = {"offset": 10, "line": 2}
    library.set_position("art", position)
    position["offset"] = 99
    got = library.get_position("art")
    assert got == {"offset": 10, "line": 2}
    got["line"] = 5
    assert library.get_position("art") == {"offset": 10, "line": 2}
    before = db.stat().st_mtime_ns, db.stat().st_ino
    library.set_position("art", {"offset": 10, "line": 2})
    assert (db.stat().st_mtime_ns, db.stat().st_ino) == before
    assert main_file(db)["positions"]["art"] == {"offset": 10, "line": 2}
    with pytest.raises(ValueError):
        library.set_position("../bad", {})


def test_settings_hold_any_json_value(library: Library, db: Path):
    assert library.get_setting("width", 80) == 80
    library.set_setting("width", 100)
    library.set_setting("tags", ["a", {"b": None}])
    assert library.get_setting("width") == 100
    assert library.get_setting("tags") == ["a", {"b": None}]
    assert main_file(db)["settings"]["width"] == {"value": 100}
    with pytest.raises(ValueError, match="non-empty string"):
        library.set_setting("", 1)
    with pytest.raises(ValueError, match="cannot be saved as JSON"):
        library.set_setting("bad", {1, 2})


def test_a_copy_opens_the_entry_without_moving_it(library: Library):
    """Same content at a second path, the first still there: the entry stays put."""
    first = library.upsert_article(fingerprint="fp", path="/a.md", title="A")
    asked: list[str] = []

    def still_there(path: str) -> bool:
        asked.append(path)
        return True

    copy = library.upsert_article(fingerprint="fp", path="/copy.md", title="Copy",
                                  still_there=still_there)
    assert asked == ["/a.md"]
    assert copy["id"] == first["id"]
    assert (copy["path"], copy["title"]) == ("/a.md", "A")
    assert copy["last_opened"] > first["last_opened"]
    assert [(a["path"], a["title"]) for a in library.articles()] == [("/a.md", "A")]


def test_an_entry_follows_its_file_when_the_known_one_is_gone(library: Library):
    first = library.upsert_article(fingerprint="fp", path="/a.md", title="A")
    moved = library.upsert_article(fingerprint="fp", path="/b.md", title="B",
                                   still_there=lambda path: False)
    assert moved["id"] == first["id"]
    assert (moved["path"], moved["title"]) == ("/b.md", "B")


def test_the_same_path_is_never_asked_about(library: Library):
    library.upsert_article(fingerprint="fp", path="/a.md", title="A")

    def never(path: str) -> bool:
        raise AssertionError(f"asked about {path}")

    again = library.upsert_article(fingerprint="fp", path="/a.md", title="A, retitled",
                                   still_there=never)
    assert again["title"] == "A, retitled"
