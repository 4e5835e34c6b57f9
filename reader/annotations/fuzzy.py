"""Approximate search: where a pattern occurs in a text within a number of edits.

The approximate search is a bit-parallel edit-distance computation (Myers'
method) laid out so that Python's arbitrary-size integers carry one bit per
*text* position and the loop runs over the (short) quote: the per-character
work happens inside the integer operations, in C, which makes searching a
megabyte of text for a sentence take tens of milliseconds in pure Python.
The plain edit distances the anchoring scores its candidates with share that core.

Pure Python: no Textual, no storage imports.
"""

from __future__ import annotations

from collections import Counter
from itertools import accumulate
from operator import sub

#: Approximate matches examined per search; the rest (worse or farther) are dropped.
MAX_CANDIDATES = 32

#: Byte code shared by characters too rare to get their own code (see ``FuzzyMatcher``).
_OTHER = 255

#: Number of set bits of each byte value.
_POPCOUNT = bytes(bin(value).count("1") for value in range(256))


class FuzzyMatcher:
    """Approximate search in one text, caching the per-character bit masks.

    The approximate search needs, for each character of the pattern, a bit
    mask of where that character occurs in the searched stretch of text. To
    build those at C speed the text is re-coded once into one byte per
    character (the 255 most frequent characters get their own code, the rest
    share :data:`_OTHER` and are located one by one); a mask is then a
    ``bytes.translate`` plus a base-2 ``int`` parse. Whole-text masks are
    cached, since many annotations draw on the same alphabet.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._codes_reversed: bytes | None = None
        self._code_of: dict[str, int] = {}
        self._tables: dict[int, bytes] = {}
        self._full_masks: dict[str, int] = {}

    def approximate(
        self, pattern: str, budget: int, low: int, high: int, expected: int | None
    ) -> list[tuple[int, int, int]]:
        """Spans of ``text[low:high]`` within ``budget`` edits of ``pattern``.

        Returns ``(start, end, distance)`` for the best end of each local group
        of good ends (at most :data:`MAX_CANDIDATES`, the closest matches first,
        then the nearest to ``expected``), each with the start that fits it best.
        """
        length = high - low
        if length <= 0:
            return []
        masks = self._masks(pattern, low, high)
        plus, minus = _last_row(pattern, masks, length, anchored=False)
        ends = _local_minima(_ends_within(plus, minus, length, len(pattern), budget))
        ends.sort(
            key=lambda item: (
                item[1],
                abs(low + item[0] - expected) if expected is not None else 0,
                item[0],
            )
        )
        found = []
        for end, distance in ends[:MAX_CANDIDATES]:
            end += low
            seg_start = max(low, end - len(pattern) - budget)
            taken = _best_start(pattern, self.text[seg_start:end])
            found.append((end - taken, end, distance))
        return found

    # ------------------------------------------------------------------ masks

    def _masks(self, pattern: str, low: int, high: int) -> dict[str, int]:
        """For each character of ``pattern``, the bits of ``text[low:high]`` holding it."""
        if high - low <= 256:
            return _string_masks(self.text[low:high])
        self._ensure_codes()
        whole = low == 0 and high == len(self.text)
        masks: dict[str, int] = {}
        for char in set(pattern):
            if whole and char in self._full_masks:
                masks[char] = self._full_masks[char]
                continue
            mask = self._mask(char, low, high)
            if whole:
                self._full_masks[char] = mask
            masks[char] = mask
        return masks

    def _ensure_codes(self) -> None:
        if self._codes_reversed is not None:
            return
        text = self.text
        alphabet = set(text)
        if len(alphabet) > _OTHER:
            ranked = [char for char, _ in Counter(text).most_common(_OTHER)]
        else:
            ranked = sorted(alphabet)
        self._code_of = {char: code for code, char in enumerate(ranked)}
        table = {ord(char): _OTHER for char in alphabet}
        table.update({ord(char): code for char, code in self._code_of.items()})
        self._codes_reversed = text.translate(table).encode("latin-1")[::-1]

    def _mask(self, char: str, low: int, high: int) -> int:
        text = self.text
        code = self._code_of.get(char)
        if code is None:
            # A rare character (or one absent from the text): locate it directly.
            mask = 0
            at = text.find(char, low, high)
            while at >= 0:
                mask |= 1 << (at - low)
                at = text.find(char, at + 1, high)
            return mask
        table = self._tables.get(code)
        if table is None:
            table = bytes(ord("1") if value == code else ord("0") for value in range(256))
            self._tables[code] = table
        size = len(text)
        codes = self._codes_reversed or b""
        digits = codes[size - high : size - low].translate(table)
        return int(digits, 2)


# --------------------------------------------------------------------------- edit distance


def _string_masks(segment: str) -> dict[str, int]:
    """Bit masks of where each character occurs in a short string."""
    masks: dict[str, int] = {}
    for index, char in enumerate(segment):
        masks[char] = masks.get(char, 0) | (1 << index)
    return masks


def _last_row(
    pattern: str, masks: dict[str, int], length: int, *, anchored: bool
) -> tuple[int, int]:
    """The last row of the edit-distance table of ``pattern`` against a text, as deltas.

    Row ``i`` of the table holds, for every text prefix length ``j``, the cost
    ``D[i][j]`` of turning ``pattern[:i]`` into a piece of text ending at ``j``:
    with ``anchored`` that piece must start at 0 (plain edit distance), without
    it the piece may start anywhere (``D[0][j] == 0``: searching). Neighbouring
    cells of a row differ by -1, 0 or +1, so a row is two bit sets over ``j``:
    where it goes up (``plus``) and where it goes down (``minus``). Going from
    one row to the next is then a fixed handful of integer operations on those
    sets, which is Myers' bit-vector algorithm with the text, not the pattern,
    along the bits; ``D[i][0] == i`` enters as the constant carry-in of 1.

    Bits at and above ``length`` collect harmless garbage (information only
    ever flows towards higher bits), so nothing is masked inside the loop.

    Returns:
        ``(plus, minus)`` with bit ``j - 1`` describing ``D[m][j] - D[m][j - 1]``.
    """
    full = (1 << length) - 1
    plus = full if anchored else 0
    minus = 0
    for char in pattern:
        match = masks.get(char, 0)
        across = match | minus
        along = (((match & plus) + plus) ^ plus) | match
        rise = minus | (full ^ (along | plus))
        fall = plus & along
        rise = (rise << 1) | 1
        fall <<= 1
        plus = fall | (full ^ (across | rise))
        minus = rise & across
    return plus & full, minus & full


def _row_values(plus: int, minus: int, length: int, first: int) -> list[int]:
    """The values of a row from its deltas; for short rows only."""
    values = [first]
    value = first
    for index in range(length):
        value += ((plus >> index) & 1) - ((minus >> index) & 1)
        values.append(value)
    return values


def _ends_within(
    plus: int, minus: int, length: int, first: int, budget: int
) -> list[tuple[int, int]]:
    """``(j, D[m][j])`` for every ``j`` (1-based) whose value is at most ``budget``.

    A row of a megabyte of text cannot be walked position by position in
    Python, so it is walked eight positions (one byte of each delta set) at a
    time with C-level tools: per-byte population counts by ``bytes.translate``
    and running totals by ``itertools.accumulate`` give each byte's starting
    value, and its lowest possible value (the start minus the byte's downward
    steps). Only bytes that could reach ``budget`` are examined bit by bit,
    which in practice means the neighbourhood of real matches.
    """
    size = (length + 7) // 8
    ups = plus.to_bytes(size, "little")
    downs = minus.to_bytes(size, "little")
    rises = list(accumulate(ups.translate(_POPCOUNT), initial=0))
    falls = list(accumulate(downs.translate(_POPCOUNT), initial=0))
    # rises[g] - falls[g + 1]: the start of byte g lowered by every fall inside it.
    lowest = list(map(sub, rises, falls[1:]))
    limit = budget - first
    found: list[tuple[int, int]] = []
    chunk = 512
    for base in range(0, size, chunk):
        if min(lowest[base : base + chunk]) > limit:
            continue
        for group in range(base, min(base + chunk, size)):
            if lowest[group] > limit:
                continue
            value = first + rises[group] - falls[group]
            up, down = ups[group], downs[group]
            for bit in range(min(8, length - group * 8)):
                value += ((up >> bit) & 1) - ((down >> bit) & 1)
                if value <= budget:
                    found.append((group * 8 + bit + 1, value))
    return found


def _local_minima(ends: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The bottom of each dip among consecutive good ends (the last end of a flat bottom).

    Ends next to a match are good too (one more edit each); keeping only each
    dip's bottom leaves one candidate per match, and the last of a tie keeps a
    substituted final character inside the span.
    """
    minima: list[tuple[int, int]] = []
    index, count = 0, len(ends)
    while index < count:
        # A flat stretch: consecutive ends with one value.
        last = index
        while (
            last + 1 < count
            and ends[last + 1][0] == ends[last][0] + 1
            and ends[last + 1][1] == ends[index][1]
        ):
            last += 1
        value = ends[index][1]
        lower_before = (
            index > 0 and ends[index - 1][0] == ends[index][0] - 1 and (ends[index - 1][1] < value)
        )
        lower_after = (
            last + 1 < count
            and ends[last + 1][0] == ends[last][0] + 1
            and (ends[last + 1][1] < value)
        )
        if not lower_before and not lower_after:
            minima.append(ends[last])
        index = last + 1
    return minima


def _best_start(pattern: str, segment: str) -> int:
    """How many characters at the end of ``segment`` best match ``pattern``.

    Runs the anchored table on both strings reversed, so every row value is
    the cost of the pattern against one suffix of the segment; ties go to the
    length nearest the pattern's, then the longer.
    """
    reversed_segment = segment[::-1]
    plus, minus = _last_row(
        pattern[::-1], _string_masks(reversed_segment), len(segment), anchored=True
    )
    values = _row_values(plus, minus, len(segment), len(pattern))
    size = len(pattern)
    return min(range(len(values)), key=lambda taken: (values[taken], abs(taken - size), -taken))


def prefix_distance(pattern: str, segment: str) -> int:
    """Fewest edits turning ``pattern`` into some prefix of ``segment``."""
    if not segment:
        return len(pattern)
    plus, minus = _last_row(pattern, _string_masks(segment), len(segment), anchored=True)
    return min(_row_values(plus, minus, len(segment), len(pattern)))


def levenshtein(first: str, second: str) -> int:
    """The edit distance between two strings (unit costs)."""
    if not first or not second:
        return len(first) + len(second)
    plus, minus = _last_row(first, _string_masks(second), len(second), anchored=True)
    return len(first) + plus.bit_count() - minus.bit_count()


def align_cuts(pattern: str, segment: str, left: int, right: int) -> tuple[int, int]:
    """Where ``pattern[left:right]`` lies in ``segment`` under a best alignment of the two.

    Used for quotes too short to search for on their own: the quote with its
    context was found, and this says which part of the found text corresponds
    to the quote. Text inserted at the quote's edges is counted as the quote's.
    The table is small (the context is bounded), so plain Python is fine.
    """
    rows, cols = len(pattern), len(segment)
    table = [list(range(cols + 1))]
    for i in range(1, rows + 1):
        row = [i] + [0] * cols
        above = table[-1]
        char = pattern[i - 1]
        for j in range(1, cols + 1):
            row[j] = min(
                above[j - 1] + (char != segment[j - 1]),
                above[j] + 1,
                row[j - 1] + 1,
            )
        table.append(row)
    # Walk back from the end, noting the columns visited on the two boundary rows.
    visited: dict[int, list[int]] = {left: [], right: []}
    i, j = rows, cols
    while True:
        if i in visited:
            visited[i].append(j)
        if i == 0 and j == 0:
            break
        if (
            i > 0
            and j > 0
            and table[i][j] == table[i - 1][j - 1] + (pattern[i - 1] != segment[j - 1])
        ):
            i, j = i - 1, j - 1
        elif j > 0 and table[i][j] == table[i][j - 1] + 1:
            j -= 1
        else:
            i -= 1
    return min(visited[left]), max(visited[right])
