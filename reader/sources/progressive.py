"""Showing the part being read before the whole article is parsed.

A reading position is kept as (source line of the block, offset into the
block): unlike a plain offset it can be found in a preview made of a few chunks
of the source, and it survives the swap to the whole document.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from reader.document.markdown import parse_markdown, split_chunks
from reader.document.model import Document
from reader.sources.loader import ArticleSource, parse_article
from reader.sources.partial import FIRST_PART_ABOVE

#: Articles up to this many characters are parsed whole before the first screen (a
#: page or a book converted for the first time is shown in parts above the same size).
PREVIEW_THRESHOLD = FIRST_PART_ABOVE
#: Characters of Markdown a preview wants after the reading position (a few screens'
#: worth): the chunk holding the position, and the next one only if it has fewer.
MARKDOWN_PREVIEW_AHEAD = 8_000
#: Characters of plain text a preview parses before and after the reading position.
PLAIN_PREVIEW_BEFORE = 8_000
PLAIN_PREVIEW_AFTER = 40_000


def needs_preview(source: ArticleSource) -> bool:
    return len(source.text) > PREVIEW_THRESHOLD


def preview_document(source: ArticleSource, line: int = 0) -> Document:
    """A quickly parsed part of the article around source ``line``.

    Its blocks carry absolute source lines, so ``locate`` works on it as on the
    whole document; it has ``complete=False``.
    """
    if source.format == "markdown":
        chunks = split_chunks(source.text)
        first_lines = [chunk.first_line for chunk in chunks]
        index = max(0, bisect_right(first_lines, line) - 1)
        chunk = chunks[index]
        at = _line_offset(source.text, line - chunk.first_line, chunk.start)
        stop = index + 1 if chunk.end - at >= MARKDOWN_PREVIEW_AHEAD else index + 2
        stop = min(len(chunks), stop)
        return parse_markdown(source.text, source.path, chunks=chunks, only=range(index, stop))
    from reader.document.plaintext import parse_plaintext

    text = source.text
    at = _line_offset(text, line)
    # Start at a paragraph boundary a little before the position, end well after it.
    cut = max(0, at - PLAIN_PREVIEW_BEFORE)
    paragraph = text.rfind("\n\n", 0, cut)
    if paragraph >= 0 and cut - paragraph < 3 * PLAIN_PREVIEW_BEFORE:
        first = paragraph + 2
    else:
        first = text.rfind("\n", 0, cut) + 1
    end = text.find("\n", min(len(text), at + PLAIN_PREVIEW_AFTER))
    end = len(text) if end < 0 else end
    document = parse_plaintext(text[first:end], source.path)
    base_line = text.count("\n", 0, first)
    for block in document.blocks:
        block.source_line += base_line
    document.complete = False
    return document


def _line_offset(text: str, line: int, start: int = 0) -> int:
    """Character offset where 0-based ``line`` (counted from offset ``start``, a line
    start) starts; the end, past the last line."""
    offset = start
    for _ in range(line):
        offset = text.find("\n", offset) + 1
        if offset == 0:
            return len(text)
    return offset


def whole_document(source: ArticleSource) -> Document:
    return parse_article(source)


def position_of(document: Document, offset: int) -> dict[str, int]:
    """The storable reading position of ``offset`` in ``document``."""
    if not document.blocks:
        return {"line": 0, "delta": 0, "offset": 0}
    block = document.blocks[document.block_index_at(offset)]
    return {
        "line": block.source_line,
        "delta": max(0, offset - block.start),
        "offset": offset,
    }


def locate(document: Document, position: dict | None) -> int:
    """The offset in ``document`` of a stored position (0 when it cannot be found)."""
    if not position or not document.blocks:
        return 0
    try:
        line = int(position.get("line", 0))
        delta = int(position.get("delta", 0))
    except (TypeError, ValueError):
        return 0
    lines = [block.source_line for block in document.blocks]
    index = bisect_right(lines, line) - 1
    if index < 0:
        index = bisect_left(lines, line)
        index = min(index, len(document.blocks) - 1)
        return document.blocks[index].start
    block = document.blocks[index]
    if block.source_line != line:
        return block.start
    return min(block.start + delta, max(block.start, block.end - 1))
