"""Markdown articles → Document, via markdown-it-py.

This module owns the one ``MarkdownIt`` factory. Large articles are parsed in
chunks cut at blank lines outside code fences, so the chunk a reader opens at can
be shown before the rest is parsed; the whole document is the same chunks parsed
in order, so offsets in a one-chunk preview map onto the whole document by
adding that chunk's start (``Document.chunk_starts``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.normalize_url import normalizeLink
from markdown_it.common.utils import normalizeReference
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.tasklists import tasklists_plugin

from reader.document.builder import DocumentBuilder, title_from_path
from reader.document.markdown_blocks import TokenWalker
from reader.document.model import Document

#: Source characters per chunk: one chunk fills several screens and parses in ~10 ms.
CHUNK_SIZE = 16_000

_FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
_REFERENCE = re.compile(
    r"^ {0,3}\[([^\[\]^][^\[\]]*)\]:[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE
)
_FRONT_MATTER_TITLE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
_ATX_H1 = re.compile(r"^ {0,3}# +(.+?)(?: +#+)? *$", re.MULTILINE)


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    """The project's Markdown dialect: CommonMark (with its HTML) plus tables,
    strikethrough, front matter, task lists, definition lists and footnotes (kept
    in place so chunks parse independently). Callouts are found by the walker."""
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False, move_to_end=False, always_match_refs=True)
    md.use(tasklists_plugin)
    md.use(deflist_plugin)
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
    walker = TokenWalker(builder)
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
