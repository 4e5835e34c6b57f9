"""g and G pressed while a large article is still loading go to its real start and end."""

from __future__ import annotations

import threading

import pytest

from reader.sources.progressive import whole_document
from reader.tui.screens import reading
from reader.tui.widgets.article_view import SYNC_LAYOUT_LIMIT, ArticleView
from reader.tui.widgets.status_bar import StatusBar
from tests.ui.support import cursor_sentence
from tests.unit.test_progressive import _long_markdown, _long_plain

SIZE = (100, 30)
LAST_WORDS = "The very last words of the long read."


@pytest.fixture
def held_parse(monkeypatch):
    """Keep the whole article from arriving until the test sets the returned event."""
    release = threading.Event()

    def slow_whole_document(source):
        release.wait(timeout=20)
        return whole_document(source)

    monkeypatch.setattr(reading, "whole_document", slow_whole_document)
    yield release
    release.set()


def _write(tmp_path, fmt: str):
    if fmt == "markdown":
        path = tmp_path / "long.md"
        path.write_text(_long_markdown(300) + f"\n## Afterword\n\n{LAST_WORDS}\n",
                        encoding="utf-8")
    else:
        path = tmp_path / "long.txt"
        path.write_text(_long_plain(400) + f"\nAfterword\n\n{LAST_WORDS}\n", encoding="utf-8")
    return path


async def _whole(app, pilot, release) -> ArticleView:
    release.set()
    await app.workers.wait_for_complete()
    await pilot.pause()
    view = app.screen.query_one(ArticleView)
    assert view.document.complete
    return view


def _last_screen(view: ArticleView) -> bool:
    """The article's last line is on the view's bottom row."""
    bottom = round(view.scroll_offset.y) + view.scrollable_content_region.height
    return bottom == len(view.layout_)


@pytest.mark.parametrize("fmt", ["markdown", "plain"])
async def test_G_while_loading_goes_to_the_real_end(make_reader, tmp_path, held_parse, fmt):
    app = make_reader(_write(tmp_path, fmt))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        assert not view.document.complete  # only the preview is there
        assert LAST_WORDS not in view.document.text
        await pilot.press("G")
        await pilot.pause()
        view = await _whole(app, pilot, held_parse)
        assert cursor_sentence(app) == LAST_WORDS
        assert _last_screen(view)
        await pilot.pause()
        assert app.screen.query_one(StatusBar).percent == 100


async def test_end_key_while_loading_also_counts(make_reader, tmp_path, held_parse):
    app = make_reader(_write(tmp_path, "markdown"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("end")
        await pilot.pause()
        view = await _whole(app, pilot, held_parse)
        assert cursor_sentence(app) == LAST_WORDS
        assert _last_screen(view)


async def test_moving_after_G_keeps_the_reader_where_they_went(make_reader, tmp_path,
                                                               held_parse):
    app = make_reader(_write(tmp_path, "markdown"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G", "k", "k")
        await pilot.pause()
        chosen = cursor_sentence(app)
        view = app.screen.query_one(ArticleView)
        row = view.layout_.line_at(view.cursor_offset) - round(view.scroll_offset.y)
        view = await _whole(app, pilot, held_parse)
        # Not the end: the sentence the reader moved to, on the same row.
        assert cursor_sentence(app) == chosen != LAST_WORDS
        assert view.layout_.line_at(view.cursor_offset) - round(view.scroll_offset.y) == row


async def test_g_while_loading_from_a_saved_place_goes_to_the_real_start(
        make_reader, tmp_path, held_parse):
    path = _write(tmp_path, "markdown")
    held_parse.set()  # the first visit loads normally
    first = make_reader(path)
    async with first.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await first.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("G", "q")
    held_parse.clear()
    again = make_reader(path)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        view = again.screen.query_one(ArticleView)
        # The preview is around the saved place, far from the top.
        assert not view.document.complete
        assert "Section 0 paragraph 0" not in view.document.text
        await pilot.press("g")
        await pilot.pause()
        view = await _whole(again, pilot, held_parse)
        assert view.cursor_index == 0
        assert cursor_sentence(again) == "Long Read"
        assert round(view.scroll_offset.y) == 0


async def test_G_after_the_article_is_loaded_is_unchanged(make_reader, tmp_path, held_parse):
    held_parse.set()
    app = make_reader(_write(tmp_path, "markdown"))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("G")
        view = app.screen.query_one(ArticleView)
        assert cursor_sentence(app) == LAST_WORDS
        assert _last_screen(view)
        await pilot.press("k", "g")
        assert view.cursor_index == 0


async def test_G_while_loading_survives_a_layout_made_in_the_background(
        make_reader, tmp_path, held_parse, monkeypatch):
    from reader.document.layout import layout_document

    # The worker's layout does not fit (as after a resize), so the view lays the
    # whole article out again in a thread of its own before showing it.
    monkeypatch.setattr(reading, "layout_document",
                        lambda document, width: layout_document(document, width - 4))
    path = _write(tmp_path, "markdown")
    app = make_reader(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("G")
        await pilot.pause()
        view = await _whole(app, pilot, held_parse)
        assert len(view.document.text) > SYNC_LAYOUT_LIMIT  # laid out in a thread
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.layout_.width == view.text_width()
        assert cursor_sentence(app) == LAST_WORDS
        assert _last_screen(view)
