"""Every key of the reading screen, driven through Textual's Pilot."""

from __future__ import annotations

from reader.tui.screens.help import HelpScreen
from reader.tui.widgets.article_view import ArticleView
from reader.tui.widgets.outline import OutlineTree
from reader.tui.widgets.search_bar import SearchBar
from reader.tui.widgets.status_bar import StatusBar
from tests.ui.support import cursor_sentence, settle

SIZE = (100, 30)


def _view(app) -> ArticleView:
    return app.screen.query_one(ArticleView)


async def test_opens_at_the_first_sentence_with_title_in_status(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert cursor_sentence(app) == "Test Article"
        status = app.screen.query_one(StatusBar)
        assert status.title == "Test Article"
        assert status.percent == 0
        assert status.minutes >= 1


async def test_j_k_and_arrows_move_by_sentence(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j")
        assert cursor_sentence(app) == "The opening paragraph sets the scene."
        await pilot.press("down")
        assert cursor_sentence(app) == "It has a second sentence with bold text."
        await pilot.press("j")
        assert cursor_sentence(app).startswith("A third sentence mentions Dr. Smith and the U.S.")
        await pilot.press("k", "up")
        assert cursor_sentence(app) == "The opening paragraph sets the scene."


async def test_braces_move_by_paragraph(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("right_curly_bracket")
        assert cursor_sentence(app) == "The opening paragraph sets the scene."
        await pilot.press("right_curly_bracket")
        assert cursor_sentence(app) == "First Section"
        await pilot.press("right_curly_bracket", "j")
        assert cursor_sentence(app) == "Another sentence follows it."
        await pilot.press("left_curly_bracket")
        assert cursor_sentence(app) == "This section's first paragraph is here."
        await pilot.press("left_curly_bracket")
        assert cursor_sentence(app) == "First Section"


async def test_brackets_move_by_section_and_update_status(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        status = app.screen.query_one(StatusBar)
        # ] lands on a section's first sentence, under its heading.
        await pilot.press("right_square_bracket")
        assert cursor_sentence(app) == "This section's first paragraph is here."
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert cursor_sentence(app) == "Sentence one of the subsection."
        await pilot.pause()
        assert status.section == "A Subsection"
        await pilot.press("left_square_bracket")
        assert cursor_sentence(app).startswith("Paragraph of the second section")
        await pilot.pause()
        assert status.section == "Second Section"


async def test_page_keys_scroll_and_keep_the_cursor_on_screen(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        for key in ("space", "pagedown"):
            before = view.scroll_offset.y
            await pilot.press(key)
            await pilot.pause()
            assert view.scroll_offset.y > before
            line = view.layout_.line_at(view.cursor_offset)
            assert view.scroll_offset.y <= line < view.scroll_offset.y + view.size.height
        for key in ("b", "pageup"):
            before = view.scroll_offset.y
            await pilot.press(key)
            await pilot.pause()
            assert view.scroll_offset.y < before
            line = view.layout_.line_at(view.cursor_offset)
            assert view.scroll_offset.y <= line < view.scroll_offset.y + view.size.height


async def test_g_and_G_and_home_end(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("G")
        assert cursor_sentence(app) == "The final words of the article."
        assert view.scroll_offset.y > 0
        await pilot.press("g")
        assert cursor_sentence(app) == "Test Article"
        assert view.scroll_offset.y == 0
        await pilot.press("end")
        assert cursor_sentence(app) == "The final words of the article."
        await pilot.pause()
        assert app.screen.query_one(StatusBar).percent == 100
        await pilot.press("home")
        assert view.cursor_index == 0


async def test_t_toggles_the_contents_and_enter_jumps(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        outline = app.screen.query_one(OutlineTree)
        assert not outline.display
        await pilot.press("t")
        assert outline.display
        outline.focus()
        await pilot.pause()
        # Headings in the tree: Test Article > First Section, Second Section > ...
        await pilot.press("down", "down", "enter")
        await pilot.pause()
        assert cursor_sentence(app) == "Second Section"
        assert _view(app).has_focus
        await pilot.press("t")
        assert not outline.display


async def test_contents_marks_the_section_being_read(make_reader, article_path):
    app = make_reader(article_path, show_outline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        outline = app.screen.query_one(OutlineTree)
        await pilot.press("right_square_bracket", "right_square_bracket")
        await pilot.pause()
        assert outline.cursor_node is not None
        assert str(outline.cursor_node.label) == "Second Section"


async def test_clicking_a_heading_in_the_contents_jumps_there(make_reader, article_path):
    app = make_reader(article_path, show_outline=True)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        outline = app.screen.query_one(OutlineTree)
        node = next(n for n in outline._section_nodes if str(n.label) == "Last Section")
        await pilot.click(OutlineTree, offset=(4, node.line - outline.scroll_offset.y))
        await pilot.pause()
        assert cursor_sentence(app) == "Last Section"


async def test_search_marks_matches_and_n_N_walk_them(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("slash")
        assert app.screen.query_one(SearchBar).display
        await pilot.press(*"filler", "enter")
        await pilot.pause()
        assert view.match_count == 30
        assert cursor_sentence(app).startswith("Filler paragraph 1 ")
        assert view.has_focus
        await pilot.press("n")
        assert cursor_sentence(app).startswith("Filler paragraph 2 ")
        await pilot.press("N", "N")
        assert cursor_sentence(app).startswith("Filler paragraph 30 ")  # wrapped to the end
        await pilot.pause()
        assert "match 30/30" in app.screen.query_one(StatusBar).note


async def test_search_finds_a_phrase_split_across_screen_lines(make_reader, article_path):
    app = make_reader(article_path, reading_width=30)
    async with app.run_test(size=(40, 30)) as pilot:
        view = await settle(app, pilot)
        phrase = "wraps across several lines"
        start = view.document.text.index(phrase)
        lines = view.layout_.lines_for(start, start + len(phrase))
        assert len(lines) > 1  # the phrase really is split on screen
        await pilot.press("slash", *phrase, "enter")
        await pilot.pause()
        assert view.match_count == 1
        assert cursor_sentence(app).startswith("Paragraph of the second section")


async def test_escape_closes_search_and_returns_to_the_article(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        await pilot.press("slash", "x", "escape")
        await pilot.pause()
        assert not app.screen.query_one(SearchBar).display
        assert view.has_focus


async def test_question_mark_lists_every_key(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(group) for group in app.screen._groups)
        for keys in ("j, down", "{", "}", "[", "]", "space, pagedown", "b, pageup", "g, home",
                     "G, end", "t", "/", "n", "N", "?", "q"):
            assert f"'{keys}'" in shown, keys
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


async def test_q_quits(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0
    assert not app.is_running


async def test_reading_position_is_restored(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("right_square_bracket", "right_square_bracket")
        remembered = cursor_sentence(app)
        await pilot.press("q")
    again = make_reader(article_path)
    async with again.run_test(size=SIZE) as pilot:
        await settle(again, pilot)
        assert cursor_sentence(again) == remembered == (
            "Paragraph of the second section, which is rather long so that it wraps across "
            "several lines of the reading view when the width is narrow enough to force "
            "wrapping of the text.")


async def test_width_keys_and_resize_rewrap(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        assert view.layout_.width == 80
        await pilot.press("minus")
        await pilot.pause()
        assert view.layout_.width == 76
        await pilot.press("plus", "plus")
        await pilot.pause()
        assert view.layout_.width == 84
        await pilot.resize_terminal(50, 30)
        await pilot.pause()
        # The text column shrinks to the window, less margins and the scrollbar.
        assert view.layout_.width == view.scrollable_content_region.width - 3 < 50
        for line in range(len(view.layout_)):
            assert view.layout_.ends[line] - view.layout_.starts[line] <= 48


async def test_command_palette_runs_reading_commands(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"next section")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.3)
        assert cursor_sentence(app) == "This section's first paragraph is here."


async def test_clicking_text_moves_the_cursor(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        view = await settle(app, pilot)
        target = view.document.text.index("This section's first paragraph")
        line = view.layout_.line_at(target)
        margin = (view.size.width - view.layout_.width) // 2
        await pilot.click(ArticleView, offset=(margin + 2, line - int(view.scroll_offset.y)))
        await pilot.pause()
        assert cursor_sentence(app) == "This section's first paragraph is here."


async def test_width_contents_and_theme_are_remembered(make_reader, article_path):
    app = make_reader(article_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("minus", "minus", "t")
        app.theme = "textual-light"
        await pilot.pause()
        await pilot.press("q")
    again = make_reader(article_path)
    async with again.run_test(size=SIZE) as pilot:
        view = await settle(again, pilot)
        assert view.reading_width == 72
        assert again.screen.query_one(OutlineTree).display
        assert again.theme == "textual-light"
    # What the command line says wins over what was remembered.
    explicit = make_reader(article_path, reading_width=90, show_outline=False)
    async with explicit.run_test(size=SIZE) as pilot:
        view = await settle(explicit, pilot)
        assert view.reading_width == 90
        assert not explicit.screen.query_one(OutlineTree).display


async def test_a_long_heading_in_the_contents_ends_in_an_ellipsis_at_the_panel_edge(
        make_reader, tmp_path):
    long = "A heading far too long to fit in the contents panel at this width at all"
    path = tmp_path / "long.md"
    path.write_text(f"# Title\n\nText.\n\n## {long}\n\nMore text.\n\n## Short\n\nEnd.\n",
                    encoding="utf-8")
    app = make_reader(path, show_outline=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        outline = app.screen.query_one(OutlineTree)
        width = outline.scrollable_content_region.width
        rows = ["".join(segment.text for segment in outline.render_line(y))
                for y in range(outline.scrollable_content_region.height)]
        (row,) = [row for row in rows if "A heading far" in row]
        assert row.rstrip().endswith("…") and len(row.rstrip()) == width
        assert any(row.rstrip().endswith("Short") for row in rows)  # a short one is whole
