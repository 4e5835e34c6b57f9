"""Keeping the reader's place across versions of an article: the same sentence, by content.

When the open article is reloaded after an edit, offsets into the old text mean
nothing in the new one. The sentence being read is anchored in the new text like a
highlight is (position, then quote and context, then a fuzzy match); failing that,
the sentences just before it are tried, and last the same share of the text.
"""

from __future__ import annotations

from collections.abc import Sequence

from reader.annotations.anchoring import anchor_all
from reader.annotations.selectors import quote_at

#: Sentences before the current one tried when the current one is gone.
LOOK_BACK = 3


def follow(
    old_text: str, spans: Sequence[tuple[int, int]], new_text: str
) -> int:
    """Where the reader's place is in ``new_text``: an offset.

    Args:
        old_text: The text as it was shown.
        spans: The sentence being read, then the ones before it, nearest first
            (offsets into ``old_text``).
        new_text: The text as it is now.
    """
    if not new_text:
        return 0
    tried = [(start, end) for start, end in spans[: LOOK_BACK + 1] if 0 <= start < end]
    if tried:
        for start, end in tried:  # one at a time: the first found is enough
            [found] = anchor_all(new_text, [((start, end), quote_at(old_text, start, end))])
            if found is not None:
                return found.start
        share = tried[0][0] / max(1, len(old_text))
        return min(len(new_text) - 1, int(share * len(new_text)))
    return 0
