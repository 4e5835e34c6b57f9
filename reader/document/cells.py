"""How many terminal cells text takes: wide (CJK, most emoji) and zero-width characters.

Wrapping and mouse positions count cells, not characters, or a line of Chinese
would run twice as wide as the reading column. Widths come from Rich, the text
library the terminal UI draws with, so the layout and the drawing agree; Rich
itself has no UI and no Textual in it. Nearly all text in articles (Latin,
Greek, Cyrillic, curly quotes, dashes) is one cell a character, and is told
apart with one regular-expression search, so only other text pays for measuring.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate

from rich.cells import get_character_cell_size

#: Characters that are not surely one cell wide. Outside this class: printable
#: ASCII, Latin-1 and the Latin extensions (less the soft hyphen), Greek and
#: Cyrillic, the punctuation and currency signs of running text, and box drawing.
_NOT_SINGLE = re.compile(
    "[^\x20-\x7e\xa0-\xac\xae-\u02ff\u0370-\u0482\u2010-\u2027\u2030-\u205e\u20a0-\u20c0\u2500-\u25fc]"
)
_ZERO_WIDTH_JOINER = "\u200d"


def single_cells(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether every character of ``text[start:end]`` surely takes one cell.

    ASCII control characters count as one: the view draws them as a sign.
    """
    part = text[start:end]
    return part.isascii() or _NOT_SINGLE.search(part) is None


def char_widths(text: str, start: int, end: int) -> list[int]:
    """Cells each character of ``text[start:end]`` takes, in order.

    Control characters count one cell (the view draws them as a replacement
    sign); a character joined to the one before it by a zero-width joiner
    counts none, as the pair draws as one glyph.
    """
    widths: list[int] = []
    joined = False
    for character in text[start:end]:
        if character == _ZERO_WIDTH_JOINER:
            widths.append(0)
            joined = True
            continue
        if joined:
            widths.append(0)
            joined = False
            continue
        code = ord(character)
        if code < 0x20 or 0x7F <= code < 0xA0:
            widths.append(1)
        else:
            widths.append(get_character_cell_size(character))
    return widths


def text_cells(text: str) -> int:
    """Cells ``text`` takes on screen."""
    if single_cells(text):
        return len(text)
    return sum(char_widths(text, 0, len(text)))


def offset_at_column(text: str, start: int, end: int, column: int) -> int:
    """The offset in ``text[start:end]`` drawn at ``column`` cells from ``start``.

    A column inside a wide character gives that character; past the end gives
    ``end``.
    """
    if column <= 0:
        return start
    if single_cells(text, start, end):
        return min(end, start + column)
    totals = list(accumulate(char_widths(text, start, end), initial=0))
    return start + min(end - start, bisect_right(totals, column) - 1)
