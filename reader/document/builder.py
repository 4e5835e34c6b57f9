"""Assembles a Document block by block; shared by the Markdown and plain-text parsers.

Both parsers describe what they found (a heading, a paragraph with some bold
text, a list item) and the builder owns the coordinate system: it appends each
block's text with the separator, records style spans as offsets, and derives
sections and sentences once the blocks are known.
"""

from __future__ import annotations

from array import array
from pathlib import PurePath

from reader.document.memory import release_free_memory
from reader.document.model import (
    BLOCK_SEPARATOR,
    Block,
    BlockKind,
    Document,
    Section,
    Span,
    TableShape,
)
from reader.document.sentences import split_sentences

#: Blocks whose text is cut into sentences; the others are one cursor stop each.
_PROSE = frozenset({BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.FOOTNOTE})


class DocumentBuilder:
    """Collects blocks and their inline text, then builds the Document.

    Usage: ``begin_block()``, any number of ``add_text()`` / ``open_span()`` /
    ``close_span()``, then ``end_block(kind, ...)``.
    """

    def __init__(self) -> None:
        self._parts: list[str] = []
        #: The text of the chunks before the current one, one string each: millions
        #: of small pieces held to the end cost several times the text itself.
        self._chunks: list[str] = []
        self._length = 0
        self.blocks: list[Block] = []
        self._spans: list[Span] = []
        self._open: list[tuple[int, str, str | None]] = []
        self._block_start = 0
        self._in_block = False
        self.chunk_starts: list[int] = []

    @property
    def length(self) -> int:
        return self._length

    def mark_chunk(self) -> None:
        """Record that a new source chunk starts with the next block."""
        self.chunk_starts.append(self._length + (len(BLOCK_SEPARATOR) if self.blocks else 0))
        if self._parts:
            self._chunks.append("".join(self._parts))
            self._parts = []

    def begin_block(self) -> None:
        if self._in_block:
            raise RuntimeError("begin_block() while a block is open")
        if self.blocks:
            self._parts.append(BLOCK_SEPARATOR)
            self._length += len(BLOCK_SEPARATOR)
        self._block_start = self._length
        self._spans = []
        self._open = []
        self._in_block = True

    def add_text(self, text: str, styles: tuple[tuple[str, str | None], ...] = ()) -> None:
        """Append text; ``styles`` are (style, href) pairs covering all of it."""
        if not text:
            return
        start = self._length
        self._parts.append(text)
        self._length += len(text)
        for style, href in styles:
            self._extend_or_add(Span(start, self._length, style, href))

    def _extend_or_add(self, span: Span) -> None:
        # Adjacent pieces in the same style make one span, not many.
        for index in range(len(self._spans) - 1, max(-1, len(self._spans) - 4), -1):
            last = self._spans[index]
            if last.end == span.start and last.style == span.style and last.href == span.href:
                self._spans[index] = Span(last.start, span.end, span.style, span.href)
                return
        self._spans.append(span)

    def open_span(self, style: str, href: str | None = None) -> None:
        self._open.append((self._length, style, href))

    def close_span(self, style: str) -> None:
        for index in range(len(self._open) - 1, -1, -1):
            start, open_style, href = self._open[index]
            if open_style == style:
                del self._open[index]
                if self._length > start:
                    self._spans.append(Span(start, self._length, style, href))
                return

    def add_styled(self, text: str, style: str, href: str | None = None) -> None:
        self.open_span(style, href)
        self.add_text(text)
        self.close_span(style)

    def end_block(
        self,
        kind: BlockKind,
        *,
        level: int = 0,
        depth: int = 0,
        quote: int = 0,
        marker: str = "",
        source_line: int = 0,
        language: str = "",
        table: TableShape | None = None,
        callout: str = "",
        role: str = "",
    ) -> Block:
        while self._open:
            self.close_span(self._open[-1][1])
        self._spans.sort(key=lambda span: span.start)
        block = Block(
            kind=kind,
            start=self._block_start,
            end=self._length,
            level=level,
            depth=depth,
            quote=quote,
            marker=marker,
            spans=tuple(self._spans),
            source_line=source_line,
            language=language,
            table=table,
            callout=callout,
            role=role,
        )
        self.blocks.append(block)
        self._in_block = False
        return block

    def build(
        self,
        *,
        title: str,
        source: str,
        metadata: dict[str, str] | None = None,
        complete: bool = True,
    ) -> Document:
        text = "".join([*self._chunks, *self._parts])
        self._chunks, self._parts = [], []  # freed now, so the trim below can return them
        release_free_memory(len(text))
        sections = _sections(text, self.blocks)
        # Offsets in arrays: as lists of int objects they took 36 bytes a sentence,
        # tens of megabytes for the largest articles.
        starts = array("q")
        ends = array("q")
        for block in self.blocks:
            if block.start == block.end:
                continue
            if block.kind in _PROSE:
                for start, end in split_sentences(text, block.start, block.end):
                    starts.append(start)
                    ends.append(end)
            else:
                starts.append(block.start)
                ends.append(block.end)
        return Document(
            title=title,
            source=source,
            text=text,
            blocks=self.blocks,
            sections=sections,
            sentence_starts=starts,
            sentence_ends=ends,
            metadata=dict(metadata or {}),
            chunk_starts=self.chunk_starts or [0],
            complete=complete,
        )


def _sections(text: str, blocks: list[Block]) -> list[Section]:
    sections: list[Section] = []
    stack: list[int] = []
    for index, block in enumerate(blocks):
        if block.kind is not BlockKind.HEADING:
            continue
        while stack and sections[stack[-1]].level >= block.level:
            sections[stack.pop()].end = block.start
        title = " ".join(text[block.start : block.end].split())
        sections.append(
            Section(
                title=title,
                level=block.level,
                start=block.start,
                end=len(text),
                block_index=index,
                parent=stack[-1] if stack else None,
            )
        )
        stack.append(len(sections) - 1)
    return sections


def title_from_path(source: str) -> str:
    """A readable title from a file name: ``the-long-read_2.md`` → ``The long read 2``."""
    stem = PurePath(source).stem if source else ""
    words = stem.replace("_", " ").replace("-", " ").split()
    if not words:
        return "Untitled"
    phrase = " ".join(words)
    return phrase[0].upper() + phrase[1:]
