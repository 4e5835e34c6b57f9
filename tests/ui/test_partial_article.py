"""An article shown from its first part while its snapshot is still being written."""

from __future__ import annotations

import threading
from pathlib import Path

from reader.sources.loader import ArticleError, ArticleSource, fingerprint, read_article
from reader.sources.partial import PartialSource
from reader.tui.app import make_app
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.status_bar import StatusBar
from tests.unit.test_progressive import _long_markdown


def first_part_of(path: Path, whole: str, rest) -> PartialSource:
    text = whole[: whole.index("## Section 20")]  # whole blocks, as a child sends them
    return PartialSource(path=str(path), text=text, format="markdown",
                         fingerprint=fingerprint(text), expected_chars=len(whole), rest=rest)


async def test_the_first_screen_comes_from_the_first_part_and_the_whole_follows(
    store, tmp_path
):
    whole = "---\ntitle: Long Read\n---\n\n" + _long_markdown(300)
    snapshot = tmp_path / "snapshots" / "long.md"
    ready = threading.Event()

    def rest() -> ArticleSource:  # the child writes the snapshot, then it is read
        assert ready.wait(20)
        snapshot.parent.mkdir()
        snapshot.write_text(whole, encoding="utf-8")
        return read_article(snapshot)

    app = make_app(first_part_of(snapshot, whole, rest), store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        status = app.screen.query_one(StatusBar)
        assert not view.document.complete
        assert status.title == "Long Read" and status.note == "loading…"
        assert "Section 0 paragraph 0 opens here." in view.document.text
        assert "Section 25 paragraph" not in view.document.text
        # The time left is the whole article's, not the first part's.
        assert status.minutes > 60
        await pilot.press("j", "j")
        sentence = view.document.text[slice(*view.cursor_span)]
        await pilot.pause(0.2)
        assert store.articles() == []  # nothing recorded before the whole exists

        ready.set()
        for _ in range(100):
            await pilot.pause(0.05)
            await app.workers.wait_for_complete()
            if view.document.complete:
                break
        assert view.document.complete and status.note == ""
        assert "Section 299 paragraph 11 opens here." in view.document.text
        assert view.document.text[slice(*view.cursor_span)] == sentence  # the place is kept
        assert app.screen.source.text == whole
        [article] = store.articles()
        assert article["fingerprint"] == fingerprint(whole)
        assert Path(article["path"]) == snapshot.resolve()
        await pilot.press("q")


async def test_when_the_rest_cannot_be_made_the_reader_closes_and_says_why(store, tmp_path):
    whole = "---\ntitle: Long Read\n---\n\n" + _long_markdown(300)

    def rest() -> ArticleSource:
        raise ArticleError("page.html: its snapshot could not be saved (No space left)")

    app = make_app(first_part_of(tmp_path / "long.md", whole, rest), store)
    async with app.run_test(size=(100, 30)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if app._exit:
                break
    assert app.return_code == 2
    assert store.articles() == []
