"""Which highlights lie over a stretch of the article, found fast enough to draw every line.

The article view asks this for every line it draws, so the highlights are kept
sorted by start and searched by bisection instead of scanned.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from reader.annotations.records import Highlight


class HighlightMarks:
    """The attached highlights of the shown article, indexed for drawing."""

    def __init__(self) -> None:
        self.highlights: list[Highlight] = []
        self._starts: list[int] = []
        self._longest = 0
        self._noted_ends: list[int] = []

    def set(self, highlights: Sequence[Highlight]) -> None:
        """Index these highlights (detached ones are skipped: they have no place)."""
        attached = sorted((h for h in highlights if not h.detached),
                          key=lambda h: (h.start, h.end))
        self.highlights = attached
        self._starts = [h.start for h in attached]
        self._longest = max((h.end - h.start for h in attached), default=0)
        self._noted_ends = sorted(h.end for h in attached if h.has_note)

    def over(self, start: int, end: int) -> list[Highlight]:
        """Highlights that share any text with [start, end), in document order."""
        return [h for h in self.highlights if h.start < max(end, start + 1) and h.end > start]

    def marks(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Highlights over [start, end), found by bisection on their starts."""
        if not self._starts:
            return []
        first = bisect_left(self._starts, start - self._longest)
        marks = []
        for index in range(first, len(self._starts)):
            highlight = self.highlights[index]
            if highlight.start >= end:
                break
            if highlight.end > start:
                marks.append((highlight.start, highlight.end, f"highlight-{highlight.color}"))
        return marks

    def note_ends_on(self, start: int, end: int) -> bool:
        """Whether a highlight with a note ends in (start, end] (its marker goes there)."""
        if not self._noted_ends:
            return False
        index = bisect_right(self._noted_ends, start)
        return index < len(self._noted_ends) and self._noted_ends[index] <= end
