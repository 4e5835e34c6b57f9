"""Small helpers the UI tests share."""

from __future__ import annotations

from reader.tui.widgets.article_view import ArticleView


async def settle(app, pilot) -> ArticleView:
    """Wait until the article is loaded (workers done) and return its view."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    return app.screen.query_one(ArticleView)


def cursor_sentence(app) -> str:
    """The text of the sentence under the cursor."""
    view = app.screen.query_one(ArticleView)
    start, end = view.cursor_span
    return view.document.text[start:end]
