"""Wrapping a Document to a width: screen lines that map back to text offsets.

Layout is a pure function of (document, width). Each screen line shows
``text[start:end]`` of one block (or nothing, for the blank line between
blocks), after a prefix made of indentation, quote bars and, on a block's first
line, its list marker. The arrays are parallel and compact, so a 5 MB article's
hundred thousand lines cost a few megabytes, and offset → line is a bisection.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate

from reader.document.cells import char_widths, single_cells
from reader.document.model import PREFORMATTED, Block, BlockKind, Document

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
    """

    width: int
    starts: array = field(default_factory=lambda: array("l"))
    ends: array = field(default_factory=lambda: array("l"))
    blocks: array = field(default_factory=lambda: array("l"))
    first: array = field(default_factory=lambda: array("b"))

    def __len__(self) -> int:
        return len(self.starts)

    def line_at(self, offset: int) -> int:
        """The line showing ``offset`` (the last text line before it, on a gap)."""
        if not self.starts:
            return 0
        line = max(0, bisect_right(self.starts, offset) - 1)
        while line > 0 and self.blocks[line] < 0:
            line -= 1
        return line

    def lines_for(self, start: int, end: int) -> range:
        """Lines that show any of ``text[start:end]``."""
        first = self.line_at(start)
        last = self.line_at(max(start, end - 1))
        return range(first, last + 1)


def layout_document(document: Document, width: int) -> Layout:
    """Wrap every block of ``document`` to ``width`` columns."""
    layout = Layout(width=max(width, MIN_TEXT_WIDTH + 4))
    starts, ends, blocks, first = layout.starts, layout.ends, layout.blocks, layout.first
    text = document.text
    all_ascii = text.isascii()  # then no line needs measuring, which saves a tenth
    previous: Block | None = None
    for index, block in enumerate(document.blocks):
        if previous is not None and not (
            block.kind is BlockKind.LIST_ITEM and previous.kind is BlockKind.LIST_ITEM
        ):
            starts.append(previous.end)
            ends.append(previous.end)
            blocks.append(-1)
            first.append(0)
        available = max(MIN_TEXT_WIDTH, layout.width - block_prefix_width(block))
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


def wrap_block(
    text: str, start: int, end: int, width: int, preformatted: bool = False,
    *, measure: bool = True,
) -> list[tuple[int, int]]:
    """Line spans of ``text[start:end]`` wrapped at ``width`` cells.

    Prose breaks at spaces (the space is left out of both lines) and at
    newlines; a word longer than the width is cut. Preformatted text keeps every
    character, including leading spaces, and is cut at the width. Wide
    characters (CJK, emoji) count two cells, and a line may also break between
    two of them, as CJK text has no spaces. ``measure=False`` says the caller
    knows every character is one cell.
    """
    if start == end:
        return [(start, start)]
    lines: list[tuple[int, int]] = []
    append = lines.append
    find = text.find
    rfind = text.rfind
    measure = measure and not single_cells(text, start, end)
    position = start
    while position <= end:
        newline = find("\n", position, end)
        line_end = end if newline < 0 else newline
        # Wrap the segment [position, line_end).
        if measure and not single_cells(text, position, line_end):
            lines.extend(_wrap_measured(text, position, line_end, width, preformatted))
        elif preformatted:
            cut = position
            while line_end - cut > width:
                append((cut, cut + width))
                cut += width
            append((cut, line_end))
        else:
            cut = position
            while line_end - cut > width:
                space = rfind(" ", cut, cut + width + 1)
                if space <= cut:
                    append((cut, cut + width))
                    cut += width
                else:
                    stop = space
                    while stop > cut and text[stop - 1] == " ":
                        stop -= 1
                    append((cut, stop))
                    cut = space + 1
                while cut < line_end and text[cut] == " ":
                    cut += 1
            stop = line_end
            while stop > cut and text[stop - 1] == " ":
                stop -= 1
            if cut < stop or position == line_end:
                append((cut, stop))
        if newline < 0:
            break
        position = newline + 1
    return lines


def _wrap_measured(
    text: str, start: int, end: int, width: int, preformatted: bool
) -> list[tuple[int, int]]:
    """:func:`wrap_block` for one line of text that has characters not one cell wide."""
    widths = char_widths(text, start, end)
    # totals[i]: cells of text[start:start + i]
    totals = list(accumulate(widths, initial=0))
    lines: list[tuple[int, int]] = []
    cut = start
    while totals[end - start] - totals[cut - start] > width:
        # fit: the first character that does not fit on this line (zero-width
        # characters stay with the one they follow).
        fit = start + bisect_right(totals, totals[cut - start] + width) - 1
        fit = max(fit, cut + 1)  # a character wider than the whole line still goes
        if preformatted:
            lines.append((cut, fit))
            cut = fit
            continue
        brk = _last_break(text, widths, start, cut, fit)
        if brk is None:
            lines.append((cut, fit))
            cut = fit
        else:
            stop = brk
            while stop > cut and text[stop - 1] == " ":
                stop -= 1
            lines.append((cut, stop))
            cut = brk
        while cut < end and text[cut] == " ":
            cut += 1
    stop = end
    if not preformatted:
        while stop > cut and text[stop - 1] == " ":
            stop -= 1
    if cut < stop or not lines:
        lines.append((cut, stop))
    return lines


def _last_break(text: str, widths: list[int], start: int, cut: int, fit: int) -> int | None:
    """Where a line from ``cut`` that must end by ``fit`` ends: at the last space up
    to ``fit``, or between two characters one of which is wide; None if nowhere.

    ``widths`` are the cells of the characters from ``start``.
    """
    for position in range(fit, cut, -1):
        if text[position] == " ":
            return position
        here = widths[position - start]
        if here and (here == 2 or widths[position - 1 - start] == 2):
            return position
    return None
