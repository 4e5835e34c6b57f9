"""Keys and the highlights panel: P goes in and out, / filters it, its filter box only types."""

from __future__ import annotations

from textual.geometry import Region

from reader.tui.screens.help import HelpScreen
from reader.tui.screens.reading import ReadingScreen
from reader.tui.widgets.annotation_list import AnnotationList
from reader.tui.widgets.annotation_panel import AnnotationPanel
from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.search_bar import SearchBar
from tests.ui.support import settle

SIZE = (120, 30)


async def _two_highlights(pilot) -> None:
    await pilot.press("j", "h", "j", "2", "h")
    await pilot.pause()


def _drawn(widget) -> str:
    """The text a widget draws, all of it (even the part scrolled out of view)."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join("".join(segment.text for segment in strip) for strip in strips)


def _footer_text(app) -> str:
    footer = app.screen.query_one(KeyFooter)
    return "".join(segment.text for segment in footer.render_line(0))


async def test_P_opens_the_panel_and_moves_into_it_then_back(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await _two_highlights(pilot)
        assert "P Into panel" in _footer_text(app)
        assert not app.screen.query(AnnotationPanel)
        await pilot.press("P")
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.display
        assert isinstance(app.focused, AnnotationList)
        inside = panel.styles.border_left
        # In the panel, j moves its cursor (not the article's) and enter goes there.
        before = view.cursor_index
        await pilot.press("g", "j")
        assert view.cursor_index == before
        await pilot.press("P")
        await pilot.pause()
        assert app.focused is view
        assert panel.display  # coming back leaves the panel open
        assert panel.styles.border_left != inside  # its edge shows where the keys go
        # P on an open panel goes straight in.
        await pilot.press("P")
        await pilot.pause()
        assert isinstance(app.focused, AnnotationList)


async def test_escape_backs_out_of_the_filter_and_P_back_to_the_article(make_reader,
                                                                        article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await _two_highlights(pilot)
        await pilot.press("P", "slash", *"green")
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.filter_text == "green"
        await pilot.press("escape")  # out of the filter box
        assert isinstance(app.focused, AnnotationList)
        await pilot.press("escape")  # the filter cleared
        await pilot.pause()
        assert panel.filter_text == ""
        assert isinstance(app.focused, AnnotationList)
        await pilot.press("P")  # back to the article
        await pilot.pause()
        assert app.focused is view
        before = view.cursor_index
        await pilot.press("j")  # and the article's keys work again
        assert view.cursor_index == before + 1


async def test_slash_in_the_panel_filters_the_panel_not_the_article(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await _two_highlights(pilot)
        await pilot.press("P", "slash")
        await pilot.pause()
        search = app.screen.query_one(SearchBar)
        assert not search.display
        await pilot.press(*"c:green", "enter")
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.filter_text == "c:green"
        assert "1 of 2 shown" in str(panel.query_one("#annotation-counts").render())
        assert view.matches.query == ""
        # From the article, / still searches the article.
        await pilot.press("P")
        await pilot.pause()
        assert app.focused is view
        await pilot.press("slash")
        await pilot.pause()
        assert search.display


async def test_keys_typed_into_the_filter_only_type(make_reader, article_path, store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await _two_highlights(pilot)
        stored_before = store.annotations(app.screen.article_id)
        cursor_before = view.cursor_index
        await pilot.press("P", "slash")
        await pilot.pause()
        typed = "qhx1a#upPtrEG?/gjk]["
        await pilot.press(*typed)
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.filter_text == typed
        assert app.is_running and isinstance(app.screen, ReadingScreen)
        assert not isinstance(app.screen, HelpScreen)
        assert store.annotations(app.screen.article_id) == stored_before
        assert view.cursor_index == cursor_before
        assert panel.display
        assert not app.screen.query_one(OutlineTree).display
        assert not app.screen.query_one(SearchBar).display
        assert "Nothing matches the filter." in "".join(
            segment.text for segment in panel.query_one(AnnotationList).render_line(0))


async def test_help_lists_the_panel_keys(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = "\n".join(_drawn(table) for table in app.screen.query(".help-table"))
        assert "Move into the highlights panel" in shown
        assert "Show this highlight in the article" in shown
        assert "Filter the highlights" in shown
