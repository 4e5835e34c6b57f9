"""The sample with the Markdown real articles contain, on screen: tables laid out to the
width (and searched, clicked and highlighted inside their cells), callouts, task lists,
HTML reduced to text.

Update after looking at the report:
pytest tests/ui/test_real_world_markdown.py --snapshot-update
"""

from __future__ import annotations

from reader.annotations.records import Highlight
from reader.annotations.selectors import TextQuote
from reader.document.cells import text_cells
from reader.document.model import BlockKind
from reader.sources.shipped import samples_dir
from reader.tui.widgets.article_view import ArticleView
from tests.ui.support import cursor_sentence, settle

SAMPLE = samples_dir() / "real_world.md"


def _rows(view: ArticleView) -> list[str]:
    return [view.render_line(y).text for y in range(view.size.height)]


def _first_table(view: ArticleView):
    return next(b for b in view.document.blocks if b.kind is BlockKind.TABLE)


def _go_to(view: ArticleView, needle: str) -> None:
    view.move_cursor_to_offset(view.document.text.index(needle), top=True)


def _snapshot_at(needle: str):
    async def run_before(pilot) -> None:
        view = await settle(pilot.app, pilot)
        if needle:
            _go_to(view, needle)
        await pilot.pause()

    return run_before


# ---------------------------------------------------------------- snapshots
def test_wide_table_at_80_columns(snap_compare, make_reader):
    app = make_reader(SAMPLE)
    assert snap_compare(app, terminal_size=(80, 24), run_before=_snapshot_at("Reading"))


def test_callouts_and_task_list_at_80_columns(snap_compare, make_reader):
    app = make_reader(SAMPLE)
    assert snap_compare(app, terminal_size=(80, 24),
                        run_before=_snapshot_at("Before you mount"))


def test_table_as_records_on_a_narrow_terminal(snap_compare, make_reader):
    app = make_reader(SAMPLE)
    assert snap_compare(app, terminal_size=(44, 24), run_before=_snapshot_at("Reading"))


def test_html_details_figure_and_keys_at_200_columns(snap_compare, make_reader):
    app = make_reader(SAMPLE, reading_width=120)
    assert snap_compare(app, terminal_size=(200, 50),
                        run_before=_snapshot_at("Reading the console"))


# ------------------------------------------------------------ table mapping
async def test_a_search_inside_a_wrapped_cell_marks_the_word_where_it_is_drawn(make_reader):
    app = make_reader(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(app, pilot)
        assert view.search("droppings") == 1
        await pilot.pause()
        start, _ = view.matches.span(0)
        line = view.layout_.line_at(start)
        assert line in view.layout_.runs  # the table is laid out in columns here
        row = line - round(view.scroll_offset.y)
        assert 0 <= row < view.size.height
        strip = view.render_line(row)
        current = view._style("search-current").bgcolor
        marked = [s.text for s in strip if s.style is not None and s.style.bgcolor == current]
        assert "".join(marked) == "droppings"
        text = strip.text
        # Drawn in the last column: after the row's last separator.
        assert text.index("droppings") > text.rindex("│")
        await pilot.press("q")


async def test_clicks_on_table_cells_find_the_text_drawn_there(make_reader):
    app = make_reader(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(app, pilot)
        _go_to(view, "Reading")
        await pilot.pause()
        rows = _rows(view)
        text = view.document.text
        for word in ("hPa", "1100", "forecast", "funnel", "Rainfall"):
            y = next(i for i, row in enumerate(rows) if f" {word}" in row or
                     row.lstrip().startswith(word))
            x = text_cells(rows[y][: rows[y].index(word)])
            offset = view.offset_at(x, y)
            assert offset is not None and text[offset : offset + len(word)] == word
        # A click on a separator finds the start of the cell after it.
        y = next(i for i, row in enumerate(rows) if "Pressure" in row)
        x = rows[y].index("│")
        offset = view.offset_at(x, y)
        assert text[offset : offset + 3] == "hPa"
        await pilot.click(ArticleView, offset=(rows[y].index("hPa"), y))
        table = _first_table(view)
        assert cursor_sentence(app) == text[table.start : table.end]
        await pilot.press("q")


async def test_a_highlight_over_a_wrapped_cell_shows_on_each_of_its_lines(make_reader):
    app = make_reader(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(app, pilot)
        text = view.document.text
        start = text.index("bird droppings")
        end = start + len("bird droppings")
        view.set_highlights([Highlight(id="h", article_id="a", start=start, end=end,
                                       quote=TextQuote(text[start:end]), color="green")])
        _go_to(view, "Reading")
        await pilot.pause()
        lines = view.layout_.lines_for(start, end)
        assert len(lines) == 2
        green = view._style("highlight-green").bgcolor
        shown = []
        for line in lines:
            strip = view.render_line(line - round(view.scroll_offset.y))
            shown.append("".join(s.text for s in strip
                                 if s.style is not None and s.style.bgcolor == green))
        assert [part.strip() for part in shown] == ["bird", "droppings"]
        await pilot.press("q")


async def test_the_table_is_laid_out_again_for_a_new_width(make_reader):
    app = make_reader(SAMPLE)
    async with app.run_test(size=(80, 24)) as pilot:
        view = await settle(app, pilot)
        table = view.document.blocks.index(_first_table(view))
        narrow = sum(1 for line in range(len(view.layout_)) if view.layout_.blocks[line] == table)
        await pilot.resize_terminal(200, 40)
        await pilot.pause()
        view.reading_width = 140
        await pilot.pause()
        layout = view.layout_
        wide = [line for line in range(len(layout)) if layout.blocks[line] == table]
        assert layout.width == view.text_width()
        assert len(wide) < narrow
        # At this width the whole table fits: a header and five rows, one line each.
        assert len(wide) == 6
        await pilot.press("q")


async def test_callouts_task_items_and_html_read_as_text(make_reader):
    app = make_reader(SAMPLE, reading_width=100)
    async with app.run_test(size=(120, 60)) as pilot:
        view = await settle(app, pilot)
        _go_to(view, "Before you mount")
        await pilot.pause()
        rows = [row.strip() for row in _rows(view)]
        assert "▌ ✦ Pick the spot in winter" in rows
        assert "▌ ‼ Important" in rows and "▌ ⚠ Warning" in rows and "▌ ✖ Caution" in rows
        assert any(row.startswith("☑ Keep the temperature sensor") for row in rows)
        assert any(row.startswith("☐ Label both ends") for row in rows)
        # The bars of a callout go on across the blank line between its paragraphs.
        loose = next(i for i, row in enumerate(rows) if "look for a loose cable" in row)
        assert rows[loose - 1] == "▌"
        _go_to(view, "Reading the console")
        await pilot.pause()
        screen = "\n".join(_rows(view))
        for raw in ("<kbd>", "<br>", "<figure", "<img", "<summary", "<details", "<div"):
            assert raw not in screen
        assert "[image: The mast with the radiation shield" in screen
        assert "▾ Why a white shield and not a black one?" in screen
        await pilot.press("q")
