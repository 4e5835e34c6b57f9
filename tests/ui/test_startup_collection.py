"""The first painted screen turns cyclic collection back on after start-up paused it."""

from __future__ import annotations

import gc

import pytest

from reader import startup
from reader.widgets.article_view import ArticleView
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

