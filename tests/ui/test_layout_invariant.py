"""The reading view is laid out for the pane it has, after any resizes and panel toggles."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from reader.sources.loader import read_article
from reader.store import Store
from reader.tui.app import make_app
from reader.tui.reading.panels import MIN_TEXT_COLUMNS, OVERLAY
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.key_footer import KeyFooter
from tests.ui.layout_check import article_text, check_reading_view, screen_rows


@pytest.fixture
def article(tmp_path: Path) -> Path:
    path = tmp_path / "night.md"
    path.write_text(article_text(), encoding="utf-8")
    return path


async def run_steps(article: Path, db: Path, size: tuple[int, int], steps: list) -> None:
    app = make_app(read_article(str(article)), Store(db))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for step in steps:
            if isinstance(step, tuple):
                await pilot.resize_terminal(*step)
            else:
                await pilot.press(step)
            await pilot.pause()
            await pilot.pause()
            check_reading_view(app)
            view = app.screen.query_one(ArticleView)
            assert view.layout_.width >= min(MIN_TEXT_COLUMNS, view.reading_width) or (
                view.scrollable_content_region.width < MIN_TEXT_COLUMNS + 6
            ), f"text squeezed to {view.layout_.width} columns at {app.size}"


step = st.one_of(
    st.sampled_from(["t", "p", "j", "space"]),
    st.tuples(st.integers(40, 250), st.integers(12, 80)),
)


# Each example runs the app, so there are few of them and no shrinking (a failure
# prints its sizes and steps, which is what is needed to replay it).
@settings(max_examples=12, deadline=None, phases=[Phase.explicit, Phase.generate],
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.tuples(st.integers(40, 250), st.integers(12, 80)),
       steps=st.lists(step, min_size=1, max_size=6))
@example(size=(120, 30), steps=["j", "t", "j"])
@example(size=(200, 50), steps=["t", (150, 50), "p", (250, 80), "t"])
@example(size=(40, 12), steps=["t", "p", (60, 20)])
def test_every_line_on_screen_is_laid_out_for_the_pane_it_is_in(article, tmp_path, size, steps):
    db = tmp_path / f"library-{size[0]}x{size[1]}-{len(steps)}.json"
    asyncio.run(run_steps(article, db, size, [*steps, "t", "p"]))


@pytest.mark.parametrize("size", [(120, 30), (200, 50), (80, 24)])
async def test_contents_toggled_rewraps_and_recentres_every_line(article, tmp_path, size):
    app = make_app(read_article(str(article)), Store(tmp_path / "db.json"))
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in ["j", "j", "t", "j", "t", "p", "t", "p", "p"]:
            await pilot.press(key)
            await pilot.pause()
            assert check_reading_view(app) > 3


async def test_two_panels_that_would_squeeze_the_text_leave_one_open(article, tmp_path):
    app = make_app(read_article(str(article)), Store(tmp_path / "db.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("p")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert not screen.outline.display, "the contents should have made room"
        assert screen.highlights_panel().display
        assert screen.query_one(ArticleView).layout_.width >= MIN_TEXT_COLUMNS
        check_reading_view(app)
        # The remembered state is what the reader asked for, not what fitted.
        assert app.setting("outline", False) is True


async def test_a_lone_panel_on_a_narrow_terminal_floats_over_the_text(article, tmp_path):
    app = make_app(read_article(str(article)), Store(tmp_path / "db.json"))
    async with app.run_test(size=(50, 16)) as pilot:
        await pilot.pause()
        width_before = app.screen.query_one(ArticleView).layout_.width
        await pilot.press("t")
        await pilot.pause()
        await pilot.pause()
        assert app.screen.outline.has_class(OVERLAY)
        assert app.screen.query_one(ArticleView).layout_.width == width_before
        check_reading_view(app)
        await pilot.resize_terminal(160, 40)
        await pilot.pause()
        await pilot.pause()
        assert not app.screen.outline.has_class(OVERLAY)
        check_reading_view(app)


async def test_remembered_panels_never_open_an_article_squeezed(article, tmp_path):
    db = tmp_path / "db.json"
    store = Store(db)
    app = make_app(read_article(str(article)), store)
    async with app.run_test(size=(200, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t", "p")
        await pilot.pause()
    app = make_app(read_article(str(article)), Store(db))
    async with app.run_test(size=(70, 20)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.pause()
        shown = [p for p in (app.screen.outline, app.screen.highlights_panel()) if p and p.display]
        assert len(shown) == 1
        view = app.screen.query_one(ArticleView)
        assert view.layout_.width >= MIN_TEXT_COLUMNS
        check_reading_view(app)


async def test_the_footer_keeps_quit_and_keys_at_80_columns(article, tmp_path):
    app = make_app(read_article(str(article)), Store(tmp_path / "db.json"))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeyFooter)
        line = screen_rows(app)[footer.region.y].text
        assert "q Quit" in line and "? Keys" in line, line
        assert "^p palette" in line


async def test_a_panel_closed_for_room_comes_back_when_there_is_room(article, tmp_path):
    app = make_app(read_article(str(article)), Store(tmp_path / "db.json"))
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("t", "p")
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        assert screen.outline.display and screen.highlights_panel().display
        await pilot.resize_terminal(80, 24)
        for _ in range(3):
            await pilot.pause()
        assert [p.display for p in (screen.outline, screen.highlights_panel())].count(True) == 1
        check_reading_view(app)
        await pilot.resize_terminal(120, 30)
        for _ in range(4):
            await pilot.pause()
        assert screen.outline.display and screen.highlights_panel().display
        check_reading_view(app)
        # At 80 columns again, closing the panel that stayed brings back the other one.
        await pilot.resize_terminal(80, 24)
        for _ in range(3):
            await pilot.pause()
        kept = screen.outline if screen.outline.display else screen.highlights_panel()
        await pilot.press("t" if kept is screen.outline else "p")
        for _ in range(4):
            await pilot.pause()
        other = screen.highlights_panel() if kept is screen.outline else screen.outline
        assert other.display and not kept.display
        check_reading_view(app)
