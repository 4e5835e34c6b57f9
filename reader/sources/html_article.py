"""A web page's article found with trafilatura and written as a Markdown snapshot with front matter.

trafilatura (imported only here, and only when a page is opened) finds the article
and its metadata; :mod:`reader.sources.html_markdown` writes what it kept. Parts of
pages that are never the article and that trafilatura may keep (edit links,
footnote markers, contents boxes, "skip to content" links) are cut out first.
"""

from __future__ import annotations

import codecs
import contextlib
import logging
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from reader.sources.loader import ArticleError
from reader.sources.partial import FIRST_PART_ABOVE, first_part_blocks

#: Pages larger than this skip trafilatura's second opinion (its fallback extractors),
#: which doubles the time on a long page and rarely changes a long article.
FAST_ABOVE = 300_000
#: trafilatura refuses pages over its own limit (20 MB); readmark's cap is the fetch's.
MAX_PAGE_BYTES = 50 * 1024 * 1024

#: Class names of page parts that are never the article, in any site's markup: edit
#: links, footnote back-links, contents boxes, "skip to content" links, share buttons.
PRUNED_CLASSES = frozenset((
    "mw-editsection", "mw-cite-backlink", "toc", "table-of-contents", "skip-link",
    "share-buttons", "social-share", "sharing", "screen-reader-text",
))
PRUNED_IDS = frozenset(("toc", "catlinks", "siteSub", "jump-to-nav", "contentSub"))
#: Words that make any class or id a newsletter box or a cookie banner.
PRUNED_WORDS = re.compile(r"newsletter|subscribe-box|cookie[-_]?(?:banner|consent|notice|bar)"
                          r"|gdpr|consent[-_]?banner")
_FOOTNOTE_LINK = ("#cite", "#fn", "#footnote", "#note")

_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
#: Labels that HTML reads as windows-1252 (the WHATWG Encoding Standard).
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "us-ascii", "ascii",
                    "l1", "cp819", "ibm819", "iso_8859-1", "windows-1252", "cp1252"}


@dataclass(slots=True)
class PageArticle:
    """What was found in a page: the snapshot's Markdown, and what it says about itself."""

    markdown: str
    title: str
    metadata: dict[str, str] = field(default_factory=dict)


def _codec(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _AS_WINDOWS_1252:
        return "cp1252"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """A page's text and the encoding it was read in.

    The order is the browser's: a byte-order mark, the charset the server sent,
    the one the page declares in a ``<meta>`` tag, then UTF-8 if the bytes are
    UTF-8, else windows-1252 (which decodes anything).
    """
    for bom, name in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                      (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return data[len(bom):].decode(name, errors="replace"), name
    candidates = [_codec(declared)]
    match = _META_CHARSET.search(data[:8192])
    if match:
        candidates.append(_codec(match.group(1).decode("ascii", "replace")))
    for name in candidates:
        if name and not name.startswith("utf-16"):  # a <meta> cannot really say UTF-16
            return data.decode(name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def looks_like_html(text: str) -> bool:
    """Whether text (the start of a file or of standard input) is an HTML page."""
    head = text[:2048].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) and "<html" in text[:4096].lower():
        return True
    return head.startswith("<") and any(tag in head for tag in ("<body", "<head", "<article"))


#: Libraries whose log lines ("discarding data", "empty HTML tree") would otherwise reach
#: stderr through Python's last-resort handler: readmark says what went wrong itself.
QUIET_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "charset_normalizer")


def _quiet() -> None:
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)


def _config(size: int) -> object:
    from trafilatura.settings import use_config

    config = use_config()
    config.set("DEFAULT", "MAX_FILE_SIZE", str(max(size + 1, 20_000_000)))
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    return config


def extract_article(
    html: str,
    *,
    shown: str,
    url: str = "",
    extra: Mapping[str, str] | None = None,
    first_part: Callable[[str, int], None] | None = None,
) -> PageArticle:
    """Find the article in a page and write it as snapshot Markdown.

    Args:
        html: The page, decoded (see :func:`decode_html`).
        shown: How messages name the page.
        url: Where the page came from (for relative links and the canonical address).
        extra: Front matter to add (``origin``, ``kind``, ``fetched``…).
        first_part: Called with the beginning of the Markdown (as the whole begins)
            and the whole's length, once the article is found, for a long article
            (see :mod:`reader.sources.partial`).

    Raises:
        ArticleError: No article could be found in the page.
    """
    import trafilatura

    from reader.sources.html_markdown import MarkdownWriter, to_markdown

    _quiet()
    html = _XML_DECLARATION.sub("", html, count=1)
    tree = trafilatura.load_html(html)
    if tree is None:
        raise ArticleError(f"{shown}: is not an HTML page that can be read")
    prune(tree)
    meta = page_metadata(tree, url)
    found = trafilatura.bare_extraction(
        tree,
        url=url or None,
        fast=len(html) > FAST_ABOVE,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_links=True,
        include_formatting=True,
        output_format="xml",
        config=_config(len(html)),
    )
    body = getattr(found, "body", None)
    base = getattr(meta, "url", None) or url
    blocks = MarkdownWriter(base_url=url or base or "").blocks(body) if body is not None else []
    blocks = _drop_empty_headings(blocks)
    if not _readable(blocks):
        raise ArticleError(f"{shown}: no article found in the page (nothing readable was left "
                           "once menus, banners and the like were taken out)")
    title = " ".join(str(getattr(meta, "title", "") or "").split()) or _first_heading(blocks)
    metadata = {
        "title": title,
        "author": str(getattr(meta, "author", "") or ""),
        "date": str(getattr(meta, "date", "") or ""),
        "site": str(getattr(meta, "sitename", "") or ""),
        "url": _web(getattr(meta, "url", None)) or _web(url),
        **(extra or {}),
    }
    metadata = {key: value for key, value in metadata.items() if value}
    heading = "" if _starts_with_title(blocks, title) else title
    markdown = to_markdown(blocks, metadata, title_heading=heading)
    if first_part is not None and len(markdown) > FIRST_PART_ABOVE:
        count = first_part_blocks(blocks, head=len(heading) + 600)
        first_part(to_markdown(blocks[:count], metadata, title_heading=heading), len(markdown))
    return PageArticle(markdown=markdown, title=title or "Untitled", metadata=metadata)


#: A site's name from its address when the page gives none (trafilatura's own rule).
_SITE_FROM_URL = re.compile(r"https?://(?:www\.|w[0-9]+\.)?([^/]+)")


def page_metadata(tree: Any, url: str = "") -> Any:
    """What a page says about itself: title, author, date, site name, canonical address.

    trafilatura's metadata steps, without those a reader has no use for (categories,
    tags, licence), and with the date the page declares (see :func:`declared_date`)
    rather than one searched for through the whole page's text, which on a long page
    costs more than the rest together. Returns trafilatura's ``Document``.
    """
    try:
        from trafilatura.metadata import (
            examine_meta,
            extract_author,
            extract_meta_json,
            extract_sitename,
            extract_title,
            extract_url,
        )
    except ImportError:  # a trafilatura without these steps: its whole metadata search
        from trafilatura.metadata import extract_metadata

        return extract_metadata(tree, url or None, None, False)
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:  # a user name, not an author's
        meta.author = None
    with contextlib.suppress(Exception):  # trafilatura's JSON-LD reader fails on odd data
        meta = extract_meta_json(tree, meta)
    meta.title = meta.title or extract_title(tree)
    meta.author = meta.author or extract_author(tree)
    meta.url = meta.url or extract_url(tree, url or None)
    meta.date = declared_date(tree, meta.url)
    if not meta.sitename:
        meta.sitename = extract_sitename(tree)
    if meta.sitename:
        meta.sitename = meta.sitename.lstrip("@")
        if meta.sitename and "." not in meta.sitename and not meta.sitename[0].isupper():
            meta.sitename = meta.sitename.title()
    elif meta.url and (match := _SITE_FROM_URL.match(meta.url)):
        meta.sitename = match[1]
    meta.clean_and_trim()
    return meta


#: Parts of a page's body where a date is declared: time and abbr elements, JSON-LD,
#: bylines and date lines, and the footer ("last edited on 1 May 2024").
_DATED = (".//time|.//abbr|.//script[@type='application/ld+json']|.//footer"
          "|.//*[@id='footer' or @itemprop='datePublished' or @itemprop='dateModified'"
          " or contains(@class, 'date') or contains(@id, 'date') or contains(@class, 'byline')"
          " or contains(@class, 'published') or contains(@class, 'posted')"
          " or contains(concat(' ', normalize-space(@class), ' '), ' footer ')]")
#: A part with more elements than this is a wrapper, not a date line: left out.
_DATED_MOST_ELEMENTS = 200


def declared_date(tree: Any, url: str | None) -> str | None:
    """The date a page declares: in its address, its ``<head>``, its JSON-LD, its time
    and date elements, bylines and footer (found by htmldate, the publication date
    first); None when it declares none. The rest of the page's text is not searched."""
    from copy import deepcopy

    from htmldate import find_date
    from lxml.etree import SubElement
    from lxml.html import Element

    declared = Element("html")
    head = tree.find("head")
    if head is not None:
        declared.append(deepcopy(head))
    body = SubElement(declared, "body")
    taken: set[Any] = set()
    for element in tree.xpath(_DATED):
        if any(parent in taken or parent is head for parent in element.iterancestors()):
            continue  # inside a part already taken, or in the head
        if sum(1 for _ in element.iter()) > _DATED_MOST_ELEMENTS:
            continue
        taken.add(element)
        part = deepcopy(element)
        part.tail = None
        body.append(part)
    return find_date(declared, extensive_search=False, original_date=True, url=url or None)


def _pruned(element: Any) -> bool:
    classes = (element.get("class") or "").split()
    ident = element.get("id") or ""
    if ident in PRUNED_IDS or element.get("role") == "doc-toc":
        return True
    if any(name in PRUNED_CLASSES for name in classes):
        return True
    if element.tag == "sup":  # a footnote marker: [1]
        if "reference" in classes:
            return True
        links = [a.get("href") or "" for a in element.iter("a")]
        if links and all(href.startswith(_FOOTNOTE_LINK) for href in links):
            return True
    if element.tag == "a" and "footnote-ref" in classes:
        return True
    words = " ".join(classes) + " " + ident
    return bool(words.strip()) and PRUNED_WORDS.search(words.lower()) is not None


def prune(tree: Any) -> None:
    """Take out the parts of a page that are never its article (see :data:`PRUNED_CLASSES`);
    the text after each stays."""
    doomed = [element for element in tree.iter() if isinstance(element.tag, str)
              and (element.get("class") or element.get("id") or element.tag == "sup"
                   or element.get("role")) and _pruned(element)]
    for element in doomed:
        if element.getparent() is not None:
            element.drop_tree()


#: Fewer words than this outside headings is not an article (a menu, a "page moved" notice).
MIN_WORDS = 15
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _readable(blocks: list[str]) -> bool:
    """Whether what is left is an article: some words, and not all of them links (a menu)."""
    text = "\n".join(block for block in blocks if not _level(block))
    words = len(text.split())
    linked = sum(len(match.group(1).split()) for match in _LINK.finditer(text))
    return words >= MIN_WORDS and linked < 0.8 * words


def _web(value: object) -> str:
    text = str(value or "").strip()
    return text if text.startswith(("http://", "https://")) else ""


def _first_heading(blocks: list[str]) -> str:
    for block in blocks:
        if block.startswith("#"):
            return block.lstrip("#").strip().replace("\\", "")
    return ""


def _starts_with_title(blocks: list[str], title: str) -> bool:
    if not blocks or not blocks[0].startswith("# "):
        return False
    first = " ".join(blocks[0][2:].replace("\\", "").split()).casefold()
    return not title or first == " ".join(title.split()).casefold() or first in title.casefold()


def _level(block: str) -> int:
    """A heading block's level (0 when the block is not a heading)."""
    if not block.startswith("#"):
        return 0
    hashes = len(block) - len(block.lstrip("#"))
    return hashes if hashes <= 6 and block[hashes : hashes + 1] == " " else 0


def _drop_empty_headings(blocks: list[str]) -> list[str]:
    """Headings with nothing under them (a "Contents" box's, a last "See also") are left out."""
    kept: list[str] = []
    for index, block in enumerate(blocks):
        level = _level(block)
        if level:
            after = next((b for b in blocks[index + 1 :]), None)
            if after is None or 0 < _level(after) <= level:
                continue
        kept.append(block)
    return kept
