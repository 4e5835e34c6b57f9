"""The footer: keys in the first frame, following what can be done, and the mouse."""

from __future__ import annotations

from textual.geometry import Offset

from reader.tui.widgets.key_footer import KeyFooter
from reader.tui.widgets.outline import OutlineTree
from tests.ui.support import settle


def _footer_line(app) -> str:
    return app.screen.query_one(KeyFooter).render_line(0).text


async def test_keys_are_in_the_first_frame(make_reader, article_path, monkeypatch):
    drawn_in_first_frame: list[list[str]] = []
    app = make_reader(article_path)
    display = app._display

    def recording_display(screen, renderable):
        if renderable is not None and not drawn_in_first_frame:
            footer = app.screen.query_one(KeyFooter)
            drawn_in_first_frame.append([item.description for _, _, item in footer._spans])
        display(screen, renderable)

    monkeypatch.setattr(app, "_display", recording_display)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert drawn_in_first_frame[0][:2] == ["Contents", "Search"]
        assert drawn_in_first_frame[0][-1] == "palette"
        line = _footer_line(app)
        assert line.startswith(" t Contents  / Search ") and "? Keys" in line
        assert line.rstrip().endswith("▏^p palette") and len(line) == 100
        await pilot.press("q")


async def test_keys_follow_a_change_of_what_can_be_done(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        assert "Cancel selection" not in _footer_line(app)
        await pilot.press("v")  # start selecting: the selection keys come up
        await pilot.pause()
        assert "esc Cancel selection" in _footer_line(app)
        await pilot.press("escape")
        await pilot.pause()
        assert "Cancel selection" not in _footer_line(app)
        await pilot.press("q")


async def test_a_narrow_footer_keeps_the_palette_quit_and_keys_and_drops_the_others_first(
    make_reader, article_path
):
    app = make_reader(article_path)
    async with app.run_test(size=(40, 20)) as pilot:
        await settle(app, pilot)
        line = _footer_line(app)
        assert line.startswith(" t Contents  q Quit  ? Keys ") and "Search" not in line
        assert line.rstrip().endswith("▏^p palette") and len(line) == 40
        await pilot.press("q")


async def test_clicking_a_key_runs_it_and_hovering_shows_its_tooltip(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        footer = app.screen.query_one(KeyFooter)
        outline = app.screen.query_one(OutlineTree)
        assert not outline.display
        column = _footer_line(app).index("Contents")
        await pilot.hover(KeyFooter, offset=Offset(column, 0))
        assert footer.tooltip == "Show or hide the table of contents"
        await pilot.click(KeyFooter, offset=Offset(column, 0))
        await pilot.pause()
        assert outline.display
        await pilot.hover(KeyFooter, offset=Offset(_footer_line(app).index("Quit"), 0))
        assert footer.tooltip == "Save the position and quit"
        await pilot.press("q")
