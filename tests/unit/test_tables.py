"""Tables wider than the column: widths, wrapping inside cells, alignment, the stacked
fallback, and the map from every table cell on screen back to its text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from reader.document.cells import text_cells
from reader.document.layout import block_prefix_width, column_offset, layout_document
from reader.document.markdown import parse_markdown
from reader.document.model import CELL_SEPARATOR, BlockKind
from reader.document.tables import MIN_CELL, column_widths

SEP = len(CELL_SEPARATOR)

WIDE = """\
| Reading | Unit | Typical range | Accuracy | What goes wrong first |
|:--------|:----:|--------------:|---------:|:----------------------|
| Air temperature | °C | −40 to 60 | ±0.3 | Sun on the housing makes afternoons look hot |
| Pressure | hPa | 540 to 1100 | ±1 | Set to station level, not sea level, so it disagrees |
| Rainfall | mm | 0 to 9999 | ±4% | Leaves, insects and bird droppings block the funnel |
"""


def _table(document):
    index = next(i for i, b in enumerate(document.blocks) if b.kind is BlockKind.TABLE)
    return index, document.blocks[index]


def _drawn(document, layout, line: int) -> str:
    """What a layout line shows after its prefix: its text, or its runs."""
    runs = layout.runs.get(line)
    if runs is None:
        return document.text[layout.starts[line] : layout.ends[line]]
    return "".join(run.deco or document.text[run.start : run.end] for run in runs)


def _table_lines(layout, index: int) -> list[int]:
    return [line for line in range(len(layout)) if layout.blocks[line] == index]


def _run_columns(document, layout, line: int):
    """(first cell, run) for each text run of a table line."""
    x = 0
    found = []
    for run in layout.runs[line]:
        shown = run.deco or document.text[run.start : run.end]
        if not run.deco:
            found.append((x, run))
        x += text_cells(shown)
    return found


# ------------------------------------------------------------------ widths
def test_columns_keep_their_width_when_the_table_fits():
    assert column_widths([5, 3, 10], [5, 3, 4], 5 + 3 + 10 + 2 * SEP) == [5, 3, 10]


def test_longest_words_fit_first_and_the_rest_is_shared():
    widths = column_widths([30, 4, 60], [8, 4, 10], 60)
    assert widths is not None
    assert sum(widths) + 2 * SEP == 60
    assert widths[0] >= 8 and widths[1] == 4 and widths[2] >= 10
    assert widths[2] > widths[0]  # the longer text gets more of what is left


def test_no_room_for_the_minimum_means_stacked_rows():
    assert column_widths([20] * 6, [6] * 6, 40) is None
    assert column_widths([2, 2], [2, 2], 5) is None


natural_and_words = st.lists(
    st.integers(min_value=0, max_value=80).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(min_value=min(n, 1), max_value=max(n, 1)))),
    min_size=1, max_size=9,
)


@settings(max_examples=400, deadline=None)
@given(natural_and_words, st.integers(min_value=8, max_value=250))
def test_widths_fit_and_never_exceed_what_a_column_needs(pairs, available):
    natural = [n for n, _ in pairs]
    words = [min(w, n) for n, w in pairs]
    widths = column_widths(natural, words, available)
    room = available - SEP * (len(natural) - 1)
    if sum(natural) <= room:
        assert widths == natural
        return
    floor = [min(n, MIN_CELL) for n in natural]
    if sum(floor) > room:
        assert widths is None
        return
    assert widths is not None
    assert sum(widths) == room  # nothing wasted while some column still wraps
    for width, need, word, low in zip(widths, natural, words, floor):
        assert width <= need
        assert width >= min(low, word)
    if sum(words) <= room:
        assert all(width >= word for width, word in zip(widths, words))


# ------------------------------------------------------------------ layout
def test_a_table_that_fits_left_aligned_keeps_its_rows_as_they_are():
    document = parse_markdown("| a | bb |\n|---|---|\n| ccc | d |\n", "t.md")
    layout = layout_document(document, 60)
    index, _ = _table(document)
    assert not layout.runs
    lines = _table_lines(layout, index)
    assert [_drawn(document, layout, line) for line in lines] == ["a   │ bb", "ccc │ d"]


def test_alignment_from_the_delimiter_row_is_kept_when_the_table_fits():
    document = parse_markdown("| left | mid | right |\n|:--|:-:|--:|\n| a | b | c |\n", "t.md")
    layout = layout_document(document, 60)
    index, _ = _table(document)
    rows = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
    assert rows == ["left │ mid │ right", "a    │  b  │     c"]


def test_a_wide_table_wraps_inside_its_cells_with_rules_between_rows():
    document = parse_markdown(WIDE, "t.md")
    layout = layout_document(document, 70)
    index, _ = _table(document)
    rows = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
    assert all(text_cells(row) <= 70 for row in rows)
    assert any(set(row) <= set("─┼") for row in rows)
    # Every row of the table starts on a line whose first cell has its text.
    assert sum(row.startswith(("Air", "Pressure", "Rainfall")) for row in rows) == 3
    # The right-aligned column ends at the column's edge on every line that has text.
    bar = [row.index("│", row.index("│", row.index("│") + 1) + 1) for row in rows
           if "│" in row]
    assert len(set(bar)) == 1
    assert any(row[: bar[0]].endswith("540 to ") or row[: bar[0]].endswith("1100 ")
               for row in rows)


def test_a_line_break_in_a_cell_puts_the_rest_on_the_next_line_of_its_column():
    document = parse_markdown("| k | v |\n|---|---|\n| a | one<br>two |\n| b | three |\n", "t.md")
    layout = layout_document(document, 60)
    index, _ = _table(document)
    rows = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
    assert rows[2:4] == ["a │ one", "  │ two"]


def test_when_columns_cannot_fit_each_row_becomes_header_value_lines():
    document = parse_markdown(WIDE, "t.md")
    layout = layout_document(document, 30)
    index, table = _table(document)
    rows = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
    assert "Reading: Air temperature" in rows
    assert "Reading: Rainfall" in rows
    assert "Unit: hPa" in rows
    assert all(text_cells(row) <= 30 for row in rows)
    # The first record's labels are the header's own text; later ones are drawn copies.
    header_start = table.table.rows[0][0][0]
    assert layout.line_at(header_start) == rows.index("Reading: Air temperature") + min(
        _table_lines(layout, index))


def test_the_table_layout_follows_the_width():
    document = parse_markdown(WIDE, "t.md")
    index, _ = _table(document)
    shown = {}
    for width in (30, 70, 200):
        layout = layout_document(document, width)
        shown[width] = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
        again = layout_document(document, width)
        assert shown[width] == [_drawn(document, again, line)
                                for line in _table_lines(again, index)]
    assert len(shown[30]) > len(shown[70]) > len(shown[200])


# -------------------------------------------------------------- properties
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=12)
cells = st.lists(words, min_size=0, max_size=6).map(" ".join)
aligns = st.sampled_from(["---", ":--", ":-:", "--:"])


@st.composite
def tables(draw):
    columns = draw(st.integers(min_value=1, max_value=6))
    header = draw(st.lists(words, min_size=columns, max_size=columns))
    body = draw(st.lists(st.lists(cells, min_size=columns, max_size=columns), max_size=5))
    delimiter = draw(st.lists(aligns, min_size=columns, max_size=columns))
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(delimiter) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in body]
    return "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None)
@given(tables(), st.integers(min_value=12, max_value=160), st.integers(min_value=0, max_value=2))
def test_every_cell_character_is_shown_once_and_maps_back(source, width, quote):
    document = parse_markdown("> " * quote + source.replace("\n", "\n" + "> " * quote), "t.md")
    index, table = _table(document)
    layout = layout_document(document, width)
    text = document.text
    lines = _table_lines(layout, index)
    room = layout.width - block_prefix_width(table)
    shown: list[int] = []
    for line in lines:
        assert text_cells(_drawn(document, layout, line)) <= room
        if line not in layout.runs:
            shown.extend(range(layout.starts[line], layout.ends[line]))
            continue
        for x, run in _run_columns(document, layout, line):
            shown.extend(range(run.start, run.end))
            # Offsets map to the line that shows them, and screen cells to offsets.
            assert layout.line_at(run.start) == line
            assert column_offset(text, layout, line, x) == run.start
            assert column_offset(text, layout, line, x + run.end - run.start - 1) == run.end - 1
            assert line in layout.lines_for(run.start, run.end)
    assert len(shown) == len(set(shown))
    for row in table.table.rows:
        for start, end in row:
            wanted = {offset for offset in range(start, end) if not text[offset].isspace()}
            assert wanted <= set(shown)
            cell_lines = layout.lines_for(start, end) if end > start else range(0)
            assert all(layout.line_at(offset) in cell_lines for offset in wanted)


@settings(max_examples=100, deadline=None)
@given(tables(), st.integers(min_value=12, max_value=160))
def test_separators_line_up_on_every_line_of_a_grid(source, width):
    document = parse_markdown(source, "t.md")
    index, _ = _table(document)
    layout = layout_document(document, width)
    rows = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
    # Rows as they are, a grid, or stacked records (which have no separators at all).
    marks = {tuple(i for i, c in enumerate(row) if c in "│┼") for row in rows}
    assert len(marks) == 1


def test_a_table_in_html_is_a_table_too():
    source = ("<table>\n<tr><th>Name</th><th align=\"right\">Count</th></tr>\n"
              "<tr><td>apples<br>green</td><td>3</td></tr>\n</table>\n")
    document = parse_markdown(source, "t.md")
    index, table = _table(document)
    assert table.table.header_rows == 1
    assert table.table.aligns == ("", "right")
    layout = layout_document(document, 60)
    rows = [_drawn(document, layout, line) for line in _table_lines(layout, index)]
    assert rows[0] == "Name   │ Count"
    assert rows[2:4] == ["apples │     3", "green  │"]
