"""a (note) or # (tags) on plain text, then cancelled: no highlight is left behind."""

from __future__ import annotations

from reader.tui.screens.confirm import ConfirmScreen
from reader.tui.screens.note_editor import NoteEditorScreen
from reader.tui.screens.reading import ReadingScreen
from reader.tui.screens.tag_editor import TagEditorScreen
from tests.ui.support import settle

SIZE = (100, 30)
OPENING = "The opening paragraph sets the scene."


def _stored(store, app) -> list[dict]:
    return store.annotations(app.screen.article_id)


def _drawn_colours(view) -> set:
    """Background colours drawn on the cursor's line."""
    line = view.layout_.line_at(view.cursor_offset)
    return {segment.style.bgcolor for segment in view._render_strip(line) if segment.style}


async def test_a_then_discarding_the_note_leaves_no_highlight(make_reader, article_path,
                                                             store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        yellow = view._style("highlight-yellow").bgcolor
        await pilot.press("j", "a")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press(*"half a thought", "escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")  # discard
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        assert _stored(store, app) == []
        assert app.screen.annotator.highlights == []
        assert yellow not in _drawn_colours(view)
        # No phantom step: there is nothing to undo.
        assert len(app.screen.annotator.history) == 0
        await pilot.press("u")
        await pilot.pause()
        assert _stored(store, app) == []
        assert [n.message for n in app._notifications][-1] == "Nothing to undo."


async def test_a_then_escape_with_nothing_typed_leaves_no_highlight(make_reader, article_path,
                                                                   store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "a")
        await pilot.pause()
        await pilot.press("escape")  # nothing changed: closes without asking
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        assert _stored(store, app) == []


async def test_discarding_keeps_earlier_highlights_and_their_undo(make_reader, article_path,
                                                                 store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "j", "a", *"no", "escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert [h.text for h in app.screen.annotator.highlights] == [OPENING]
        # The next u takes back the first highlight, not a ghost of the second.
        await pilot.press("u")
        await pilot.pause()
        assert _stored(store, app) == []


async def test_a_on_a_highlight_then_discarding_keeps_the_highlight(make_reader, article_path,
                                                                   store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "a", *"maybe", "escape")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        [record] = _stored(store, app)
        assert record["note"] == ""
        assert [h.text for h in app.screen.annotator.highlights] == [OPENING]


async def test_a_then_saving_keeps_the_highlight_with_its_note(make_reader, article_path,
                                                              store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "a", *"kept", "ctrl+s")
        await pilot.pause()
        [record] = _stored(store, app)
        assert record["note"] == "kept"


async def test_tags_on_plain_text_then_escape_leaves_no_highlight(make_reader, article_path,
                                                                 store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "number_sign")
        await pilot.pause()
        assert isinstance(app.screen, TagEditorScreen)
        await pilot.press(*"idea", "escape")
        await pilot.pause()
        assert _stored(store, app) == []
        assert len(app.screen.annotator.history) == 0
