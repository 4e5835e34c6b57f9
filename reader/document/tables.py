"""Tables laid out to a width: their own lines, columns that fit with text wrapped in the cells,
or, when even that cannot fit, every row as lines of "header: value".

A table block's text holds its rows, the cells padded to their column's width and
joined by ``CELL_SEPARATOR``. When the reading column is wide enough for those
rows, no cell breaks its line and every column is left-aligned, the layout shows
the rows as they are (``table_lines`` says None). Otherwise each screen line of
the table is a sequence of :class:`Run` s: pieces of cell text, each shown where
its column and alignment put it, and the padding, separators and rules drawn
between them. Text offsets still map to screen cells and back through the runs.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from reader.document.cells import offset_at_column, text_cells
from reader.document.model import CELL_SEPARATOR, Block, TableShape
from reader.document.wrap import wrap_block

#: Cells a column is given at least (or its whole text, if less) when its longest
#: word cannot fit; when the columns cannot all have that, the rows stack instead.
MIN_CELL = 8
_RULE = "─"
_CROSS = "─┼─"


@dataclass(frozen=True, slots=True)
class Run:
    """A piece of a table's screen line: ``text[start:end]``, or ``deco`` drawn instead.

    Drawn decoration has ``start == end``: the offset it stands for (a mark that
    covers that offset covers the decoration too, so a highlight across two
    cells runs through the separator between them). ``role`` says how it is
    drawn: ``pad`` (blank), ``border`` (separators and rules) or ``label`` (a
    header repeated before a value).
    """

    start: int
    end: int
    deco: str = ""
    role: str = ""


@dataclass(frozen=True, slots=True)
class TableLine:
    """One screen line of a table: its runs, and the first and last offset it shows."""

    runs: tuple[Run, ...]
    start: int
    end: int


class CellIndex:
    """Which screen line shows each offset of a table laid out in runs.

    A row's cells wrap side by side, so the lines of a table do not show its
    text in order; the text runs, sorted by offset, do.
    """

    __slots__ = ("ends", "lines", "starts")

    def __init__(self, entries: list[tuple[int, int, int]]) -> None:
        entries.sort()
        self.starts = [start for start, _, _ in entries]
        self.ends = [end for _, end, _ in entries]
        self.lines = [line for _, _, line in entries]

    def line_at(self, offset: int) -> int | None:
        """The line showing ``offset`` (or the text just before it); None without text."""
        if not self.starts:
            return None
        return self.lines[max(0, bisect_right(self.starts, offset) - 1)]

    def lines_over(self, start: int, end: int) -> tuple[int, int] | None:
        """The first and last line showing any of ``text[start:end]``."""
        found: list[int] = []
        index = max(0, bisect_right(self.starts, start) - 1)
        while index < len(self.starts) and self.starts[index] < max(end, start + 1):
            if self.ends[index] > start:
                found.append(self.lines[index])
            index += 1
        return (min(found), max(found)) if found else None


def column_widths(natural: list[int], words: list[int], available: int) -> list[int] | None:
    """Cells for each column so the table fits ``available`` cells, or None when
    the columns cannot each have ``MIN_CELL`` (or their whole text, if less).

    Columns keep their natural width when all fit. Otherwise every column first
    gets room for its longest word (when the words all fit; else ``MIN_CELL``,
    and words are cut) and the rest is shared in proportion to what each column
    still lacks.
    """
    room = available - len(CELL_SEPARATOR) * max(0, len(natural) - 1)
    if sum(natural) <= room:
        return list(natural)
    floor = [min(width, MIN_CELL) for width in natural]
    if sum(floor) > room:
        return None
    longest = [min(word, width) for word, width in zip(words, natural)]
    if sum(longest) <= room:
        return _share(longest, natural, room - sum(longest))
    return _share(floor, [max(a, b) for a, b in zip(floor, longest)], room - sum(floor))


def _share(base: list[int], target: list[int], extra: int) -> list[int]:
    """``base`` grown towards ``target`` by ``extra`` cells, in proportion to the gaps."""
    gaps = [goal - have for have, goal in zip(base, target)]
    total = sum(gaps)
    if total <= extra:
        return list(target)
    widths = [have + extra * gap // total for have, gap in zip(base, gaps)]
    left = extra - (sum(widths) - sum(base))
    order = sorted(range(len(base)), key=lambda c: (-(extra * gaps[c] % total), c))
    for column in order:
        if left <= 0:
            break
        if widths[column] < target[column]:
            widths[column] += 1
            left -= 1
    return widths


def table_lines(text: str, block: Block, width: int) -> list[TableLine] | None:
    """The lines of a table block at ``width`` cells; None to show its rows as they are."""
    shape = block.table
    if shape is None or not shape.rows or not shape.columns:
        return None
    natural, words, breaks = _measure(text, shape)
    aligned = any(align in ("center", "right") for align in shape.aligns)
    needed = sum(natural) + len(CELL_SEPARATOR) * (shape.columns - 1)
    if needed <= width and not breaks and not aligned:
        return None
    widths = column_widths(natural, words, width)
    if widths is None:
        return _stacked(text, shape, width)
    return _grid(text, shape, widths)


def _measure(text: str, shape: TableShape) -> tuple[list[int], list[int], bool]:
    natural = [0] * shape.columns
    words = [0] * shape.columns
    breaks = False
    for row in shape.rows:
        for column, (start, end) in enumerate(row):
            cell = text[start:end]
            breaks = breaks or "\n" in cell
            for line in cell.split("\n"):
                natural[column] = max(natural[column], text_cells(line))
            for word in cell.split():
                words[column] = max(words[column], text_cells(word))
    return natural, words, breaks


def _grid(text: str, shape: TableShape, widths: list[int]) -> list[TableLine]:
    """Columns side by side, each cell's text wrapped to its column."""
    wrapped = [
        [wrap_block(text, start, end, max(1, widths[c])) if end > start else []
         for c, (start, end) in enumerate(row)]
        for row in shape.rows
    ]
    ruled = any(len(pieces) > 1 for row in wrapped for pieces in row)
    rule = _CROSS.join(_RULE * width for width in widths)
    last = len(widths) - 1
    lines: list[TableLine] = []
    for number, (row, cells) in enumerate(zip(shape.rows, wrapped)):
        if number and ruled:
            at = shape.rows[number - 1][-1][1]
            lines.append(TableLine((Run(at, at, rule, "border"),), at, at))
        for index in range(max(1, *(len(pieces) for pieces in cells))):
            runs: list[Run] = []
            for column, ((cell_start, cell_end), pieces) in enumerate(zip(row, cells)):
                if column:
                    runs.append(Run(cell_start - 1, cell_start - 1, CELL_SEPARATOR, "border"))
                if index >= len(pieces):
                    if column < last:
                        runs.append(Run(cell_end, cell_end, " " * widths[column], "pad"))
                    continue
                start, end = pieces[index]
                pad = max(0, widths[column] - text_cells(text[start:end]))
                align = shape.aligns[column]
                before = pad if align == "right" else pad // 2 if align == "center" else 0
                if before:
                    runs.append(Run(start - 1, start - 1, " " * before, "pad"))
                runs.append(Run(start, end))
                if pad - before and column < last:
                    runs.append(Run(end, end, " " * (pad - before), "pad"))
            while runs and runs[-1].role == "pad":
                runs.pop()
            if runs and runs[-1].deco == CELL_SEPARATOR:
                runs[-1] = Run(runs[-1].start, runs[-1].end, CELL_SEPARATOR.rstrip(), "border")
            lines.append(_line(runs, row[0][0]))
    return lines


def _stacked(text: str, shape: TableShape, width: int) -> list[TableLine]:
    """Every row as lines of "header: value", rows apart by a rule."""
    lines: list[TableLine] = []
    labels = shape.rows[shape.header_rows - 1] if shape.header_rows else None
    records = shape.rows[shape.header_rows:]
    for row in shape.rows[: max(0, shape.header_rows - (1 if records else 0))]:
        for start, end in row:
            for piece in wrap_block(text, start, end, width) if end > start else []:
                lines.append(_line([Run(*piece)], piece[0]))
    for number, row in enumerate(records):
        if lines:
            at = row[0][0] - 1
            lines.append(TableLine((Run(at, at, _RULE * width, "border"),), at, at))
        for column, (start, end) in enumerate(row):
            label = labels[column] if labels is not None else (start, start)
            lines.extend(_pair(text, label, (start, end), column, width, as_text=number == 0))
    return lines


def _pair(text: str, label: tuple[int, int], value: tuple[int, int], column: int, width: int,
          *, as_text: bool) -> list[TableLine]:
    """The lines of one "label: value" (the label is the header cell's own text with
    ``as_text``, else a drawn copy of it)."""
    start, end = value
    label_pieces = wrap_block(text, *label, max(1, width - 1)) if label[1] > label[0] else []
    if not label_pieces:
        label_runs = [[Run(start - 1, start - 1, f"{column + 1}", "label")]]
    elif as_text:
        label_runs = [[Run(*piece)] for piece in label_pieces]
    else:
        label_runs = [[Run(start - 1, start - 1, text[a:b], "label")] for a, b in label_pieces]
    colon = Run(start - 1, start - 1, ":", "label")
    label_width = sum(_cells(text, run) for run in label_runs[0])
    lines: list[TableLine] = []
    rest = start
    if len(label_runs) == 1 and label_width + 2 + MIN_CELL <= width:
        first = [*label_runs[0], colon]
        if end > start:
            piece = wrap_block(text, start, end, width - label_width - 2)[0]
            first += [Run(start - 1, start - 1, " ", "pad"), Run(*piece)]
            rest = piece[1]
        lines.append(_line(first, label[0] if as_text else start))
    else:
        for number, runs in enumerate(label_runs):
            tail = [colon] if number == len(label_runs) - 1 else []
            lines.append(_line([*runs, *tail], label[0] if as_text else start))
    while rest < end and text[rest] in " \n":
        rest += 1
    if rest < end:
        for piece in wrap_block(text, rest, end, max(1, width - 2)):
            lines.append(_line([Run(piece[0] - 1, piece[0] - 1, "  ", "pad"), Run(*piece)],
                               piece[0]))
    return lines


def _line(runs: list[Run], at: int) -> TableLine:
    shown = [run for run in runs if not run.deco]
    if not shown:
        return TableLine(tuple(runs), at, at)
    return TableLine(tuple(runs), min(run.start for run in shown), max(run.end for run in shown))


def _cells(text: str, run: Run) -> int:
    return text_cells(run.deco) if run.deco else text_cells(text[run.start : run.end])


def run_width(text: str, runs: tuple[Run, ...]) -> int:
    """Cells a table line takes."""
    return sum(_cells(text, run) for run in runs)


def offset_in_runs(text: str, runs: tuple[Run, ...], column: int) -> int:
    """The offset drawn at ``column`` cells into a table line: in a piece of text,
    that character; on decoration, the start of the text after it (the end of the
    text before it at the end of the line)."""
    x = 0
    last = None
    pending = False
    for run in runs:
        cells = _cells(text, run)
        if not run.deco:
            if pending or column < x + cells:
                return offset_at_column(text, run.start, run.end, max(0, column - x))
            last = run.end
        elif column < x + cells:
            pending = True
        x += cells
    if last is not None:
        return last
    return runs[0].start if runs else 0
