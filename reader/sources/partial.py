"""The first part of an article whose whole text is still being made, shown while the rest comes.

A saved page, a book or a URL opened for the first time is converted in a child
process (see ``reader.cli.background``). As soon as the child has written the
beginning of the snapshot (its front matter and first blocks, exactly as the
whole snapshot will begin) the reader can show the first screen from it, as it
shows a preview of any long article; the whole snapshot is swapped in when it is
ready. The reader records nothing in the library until then.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from reader.sources.loader import ArticleSource

#: A first part holds whole blocks until it has at least this many characters.
FIRST_PART_CHARS = 12_000
#: Articles expected to be shorter than this are not shown in parts (the whole is
#: ready almost as soon). The reader previews any article above the same size
#: (reader.sources.progressive.PREVIEW_THRESHOLD is this).
FIRST_PART_ABOVE = 160_000


@dataclass(slots=True, kw_only=True)
class PartialSource(ArticleSource):
    """The beginning of an article's snapshot; :func:`whole_of` waits for all of it.

    Attributes:
        expected_chars: About how long the whole text will be (for the time left).
        rest: Waits for the whole article and returns it; raises ``ArticleError`` when
            it could not be made. Called once, by :func:`whole_of`.
    """

    expected_chars: int = 0
    rest: Callable[[], ArticleSource] | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _whole: ArticleSource | None = field(default=None, repr=False)
    _error: BaseException | None = field(default=None, repr=False)


def is_partial(source: ArticleSource | None) -> bool:
    """Whether ``source`` is only the first part of its article."""
    return isinstance(source, PartialSource)


def whole_of(source: ArticleSource) -> ArticleSource:
    """The whole article (waiting for it when ``source`` is a first part).

    Raises:
        ArticleError: The rest of the article could not be made (every call says so).
    """
    if not isinstance(source, PartialSource):
        return source
    with source._lock:
        if source._whole is None and source._error is None:
            try:
                if source.rest is None:
                    raise RuntimeError("a first part without a way to the rest")
                source._whole = source.rest()
            except BaseException as error:
                source._error = error
        if source._error is not None:
            raise source._error
        assert source._whole is not None
        return source._whole


def expected_length(source: ArticleSource) -> int:
    """How long the whole article's text is, or is expected to be."""
    if isinstance(source, PartialSource):
        return max(source.expected_chars, len(source.text))
    return len(source.text)


def first_part_blocks(blocks: list[str], *, head: int = 0) -> int:
    """How many of ``blocks`` make a first part: whole blocks until there are at least
    :data:`FIRST_PART_CHARS` characters (``head``: those of what comes before them)."""
    size = head
    for count, block in enumerate(blocks, start=1):
        size += len(block) + 2
        if size >= FIRST_PART_CHARS:
            return count
    return len(blocks)
