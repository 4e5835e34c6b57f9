"""The Markdown export: literal quotes and notes under their headings, a block id per quote.

Everything the reader wrote is made literal (CommonMark and GitHub-flavoured
Markdown alike, Obsidian's own marks too), so a note shows as typed. The
built-in layout is :class:`BuiltinPieces`; ``templates/default.md.j2`` is the
same layout as a Jinja2 template, to copy and change (``--template``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime

from reader.document.model import Document
from reader.export.fragments import link_part
from reader.export.layout import HighlightView, PageView, build
from reader.export.model import CONTROL, ExportArticle, HighlightLike, one_line
from reader.export.obsidian import block_id
from reader.export.sync import Layout, assemble

__all__ = [
    "DETACHED_HEADING",
    "DETACHED_NOTICE",
    "BuiltinPieces",
    "block_id",
    "escape_inline",
    "escape_markdown",
    "markdown_layout",
    "paragraphs",
    "quote_lines",
    "to_markdown",
    "yaml_scalar",
]

DETACHED_HEADING = "Detached highlights"
DETACHED_NOTICE = (
    "These highlights could not be found in the current text of the article. "
    "They are kept as they were made."
)


_ESCAPE_ALWAYS = re.compile(r"[\\`*\[\]<|~$^]")
# "#" only starts a heading or an Obsidian tag where no word or path goes before it:
# left alone in "page#part", so a web address keeps it as written (an escape inside
# an address that a renderer links by itself would show, and break the link).
_ESCAPE_HASH = re.compile(r"(?<![\w/])#")
# "_" only makes emphasis next to a non-alphanumeric character (snake_case is safe).
_ESCAPE_UNDERSCORE = re.compile(r"_(?![^\W_])|(?<![^\W_])_")
# Obsidian's ==highlight== and %%comment%% need the character doubled.
_ESCAPE_DOUBLED = re.compile(r"([=%])(?=\1)|(?<==)=|(?<=%)%")
_ESCAPE_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
# A web address as a CommonMark autolink can hold it: no space, "<" or ">", no control
# character; punctuation that ends a sentence after it is left out.
_WEB_ADDRESS = re.compile(r"\b(?:https?|ftp)://[^\s<>\x00-\x1f\x7f-\x9f]*", re.IGNORECASE)
_AFTER_ADDRESS = ".,;:!?'\"]"
# Block markers: a quote, a list item, a definition (Pandoc/PHP Markdown Extra, which
# readmark itself reads), a setext underline or a thematic break.
_LINE_START = re.compile(r">|[-+:](?:\s|$)|[-=][-=\s]*$")
_ORDERED_ITEM = re.compile(r"(\d{1,9})[.)](?:\s|$)")
# A GitHub-flavoured table's delimiter row (``:--``, ``-:|:-``): under a line with a
# ``|`` it would make that line a table header.
_TABLE_DELIMITER = re.compile(r"[\s|:-]*(?::-|-:|\|)[\s|:-]*")
_UNPRINTABLE = re.compile(r"[\x7f-\x9f\u2028\u2029\ufeff]")


def escape_inline(text: str, *, line_start: bool = True) -> str:
    """One line of text made literal: every character that could be markup is escaped,
    and a web address becomes an autolink (``<https://…>``), whose text is literal.

    An address is not escaped because GitHub-flavoured renderers link a bare one as
    written, so a backslash inside it would show and break the link.
    ``line_start=False`` is for text that cannot begin a block (a heading's
    words, the middle of a line), where ``1.`` or ``-`` need no escape.
    """
    pieces: list[str] = []
    at = 0
    for match in _WEB_ADDRESS.finditer(text):
        address = _without_closing_punctuation(match.group(0))
        pieces.append(_escape_words(text[at : match.start()]))
        pieces.append(f"<{address}>")
        at = match.start() + len(address)
    pieces.append(_escape_words(text[at:]))
    escaped = "".join(pieces)
    if not line_start or escaped.startswith("<"):
        return escaped
    if _LINE_START.match(escaped) or _TABLE_DELIMITER.fullmatch(escaped):
        return "\\" + escaped
    match = _ORDERED_ITEM.match(escaped)
    if match:
        return f"{match.group(1)}\\{escaped[match.end(1) :]}"
    return escaped


def _without_closing_punctuation(address: str) -> str:
    """The address without the punctuation that closes the sentence or bracket around it
    (a ")" stays when the address opened one)."""
    while len(address) > address.index("//") + 2:
        last = address[-1]
        if last in _AFTER_ADDRESS or (last == ")" and address.count(")") > address.count("(")):
            address = address[:-1]
        else:
            break
    return address


def _escape_words(text: str) -> str:
    text = _ESCAPE_ALWAYS.sub(r"\\\g<0>", text)
    text = _ESCAPE_HASH.sub(r"\\#", text)
    text = _ESCAPE_UNDERSCORE.sub(r"\\_", text)
    text = _ESCAPE_DOUBLED.sub(lambda m: "\\" + m.group(0), text)
    return _ESCAPE_ENTITY.sub(r"\\&", text)


def paragraphs(text: str) -> list[list[str]]:
    """Text as paragraphs of lines: line endings unified, each line stripped, runs of
    blank lines made one break. This is the text an export promises to keep."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = CONTROL.sub("", text)
    result: list[list[str]] = []
    current: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if line:
            current.append(line)
        elif current:
            result.append(current)
            current = []
    if current:
        result.append(current)
    return result


def escape_markdown(text: str, prefix: str = "") -> list[str]:
    """Markdown lines that render as ``text``: paragraphs kept, every line literal.

    Args:
        text: Any text (a quote, a note).
        prefix: Put before every line, e.g. ``"> "`` for a block quote (whose
            blank lines then become ``">"``, so the quote stays one quote).
    """
    lines: list[str] = []
    for paragraph in paragraphs(text):
        if lines:
            lines.append(prefix.rstrip())
        lines.extend(prefix + escape_inline(line) for line in paragraph)
    return lines


def yaml_scalar(value: str) -> str:
    """A YAML scalar: plain when that is unambiguous, else double-quoted (JSON escapes)."""
    plain = re.fullmatch(r"[A-Za-z/][\w ./,()'’&+@-]*", value) and not value.endswith(" ")
    if plain and value.lower() not in {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}:
        return value
    # YAML (1.1 at least) breaks lines at NEL and U+2028/9: escape those and any control.
    return _UNPRINTABLE.sub(
        lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False)
    )


_YAML_DATE = re.compile(
    r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?"
)


def yaml_date(value: str) -> str:
    """A date (or date and time) plain, so YAML and Obsidian read a date; else quoted."""
    if _YAML_DATE.fullmatch(value):
        return value
    return yaml_scalar(value)


def _fenced(code: str, language: str) -> list[str]:
    """Code kept as it is (indentation too) in a fence longer than any backtick run in it."""
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    fence = "`" * max(3, longest + 1)
    lines = [line.rstrip() for line in CONTROL.sub("", code.replace("\r\n", "\n")).split("\n")]
    return [fence + language, *lines, fence]


def quote_lines(text: str, code: str | None = None) -> list[str]:
    """A passage as a block quote: literal text, or a fenced block for code."""
    if code is not None:
        return ["> " + line if line else ">" for line in _fenced(text, code)]
    return escape_markdown(text, "> ") or [">"]


def metadata_line(view: HighlightView) -> str:
    """``colour · detached (was in …) · #tags · day`` under each highlight."""
    parts = [view.color]
    if view.detached:
        where = " › ".join(one_line(part) for part in view.section)
        parts.append(
            f"detached (was in {escape_inline(where, line_start=False)})" if where else "detached"
        )
    if view.tags:
        parts.append(" ".join("#" + tag for tag in view.tags))
    if view.date:
        parts.append(view.date)
    return " · ".join(parts)


class BuiltinPieces:
    """The built-in Markdown layout (``templates/default.md.j2`` writes the same)."""

    def front_matter(self, page: PageView) -> list[str]:
        lines = [f"title: {yaml_scalar(page.title)}"]
        if page.author:
            lines.append(f"author: {yaml_scalar(page.author)}")
        if page.url:
            lines.append(f"url: {yaml_scalar(page.url)}")
        if page.date:
            lines.append(f"date: {yaml_date(page.date)}")
        if page.source:
            lines.append(f"source: {yaml_scalar(page.source)}")
        if page.fingerprint:
            lines.append(f"fingerprint: {json.dumps(page.fingerprint)}")  # never a number
        if page.exported:
            lines.append(f"exported: {page.exported}")
        lines.append(f"highlights: {page.highlights}")
        lines.append(f"notes: {page.notes}")
        if page.tags:
            lines.append("tags:")
            lines.extend(f"  - {yaml_scalar(tag)}" for tag in page.tags)
        else:
            lines.append("tags: []")
        return lines

    def head(self, page: PageView) -> list[str]:
        return [f"# {escape_inline(page.title, line_start=False)}"]

    def heading(self, level: int, title: str, page: PageView) -> list[str]:
        return [f"{'#' * level} {escape_inline(title, line_start=False)}"]

    def highlight(self, view: HighlightView, page: PageView) -> list[str]:
        lines = [*quote_lines(view.text, view.code), "", f"^{view.block_id}"]
        note = escape_markdown(view.note)
        if note:
            lines += ["", *note]
        link = "" if view.detached else link_part(page.url, view.text, view.prefix, view.suffix)
        return [*lines, "", metadata_line(view) + link]  # a web article: a link to the passage

    def detached_heading(self, page: PageView) -> list[str]:
        return [f"## {DETACHED_HEADING}", "", f"*{DETACHED_NOTICE}*"]


def markdown_layout(
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> Layout:
    """The built-in export as front matter and units (for sync to merge into a file)."""
    return build(BuiltinPieces(), article, highlights, document, exported=exported)


def to_markdown(
    article: ExportArticle,
    highlights: Iterable[HighlightLike],
    document: Document | None = None,
    *,
    exported: datetime | None = None,
) -> str:
    """The Markdown export: front matter, ``# Title``, sections, quotes, notes.

    Each highlight is its quote, its block id on a line of its own (so Obsidian's
    ``[[Title#^hl-…]]`` names the quote), its note, and a line with its colour,
    tags and day, all between readmark's marks (see :mod:`reader.export.sync`).

    Args:
        article: What to say about the article.
        highlights: Anchored highlights or stored records (see
            :func:`~reader.export.model.export_highlights`).
        document: The parsed article, for the current text and heading levels;
            None when the file is gone (stored section paths are used).
        exported: When, for the ``exported`` field; None leaves it out.

    Returns:
        The file's text, ending with a newline.
    """
    return assemble(markdown_layout(article, highlights, document, exported=exported))
