"""Large articles: a preview first, the whole article from a worker, the place kept."""

from __future__ import annotations

from reader.sources.progressive import preview_document
from reader.tui.reading import loading
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.status_bar import StatusBar
from tests.unit.test_progressive import _long_markdown


async def test_preview_then_whole_document_keeps_the_reading_place(
    make_reader, tmp_path, monkeypatch
):
    previews = []

    def recording_preview(source, line=0):
        previews.append(preview_document(source, line))
        return previews[-1]

    monkeypatch.setattr(loading, "preview_document", recording_preview)
    path = tmp_path / "long.md"
    path.write_text(_long_markdown(300), encoding="utf-8")
    app = make_reader(path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        # Read into the article; the first screen came from a preview.
        for _ in range(6):
            await pilot.press("j")
        sentence_before = view.document.text[slice(*view.cursor_span)]
        row_before = view.layout_.line_at(view.cursor_offset) - view.scroll_offset.y
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert view.document.complete
        assert app.screen.query_one(StatusBar).note == ""
        assert view.document.text[slice(*view.cursor_span)] == sentence_before
        assert view.layout_.line_at(view.cursor_offset) - view.scroll_offset.y == row_before
        outline = app.screen.query_one(OutlineTree)
        assert len(outline._section_nodes) == 301
        await pilot.press("q")

    # Reopen: the saved position at the far end is shown from a preview around it.
    again = make_reader(path)
    async with again.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = again.screen.query_one(ArticleView)
        await again.workers.wait_for_complete()
        await pilot.pause()
        assert view.document.text[slice(*view.cursor_span)] == sentence_before
        await pilot.press("G")
        await pilot.press("q")

    third = make_reader(path)
    async with third.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = third.screen.query_one(ArticleView)
        # The first screen came from a preview around the end, not the whole article.
        assert not previews[-1].complete
        await third.workers.wait_for_complete()
        await pilot.pause()
        assert len(previews[-1].text) < len(view.document.text) / 4
        assert view.document.complete
        assert view.cursor_index == view.document.sentence_count - 1
        assert third.screen.query_one(StatusBar).percent == 100
