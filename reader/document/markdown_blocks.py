"""Markdown-it's token stream → DocumentBuilder calls: the blocks, and the nesting around them.

Tracks lists (task items get ☐/☑ as their marker), block quotes, GitHub and
Obsidian callouts (``> [!NOTE] Optional title``), definition lists, footnote
definitions, tables (with where each cell is and how its column is aligned)
and block HTML, which :mod:`reader.document.html_text` reduces to blocks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.token import Token

from reader.document.builder import DocumentBuilder
from reader.document.cells import text_cells
from reader.document.html_text import HtmlBlock, HtmlReader
from reader.document.inline import Piece, inline_pieces
from reader.document.model import CELL_SEPARATOR, Block, BlockKind, TableShape

_BOLD = (("bold", None),)
_HEADER = (("table_header", None),)
_BORDER = (("table_border", None),)
_CHECKBOX = "task-list-item-checkbox"
_CALLOUT = re.compile(r"\s*\[!([A-Za-z]+)\]([+-]?)[ \t]*")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


@dataclass(frozen=True, slots=True)
class Callout:
    """A kind of callout: the colour it is drawn in, its symbol and its default title."""

    kind: str
    symbol: str
    label: str


_KINDS = {
    "note": Callout("note", "ℹ", "Note"),
    "tip": Callout("tip", "✦", "Tip"),
    "important": Callout("important", "‼", "Important"),
    "warning": Callout("warning", "⚠", "Warning"),
    "caution": Callout("caution", "✖", "Caution"),
}
#: Obsidian's other callout types, drawn as the nearest GitHub kind.
_ALIASES = {
    "info": "note", "todo": "note", "abstract": "note", "summary": "note", "tldr": "note",
    "example": "note", "quote": "note", "cite": "note", "hint": "tip", "success": "tip",
    "check": "tip", "done": "tip", "question": "important", "help": "important",
    "faq": "important", "attention": "warning", "failure": "warning", "fail": "warning",
    "missing": "warning", "bug": "warning", "danger": "caution", "error": "caution",
}
#: The title line of a ``<details>`` block.
DETAILS = Callout("details", "▾", "Details")


def callout_kind(name: str) -> Callout | None:
    """The callout a ``[!name]`` marker asks for (any case), None if it names none."""
    name = name.lower()
    if name in _KINDS:
        return _KINDS[name]
    if name in _ALIASES:
        base = _KINDS[_ALIASES[name]]
        return Callout(base.kind, base.symbol, name.capitalize())
    return None


class TokenWalker:
    """Turns markdown-it's token stream into builder calls, tracking nesting."""

    def __init__(self, builder: DocumentBuilder) -> None:
        self.builder = builder
        self.front_matter: str | None = None
        self.first_h1 = ""
        self._lists: list[list[int]] = []  # [next number, or -1 for bullets]
        self._quote = 0
        self._containers: list[tuple[int, str]] = []  # (quote depth, callout kind)
        self._pending_marker = ""
        self._footnote = ""
        self._html = HtmlReader()

    def walk(self, tokens: list[Token], line_base: int) -> None:
        index = 0
        count = len(tokens)
        while index < count:
            token = tokens[index]
            kind = token.type
            line = line_base + (token.map[0] if token.map else 0)
            if kind == "heading_open":
                self._heading(inline_pieces(tokens[index + 1].children or []),
                              int(token.tag[1]), line)
                index += 3
                continue
            if kind == "paragraph_open":
                self._paragraph(tokens[index + 1].children or [], line)
                index += 3
                continue
            if kind == "dt_open":
                self._blocks(inline_pieces(tokens[index + 1].children or []), BlockKind.LIST_ITEM,
                             line, styles=_BOLD)
                index += 3
                continue
            if kind in ("bullet_list_open", "ordered_list_open"):
                start = int(token.attrGet("start") or 1) if kind == "ordered_list_open" else -1
                self._lists.append([start])
            elif kind in ("bullet_list_close", "ordered_list_close", "dd_close"):
                self._lists.pop()
            elif kind == "dd_open":
                self._lists.append([-1])
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
                after = self._callout(tokens, index, line)
                if after:
                    index = after
                    continue
            elif kind == "blockquote_close":
                if self._containers and self._containers[-1][0] == self._quote:
                    self._containers.pop()
                self._quote -= 1
            elif kind in ("fence", "code_block"):
                self.builder.begin_block()
                self.builder.add_text(token.content.rstrip("\n").expandtabs(4))
                self._end(BlockKind.CODE, line, language=token.info.strip().split(" ")[0])
            elif kind == "html_block":
                for block in self._html.read(token.content):
                    self._html_block(block, line)
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

    # ----------------------------------------------------------------- blocks
    def _prose_kind(self) -> BlockKind:
        if self._footnote:
            return BlockKind.FOOTNOTE
        return BlockKind.LIST_ITEM if self._lists else BlockKind.PARAGRAPH

    def _end(self, kind: BlockKind, line: int, *, level: int = 0, depth: int | None = None,
             language: str = "", table: TableShape | None = None, role: str = "") -> Block:
        marker, self._pending_marker = self._pending_marker, ""
        return self.builder.end_block(
            kind,
            level=level,
            depth=len(self._lists) if depth is None else depth,
            quote=self._quote,
            marker=marker,
            source_line=line,
            language=language,
            table=table,
            callout=self._containers[-1][1] if self._containers else "",
            role=role,
        )

    def _blocks(self, pieces: list[Piece], kind: BlockKind, line: int, *, level: int = 0,
                depth: int | None = None, styles: tuple = (), role: str = "") -> Block:
        self.builder.begin_block()
        add = self.builder.add_text
        for text, own in pieces:
            add(text, tuple(dict.fromkeys(styles + own)) if styles else own)
        return self._end(kind, line, level=level, depth=depth, role=role)

    def _heading(self, pieces: list[Piece], level: int, line: int) -> None:
        self._blocks(pieces, BlockKind.HEADING, line, level=level)
        if level == 1 and not self.first_h1:
            self.first_h1 = " ".join("".join(text for text, _ in pieces).split())

    def _paragraph(self, children: list[Token], line: int) -> None:
        first = children[0] if children else None
        if (self._pending_marker and self._lists and first is not None
                and first.type == "html_inline" and _CHECKBOX in first.content):
            self._pending_marker = "☑" if "checked" in first.content else "☐"
            pieces = inline_pieces(children[1:])
            if pieces:
                pieces[0] = (pieces[0][0].lstrip(), pieces[0][1])
            self._blocks(pieces, self._prose_kind(), line)
            return
        self._blocks(inline_pieces(children), self._prose_kind(), line)

    def _callout(self, tokens: list[Token], index: int, line: int) -> int:
        """A callout's title (and the rest of its first paragraph); the index after
        them, or 0 when the quote at ``index`` is not a callout."""
        if index + 3 >= len(tokens) or tokens[index + 1].type != "paragraph_open":
            return 0
        children = tokens[index + 2].children or []
        cut = next((n for n, child in enumerate(children)
                    if child.type in ("softbreak", "hardbreak")), len(children))
        title = inline_pieces(children[:cut])
        match = _CALLOUT.match("".join(text for text, _ in title))
        callout = callout_kind(match.group(1)) if match else None
        if match is None or callout is None:
            return 0
        self._containers.append((self._quote, callout.kind))
        title = _drop_chars(title, match.end())
        if not "".join(text for text, _ in title).strip():
            title = [(callout.label, ())]
        self._pending_marker = callout.symbol
        self._blocks(_strip_pieces(title), BlockKind.PARAGRAPH, line, styles=_BOLD,
                     role="title")
        if children[cut + 1:]:
            self._blocks(inline_pieces(children[cut + 1:]), self._prose_kind(), line)
        return index + 4

    def _html_block(self, block: HtmlBlock, line: int) -> None:
        kind = block.kind
        if kind == "open":
            self._quote += 1
            self._containers.append((self._quote, DETAILS.kind))
        elif kind == "close":
            if self._containers and self._containers[-1][1] == DETAILS.kind:
                self._containers.pop()
                self._quote -= 1
        elif kind == "title":
            self._pending_marker = DETAILS.symbol
            self._blocks(block.pieces, BlockKind.PARAGRAPH, line, styles=_BOLD,
                         role="title")
        elif kind == "heading":
            self._heading(block.pieces, block.level, line)
        elif kind == "item":
            self._pending_marker = block.marker
            self._blocks(block.pieces, BlockKind.LIST_ITEM, line,
                         depth=len(self._lists) + block.level)
        elif kind == "code":
            self._blocks(block.pieces, BlockKind.CODE, line)
        elif kind == "rule":
            self.builder.begin_block()
            self._end(BlockKind.RULE, line)
        elif kind == "table":
            self._emit_table(block.rows, block.header_rows, block.aligns, line)
        else:
            self._blocks(block.pieces, self._prose_kind(), line)

    # ----------------------------------------------------------------- tables
    def _table(self, tokens: list[Token], index: int, line: int) -> int:
        rows: list[list[list[Piece]]] = []
        aligns: list[str] = []
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
            elif token.type in ("th_open", "td_open") and len(rows) == 1:
                match = _ALIGN.search(str(token.attrGet("style") or ""))
                aligns.append(match.group(1) if match else "")
            elif token.type == "inline":
                rows[-1].append(inline_pieces(token.children or []))
            index += 1
        self._emit_table(rows, header_rows, aligns, line)
        return index + 1

    def _emit_table(self, rows: list[list[list[Piece]]], header_rows: int, aligns: list[str],
                    line: int) -> None:
        """One TABLE block: cells padded to their column's width and joined by
        ``CELL_SEPARATOR``, rows by newlines; the shape records every cell."""
        columns = max((len(row) for row in rows), default=0)
        aligns = (list(aligns) + [""] * columns)[:columns]
        widths = [0] * columns
        for row in rows:
            for column, cell in enumerate(row):
                lines = "".join(text for text, _ in cell).split("\n")
                widths[column] = max(widths[column], *(text_cells(part) for part in lines))
        builder = self.builder
        builder.begin_block()
        shape: list[tuple[tuple[int, int], ...]] = []
        for number, row in enumerate(rows):
            if number:
                builder.add_text("\n")
            header = _HEADER if number < header_rows else ()
            spans: list[tuple[int, int]] = []
            for column in range(columns):
                if column:
                    builder.add_text(CELL_SEPARATOR, _BORDER)
                cell = row[column] if column < len(row) else []
                start = builder.length
                for text, styles in cell:
                    builder.add_text(text, header + styles)
                spans.append((start, builder.length))
                if column < columns - 1:
                    last = "".join(text for text, _ in cell).rsplit("\n", 1)[-1]
                    builder.add_text(" " * (widths[column] - text_cells(last)))
            shape.append(tuple(spans))
        self._end(BlockKind.TABLE, line,
                  table=TableShape(tuple(shape), tuple(aligns), min(header_rows, len(rows))))


def _drop_chars(pieces: list[Piece], count: int) -> list[Piece]:
    """``pieces`` without their first ``count`` characters."""
    out: list[Piece] = []
    for text, styles in pieces:
        if count >= len(text):
            count -= len(text)
            continue
        out.append((text[count:], styles))
        count = 0
    return out


def _strip_pieces(pieces: list[Piece]) -> list[Piece]:
    """``pieces`` without white space at either end."""
    out = [piece for piece in pieces if piece[0]]
    while out and not out[0][0].strip():
        out.pop(0)
    while out and not out[-1][0].strip():
        out.pop()
    if out:
        out[0] = (out[0][0].lstrip(), out[0][1])
        out[-1] = (out[-1][0].rstrip(), out[-1][1])
    return out


