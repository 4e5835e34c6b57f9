"""What waits for the first painted screen: cyclic collection, and the library write."""

from __future__ import annotations

import gc

import pytest

from reader.tui import startup
from reader.tui.widgets.article_view import ArticleView
from tests.unit.test_progressive import _long_markdown


@pytest.fixture(autouse=True)
def collector_restored():
    yield
    restore_collector()


def restore_collector() -> None:
    startup.resume_collection()
    gc.enable()
    gc.unfreeze()


@pytest.mark.parametrize("sections", [2, 300], ids=["whole article", "preview first"])
async def test_reading_screen_resumes_collection_once_painted(make_reader, tmp_path, sections):
    path = tmp_path / "article.md"
    path.write_text(_long_markdown(sections), encoding="utf-8")
    startup.pause_collection()
    app = make_reader(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(ArticleView).document.text.startswith("Long Read")
        assert gc.isenabled() and not startup.collection_paused()
        await app.workers.wait_for_complete()
        await pilot.press("q")



@pytest.mark.parametrize("sections", [2, 300], ids=["whole article", "preview first"])
async def test_the_library_records_the_opening_after_the_first_frame(
    make_reader, store, tmp_path, monkeypatch, sections
):
    path = tmp_path / "article.md"
    path.write_text(_long_markdown(sections), encoding="utf-8")
    app = make_reader(path)
    events: list[str] = []
    upsert = store.upsert_article
    display = app._display

    def recording_upsert(**fields):
        events.append("write")
        return upsert(**fields)

    def recording_display(screen, renderable):
        if renderable is not None:
            events.append("frame")
        display(screen, renderable)

    monkeypatch.setattr(store, "upsert_article", recording_upsert)
    monkeypatch.setattr(app, "_display", recording_display)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert events[0] == "frame" and events.count("write") == 1
        article = store.find_article(path=str(path))
        assert article is not None and app.screen.article_id == article["id"]
        # A new article can be highlighted once it is in the library.
        await pilot.press("h")
        await pilot.pause()
        assert len(store.annotations(article["id"])) == 1
        await pilot.press("q")
