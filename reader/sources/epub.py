"""An EPUB 2 or 3 book read with ebooklib: the spine in order, its own contents as the sections.

Each chapter goes through the same HTML-to-Markdown writer as a web page, with
the headings of the book's table of contents put where its entries point (nested
entries nest), and title and author from its metadata. ebooklib and lxml are
imported only when a book is opened. A file that is not a valid EPUB, or one
protected by DRM, is an ``ArticleError`` with the reason.
"""

from __future__ import annotations

import io
import posixpath
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from reader.sources.loader import ArticleError
from reader.sources.partial import FIRST_PART_ABOVE, FIRST_PART_CHARS, first_part_blocks

#: Encryption that only obfuscates embedded fonts (the text is readable).
FONT_OBFUSCATION = ("http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC")
DOCUMENT_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")


@dataclass(slots=True)
class BookArticle:
    """A book as one Markdown article, with what its metadata says."""

    markdown: str
    title: str
    metadata: dict[str, str] = field(default_factory=dict)


@dataclass(slots=True)
class Entry:
    """One line of the book's table of contents."""

    level: int
    title: str
    file: str
    fragment: str


def check_container(data: bytes, shown: str) -> None:
    """Refuse what is not a zip, what has no EPUB package, and books under DRM."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise ArticleError(f"{shown}: is not a valid EPUB (not a zip archive)")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "META-INF/container.xml" not in names:
                raise ArticleError(f"{shown}: is not a valid EPUB (no META-INF/container.xml)")
            if "META-INF/rights.xml" in names:
                raise ArticleError(f"{shown}: is protected by DRM; readmark can open only books "
                                   "without it")
            if "META-INF/encryption.xml" in names:
                _check_encryption(archive.read("META-INF/encryption.xml"), shown)
    except (zipfile.BadZipFile, KeyError, OSError, EOFError) as error:
        raise ArticleError(f"{shown}: is not a valid EPUB ({error})") from None


def _check_encryption(xml: bytes, shown: str) -> None:
    from lxml import etree

    try:
        root = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        raise ArticleError(f"{shown}: is protected by DRM (its encryption.xml cannot be read)"
                           ) from None
    methods = [m.get("Algorithm", "") for m in root.iter("{*}EncryptionMethod")]
    if any(method not in FONT_OBFUSCATION for method in methods):
        raise ArticleError(f"{shown}: is protected by DRM; readmark can open only books without it")


def _metadata(book: Any, name: str) -> list[str]:
    try:
        values = book.get_metadata("DC", name)
    except (KeyError, AttributeError):
        return []
    return [" ".join(str(value).split()) for value, _ in values if value and str(value).strip()]


def _entries(toc: Iterable[Any], level: int, base: str) -> Iterable[Entry]:
    from ebooklib import epub

    for node in toc:
        children: Iterable[Any] = ()
        if isinstance(node, tuple | list) and len(node) == 2:
            node, children = node
        title = " ".join(str(getattr(node, "title", "") or "").split())
        href = str(getattr(node, "href", "") or "")
        if isinstance(node, epub.Link | epub.Section) and title:
            file, _, fragment = href.partition("#")
            file = posixpath.normpath(posixpath.join(base, unquote(file))) if file else ""
            yield Entry(level, title, file, unquote(fragment))
        yield from _entries(children, level + 1, base)


def _placed(entries: list[Entry]) -> list[Entry]:
    """Entries that point nowhere (a part's title over its chapters) go where the next
    entry that points somewhere begins; those with nothing after them are dropped."""
    placed: list[Entry] = []
    waiting: list[Entry] = []
    for entry in entries:
        if not entry.file:
            waiting.append(entry)
            continue
        placed += [Entry(e.level, e.title, entry.file, entry.fragment) for e in waiting]
        waiting = []
        placed.append(entry)
    return placed


def _parse(content: bytes) -> Any:
    """A chapter's tree: as XHTML (XML) when it is well formed, else as HTML."""
    from lxml import etree, html

    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True,
                             huge_tree=True, remove_comments=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None or root.find(".//{*}body") is None:
        root = html.document_fromstring(content)
    body = root.find(".//{*}body")
    return body if body is not None else root


def read_book(data: bytes, *, shown: str, extra: Mapping[str, str] | None = None,
              first_part: Callable[[str, int], None] | None = None) -> BookArticle:
    """The book in ``data`` as snapshot Markdown.

    ``first_part``, for a long book, is called with the beginning of the Markdown
    (front matter and the first chapters, as the whole begins) and the whole's
    expected length as soon as they are written, before the other chapters are read
    (see :mod:`reader.sources.partial`).

    Raises:
        ArticleError: Not a valid EPUB, protected by DRM, or without readable text.
    """
    check_container(data, shown)
    from ebooklib import epub

    from reader.sources.html_markdown import Anchors, MarkdownWriter, to_markdown

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            book = epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except Exception as error:  # ebooklib raises anything from KeyError to lxml's errors
        reason = str(error).strip().splitlines()[0][:160] if str(error).strip() else "unreadable"
        raise ArticleError(f"{shown}: is not a valid EPUB ({reason})") from None

    nav = next((item for item in book.get_items() if isinstance(item, epub.EpubNav)), None)
    base = ""
    if nav is None:  # the contents came from the NCX: its links are relative to it
        ncx = next((item for item in book.get_items()
                    if getattr(item, "media_type", "") == "application/x-dtbncx+xml"), None)
        base = posixpath.dirname(ncx.file_name) if ncx is not None else ""
    entries = _placed(list(_entries(book.toc, 1, base)))
    by_file: dict[str, list[Entry]] = {}
    for entry in entries:
        by_file.setdefault(entry.file, []).append(entry)

    title = next(iter(_metadata(book, "title")), "")
    authors = _metadata(book, "creator")
    metadata = {
        "title": title,
        "author": " and ".join(authors) if len(authors) <= 2 else ", ".join(authors),
        "date": next(iter(_metadata(book, "date")), "")[:10],
        "site": next(iter(_metadata(book, "publisher")), ""),
        **(extra or {}),
    }
    metadata = {key: value for key, value in metadata.items() if value}

    chapters = list(_spine_documents(book, nav))
    total = sum(len(item.content or b"") for item in chapters)
    read = 0
    waiting = first_part is not None and total > FIRST_PART_ABOVE
    blocks: list[str] = []
    for item in chapters:
        here = by_file.get(posixpath.normpath(item.file_name), [])
        at_start = [(e.level, e.title) for e in here if not e.fragment]
        anchors = Anchors(keep_headings=not entries, drop_first_heading=bool(at_start))
        for entry in here:
            if entry.fragment:
                anchors.at.setdefault(entry.fragment, []).append((entry.level, entry.title))
        writer = MarkdownWriter(anchors=anchors)
        try:
            chapter = writer.blocks(_parse(item.content or item.get_content()))  # raw bytes
        except Exception as error:  # a broken chapter should not hide the rest of the book
            chapter = [f"\\[This chapter could not be read: {type(error).__name__}\\]"]
        missed = [(e.level, e.title) for e in here if e.fragment and e.fragment not in anchors.used]
        heads = [_heading(level, title) for level, title in at_start + missed]
        blocks.extend(heads + chapter)
        read += len(item.content or b"")
        if waiting and first_part is not None and _has_text(blocks):
            written = sum(len(block) + 2 for block in blocks)
            if written >= FIRST_PART_CHARS:
                waiting = False
                part = to_markdown(blocks[: first_part_blocks(blocks)], metadata)
                first_part(part, round(written * total / max(1, read)))

    if not _has_text(blocks):
        raise ArticleError(f"{shown}: the book has no readable text")
    return BookArticle(markdown=to_markdown(blocks, metadata), title=title or "Untitled",
                       metadata=metadata)


def _spine_documents(book: Any, nav: Any) -> Iterable[Any]:
    """The book's documents in reading order (not its contents page, nor those it marks
    as outside the reading order)."""
    for idref, linear in book.spine:
        item = book.get_item_with_id(idref)
        if item is None or item is nav or str(linear).lower() == "no":
            continue
        if getattr(item, "media_type", "") in DOCUMENT_TYPES:
            yield item


def _has_text(blocks: list[str]) -> bool:
    return any(not block.startswith("#") for block in blocks)


def _heading(level: int, title: str) -> str:
    from reader.sources.html_markdown import escape_text

    return f"{'#' * max(1, min(6, level))} {' '.join(escape_text(title).split())}"
