"""Wrapping a Document to a width: screen lines that map back to text offsets.

Layout is a pure function of (document, width). Each screen line shows
``text[start:end]`` of one block (or nothing, for the blank line between
blocks), after a prefix made of indentation, quote bars and, on a block's first
line, its list marker. The arrays are parallel and compact, so a 5 MB article's
hundred thousand lines cost a few megabytes, and offset → line is a bisection.

A table that does not fit as it is (see :mod:`reader.document.tables`) is the
exception: its lines are runs of cell text and drawn decoration, kept in
``Layout.runs``, and ``Layout.cells`` maps its offsets to its lines.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field

from reader.document.cells import offset_at_column
from reader.document.model import PREFORMATTED, Block, BlockKind, Document
from reader.document.tables import CellIndex, Run, offset_in_runs, table_lines
from reader.document.wrap import wrap_block

__all__ = ["LIST_INDENT", "QUOTE_BAR", "Layout", "block_prefix_width", "column_offset",
           "layout_document", "wrap_block"]

#: Columns a list level indents by.
LIST_INDENT = 3
#: What a quote level draws before the text.
QUOTE_BAR = "▌ "
MIN_TEXT_WIDTH = 8


def block_prefix_width(block: Block) -> int:
    """Columns in front of a block's text (indentation, quote bars, marker)."""
    width = len(QUOTE_BAR) * block.quote
    if block.depth:
        width += LIST_INDENT * block.depth + (1 if len(block.marker) > 2 else 0)
    elif block.kind is BlockKind.FOOTNOTE:
        width += max(len(block.marker) + 1, 4)
    elif block.role == "title" and block.marker:
        width += len(block.marker) + 1
    if block.kind is BlockKind.CODE or block.kind is BlockKind.HTML:
        width += 2
    return width


@dataclass(slots=True)
class Layout:
    """Screen lines of a document at one width.

    Attributes:
        width: Columns available for prefix and text.
        starts: Text offset where each line's text starts.
        ends: Text offset where it ends (equal to ``starts`` for a blank line).
        blocks: Index of the line's block, -1 for a blank line between blocks.
        first: 1 where the line is its block's first line (draws the marker).
        runs: The runs of each line of a table laid out in runs, by line.
        cells: Offset → line for each such table, by block index.

    For a line in ``runs``, ``starts`` and ``ends`` bound the text it shows (the
    start is kept from going back, so lines stay in order for bisection) and
    ``cells`` says exactly which line shows an offset.
    """

    width: int
    starts: array = field(default_factory=lambda: array("l"))
    ends: array = field(default_factory=lambda: array("l"))
    blocks: array = field(default_factory=lambda: array("l"))
    first: array = field(default_factory=lambda: array("b"))
    runs: dict[int, tuple[Run, ...]] = field(default_factory=dict)
    cells: dict[int, CellIndex] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.starts)

    def line_at(self, offset: int) -> int:
        """The line showing ``offset`` (the last text line before it, on a gap)."""
        if not self.starts:
            return 0
        line = max(0, bisect_right(self.starts, offset) - 1)
        while line > 0 and self.blocks[line] < 0:
            line -= 1
        if self.cells:
            index = self.cells.get(self.blocks[line])
            if index is not None:
                exact = index.line_at(offset)
                if exact is not None:
                    return exact
        return line

    def lines_for(self, start: int, end: int) -> range:
        """Lines that show any of ``text[start:end]``."""
        first = self.line_at(start)
        last = self.line_at(max(start, end - 1))
        if self.cells:
            for line in (first, last):
                index = self.cells.get(self.blocks[line])
                found = index.lines_over(start, end) if index is not None else None
                if found is not None:
                    first, last = min(first, found[0]), max(last, found[1])
        return range(first, last + 1)


def layout_document(document: Document, width: int) -> Layout:
    """Wrap every block of ``document`` to ``width`` columns."""
    layout = Layout(width=max(width, MIN_TEXT_WIDTH + 4))
    starts, ends, blocks, first = layout.starts, layout.ends, layout.blocks, layout.first
    text = document.text
    all_ascii = text.isascii()  # then no line needs measuring, which saves a tenth
    previous: Block | None = None
    for index, block in enumerate(document.blocks):
        if previous is not None and previous.role != "title" and not (
            block.kind is BlockKind.LIST_ITEM and previous.kind is BlockKind.LIST_ITEM
        ):
            starts.append(previous.end)
            ends.append(previous.end)
            blocks.append(-1)
            first.append(0)
        available = max(MIN_TEXT_WIDTH, layout.width - block_prefix_width(block))
        if block.kind is BlockKind.TABLE and block.table is not None:
            table = table_lines(text, block, available)
            if table is not None:
                _add_table(layout, index, table)
                previous = block
                continue
        is_first = 1
        for start, end in wrap_block(text, block.start, block.end, available,
                                     block.kind in PREFORMATTED, measure=not all_ascii):
            starts.append(start)
            ends.append(end)
            blocks.append(index)
            first.append(is_first)
            is_first = 0
        previous = block
    return layout




def _add_table(layout: Layout, block_index: int, lines: list) -> None:
    """Append the lines of a table laid out in runs, and index its offsets."""
    entries: list[tuple[int, int, int]] = []
    floor = layout.starts[-1] if len(layout.starts) else 0
    for number, line in enumerate(lines):
        position = len(layout.starts)
        start = max(floor, line.start)
        floor = start
        layout.starts.append(start)
        layout.ends.append(max(start, line.end))
        layout.blocks.append(block_index)
        layout.first.append(1 if number == 0 else 0)
        layout.runs[position] = line.runs
        entries.extend((run.start, run.end, position) for run in line.runs
                       if not run.deco and run.end > run.start)
    layout.cells[block_index] = CellIndex(entries)


def column_offset(text: str, layout: Layout, line: int, column: int) -> int:
    """The offset drawn ``column`` cells into the text of ``line`` (after its prefix).

    Past the end of the line's text this is the line's end; on a table's drawn
    separators and padding, the start of the cell text after them.
    """
    runs = layout.runs.get(line) if layout.runs else None
    if runs is not None:
        return offset_in_runs(text, runs, column)
    return offset_at_column(text, layout.starts[line], layout.ends[line], column)
