"""The highlights panel inside the reading screen: toggle, jump, filter, follow, re-attach."""

from __future__ import annotations

from reader.tui.widgets.annotation_panel import AnnotationPanel
from tests.ui.support import cursor_sentence, settle

SIZE = (120, 30)


async def _highlight_three(pilot) -> None:
    # The opening sentence, one in the first section, and the last words.
    await pilot.press("j", "h", "right_square_bracket", "j", "h", "2", "G", "h", "g")
    await pilot.pause()


async def test_p_toggles_the_panel_and_enter_jumps(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await _highlight_three(pilot)
        assert not app.screen.query(AnnotationPanel)  # built when first shown
        await pilot.press("p")
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        assert panel.display
        panel.focus()
        await pilot.pause()
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert cursor_sentence(app) == "The final words of the article."
        assert view.has_focus
        await pilot.press("p")
        assert not panel.display


async def test_panel_follows_the_reading_position(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await _highlight_three(pilot)
        await pilot.press("p")
        await pilot.pause()
        panel = app.screen.query_one(AnnotationPanel)
        await pilot.press("G")
        await pilot.pause()
        final = next(h for h in app.screen.annotator.highlights
                     if h.text == "The final words of the article.")
        assert panel.selected_id == final.id
        assert view.has_focus


async def test_panel_filter_narrows_by_colour(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await _highlight_three(pilot)
        await pilot.press("p")
        panel = app.screen.query_one(AnnotationPanel)
        panel.focus()
        await pilot.press("slash", *"c:green", "enter")
        await pilot.pause()
        assert panel.filter_text == "c:green"
        green = next(h for h in app.screen.annotator.highlights if h.color == "green")
        assert panel.selected_id == green.id
        assert "1 of 3 shown" in str(panel.query_one("#annotation-counts").render())


async def test_detached_highlight_is_listed_and_can_be_re_attached(make_reader, article_path,
                                                                   tmp_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "q")
    # The article is edited: that sentence is gone.
    article_path.write_text(
        article_path.read_text(encoding="utf-8").replace(
            "The opening paragraph sets the scene. ", ""), encoding="utf-8")
    again = make_reader(article_path)
    async with again.run_test(size=SIZE) as pilot:
        view = await settle(again, pilot)
        [detached] = again.screen.annotator.highlights
        assert detached.detached and detached.text == "The opening paragraph sets the scene."
        # Select new text, then enter on the detached entry.
        await pilot.press("g", "j", "v")
        await pilot.press("p")
        panel = again.screen.query_one(AnnotationPanel)
        panel.focus()
        await pilot.pause()
        assert panel.selected_id == detached.id
        await pilot.press("enter")
        await pilot.pause()
        [back] = again.screen.annotator.highlights
        assert not back.detached
        assert back.text == "It has a second sentence with bold text."
        assert view.selection_span is None
