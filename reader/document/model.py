"""The document model: an article as plain text plus structure addressed by offsets.

Coordinate system (annotations anchor to it, so it must stay stable):

* ``Document.text`` is the article's plain text. Every block contributes its
  text; consecutive blocks are separated by exactly ``BLOCK_SEPARATOR``
  (a blank line). Markup is not part of the text: no ``#`` of headings, no
  emphasis markers, no link targets, no list markers or quote bars (those are
  presentation, kept on the block). Table cells are joined by ``CELL_SEPARATOR``
  and rows by a newline (a line break inside a cell is a newline too, so
  ``Block.table`` says where each cell is); code blocks keep their own newlines.
  HTML is reduced to its text: tags are not part of it, entities are decoded,
  an image is its alt text in brackets.
* Every offset is an index into ``Document.text`` (Python ``str`` indices, so
  code points), half open: ``text[start:end]``.
* Blocks tile the text: ``BLOCK_SEPARATOR.join(block texts) == text``.
* Sentences never cross a block; sections run from their heading to the next
  heading of the same or a higher level.

This module has no Textual import; it is shared by the UI, storage and export.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum

from reader.document.words import count_words

BLOCK_SEPARATOR = "\n\n"
CELL_SEPARATOR = " │ "


class BlockKind(str, Enum):
    """What a block is; decides how it is laid out and drawn."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    CODE = "code"
    TABLE = "table"
    RULE = "rule"
    FOOTNOTE = "footnote"
    HTML = "html"


#: Blocks whose lines are kept as they are instead of being re-wrapped.
PREFORMATTED = frozenset({BlockKind.CODE, BlockKind.TABLE, BlockKind.HTML})


#: Column alignments a table can ask for (from ``:--``, ``:-:`` and ``--:``).
ALIGNMENTS = ("", "left", "center", "right")


@dataclass(frozen=True, slots=True)
class TableShape:
    """Where a table block's cells are, so a layout can place them in columns.

    ``rows`` holds, for each row, one ``(start, end)`` span per column: the cell's
    text without its padding (an empty span for a missing cell). The first
    ``header_rows`` rows are the header. ``aligns`` has one of ``ALIGNMENTS``
    per column.
    """

    rows: tuple[tuple[tuple[int, int], ...], ...]
    aligns: tuple[str, ...]
    header_rows: int = 0

    @property
    def columns(self) -> int:
        return len(self.aligns)


@dataclass(frozen=True, slots=True)
class Span:
    """An inline style over ``text[start:end]``.

    ``style`` is one of ``bold``, ``italic``, ``code``, ``kbd``, ``link``,
    ``strike``, ``footnote_ref``, ``image``, ``table_header``, ``table_border``.
    Spans may overlap (a bold link is two spans).
    """

    start: int
    end: int
    style: str
    href: str | None = None


@dataclass(slots=True)
class Block:
    """A leaf block of the article: the unit of layout.

    Attributes:
        kind: What the block is.
        start: Offset of the block's first character in the document text.
        end: Offset just past its last character.
        level: Heading level (1-6) for headings, else 0.
        depth: List nesting depth (0 outside lists).
        quote: Block-quote nesting depth (0 outside quotes).
        marker: The list marker ("•", "3.") or footnote label, drawn before the
            first line; empty when there is none.
        spans: Inline styles, in order of ``start``.
        source_line: 0-based line in the source file where the block starts.
        language: The info string's first word, for code blocks.
        table: Where the cells are, for tables.
        callout: The kind of callout (``note``, ``tip``, ``important``,
            ``warning``, ``caution``) or ``details`` the block is inside; empty
            outside them.
        role: ``title`` for the title line of a callout or of a details block
            (its ``marker`` is the callout's symbol); empty otherwise.
    """

    kind: BlockKind
    start: int
    end: int
    level: int = 0
    depth: int = 0
    quote: int = 0
    marker: str = ""
    spans: tuple[Span, ...] = ()
    source_line: int = 0
    language: str = ""
    table: TableShape | None = None
    callout: str = ""
    role: str = ""


@dataclass(slots=True)
class Section:
    """A heading and the stretch of text it governs.

    ``start`` is the heading block's start, ``end`` the start of the next heading
    of the same or a higher level (or the end of the text). ``parent`` is the
    index of the enclosing section in ``Document.sections``.
    """

    title: str
    level: int
    start: int
    end: int
    block_index: int
    parent: int | None = None


@dataclass(slots=True)
class Document:
    """A parsed article.

    Attributes:
        title: From front matter, the first top heading, or the file name.
        source: Where it came from (a path or a name).
        text: The plain text every offset points into.
        blocks: Leaf blocks in reading order, tiling ``text``.
        sections: Headings in reading order.
        sentence_starts: Start offsets of the sentences, ascending.
        sentence_ends: End offsets matching ``sentence_starts``.
        metadata: Front matter keys, as strings.
        chunk_starts: Offset at which each source chunk's text begins; lets a
            view built from one chunk find its place in the whole document.
        complete: False while only part of the source has been parsed.
    """

    title: str
    source: str
    text: str
    blocks: list[Block]
    sections: list[Section] = field(default_factory=list)
    sentence_starts: Sequence[int] = field(default_factory=list)
    sentence_ends: Sequence[int] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    chunk_starts: list[int] = field(default_factory=lambda: [0])
    complete: bool = True
    _block_starts: list[int] = field(default_factory=list, repr=False)
    _section_starts: list[int] = field(default_factory=list, repr=False)
    _words: tuple[str, int] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._block_starts = [block.start for block in self.blocks]
        self._section_starts = [section.start for section in self.sections]

    @property
    def word_count(self) -> int:
        if self._words is None or self._words[0] is not self.text:
            self._words = (self.text, count_words(self.text))
        return self._words[1]

    def block_text(self, block: Block) -> str:
        return self.text[block.start : block.end]

    def block_index_at(self, offset: int) -> int:
        """Index of the block holding ``offset`` (or the one before a separator)."""
        if not self.blocks:
            return -1
        return max(0, bisect_right(self._block_starts, offset) - 1)

    def section_index_at(self, offset: int) -> int | None:
        """Index of the innermost section holding ``offset``; None before the first."""
        index = bisect_right(self._section_starts, offset) - 1
        while index >= 0:
            section = self.sections[index]
            if section.start <= offset < section.end or (
                offset == section.end == len(self.text)
            ):
                return index
            index = section.parent if section.parent is not None else -1
        return None

    def section_chain(self, offset: int) -> list[int]:
        """Indices of the sections holding ``offset``, outermost first: where a
        highlight there belongs (the panel and the exports group by this)."""
        chain: list[int] = []
        index = self.section_index_at(offset)
        while index is not None:
            chain.append(index)
            index = self.sections[index].parent
        return chain[::-1]

    def section_path(self, offset: int) -> list[str]:
        """Headings from the outermost to the innermost section at ``offset``."""
        return [self.sections[index].title for index in self.section_chain(offset)]

    @property
    def sentence_count(self) -> int:
        return len(self.sentence_starts)

    def sentence_index_at(self, offset: int) -> int:
        """Index of the sentence holding ``offset``, or the last one before it."""
        if not self.sentence_starts:
            return -1
        return max(0, bisect_right(self.sentence_starts, offset) - 1)

    def sentence_span(self, index: int) -> tuple[int, int]:
        return self.sentence_starts[index], self.sentence_ends[index]

    def first_sentence_from(self, offset: int) -> int:
        """Index of the first sentence starting at or after ``offset`` (clamped)."""
        if not self.sentence_starts:
            return -1
        index = bisect_right(self.sentence_starts, offset - 1)
        return min(index, len(self.sentence_starts) - 1)

    def outline(self) -> list[tuple[int, str]]:
        """(indent depth, heading) pairs, depth 0 for the document's top level."""
        if not self.sections:
            return []
        top = min(section.level for section in self.sections)
        return [(section.level - top, section.title) for section in self.sections]
