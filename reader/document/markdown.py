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
#: A whole link reference definition on one line (no title on the next line).
_ONE_LINE_REFERENCE = re.compile(
    r"\[[^\[\]^][^\[\]]*\]:[ \t]*(<[^>\n]*>|\S+)"
    r"([ \t]+(\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*\r?\n?$"
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
    # In a run of one-line link reference definitions that began after a blank line:
    # a cut may go between two of them (50,000 in a row made one huge chunk).
    in_definitions = False
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
            definition = line[:1] == "[" and _ONE_LINE_REFERENCE.match(line) is not None
            if (
                (previous_blank or (in_definitions and definition))
                and offset - chunk_start >= size
                and line[:1] not in (" ", "\t", "\n", "\r", "")
            ):
                chunks.append(Chunk(chunk_line, chunk_start, offset))
                chunk_start, chunk_line = offset, number
            in_definitions = definition and (previous_blank or in_definitions)
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
    references = _references(source, lazy=True) if len(chunks) > 1 else {}
    builder = DocumentBuilder()
    walker = TokenWalker(builder)
    metadata: dict[str, str] = {}
    for index in selected:
        chunk = chunks[index]
        env: dict = {"references": _References(references)} if references else {}
        tokens = md.parse(_tame_wide_rows(source[chunk.start : chunk.end]), env)
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


#: Table columns beyond which a table is not laid out as one but shown as text: a
#: table 50,000 columns wide took seconds to parse and lay out, and no reading column
#: can show it as a table anyway.
MAX_TABLE_COLUMNS = 256
_DELIMITER_ROW = re.compile(r" {0,3}[|:-][ \t|:-]*$")


def _tame_wide_rows(text: str) -> str:
    """``text`` with the delimiter row of any table over MAX_TABLE_COLUMNS columns
    escaped (one backslash before it), so that its rows are paragraphs of text with
    pipes in them, not a table (same lines; the pipes shown as they are)."""
    if text.count("|") <= MAX_TABLE_COLUMNS:
        return text
    lines = text.split("\n")
    fence: str | None = None
    for number, line in enumerate(lines):
        match = _FENCE.match(line)
        if fence is not None:  # code shows its text as it is: never touched
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
        elif match:
            fence = match.group(1)
        elif line.count("|") > MAX_TABLE_COLUMNS and _DELIMITER_ROW.match(line):
            indent = len(line) - len(line.lstrip(" "))
            lines[number] = line[:indent] + "\\" + line[indent:]
    return "\n".join(lines)


class _References(dict):
    """Link reference definitions whose targets are normalised when a link first uses
    them: normalising 50,000 targets up front took two seconds before the first screen.
    (markdown-it reads them with ``get``.)"""

    def get(self, key, default=None):  # type: ignore[override]
        value = super().get(key)
        if value is None:
            return default
        if "raw" in value:
            value["href"] = normalizeLink(value.pop("raw"))
        return value


def _references(source: str, *, lazy: bool = False) -> dict[str, dict[str, str]]:
    """Link reference definitions of the whole source, so any chunk can use them.

    Most articles have none: only the places where a ``]:`` occurs are examined,
    each from the start of the line its label opens on, so a 5 MB article costs
    one substring search instead of a regular-expression scan. With ``lazy`` the
    targets are left as written (``raw``) for :class:`_References` to normalise when
    a link uses them.
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
            if label not in found:
                found[label] = {"raw": href, "title": ""} if lazy else {
                    "href": normalizeLink(href), "title": ""}
            at = source.find("]:", match.end())
        else:
            at = source.find("]:", at + 2)
    return found


def _front_matter(text: str) -> dict[str, str]:
    """Top-level ``key: value`` pairs of YAML front matter: scalars, and lists (block
    ``- item`` lines or ``[a, b]``) as their items joined by commas."""
    metadata: dict[str, str] = {}
    listing: str | None = None  # the key whose block list is being read
    for line in text.splitlines():
        item = _LIST_ITEM.match(line)
        if listing is not None and item:
            value = _unquote(item.group(1).strip())
            if value:
                metadata[listing] = f"{metadata[listing]}, {value}" if metadata.get(
                    listing) else value
            continue
        listing = None
        if not line or line[0] in " \t#-" or ":" not in line:
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), _unquote(value.strip())
        if key and value:
            metadata[key] = value
        elif key:
            listing = key
    return metadata


_LIST_ITEM = re.compile(r"^\s*-\s+(.*)$")


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _strip_inline_markup(text: str) -> str:
    return re.sub(r"[*_`]+", "", text).strip()
