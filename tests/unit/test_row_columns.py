"""The column widths of the library's tables: fixed, shared, and dropped when narrow."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from reader.tui.widgets.highlights_table import COLUMNS as HIGHLIGHTS
from reader.tui.widgets.library_table import COLUMNS as LIBRARY
from reader.tui.widgets.row_table import Column, column_widths


def used(widths: list[int], gap: int = 2) -> int:
    shown = [w for w in widths if w]
    return sum(shown) + gap * (len(shown) - 1) + 1


def test_flexible_columns_share_what_is_left_by_their_flex():
    columns = [Column("a", 10), Column("b", flex=1, minimum=5), Column("c", flex=3, minimum=5)]
    # 40 cells for the two: their minimums (10), then 30 shared 1:3 (the last takes the rest)
    assert column_widths(columns, 1 + 10 + 2 + 2 + 40) == [10, 5 + 7, 5 + 23]


def test_narrow_tables_drop_the_least_wanted_columns_first():
    assert column_widths(HIGHLIGHTS, 40) == [0, 0, 0, 39, 0, 0]  # the quote stays
    widths = column_widths(LIBRARY, 60)
    assert widths[0] >= 16 and widths[2] == 0  # the title stays; the author goes first


@given(st.integers(min_value=20, max_value=400))
def test_the_row_always_fits(width):
    for columns in (HIGHLIGHTS, LIBRARY):
        widths = column_widths(columns, width)
        assert used(widths) <= width and any(widths)
