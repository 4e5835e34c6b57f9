"""Markdown articles → Document, via markdown-it-py.

This module owns the one ``MarkdownIt`` factory. Large articles are parsed in
chunks cut at blank lines outside code fences, so the chunk a reader opens at can
be shown before the rest is parsed; the whole document is the same chunks parsed
in order, so offsets in a one-chunk preview map onto the whole document by
adding that chunk's start (``Document.chunk_starts``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import normalizeReference
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from reader.document.builder import DocumentBuilder, title_from_path
from reader.document.cells import text_cells
from reader.document.model import CELL_SEPARATOR, BlockKind, Document

#: Source characters per chunk: one chunk fills several screens and parses in ~10 ms.
CHUNK_SIZE = 16_000

Style = tuple[tuple[str, str | None], ...]

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(
    r"^ {0,3}\[([^\[\]^][^\[\]]*)\]:[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE
)
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_ATX_H1 = re.compile(r"^ {0,3}# +(.+?)(?: +#+)? *$", re.MULTILINE)
_INLINE_STYLES = {"strong": "bold", "em": "italic", "s": "strike"}


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The project's Markdown dialect: CommonMark plus tables, strikethrough,
    front matter and footnotes (kept in place so chunks parse independently)."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    return md


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of whole source lines that parses on its own."""

    first_line: int
    start: int
    end: int


def split_chunks(source: str, size: int = CHUNK_SIZE) -> list[Chunk]:
    """Cut ``source`` at blank lines that cannot be inside a block.

    A cut goes before a line that follows a blank line, starts in column 0 and is
    outside a code fence and the front matter, so no paragraph, list item
    continuation, code block or table is split.
    """
    if len(source) <= size:
        return [Chunk(0, 0, len(source))]
    chunks: list[Chunk] = []
    chunk_start = 0
    chunk_line = 0
    fence: str | None = None
    previous_blank = False
    offset = 0
    in_front_matter = source.startswith("---")
    for number, line in enumerate(source.splitlines(keepends=True)):
        stripped = line.strip()
        if in_front_matter:
            if number > 0 and stripped in ("---", "..."):
                in_front_matter = False
        elif fence is not None:
            if stripped.startswith(fence) and stripped.strip(fence[0]) == "":
                fence = None
        else:
            if (
                previous_blank
                and offset - chunk_start >= size
                and line[:1] not in (" ", "\t", "\n", "\r", "")
            ):
                chunks.append(Chunk(chunk_line, chunk_start, offset))
                chunk_start, chunk_line = offset, number
            match = _FENCE.match(line)
            if match:
                fence = match.group(1)
        previous_blank = not stripped and fence is None and not in_front_matter
        offset += len(line)
    chunks.append(Chunk(chunk_line, chunk_start, len(source)))
    return chunks


def quick_title(source: str, name: str) -> str:
    """The title without parsing the whole article (front matter, first H1, file name)."""
    head = source[:4000]
    if head.startswith("---"):
        end = head.find("\n---", 3)
        match = _FRONT_MATTER_TITLE.search(head, 0, end if end > 0 else len(head))
        if match:
            return _unquote(match.group(1))
    match = _ATX_H1.search(source, 0, min(len(source), 200_000))
    if match:
        return _strip_inline_markup(match.group(1))
    return title_from_path(name)


def parse_markdown(
    source: str,
    name: str = "",
    *,
    chunks: Sequence[Chunk] | None = None,
    only: range | None = None,
) -> Document:
    """Parse ``source`` (or just the chunks in ``only``) into a Document.

    Args:
        source: The article's Markdown.
        name: Its path or name (for the title fallback and ``Document.source``).
        chunks: ``split_chunks(source)``, when the caller already has it.
        only: Chunk indexes to parse for a preview; the result has
            ``complete=False`` and offsets relative to the first of them.
    """
    if chunks is None:
        chunks = split_chunks(source)
    selected = range(len(chunks)) if only is None else only
    md = markdown_parser()
    references = _references(source) if len(chunks) > 1 else {}
    builder = DocumentBuilder()
    walker = _TokenWalker(builder)
    metadata: dict[str, str] = {}
    for index in selected:
        chunk = chunks[index]
        env: dict = {"references": dict(references)} if references else {}
        tokens = md.parse(source[chunk.start : chunk.end], env)
        builder.mark_chunk()
        walker.walk(tokens, chunk.first_line)
        if walker.front_matter is not None:
            metadata = _front_matter(walker.front_matter)
            walker.front_matter = None
    title = metadata.get("title") or ""
    if not title:
        title = walker.first_h1 if only is None else quick_title(source, name)
    complete = only is None or (len(selected) == len(chunks))
    return builder.build(
        title=title or title_from_path(name),
        source=name,
        metadata=metadata,
        complete=complete,
    )


class _TokenWalker:
    """Turns markdown-it's token stream into builder calls, tracking nesting."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.front_matter: str | None = None
        self.first_h1 = ""
        self._lists: list[list[int]] = []  # [next number or -1 for bullets]
        self._quote = 0
        self._pending_marker = ""
        self._footnote = ""

    def walk(self, tokens: list[Token], line_base: int) -> None:
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            line = line_base + (token.map[0] if token.map else 0)
            if kind == "heading_open":
                level = int(token.tag[1])
                inline = tokens[index + 1]
                block = self._inline_block(inline, BlockKind.HEADING, line, level=level)
                if level == 1 and not self.first_h1:
                    self.first_h1 = self.builder_text(block.start, block.end, inline)
                index += 3
                continue
            if kind == "paragraph_open":
                inline = tokens[index + 1]
                in_list = bool(self._lists)
                if self._footnote:
                    block_kind = BlockKind.FOOTNOTE
                elif in_list:
                    block_kind = BlockKind.LIST_ITEM
                else:
                    block_kind = BlockKind.PARAGRAPH
                self._inline_block(inline, block_kind, line)
                index += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else -1
                self._lists.append([start])
            elif kind in ("bullet_list_close", "ordered_list_close"):
                self._lists.pop()
            elif kind == "list_item_open":
                counter = self._lists[-1]
                if counter[0] < 0:
                    self._pending_marker = "•◦▪"[(len(self._lists) - 1) % 3]
                else:
                    number = int(token.info) if token.info.isdigit() else counter[0]
                    self._pending_marker = f"{number}{token.markup or '.'}"
                    counter[0] = number + 1
            elif kind == "list_item_close":
                if self._pending_marker:  # an empty item still shows its marker
                    self.builder.begin_block()
                    self._end(BlockKind.LIST_ITEM, line)
            elif kind == "blockquote_open":
                self._quote += 1
            elif kind == "blockquote_close":
                self._quote -= 1
            elif kind in ("fence", "code_block"):
                self.builder.begin_block()
                self.builder.add_text(token.content.rstrip("\n").expandtabs(4))
                self._end(BlockKind.CODE, line, language=token.info.strip().split(" ")[0])
            elif kind == "html_block":
                self.builder.begin_block()
                self.builder.add_text(token.content.rstrip("\n"))
                self._end(BlockKind.HTML, line)
            elif kind == "hr":
                self.builder.begin_block()
                self._end(BlockKind.RULE, line)
            elif kind == "table_open":
                index = self._table(tokens, index, line)
                continue
            elif kind == "front_matter":
                self.front_matter = token.content
            elif kind == "footnote_reference_open":
                self._footnote = f"[{token.meta.get('label', '')}]"
                self._pending_marker = self._footnote
            elif kind == "footnote_reference_close":
                self._footnote = ""
            index += 1

    def builder_text(self, start: int, end: int, inline: Token) -> str:
        return " ".join(_plain(inline.children or []).split())

    def _end(self, kind: BlockKind, line: int, *, level: int = 0, language: str = ""):
        marker, self._pending_marker = self._pending_marker, ""
        return self.builder.end_block(
            kind,
            level=level,
            depth=len(self._lists),
            quote=self._quote,
            marker=marker,
            source_line=line,
            language=language,
        )

    def _inline_block(self, inline: Token, kind: BlockKind, line: int, *, level: int = 0):
        self.builder.begin_block()
        for text, styles in _pieces(inline.children or []):
            self.builder.add_text(text, styles)
        return self._end(kind, line, level=level)

    def _table(self, tokens: list[Token], index: int, line: int) -> int:
        rows: list[list[list[tuple[str, Style]]]] = []
        header_rows = 0
        in_head = False
        while tokens[index].type != "table_close":
            token = tokens[index]
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                rows.append([])
                header_rows += in_head
            elif token.type == "inline":
                rows[-1].append(list(_pieces(token.children or [])))
            index += 1
        columns = max((len(row) for row in rows), default=0)
        widths = [0] * columns
        for row in rows:
            for column, cell in enumerate(row):
                widths[column] = max(widths[column], sum(text_cells(text) for text, _ in cell))
        self.builder.begin_block()
        for number, row in enumerate(rows):
            if number:
                self.builder.add_text("\n")
            header: Style = (("table_header", None),) if number < header_rows else ()
            for column in range(columns):
                if column:
                    self.builder.add_text(CELL_SEPARATOR)
                cell = row[column] if column < len(row) else []
                used = 0
                for text, styles in cell:
                    self.builder.add_text(text, header + styles)
                    used += text_cells(text)
                if column < columns - 1:
                    self.builder.add_text(" " * (widths[column] - used))
        self._end(BlockKind.TABLE, line)
        return index + 1


def _pieces(children: Iterable[Token]) -> Iterable[tuple[str, Style]]:
    """(text, styles) runs of an inline token's children, markup removed."""
    active: list[tuple[str, str | None]] = []
    for child in children:
        kind = child.type
        if kind == "text":
            yield child.content, tuple(active)
        elif kind == "softbreak":
            yield " ", tuple(active)
        elif kind == "hardbreak":
            yield "\n", tuple(active)
        elif kind == "code_inline":
            yield child.content, (*active, ("code", None))
        elif kind.endswith("_open") and kind[:-5] in _INLINE_STYLES:
            active.append((_INLINE_STYLES[kind[:-5]], None))
        elif kind == "link_open":
            active.append(("link", str(child.attrGet("href") or "")))
        elif kind.endswith("_close") and (kind[:-6] in _INLINE_STYLES or kind == "link_close"):
            style = "link" if kind == "link_close" else _INLINE_STYLES[kind[:-6]]
            for position in range(len(active) - 1, -1, -1):
                if active[position][0] == style:
                    del active[position]
                    break
        elif kind == "image":
            alt = _plain(child.children or []) or child.content
            yield f"[image: {alt}]" if alt else "[image]", (
                *active,
                ("image", str(child.attrGet("src") or "")),
            )
        elif kind == "footnote_ref":
            yield f"[{child.meta.get('label', '')}]", (*active, ("footnote_ref", None))
        elif kind == "html_inline":
            continue
        elif child.content:
            yield child.content, tuple(active)


def _plain(children: Iterable[Token]) -> str:
    return "".join(text for text, _ in _pieces(children))


def _references(source: str) -> dict[str, dict[str, str]]:
    """Link reference definitions of the whole source, so any chunk can use them.

    Most articles have none: only the places where a ``]:`` occurs are examined,
    each from the start of the line its label opens on, so a 5 MB article costs
    one substring search instead of a regular-expression scan.
    """
    found: dict[str, dict[str, str]] = {}
    at = source.find("]:")
    while at >= 0:
        bracket = source.rfind("[", 0, at)
        match = None
        if bracket >= 0:
            match = _REFERENCE.match(source, source.rfind("\n", 0, bracket) + 1)
        if match is not None and match.end(1) == at:
            label = normalizeReference(match.group(1))
            href = match.group(2)
            if href.startswith("<") and href.endswith(">"):
                href = href[1:-1]
            found.setdefault(label, {"href": normalizeLink(href), "title": ""})
            at = source.find("]:", match.end())
        else:
            at = source.find("]:", at + 2)
    return found


def _front_matter(text: str) -> dict[str, str]:
    """Top-level ``key: value`` pairs of YAML front matter (scalars only)."""
    metadata: dict[str, str] = {}
    for line in text.splitlines():
        if not line or line[0] in " \t#-" or ":" not in line:
            continue
        key, _, value = line.partition(":")
        value = _unquote(value.strip())
        if key.strip() and value:
            metadata[key.strip().lower()] = value
    return metadata


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _strip_inline_markup(text: str) -> str:
    return re.sub(r"[*_`]+", "", text).strip()
