"""Finding text in a document: on its plain text, so a phrase split across screen lines,
or across a hard break in the source, is still one match."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field


def search_pattern(query: str) -> re.Pattern[str] | None:
    """Case-insensitive, literal, with any run of spaces matching any whitespace."""
    words = query.split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(word) for word in words), re.IGNORECASE)


@dataclass(slots=True)
class Matches:
    """Every match of a query, in order, and which one is current (-1 for none)."""

    query: str = ""
    starts: list[int] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)
    current: int = -1

    @classmethod
    def find(cls, text: str, query: str) -> Matches:
        found = cls(query=query)
        pattern = search_pattern(query)
        if pattern is not None:
            for match in pattern.finditer(text):
                found.starts.append(match.start())
                found.ends.append(match.end())
        return found

    def __len__(self) -> int:
        return len(self.starts)

    def span(self, index: int) -> tuple[int, int]:
        return self.starts[index], self.ends[index]

    def first_from(self, offset: int) -> int:
        """The first match at or after ``offset``, wrapping to the first one."""
        return bisect_left(self.starts, offset) % len(self.starts)

    def after(self, offset: int) -> tuple[int, bool]:
        """(index of the next match after ``offset``, whether it wrapped to the start)."""
        index = bisect_right(self.starts, offset)
        return (0, True) if index >= len(self.starts) else (index, False)

    def before(self, offset: int) -> tuple[int, bool]:
        """(index of the match before ``offset``, whether it wrapped to the end)."""
        index = bisect_left(self.starts, offset) - 1
        return (len(self.starts) - 1, True) if index < 0 else (index, False)

    def overlapping(self, start: int, end: int) -> range:
        """Indexes of the matches that share text with [start, end)."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end)
        return range(first, max(first, last))
