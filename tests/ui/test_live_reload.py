"""Live reload: the open article's file is rewritten while the app runs (in place, by an
editor's rename, missing for a moment), and a moved and edited file is offered a relink."""

from __future__ import annotations

import asyncio
import os
import time
from pathlib import Path

import pytest

from reader.annotations.records import new_record
from reader.sources.loader import parse_article, read_article
from reader.store import Store
from reader.tui.app import make_app
from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.reading import ReadingScreen
from tests.ui.library_support import LIGHTHOUSES

SIZE = (100, 30)
CURSOR = "They collected dues at the ports."
KEPT = "Many lights were built by private individuals."
LOST = "Markets found a way."


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "lighthouses.md"
    path.write_text(LIGHTHOUSES, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path: Path, article: Path):
    opened = Store(tmp_path / "data" / "readmark.json")
    source = read_article(article)
    document = parse_article(source)
    aid = opened.upsert_article(fingerprint=source.fingerprint, path=str(article),
                                title=document.title)["id"]
    for quote in (KEPT, LOST):
        start = document.text.index(quote)
        opened.add_annotation(new_record(document, aid, start, start + len(quote)))
    yield opened
    opened.close()


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def catch_notifications(app) -> list[str]:
    said: list[str] = []
    notify = app.notify

    def keep(message, **options):
        said.append(message)
        return notify(message, **options)

    app.notify = keep
    return said


async def wait_for_reload(pilot, screen: ReadingScreen, count: int = 1,
                          timeout: float = 6.0) -> float:
    started = time.monotonic()
    while screen.reloader.reloads < count:
        assert time.monotonic() - started < timeout, "the article was not reloaded"
        await pilot.pause(0.05)
    await settle(pilot)
    return time.monotonic() - started


async def to_sentence(pilot, screen: ReadingScreen, sentence: str) -> None:
    view = screen.view
    view.move_cursor_to_offset(view.document.text.index(sentence))
    await pilot.pause()


def cursor_text(screen: ReadingScreen) -> str:
    start, end = screen.view.cursor_span
    return screen.view.document.text[start:end]


def edited(text: str) -> str:
    """Two new paragraphs before the reader's place, and the LOST sentence gone."""
    return text.replace("## Who Paid for the Light", "## A New Section\n\nInserted first. "
                        "And a second sentence.\n\nAnother new paragraph here.\n\n"
                        "## Who Paid for the Light").replace(LOST, "")


async def test_rewritten_in_place_keeps_the_sentence_and_says_what_was_lost(article, store):
    app = make_app(read_article(article), store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = catch_notifications(app)
        screen = app.screen
        await to_sentence(pilot, screen, CURSOR)
        old_offset = screen.view.cursor_offset
        with open(article, "r+", encoding="utf-8") as handle:  # same inode
            text = handle.read()
            handle.seek(0)
            handle.write(edited(text))
            handle.truncate()
        await wait_for_reload(pilot, screen)
        assert "Inserted first." in screen.view.document.text
        assert cursor_text(screen) == CURSOR and screen.view.cursor_offset > old_offset
        highlights = {h.text: h for h in screen.annotator.highlights}
        kept = highlights[KEPT]
        assert not kept.detached and screen.view.document.text[kept.start:kept.end] == KEPT
        assert highlights[LOST].detached
        assert any("Reloaded" in m and "1 highlight could not be found and is listed under "
                   "Detached" in m for m in said), said
        # The library knows the new version (same article, new fingerprint).
        stored = store.find_article(path=str(article))
        assert stored["id"] == screen.article_id
        assert stored["fingerprint"] == read_article(article).fingerprint
        assert [r.get("detached") for r in store.annotations(stored["id"])].count(True) == 1


async def test_an_editors_save_by_rename_and_a_moment_without_the_file(article, store):
    app = make_app(read_article(article), store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = catch_notifications(app)
        screen = app.screen
        await to_sentence(pilot, screen, CURSOR)
        # Save by rename: a new file (a new inode) takes the old one's name.
        temporary = article.with_name(".lighthouses.md.swp")
        temporary.write_text(edited(LIGHTHOUSES), encoding="utf-8")
        os.replace(temporary, article)
        await wait_for_reload(pilot, screen)
        assert cursor_text(screen) == CURSOR and "Inserted first." in screen.view.document.text
        # Missing for a moment (deleted, then written again): reloaded, no alarm.
        article.unlink()
        await pilot.pause(0.6)
        article.write_text(edited(LIGHTHOUSES).replace("Inserted first.", "Written again."),
                           encoding="utf-8")
        await wait_for_reload(pilot, screen, count=2)
        assert "Written again." in screen.view.document.text
        assert cursor_text(screen) == CURSOR
        assert not any("moved or deleted" in m for m in said)


async def test_a_file_gone_for_good_is_said_once_and_the_text_stays(article, store,
                                                                    monkeypatch):
    import reader.tui.reading.reloading as reloading

    monkeypatch.setattr(reloading, "MISSING_SECONDS", 0.3)
    app = make_app(read_article(article), store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        said = catch_notifications(app)
        article.unlink()
        await asyncio.sleep(0)
        for _ in range(30):
            await pilot.pause(0.05)
        assert sum("moved or deleted" in m for m in said) == 1
        assert KEPT in app.screen.view.document.text


async def test_a_moved_and_edited_file_is_offered_its_highlights(article, store, tmp_path):
    moved = tmp_path / "moved" / "lights.md"
    moved.parent.mkdir()
    moved.write_text(LIGHTHOUSES.replace("# The Economics of Lighthouses",
                                         "# Lighthouses, revised"), encoding="utf-8")
    article.unlink()
    old_id = store.find_article(path=str(article))["id"]
    app = make_app(read_article(moved), store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(40):
            if isinstance(app.screen, ConfirmScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert question.startswith("This file holds 2 of the 2 highlighted passages of "
                                   "“The Economics of Lighthouses”")
        await pilot.press("y")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, ReadingScreen) and screen.article_id == old_id
        assert sorted(h.text for h in screen.annotator.highlights) == sorted([KEPT, LOST])
    assert [a["id"] for a in store.articles()] == [old_id]
    assert store.articles()[0]["path"] == str(moved)
