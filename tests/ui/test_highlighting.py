"""Highlighting from the keyboard and the mouse: colours, notes, tags, delete and undo."""

from __future__ import annotations

import zipfile

import pytest

from tests.ui.support import settle

SIZE = (100, 30)


def _texts(app) -> list[str]:
    return [h.text for h in app.screen.annotator.highlights]


def _stored(store, app) -> list[dict]:
    return store.annotations(app.screen.article_id)


async def test_h_highlights_the_current_sentence_durably(make_reader, article_path, store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("j", "h")
        await pilot.pause()
        assert _texts(app) == ["The opening paragraph sets the scene."]
        assert [r["color"] for r in _stored(store, app)] == ["yellow"]
        # It is drawn: the sentence's line carries the highlight colour.
        line = view.layout_.line_at(view.cursor_offset)
        strip = view._render_strip(line)
        yellow = view._style("highlight-yellow").bgcolor
        assert any(segment.style and segment.style.bgcolor == yellow for segment in strip)
        await pilot.press("h")
        await pilot.pause()
        assert len(_texts(app)) == 1  # a second h does not duplicate it


async def test_visual_selection_over_sentences_and_words(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("j", "v", "j")
        start, end = view.selection_span
        assert view.document.text[start:end] == (
            "The opening paragraph sets the scene. It has a second sentence with bold text.")
        await pilot.press("left", "left", "shift+right", "shift+right")
        start, end = view.selection_span
        assert view.document.text[start:end] == (
            "paragraph sets the scene. It has a second sentence with")
        await pilot.press("h")
        await pilot.pause()
        assert _texts(app) == ["paragraph sets the scene. It has a second sentence with"]
        assert view.selection_span is None


async def test_escape_cancels_a_selection(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("v", "j", "escape")
        assert view.selection_span is None
        await pilot.press("h")
        await pilot.pause()
        assert len(_texts(app)) == 1  # only the cursor's sentence


async def test_number_keys_colour_the_highlight_or_the_next_one(make_reader, article_path,
                                                               store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "3")
        await pilot.pause()
        assert [r["color"] for r in _stored(store, app)] == ["blue"]
        await pilot.press("j", "5", "h")
        await pilot.pause()
        colours = {h.text: h.color for h in app.screen.annotator.highlights}
        assert colours["It has a second sentence with bold text."] == "purple"


async def test_x_deletes_and_u_undoes_several_levels(make_reader, article_path, store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "2", "x")
        await pilot.pause()
        assert _texts(app) == [] and _stored(store, app) == []
        await pilot.press("u")
        await pilot.pause()
        assert [r["color"] for r in _stored(store, app)] == ["green"]
        await pilot.press("u")
        await pilot.pause()
        assert [r["color"] for r in _stored(store, app)] == ["yellow"]
        await pilot.press("u")
        await pilot.pause()
        assert _stored(store, app) == []


async def test_a_writes_a_note_and_ctrl_s_saves_it(make_reader, article_path, store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("j", "a")  # no highlight yet: one is made first
        await pilot.pause()
        await pilot.press(*"Scene setting", "enter", *"matters.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        [record] = _stored(store, app)
        assert record["note"] == "Scene setting\nmatters."
        # The note marker is drawn after the highlight's end.
        line = view.layout_.line_at(view.cursor_offset)
        assert "✎" in "".join(segment.text for segment in view._render_strip(line))


async def test_escape_on_a_changed_note_asks_first(make_reader, article_path, store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "a", *"draft")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("n")  # do not discard
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert _stored(store, app)[0]["note"] == "draft"
        await pilot.press("a", *" more", "escape")
        await pilot.pause()
        await pilot.press("y")  # discard
        await pilot.pause()
        assert _stored(store, app)[0]["note"] == "draft"


async def test_number_sign_edits_tags_with_completion(make_reader, article_path, store):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "number_sign")
        await pilot.pause()
        await pilot.press(*"#idea, method", "enter")
        await pilot.pause()
        assert _stored(store, app)[0]["tags"] == ["idea", "method"]
        await pilot.press("j", "number_sign")
        await pilot.pause()
        await pilot.press(*"me", "right", "enter")  # completes to the known tag
        await pilot.pause()
        tags = {h.text: h.tags for h in app.screen.annotator.highlights}
        assert tags["It has a second sentence with bold text."] == ("method",)


async def test_mouse_selection_then_h(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        text = view.document.text
        start = text.index("sets the scene")
        line = view.layout_.line_at(start)
        margin = (view._content_width() - view.layout_.width) // 2
        column = start - view.layout_.starts[line] + margin
        from textual.geometry import Offset
        from textual.selection import Selection

        view.selection_updated(Selection(Offset(column, line),
                                         Offset(column + len("sets the scene"), line)))
        assert view.selection_span == (start, start + len("sets the scene"))
        await pilot.press("h")
        await pilot.pause()
        assert _texts(app) == ["sets the scene"]


async def test_highlights_come_back_after_reopening(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "4", "q")
    again = make_reader(article_path)
    async with again.run_test(size=SIZE) as pilot:
        view = await settle(again, pilot)
        assert [(h.text, h.color) for h in view._highlights] == [
            ("The opening paragraph sets the scene.", "pink")]


async def test_command_palette_offers_highlight_actions(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "ctrl+p")
        await pilot.pause()
        await pilot.press(*"highlight current", "enter")
        await pilot.pause(0.3)
        assert _texts(app) == ["The opening paragraph sets the scene."]
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"colour green", "enter")
        await pilot.pause(0.3)
        assert [h.color for h in app.screen.annotator.highlights] == ["green"]


async def test_a_moved_file_keeps_its_highlights(make_reader, article_path, tmp_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "q")
    moved = tmp_path / "elsewhere" / "renamed.md"
    moved.parent.mkdir()
    article_path.rename(moved)
    again = make_reader(moved)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert _texts(again) == ["The opening paragraph sets the scene."]


async def test_an_edited_file_at_the_same_path_re_anchors(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket", "h", "q")
    text = article_path.read_text(encoding="utf-8")
    article_path.write_text(text.replace("# Test Article\n", "# Test Article\n\nA new "
                                         "introduction was added. It pushes everything down.\n"),
                            encoding="utf-8")
    again = make_reader(article_path)
    async with again.run_test(size=SIZE) as pilot:
        view = await settle(again, pilot)
        [highlight] = again.screen.annotator.highlights
        assert highlight.text == "This section's first paragraph is here."
        assert view.document.text[highlight.start:highlight.end] == highlight.text


async def test_r_reviews_this_article_and_returns(make_reader, article_path, store):
    from reader.tui.screens.reading import ReadingScreen
    from reader.tui.screens.review import ReviewScreen

    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "j", "h", "r")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("space")  # reveal
        await pilot.pause()
        await pilot.press("3")  # good
        await pilot.pause()
        reviewed = store.reviews(app.screen_stack[1].article_id)
        assert len(reviewed) == 1
        await pilot.press("q")
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        assert len(app.screen.annotator.highlights) == 2


async def test_E_exports_markdown_and_the_palette_offers_other_formats(make_reader, article_path,
                                                                      store, tmp_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "h", "a", *"A note.", "ctrl+s")
        await pilot.pause()
        await pilot.press("E")
        await app.workers.wait_for_complete()
        await pilot.pause()
        exported = tmp_path / "data" / "exports" / "Test Article.md"
        text = exported.read_text(encoding="utf-8")
        assert "> The opening paragraph sets the scene." in text
        assert "A note." in text
        # Choose a folder from the palette: it is remembered for the next E.
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export markdown to a folder", "enter")
        await pilot.pause(0.3)
        field = app.screen.query_one("#folder-input")
        field.value = str(tmp_path / "notes")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert (tmp_path / "notes" / "Test Article.md").exists()
        assert app.setting("export_folder", "") == str(tmp_path / "notes")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export: csv", "enter")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        assert (tmp_path / "notes" / "Test Article.csv").exists()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"export: an anki deck", "enter")
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        deck = tmp_path / "notes" / "Test Article.apkg"
        assert zipfile.is_zipfile(deck)  # an Anki package is a zip with its collection


@pytest.fixture
def slow_start(monkeypatch):
    """The start-up work after the first screen (which gives a new article its place
    in the library, and so its highlights) comes late enough to type before it."""
    from reader.tui.reading import loading

    monkeypatch.setattr(loading, "FIRST_FRAME_WRITE_SECONDS", 0.6)


async def _until_loaded(app, pilot) -> None:
    for _ in range(100):
        if getattr(app.screen, "annotator", None) is not None or not hasattr(app.screen, "view"):
            break
        await pilot.pause(0.05)
    await pilot.pause()


async def test_keys_typed_before_the_article_has_loaded_are_not_lost(make_reader, article_path,
                                                                      store, slow_start):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "h")
        assert app.screen.annotator is None  # the h waits for the load
        await _until_loaded(app, pilot)
        await pilot.pause()
        assert _texts(app) == ["The opening paragraph sets the scene."]
        assert len(_stored(store, app)) == 1


async def test_a_note_asked_for_while_loading_opens_once_loaded(make_reader, article_path,
                                                                slow_start):
    from reader.tui.screens.note_editor import NoteEditorScreen

    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "a")
        assert app.screen.annotator is None
        await _until_loaded(app, pilot)
        for _ in range(20):
            if isinstance(app.screen, NoteEditorScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, NoteEditorScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert _texts(app) == []  # not saved: the highlight made for it went again


async def test_a_highlight_asked_for_while_loading_is_not_made_elsewhere(make_reader,
                                                                         article_path, store,
                                                                         slow_start):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "h", "j")  # the cursor moved on before the article loaded
        assert app.screen.annotator is None
        await _until_loaded(app, pilot)
        await pilot.pause()
        assert _texts(app) == []
        assert _stored(store, app) == []
