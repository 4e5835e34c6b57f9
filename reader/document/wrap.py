"""Wrapping text to a width in terminal cells: where each screen line of a block starts and ends.

Prose breaks at spaces and newlines, preformatted text keeps every character and
is cut at the width; wide characters count two cells. The layout of a whole
document and the table layout both wrap with this.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from reader.document.cells import char_widths, single_cells


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
